/**
 * Installs the 1EdTech reference validator (PyPI `openbadges` 1.1.2) in its own virtualenv under
 * the git-ignored .cache/validator/venv, from the frozen pins in requirements.txt, and proves it
 * runs offline (run_validator.py --self-check). Keyed by the pin files and this recipe: editing
 * them reinstalls; otherwise the check reads two small files and returns.
 * Run alone: `node --import tsx scripts/validator/install-validator.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../src/libraries/paths.js';

/** Bump when the install steps below change in a way that needs a reinstall. */
const RECIPE = 'v1: build tools, then --no-deps --no-build-isolation with stdlib distutils';

export const validatorScriptsDir = path.join(projectRoot, 'scripts', 'validator');
export const validatorWrapper = path.join(validatorScriptsDir, 'run_validator.py');
export const validatorVenv = path.join(projectRoot, '.cache', 'validator', 'venv');
export const validatorPython = path.join(validatorVenv, 'bin', 'python');
const stampFile = path.join(validatorVenv, 'coop-badges-install.json');
const pinFiles = ['build-requirements.txt', 'requirements.txt'].map((f) =>
  path.join(validatorScriptsDir, f),
);

export class ValidatorUnavailableError extends Error {
  constructor(
    message: string,
    /** The exact command that fixes it. */
    readonly command: string,
  ) {
    super(message);
    this.name = 'ValidatorUnavailableError';
  }
}

function installKey(): string {
  const hash = createHash('sha256').update(RECIPE);
  for (const file of pinFiles) hash.update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** True when the venv exists and was installed from the current pins (a few ms). */
export function isReferenceValidatorInstalled(): boolean {
  if (!fs.existsSync(validatorPython)) return false;
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { key?: string };
    return stamp.key === installKey();
  } catch {
    return false;
  }
}

function pythonVersion(cmd: string): [number, number] | undefined {
  const out = spawnSync(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    encoding: 'utf8',
  });
  if (out.error || out.status !== 0) return undefined;
  const [major, minor] = out.stdout.trim().split('.').map(Number);
  return major === undefined || minor === undefined ? undefined : [major, minor];
}

/**
 * Python 3.11 at most: Python 3.12 removed distutils (needed to build pycryptodome 3.6.6) and
 * `imp` (imported by future 0.16). VALIDATOR_PYTHON chooses the interpreter.
 */
function findPython(): string {
  const candidates = process.env.VALIDATOR_PYTHON
    ? [process.env.VALIDATOR_PYTHON]
    : ['python3', 'python3.11'];
  const seen: string[] = [];
  for (const cmd of candidates) {
    const v = pythonVersion(cmd);
    if (!v) continue;
    seen.push(`${cmd} is ${v.join('.')}`);
    if (v[0] === 3 && v[1] >= 8 && v[1] <= 11) return cmd;
  }
  throw new ValidatorUnavailableError(
    seen.length
      ? `The reference validator needs Python 3.8–3.11 (${seen.join(', ')}).`
      : 'The reference validator needs Python 3 (3.8–3.11) with venv, and python3 was not found.',
    seen.length
      ? 'apt-get install -y python3.11 python3.11-venv   # or set VALIDATOR_PYTHON to a Python 3.11'
      : 'apt-get install -y python3 python3-venv',
  );
}

function run(
  cmd: string,
  args: string[],
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(out);
      for (const line of (out + err).trim().split('\n').slice(-30)) log(`  ${line}`);
      reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}`));
    });
  });
}

export interface EnsureValidatorOptions {
  log?: (line: string) => void;
}

/** Returns the venv's python, installing the validator first if needed. */
export async function ensureReferenceValidator(
  options: EnsureValidatorOptions = {},
): Promise<string> {
  const log = options.log ?? (() => {});
  if (isReferenceValidatorInstalled()) return validatorPython;

  const python = findPython();
  const venvCheck = spawnSync(python, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (venvCheck.status !== 0) {
    throw new ValidatorUnavailableError(
      `${python} has no venv/ensurepip module, needed for the reference validator's virtualenv.`,
      'apt-get install -y python3-venv',
    );
  }

  const started = Date.now();
  const step = async (what: string, fn: () => Promise<unknown>) => {
    const t = Date.now();
    log(`validator: ${what}…`);
    await fn();
    log(`validator: ${what} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const pip = path.join(validatorVenv, 'bin', 'pip');
  // Never reuse pip's wheel cache: it may hold a pycryptodome 3.6.6 wheel built without 2to3.
  const quiet = ['--no-cache-dir', '--disable-pip-version-check', '--no-input'];
  const [buildPins, pins] = pinFiles as [string, string];

  log(`validator: installing openbadges 1.1.2 in ${path.relative(projectRoot, validatorVenv)}`);
  fs.rmSync(validatorVenv, { recursive: true, force: true });
  await step(`virtualenv with ${python}`, () => run(python, ['-m', 'venv', validatorVenv], log));
  await step('build tools (build-requirements.txt)', () =>
    run(pip, ['install', ...quiet, '-r', buildPins], log),
  );
  await step('pinned packages (requirements.txt; pycryptodome builds from source)', () =>
    run(pip, ['install', ...quiet, '--no-deps', '--no-build-isolation', '-r', pins], log, {
      ...process.env,
      // pycryptodome 3.6.6's setup.py converts its Python 2 source with distutils'
      // build_py_2to3, which only the standard library's distutils still has.
      SETUPTOOLS_USE_DISTUTILS: 'stdlib',
    }),
  );
  // --no-deps above: pip check proves every package's own requirements are still met.
  await step('pip check', () => run(pip, ['check'], log));
  await step('offline self-check', () =>
    run(validatorPython, [validatorWrapper, '--self-check'], log),
  );
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(
    stampFile,
    JSON.stringify({ key: installKey(), installedAt: new Date().toISOString(), seconds }, null, 2),
  );
  log(`validator: installed in ${seconds.toFixed(1)} s`);
  return validatorPython;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const t = performance.now();
    const python = await ensureReferenceValidator({ log: say });
    say(`ready: ${python} (${(performance.now() - t).toFixed(0)} ms)`);
  } catch (err) {
    if (!(err instanceof ValidatorUnavailableError)) throw err;
    say(err.message);
    say(`Run: ${err.command}`);
    process.exit(1);
  }
}
