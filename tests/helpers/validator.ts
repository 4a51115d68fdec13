/**
 * Runs the 1EdTech reference validator (openbadges-validator-core 1.1.2, installed by
 * `npm run test:prepare` in .cache/validator/venv) through scripts/validator/run_validator.py.
 * It fetches what the badge points to (our app on http://127.0.0.1:<port> in tests) and never
 * the internet: the OB v2 context is served from resources/contexts/.
 */
import { spawn } from 'node:child_process';
import {
  isReferenceValidatorInstalled,
  validatorPython,
  validatorWrapper,
} from '../../scripts/validator/install-validator.js';

export interface ReferenceValidatorMessage {
  /** ERROR, WARNING or INFO (a copy of messageLevel). */
  level: string;
  messageLevel?: string;
  /** The validator's task name, e.g. VERIFY_JWS, VERIFY_SIGNED_ASSERTION_NOT_REVOKED. */
  name?: string;
  /** The validator's sentence, e.g. "Signature for node … failed verification :: …". */
  result?: string;
  success?: boolean;
  node_id?: string;
  prop_name?: string;
}

/** One task the validator queued; `complete: false` means it never ran (unmet prerequisite). */
export interface ReferenceValidatorTask {
  name: string;
  complete: boolean;
  success?: boolean;
  result?: string;
  node_id?: string;
  prop_name?: string;
}

export interface ReferenceValidatorReport {
  valid: boolean;
  errorCount: number;
  warningCount: number;
  messages: ReferenceValidatorMessage[];
  /**
   * Every task, run or not (added by the wrapper): its report lists only failures, so check
   * here that a task you rely on (VERIFY_JWS, …) really ran and passed.
   */
  tasks: ReferenceValidatorTask[];
  /** "2.0" for an OB 2.0 badge. */
  openBadgesVersion?: string | null;
  /** The id of the assertion it validated. */
  validationSubject?: string | null;
  /** "url", "json", "jws" or "file". */
  inputType?: string | null;
}

export interface ReferenceValidatorOptions {
  /** Email the badge must be issued to (the validator checks the hashed identity). */
  recipient?: string;
  /**
   * Run validator 1.1.2 exactly as published, without the wrapper's one fix (a signed assertion
   * revoked in a one-entry revocation list is then reported valid). Default false.
   */
  unpatched?: boolean;
  /** Kill the validator after this long (default 60 s). */
  timeoutMs?: number;
}

export class ReferenceValidatorError extends Error {
  override name = 'ReferenceValidatorError';
}

/**
 * Validates an assertion URL, assertion JSON or compact JWS (a string, sent on stdin so a long
 * JWS is fine), or a baked PNG/SVG (`{ file }`). An invalid badge resolves with `valid: false`;
 * the promise rejects only when the validator could not run.
 */
export function runReferenceValidator(
  input: string | { file: string },
  options: ReferenceValidatorOptions = {},
): Promise<ReferenceValidatorReport> {
  if (!isReferenceValidatorInstalled()) {
    return Promise.reject(
      new ReferenceValidatorError(
        'The reference validator is not installed (or its pins changed): run `npm run test:prepare`.',
      ),
    );
  }
  const args = [validatorWrapper];
  if (options.recipient) args.push('--recipient', options.recipient);
  if (options.unpatched) args.push('--unpatched');
  args.push(...(typeof input === 'string' ? ['-'] : ['--file', input.file]));
  const timeoutMs = options.timeoutMs ?? 60_000;

  return new Promise((resolve, reject) => {
    const child = spawn(validatorPython, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new ReferenceValidatorError(`The reference validator timed out after ${timeoutMs} ms.`),
      );
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ReferenceValidatorError(`Could not start ${validatorPython}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // 0 = valid, 1 = not valid (both print a report); anything else is a crash.
      if (code !== 0 && code !== 1) {
        return reject(
          new ReferenceValidatorError(
            `The reference validator exited with ${code}:\n${err.slice(-4000) || out}`,
          ),
        );
      }
      try {
        resolve(JSON.parse(out) as ReferenceValidatorReport);
      } catch {
        reject(new ReferenceValidatorError(`Unreadable validator output:\n${out}\n${err}`));
      }
    });
    child.stdin.end(typeof input === 'string' ? input : '');
  });
}
