/**
 * Installs or builds what the tests need when it is missing, saying what it does:
 * the FerretDB binary (Go build, cached), Debian's Chromium (apt-get, as root), the 1EdTech
 * reference validator (Python virtualenv under .cache/validator, pinned in scripts/validator).
 * Where it cannot, it stops with the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ensureFerretdbBinary,
  FerretdbUnavailableError,
} from '../src/libraries/db/ferretdb-binary.js';
import { projectRoot } from '../src/libraries/paths.js';
import {
  ensureReferenceValidator,
  ValidatorUnavailableError,
} from './validator/install-validator.js';
import {
  ensureFrictionless,
  FrictionlessUnavailableError,
} from './frictionless/install-frictionless.js';

const say = (line: string) => process.stderr.write(`[prepare-tests] ${line}\n`);

function fail(message: string, command: string): never {
  say(message);
  say(`Run: ${command}`);
  process.exit(1);
}

async function ferretdb(): Promise<void> {
  try {
    const bin = await ensureFerretdbBinary({
      cacheDir: path.resolve(projectRoot, process.env.FERRETDB_CACHE_DIR ?? '.cache/ferretdb'),
      binary: process.env.FERRETDB_BIN,
      log: say,
    });
    say(`FerretDB: ${bin}`);
  } catch (err) {
    if (err instanceof FerretdbUnavailableError)
      fail(err.message, 'sudo apt-get install -y golang   # then npm test again');
    throw err;
  }
}

function chromium(): void {
  const target = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(target)) {
    say(`Chromium: ${target}`);
    return;
  }
  if (process.getuid?.() !== 0) {
    fail(
      `Chromium is needed for the browser tests and ${target} is missing.`,
      'sudo apt-get install -y chromium',
    );
  }
  say("Installing Debian's chromium with apt-get (about 1 minute)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env,
  });
  if (update.status !== 0 || install.status !== 0 || !fs.existsSync(target)) {
    fail('apt-get could not install chromium.', 'apt-get update && apt-get install -y chromium');
  }
  say(`Chromium installed: ${target}`);
}

async function referenceValidator(): Promise<void> {
  const started = performance.now();
  try {
    const python = await ensureReferenceValidator({ log: say });
    const ms = (performance.now() - started).toFixed(0);
    say(`Reference validator: ${path.relative(projectRoot, python)} (ready in ${ms} ms)`);
  } catch (err) {
    if (err instanceof ValidatorUnavailableError) fail(err.message, err.command);
    throw err;
  }
}

async function tableSchemaValidator(): Promise<void> {
  try {
    const bin = await ensureFrictionless({ log: say });
    say(`Table Schema validator: ${path.relative(projectRoot, bin)}`);
  } catch (err) {
    if (err instanceof FrictionlessUnavailableError) fail(err.message, err.command);
    throw err;
  }
}

await ferretdb();
chromium();
await referenceValidator();
await tableSchemaValidator();
