/**
 * Installs the Frictionless Framework (PyPI `frictionless`, pinned in requirements.txt), the
 * reference validator of Table Schema, in its own virtualenv under the git-ignored
 * .cache/frictionless/venv (kept apart from the Open Badges validator's old pins). Keyed by the
 * pin file: editing it reinstalls; otherwise the check reads one small file and returns.
 * Run alone: `node --import tsx scripts/frictionless/install-frictionless.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../src/libraries/paths.js';

const RECIPE = 'v1: venv, pip install --no-deps -r requirements.txt, pip check';
const pinFile = path.join(projectRoot, 'scripts', 'frictionless', 'requirements.txt');
export const frictionlessVenv = path.join(projectRoot, '.cache', 'frictionless', 'venv');
export const frictionlessBin = path.join(frictionlessVenv, 'bin', 'frictionless');
const stampFile = path.join(frictionlessVenv, 'coop-badges-install.json');

export class FrictionlessUnavailableError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = 'FrictionlessUnavailableError';
  }
}

function installKey(): string {
  return createHash('sha256')
    .update(RECIPE)
    .update(fs.readFileSync(pinFile))
    .digest('hex')
    .slice(0, 16);
}

export function isFrictionlessInstalled(): boolean {
  if (!fs.existsSync(frictionlessBin)) return false;
  // A venv's scripts name its interpreter by absolute path: one made in another checkout (or
  // moved since) has scripts that cannot start (spawn ENOENT). Made again then.
  const shebang = fs.readFileSync(frictionlessBin, 'utf8').split('\n', 1)[0] ?? '';
  if (!shebang.startsWith(`#!${frictionlessVenv}/`)) return false;
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key?: string };
    return stamp.key === installKey();
  } catch {
    return false;
  }
}

/** frictionless 5 needs Python 3.8 or later. FRICTIONLESS_PYTHON chooses the interpreter. */
function findPython(): string {
  const cmd = process.env.FRICTIONLESS_PYTHON ?? 'python3';
  const out = spawnSync(cmd, ['-c', 'import sys, venv, ensurepip; print(sys.version_info[1])'], {
    encoding: 'utf8',
  });
  if (out.error || out.status !== 0 || Number(out.stdout.trim()) < 8) {
    throw new FrictionlessUnavailableError(
      `The Table Schema validator needs Python 3.8+ with venv (${cmd}).`,
      'apt-get install -y python3 python3-venv',
    );
  }
  return cmd;
}

function run(cmd: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      for (const line of out.trim().split('\n').slice(-30)) log(`  ${line}`);
      reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** Returns the `frictionless` command, installing it first if needed (about 30 s). */
export async function ensureFrictionless(
  options: { log?: (line: string) => void } = {},
): Promise<string> {
  const log = options.log ?? (() => {});
  if (isFrictionlessInstalled()) return frictionlessBin;
  const python = findPython();
  const started = Date.now();
  log(`frictionless: installing in ${path.relative(projectRoot, frictionlessVenv)}`);
  fs.rmSync(frictionlessVenv, { recursive: true, force: true });
  await run(python, ['-m', 'venv', frictionlessVenv], log);
  const pip = path.join(frictionlessVenv, 'bin', 'pip');
  const quiet = ['--no-cache-dir', '--disable-pip-version-check', '--no-input'];
  await run(pip, ['install', ...quiet, '--no-deps', '-r', pinFile], log);
  // --no-deps above: pip check proves every package's own requirements are still met.
  await run(pip, ['check'], log);
  await run(frictionlessBin, ['--version'], log);
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(
    stampFile,
    JSON.stringify({ key: installKey(), installedAt: new Date().toISOString(), seconds }, null, 2),
  );
  log(`frictionless: installed in ${seconds.toFixed(1)} s`);
  return frictionlessBin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    say(`ready: ${await ensureFrictionless({ log: say })}`);
  } catch (err) {
    if (!(err instanceof FrictionlessUnavailableError)) throw err;
    say(err.message);
    say(`Run: ${err.command}`);
    process.exit(1);
  }
}
