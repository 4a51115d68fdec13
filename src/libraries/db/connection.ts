import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger/logger.js';

export type { Connection };

export interface ConnectOptions {
  uri: string;
  /** Database name, when the URI has none. */
  dbName?: string;
  attempts: number;
  intervalMs: number;
  logger?: Logger;
}

// Queries fail at once while the database is away (instead of queueing for 10 s), so pages
// answer 503 quickly; the driver keeps monitoring the server and reconnects by itself.
mongoose.set('bufferCommands', false);
// Mongoose would otherwise create indexes in the background, out of any request; we create
// them explicitly at start (see ensureIndexes) so failures are seen.
mongoose.set('autoIndex', false);
mongoose.set('autoCreate', false);

const driverOptions = {
  serverSelectionTimeoutMS: 3000,
  heartbeatFrequencyMS: 2000,
  connectTimeoutMS: 3000,
  socketTimeoutMS: 30000,
  maxPoolSize: 20,
};

/** Opens a mongoose connection, retrying the first connection `attempts` times. */
export async function connectDatabase(options: ConnectOptions): Promise<Connection> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const conn = mongoose.createConnection(options.uri, {
      ...driverOptions,
      ...(options.dbName ? { dbName: options.dbName } : {}),
    });
    try {
      await conn.asPromise();
      await conn.db!.admin().command({ ping: 1 });
      if (attempt > 1) options.logger?.info({ attempt }, 'database connection established');
      return conn;
    } catch (err) {
      lastError = err;
      await conn.close(true).catch(() => {});
      options.logger?.warn(
        { attempt, attempts: options.attempts, err: (err as Error).message },
        'database not reachable yet',
      );
      if (attempt < options.attempts) await new Promise((r) => setTimeout(r, options.intervalMs));
    }
  }
  throw new Error(
    `Could not connect to the database at ${redactUri(options.uri)} after ${options.attempts} attempts: ${
      (lastError as Error)?.message ?? lastError
    }`,
  );
}

/** True when the database answers a ping within `timeoutMs`. */
export async function pingDatabase(conn: Connection, timeoutMs = 2000): Promise<boolean> {
  if (conn.readyState !== 1 || !conn.db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = conn.db.admin().command({ ping: 1 });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ping timeout')), timeoutMs);
    });
    const res = await Promise.race([ping, timeout]);
    return res?.ok === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]+)@/, '//***@');
}
