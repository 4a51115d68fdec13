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

// Connections with a wake-up ping in flight (see databaseUp).
const waking = new WeakSet<Connection>();
const downSince = new WeakMap<Connection, number>();
const RECONNECT_AFTER_MS = 8000;

/**
 * Whether the connection is up, without waiting. When it is down, a ping is sent in the
 * background (one at a time): its server selection asks the driver's monitor to check the
 * server now. Pages fail fast while the database is away, so without it nothing but the
 * monitor's own schedule would notice its return — and after a SIGKILL of the server that
 * schedule was seen to stall for more than 20 s (tests/integration/faults).
 */
export function databaseUp(conn: Connection): boolean {
  if (conn.readyState === 1) {
    downSince.delete(conn);
    return true;
  }
  const client = conn.readyState === 0 ? conn.getClient() : undefined;
  if (!client || waking.has(conn)) return false;
  waking.add(conn);
  const since = downSince.get(conn) ?? Date.now();
  downSince.set(conn, since);
  // Still down after a while although the server may be back: the driver's monitor can be
  // stuck on a socket the crash cut mid-check (seen with FerretDB SIGKILLed during a
  // write). Closing and connecting the client again starts a new monitor.
  const wake =
    Date.now() - since > RECONNECT_AFTER_MS
      ? client
          .close(true)
          .then(() => client.connect())
          .finally(() => downSince.set(conn, Date.now()))
      : client.db('admin').command({ ping: 1 });
  wake.catch(() => {}).finally(() => waking.delete(conn));
  return false;
}

/** True when the database answers a ping within `timeoutMs`. */
export async function pingDatabase(conn: Connection, timeoutMs = 2000): Promise<boolean> {
  if (!databaseUp(conn) || !conn.db) return false;
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
