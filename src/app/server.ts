import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { loadMasterKey, MasterKeyError, type MasterKey } from '../components/keys/master-key.js';
import { ensureInstance } from '../components/platform/platform.use-case.js';
import { platformRepository } from '../components/platform/platform.repository.js';
import { ConfigError, loadConfig, type Config } from '../libraries/config/config.js';
import type { Connection } from '../libraries/db/connection.js';
import type { EmbeddedFerretdb } from '../libraries/db/embedded-ferretdb.js';
import { FerretdbUnavailableError } from '../libraries/db/ferretdb-binary.js';
import { ensureIndexes } from '../libraries/db/indexes.js';
import { recipientSlots } from '../components/awards/recipient-slots.js';
import { startDatabase } from '../libraries/db/start-database.js';
import { createLogger } from '../libraries/logger/logger.js';
import { projectRoot } from '../libraries/paths.js';
import { createApp } from './app.js';

function softwareVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Progress lines for people at a terminal: plain stderr, not JSON logs. */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });

  // Before the database: a production start without its master key stops here, clearly.
  let masterKey: MasterKey;
  try {
    masterKey = loadMasterKey({
      value: config.MASTER_KEY,
      file: config.MASTER_KEY_FILE,
      dataDir: config.dataDir,
      production: config.isProduction,
    });
  } catch (err) {
    if (err instanceof MasterKeyError) {
      say(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  let db: Connection;
  let embedded: EmbeddedFerretdb | undefined;
  try {
    ({ db, embedded } = await startDatabase(config, logger, say));
  } catch (err) {
    if (err instanceof FerretdbUnavailableError) {
      say(`${err.message}\n${err.hint}`);
    } else {
      say(`Cannot start: ${(err as Error).message}`);
    }
    process.exit(1);
  }

  let server: Server | undefined;
  let housekeeping: NodeJS.Timeout | undefined;
  let closeMailer = () => {};
  let closeVerification = async () => {};
  let stopBulk = async () => {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal} received: stopping…`);
    const force = setTimeout(() => {
      say('Forced exit after 10 s.');
      process.exit(1);
    }, 10000);
    force.unref();
    clearInterval(housekeeping);
    // The batch being issued ends; the run resumes at the next start.
    await stopBulk().catch(() => {});
    closeMailer();
    await closeVerification().catch(() => {});
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    await db.close().catch(() => {});
    if (embedded) {
      await embedded.stop();
      say('Embedded database stopped.');
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const app = createApp({ config, logger, db, masterKey });
    // Models are registered by createApp; their unique indexes must exist before any write.
    await ensureIndexes(db);
    await ensureInstance(platformRepository(db), {
      now: new Date(),
      softwareVersion: softwareVersion(),
    });
    closeMailer = () => app.mailer.close();
    closeVerification = () => app.services.close();
    stopBulk = () => app.services.bulk.stop();
    // Expired sessions are removed by us (no TTL index on FerretDB), with an acknowledged write.
    const runHousekeeping = () =>
      app.housekeeping().then(
        (removed) => logger.debug(removed, 'housekeeping done'),
        (err: unknown) => logger.warn({ err: (err as Error).message }, 'housekeeping failed'),
      );
    await runHousekeeping();
    housekeeping = setInterval(
      () => void runHousekeeping(),
      config.SESSION_CLEANUP_MINUTES * 60_000,
    );
    housekeeping.unref();
    server = app.listen(config.PORT, config.HOST);
    await new Promise<void>((resolve, reject) => {
      server!.once('listening', resolve);
      server!.once('error', reject);
    });
    // Awards stored before recipient slots existed get theirs, once, while the app serves
    // (until then a person's awards are found the slow way: recipient-slots.ts).
    void recipientSlots(db)
      .backfill()
      .then(
        (done) => done && logger.info(done, 'awards reachable from their recipient address'),
        (err: unknown) =>
          logger.warn(
            { err: (err as Error).message },
            'recipient slots: backfill failed, next start retries',
          ),
      );
    // CSV runs a stopped (or killed) server left unfinished go on from their last batch.
    const resumed = await app.services.bulk.resumeAll();
    if (resumed > 0) say(`Resuming ${resumed} badge issuing run(s) from CSV files.`);
  } catch (err) {
    say(`Cannot start: ${(err as Error).message}`);
    await db.close().catch(() => {});
    await embedded?.stop();
    process.exit(1);
  }
  say(
    `Coop Badges is running at ${config.PUBLIC_URL} (listening on ${config.HOST}:${config.PORT}). Ctrl-C to stop.`,
  );
}

void main();
