import { recipientSlots } from '../../src/components/awards/recipient-slots.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/libraries/config/config.js';
import { connectDatabase, type Connection } from '../../src/libraries/db/connection.js';
import { ensureIndexes } from '../../src/libraries/db/indexes.js';
import { createLogger } from '../../src/libraries/logger/logger.js';
import { createApp, type AppDeps, type CoopApp } from '../../src/app/app.js';

/** Everything the app logged during a test, as raw JSON lines (to search for secrets). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  app: CoopApp;
  db: Connection;
  config: Config;
  logs: LogCapture;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: () => Date;
  /** Use this database instead of a fresh one (e.g. to reopen after a restart). */
  dbName?: string;
  uri?: string;
  /** Our own badges' document source for verification (see AppDeps.ownBadges). */
  ownBadges?: AppDeps['ownBadges'];
  /** DNS of the verification fetcher. */
  dnsLookup?: AppDeps['dnsLookup'];
}

export function testDatabaseUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri)
    throw new Error(
      'TEST_MONGODB_URI is not set: run the tests with `npm test` (global setup starts FerretDB).',
    );
  return uri;
}

/** The real app on a real FerretDB, with its own database and data directory. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dbName = options.dbName ?? `t_${randomBytes(6).toString('hex')}`;
  const db = await connectDatabase({
    uri: options.uri ?? testDatabaseUri(),
    dbName,
    attempts: 5,
    intervalMs: 200,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-test-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    // Signed in the test's own thread (each signing thread loads the whole signing stack):
    // the threads are exercised by the bulk issuing tests and the kill-and-resume server.
    SIGNING_THREADS: '0',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://127.0.0.1:3999',
    ...options.env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: config.LOG_LEVEL }, logs);
  const app = createApp({
    config,
    logger,
    db,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.ownBadges ? { ownBadges: options.ownBadges } : {}),
    ...(options.dnsLookup ? { dnsLookup: options.dnsLookup } : {}),
  });
  await ensureIndexes(db);
  // As the server does at start (an empty database: the marker only).
  await recipientSlots(db).backfill();
  return {
    app,
    db,
    config,
    logs,
    dataDir,
    async close() {
      await app.services.close();
      if (!options.dbName) await db.dropDatabase().catch(() => {});
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Serves the app on a loopback port whose URL is also its PUBLIC_URL (for browsers and validators). */
export async function startTestServer(
  options: TestAppOptions = {},
): Promise<TestApp & { url: string; server: Server }> {
  const { freeLoopbackPort } = await import('../../src/libraries/db/embedded-ferretdb.js');
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const testApp = await createTestApp({
    ...options,
    env: { PUBLIC_URL: url, PORT: String(port), ...options.env },
  });
  const server = testApp.app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    ...testApp,
    url: `http://127.0.0.1:${address.port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testApp.close();
    },
  };
}
