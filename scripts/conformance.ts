/**
 * `npm run conformance`: starts the app on loopback with a temporary FerretDB and data
 * directory, issues real badges and runs every conformance check of issues 4 and 5 (see
 * scripts/conformance/checks.ts). Prints the table, then exactly one line
 * `conformance: N passed, M failed`; exits 1 when M > 0. Nothing is left behind.
 *
 * Needs what `npm run test:prepare` installs (FerretDB binary, reference validator).
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/libraries/config/config.js';
import { connectDatabase } from '../src/libraries/db/connection.js';
import { freeLoopbackPort, startFerretdb } from '../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../src/libraries/db/ferretdb-binary.js';
import { ensureIndexes } from '../src/libraries/db/indexes.js';
import { createLogger } from '../src/libraries/logger/logger.js';
import { projectRoot } from '../src/libraries/paths.js';
import { createApp } from '../src/web/app.js';
import { formatConformance, runConformance } from './conformance/checks.js';
import { ensureReferenceValidator } from './validator/install-validator.js';

const say = (line: string) => process.stderr.write(`[conformance] ${line}\n`);

async function main(): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-conformance-'));
  const cleanups: (() => Promise<void> | void)[] = [
    () => fs.rmSync(work, { recursive: true, force: true }),
  ];
  try {
    await ensureReferenceValidator({ log: say });
    const binary = await ensureFerretdbBinary({
      cacheDir: path.resolve(projectRoot, '.cache/ferretdb'),
      log: say,
    });
    const ferret = await startFerretdb({ binary, dataDir: path.join(work, 'ferretdb') });
    cleanups.unshift(() => ferret.stop());
    const db = await connectDatabase({
      uri: ferret.uri,
      dbName: 'conformance',
      attempts: 20,
      intervalMs: 200,
    });
    cleanups.unshift(() => db.close());

    // One origin for every id, and the same host the validator is given (never localhost).
    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(work, 'data'),
      PUBLIC_URL: url,
      PORT: String(port),
    });
    let offset = 0;
    const app = createApp({
      config,
      logger: createLogger({ level: 'warn' }, process.stderr),
      db,
      clock: () => new Date(Date.now() + offset),
    });
    await ensureIndexes(db);
    const server: Server = app.listen(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    cleanups.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    say(`app on ${url}, FerretDB on ${ferret.uri}`);
    fs.mkdirSync(path.join(work, 'images'));
    const rows = await runConformance({
      app,
      setClockOffset: (ms) => (offset = ms),
      tmpDir: path.join(work, 'images'),
      log: say,
    });
    process.stdout.write(`${formatConformance(rows)}\n`);
    return rows.every((r) => r.passed) ? 0 : 1;
  } finally {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
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
