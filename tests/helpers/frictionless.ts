/**
 * Runs the Frictionless reference validator (`frictionless validate`, installed by
 * `npm run test:prepare` in .cache/frictionless/venv) on a CSV file against a Table Schema.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  frictionlessBin,
  isFrictionlessInstalled,
} from '../../scripts/frictionless/install-frictionless.js';

export interface FrictionlessResult {
  valid: boolean;
  /** Error types and messages of the first task (e.g. "constraint-error: …"). */
  errors: string[];
  /** The validator's JSON report, as printed. */
  report: unknown;
}

/** Both files must be in the same directory (or the schema below it). */
export function frictionlessValidate(
  csvPath: string,
  schemaPath: string,
): Promise<FrictionlessResult> {
  if (!isFrictionlessInstalled()) {
    return Promise.reject(
      new Error('frictionless is not installed: run `npm run test:prepare` (or npm test) first'),
    );
  }
  return new Promise((resolve, reject) => {
    // Frictionless only reads data under its working directory ("path is not safe" otherwise).
    const dir = path.dirname(csvPath);
    const args = ['validate', '--json', '--schema', path.relative(dir, schemaPath)];
    const child = spawn(frictionlessBin, [...args, path.basename(csvPath)], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const report = JSON.parse(out) as {
          valid: boolean;
          tasks: { errors: { type: string; message: string }[] }[];
        };
        resolve({
          valid: report.valid,
          errors: report.tasks.flatMap((t) => t.errors.map((e) => `${e.type}: ${e.message}`)),
          report,
        });
      } catch {
        reject(new Error(`frictionless gave no JSON report: ${out}${err}`));
      }
    });
  });
}
