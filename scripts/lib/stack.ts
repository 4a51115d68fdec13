/**
 * The whole stack for scripts and benchmarks: an embedded FerretDB and a data directory in a
 * temporary folder, the app built on them and served on a loopback port whose URL is its
 * PUBLIC_URL (so ids, the validator and load clients all use the same origin). `close()` stops
 * everything and removes the folder. Only loopback is ever used.
 */
import { recipientSlots } from '../../src/components/awards/recipient-slots.js';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/libraries/config/config.js';
import { connectDatabase, type Connection } from '../../src/libraries/db/connection.js';
import { freeLoopbackPort, startFerretdb } from '../../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../../src/libraries/db/ferretdb-binary.js';
import { ensureIndexes } from '../../src/libraries/db/indexes.js';
import { createLogger, type Logger } from '../../src/libraries/logger/logger.js';
import { projectRoot } from '../../src/libraries/paths.js';
import { createApp, type CoopApp } from '../../src/app/app.js';

export interface StackOptions {
  /** Names the temporary folder and the database. */
  name: string;
  /** Settings on top of the defaults (NODE_ENV=test, LOG_LEVEL=warn, loopback PUBLIC_URL). */
  env?: Record<string, string>;
  clock?: () => Date;
  /** Progress lines (FerretDB download, addresses). */
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  app: CoopApp;
  db: Connection;
  config: Config;
  logger: Logger;
  /** The temporary folder (removed by `close()`), for a script's own files. */
  work: string;
  /** The embedded FerretDB's process (benchmarks read its CPU time). */
  databasePid: number | undefined;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `coopbadges-${options.name}-`));
  // Undone in reverse order, also when a later step fails.
  const cleanups: (() => Promise<unknown> | void)[] = [
    () => fs.rmSync(work, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const binary = await ensureFerretdbBinary({
      cacheDir: path.resolve(projectRoot, '.cache/ferretdb'),
      ...(options.log ? { log: options.log } : {}),
    });
    const ferret = await startFerretdb({ binary, dataDir: path.join(work, 'ferretdb') });
    cleanups.unshift(() => ferret.stop());
    const db = await connectDatabase({
      uri: ferret.uri,
      dbName: options.name,
      attempts: 20,
      intervalMs: 200,
    });
    cleanups.unshift(() => db.close());

    const port = await freeLoopbackPort();
    const url = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(work, 'data'),
      PUBLIC_URL: url,
      PORT: String(port),
      ...options.env,
    });
    const logger = createLogger({ level: config.LOG_LEVEL }, process.stderr);
    const app = createApp({
      config,
      logger,
      db,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    cleanups.unshift(() => app.mailer.close());
    cleanups.unshift(() => app.services.close());
    await ensureIndexes(db);
    await recipientSlots(db).backfill();
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
    options.log?.(`app on ${url}, FerretDB on ${ferret.uri}`);
    return { url, app, db, config, logger, work, databasePid: ferret.pid, close };
  } catch (error) {
    await close();
    throw error;
  }
}
