import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger/logger.js';
import { connectDatabase, redactUri, type Connection } from './connection.js';
import { startFerretdb, type EmbeddedFerretdb } from './embedded-ferretdb.js';
import { ensureFerretdbBinary } from './ferretdb-binary.js';

export const DB_NAME = 'coopbadges';

/**
 * MONGODB_URI when set; otherwise an embedded FerretDB with its data under $DATA_DIR/ferretdb.
 * Used by the server and by the admin CLI.
 */
export async function startDatabase(
  config: Config,
  logger: Logger,
  say: (line: string) => void,
): Promise<{ db: Connection; embedded?: EmbeddedFerretdb }> {
  if (config.MONGODB_URI) {
    logger.info({ uri: redactUri(config.MONGODB_URI) }, 'using the database at MONGODB_URI');
    const db = await connectDatabase({
      uri: config.MONGODB_URI,
      attempts: config.DB_CONNECT_ATTEMPTS,
      intervalMs: config.DB_CONNECT_INTERVAL_MS,
      logger,
    });
    return { db };
  }
  const binary = await ensureFerretdbBinary({
    cacheDir: config.ferretdbCacheDir,
    binary: config.FERRETDB_BIN,
    log: say,
  });
  const dataDir = path.join(config.dataDir, 'ferretdb');
  const embedded = await startFerretdb({ binary, dataDir });
  say(`Embedded database: FerretDB on ${embedded.uri}, data in ${dataDir}`);
  try {
    const db = await connectDatabase({
      uri: embedded.uri,
      dbName: DB_NAME,
      attempts: config.DB_CONNECT_ATTEMPTS,
      intervalMs: config.DB_CONNECT_INTERVAL_MS,
      logger,
    });
    return { db, embedded };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
