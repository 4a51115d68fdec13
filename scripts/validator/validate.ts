/**
 * `npm run validate -- <input> [--recipient EMAIL] [--file PATH] [--full] [--unpatched]`:
 * runs the 1EdTech reference validator on an assertion URL, JSON, JWS or baked PNG/SVG and
 * prints its JSON report (installing the validator first if needed). Exit 0 valid, 1 not valid.
 */
import { spawnSync } from 'node:child_process';
import {
  ensureReferenceValidator,
  validatorWrapper,
  ValidatorUnavailableError,
} from './install-validator.js';

const say = (line: string) => process.stderr.write(`${line}\n`);

try {
  const python = await ensureReferenceValidator({ log: say });
  const run = spawnSync(python, [validatorWrapper, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 2);
} catch (err) {
  if (!(err instanceof ValidatorUnavailableError)) throw err;
  say(err.message);
  say(`Run: ${err.command}`);
  process.exit(2);
}
