/**
 * `npm run conformance`: starts the app on loopback with a temporary FerretDB and data
 * directory, issues real badges and runs every conformance check of issues 4 and 5 (see
 * scripts/conformance/checks.ts). Prints the table, then exactly one line
 * `conformance: N passed, M failed`; exits 1 when M > 0. Nothing is left behind.
 *
 * Needs what `npm run test:prepare` installs (FerretDB binary, reference validator).
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatConformance, runConformance } from './conformance/checks.js';
import { startStack } from './lib/stack.js';
import { ensureReferenceValidator } from './validator/install-validator.js';

const say = (line: string) => process.stderr.write(`[conformance] ${line}\n`);

async function main(): Promise<number> {
  await ensureReferenceValidator({ log: say });
  // One origin for every id, and the same host the validator is given (never localhost).
  let offset = 0;
  const stack = await startStack({
    name: 'conformance',
    clock: () => new Date(Date.now() + offset),
    log: say,
  });
  try {
    const images = path.join(stack.work, 'images');
    fs.mkdirSync(images);
    const rows = await runConformance({
      app: stack.app,
      setClockOffset: (ms) => (offset = ms),
      tmpDir: images,
      log: say,
    });
    process.stdout.write(`${formatConformance(rows)}\n`);
    return rows.every((r) => r.passed) ? 0 : 1;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`could not run: ${(error as Error).stack ?? String(error)}`);
    process.stdout.write('conformance: 0 passed, 1 failed\n');
    process.exit(1);
  },
);
