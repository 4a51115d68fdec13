import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Connection } from 'mongoose';
import type { Config } from '../../libraries/config/config.js';
import { databaseUp } from '../../libraries/db/connection.js';
import { ServiceUnavailableError } from '../../libraries/errors/app-error.js';

/** What we keep in a session besides passport's user id (times in ms since the epoch). */
export interface SessionMeta {
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  ip: string;
}

export interface Flash {
  kind: 'ok' | 'warn';
  key: string;
  params?: Record<string, string | number>;
}

declare module 'express-session' {
  interface SessionData {
    passport?: { user?: string };
    meta?: SessionMeta;
    flash?: Flash[];
  }
}

export const SESSION_COOKIE = 'coop.sid';
export const SESSIONS_COLLECTION = 'sessions';

/**
 * connect-mongo on the app's own connection, with expiry cleanup done by us (no TTL index on
 * FerretDB). `get` is narrowed to an exact `{_id}` read: FerretDB only pushes that filter down
 * to SQLite, and connect-mongo's own query would scan every session on every request.
 */
class CoopSessionStore extends MongoStore {
  /** Set by sessionMiddleware: the app's connection, to fail fast while it is down. */
  db?: Connection;
  /** Sessions read from the store in this process (the others were never written). */
  private readonly loaded = new WeakSet<object>();
  /** A session object's last write: a touch or a same-content save right after is redundant. */
  private readonly saved = new WeakMap<object, { sid: string; content: string; at: number }>();
  private readonly touchAfterMs: number;
  /** Set on the store by express-session: a new session and id on `req`. */
  declare generate: (req: Parameters<MongoStore['regenerate']>[0]) => void;

  constructor(options: ConstructorParameters<typeof MongoStore>[0] & { touchAfter: number }) {
    super(options);
    this.touchAfterMs = options.touchAfter * 1000;
  }

  override createSession(
    req: Parameters<MongoStore['createSession']>[0],
    data: session.SessionData,
  ): ReturnType<MongoStore['createSession']> {
    const created = super.createSession(req, data);
    this.loaded.add(created);
    return created;
  }

  /**
   * A fresh id for a session never read from the store (a visitor signing in) needs no delete
   * first: nothing is stored under its id. A stored one is deleted, as express-session does.
   */
  override regenerate(
    req: Parameters<MongoStore['regenerate']>[0],
    callback: (err?: unknown) => void,
  ): void {
    if (req.session && !this.loaded.has(req.session)) {
      this.generate(req);
      setImmediate(() => callback());
      return;
    }
    super.regenerate(req, callback);
  }

  /**
   * Writes a session, unless this very session was written moments ago with the same content
   * (a sign-in saves before its redirect, then express-session saves again at the end as the
   * id changed). The store is given a copy: connect-mongo deletes `lastModified` from what it
   * writes, and express-session would take that change for a new one and write again.
   */
  override set(
    sid: string,
    sess: session.SessionData,
    callback: (err: unknown) => void = () => {},
  ): void {
    const content = JSON.stringify({ ...sess, cookie: undefined, lastModified: undefined });
    const last = this.saved.get(sess);
    if (
      last &&
      last.sid === sid &&
      last.content === content &&
      Date.now() - last.at < this.touchAfterMs
    ) {
      setImmediate(() => callback(null));
      return;
    }
    super.set(sid, { ...sess }, (err: unknown) => {
      if (!err) this.saved.set(sess, { sid, content, at: Date.now() });
      callback(err);
    });
  }

  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    // The database is known to be away: answer 503 at once rather than after the driver's
    // server selection timeout (every signed-in request reads its session first).
    if (this.db && !databaseUp(this.db)) {
      const err = new ServiceUnavailableError({ messageKey: 'errors.database_unavailable' });
      setImmediate(() => callback(err));
      return;
    }
    (async () => {
      const collection = await this.collectionP;
      const doc = await collection.findOne({ _id: sid });
      if (!doc || (doc.expires && doc.expires.getTime() <= Date.now())) return null;
      const data = doc.session as session.SessionData & { lastModified?: Date };
      if (doc.lastModified) data.lastModified = doc.lastModified;
      return data;
    })().then(
      (s) => callback(null, s),
      (err: unknown) => callback(err),
    );
  }

  /** Touching only delays expiry: skipped while the database is away (no 3 s wait). */
  override touch(
    sid: string,
    sess: session.SessionData & { lastModified?: Date },
    callback: (err: unknown) => void = () => {},
  ): void {
    if (this.db && !databaseUp(this.db)) {
      setImmediate(() => callback(null));
      return;
    }
    // Written moments ago in this request (a sign-in, a flash message): expiry is already new.
    // connect-mongo itself cannot tell, as its write drops lastModified from the session.
    if (Date.now() - (this.saved.get(sess)?.at ?? 0) < this.touchAfterMs) {
      setImmediate(() => callback(null));
      return;
    }
    super.touch(sid, sess, callback);
  }

  /**
   * express-session (unset: 'destroy') also destroys, at the end of the response, a session
   * it could not load: while the database is away there is nothing to destroy, and an error
   * here would reach the error handler after the 503 page was sent.
   */
  override destroy(sid: string, callback: (err: unknown) => void = () => {}): void {
    if (this.db && !databaseUp(this.db)) {
      setImmediate(() => callback(null));
      return;
    }
    super.destroy(sid, callback);
  }
}

export function sessionMiddleware(deps: {
  config: Config;
  db: Connection;
  secrets: string[];
  secureCookies: boolean;
}): RequestHandler {
  const { config, db } = deps;
  const store = new CoopSessionStore({
    // mongoose bundles its own copy of the driver; connect-mongo only calls db().collection().
    client: db.getClient() as unknown as ConstructorParameters<typeof MongoStore>[0]['client'],
    dbName: db.name,
    collectionName: SESSIONS_COLLECTION,
    autoRemove: 'disabled',
    // Stored as an object so the account page can list a person's sessions.
    stringify: false,
    // At most one write per minute for an unchanged session.
    touchAfter: 60,
  });
  store.db = db;
  return session({
    name: SESSION_COOKIE,
    secret: deps.secrets,
    store,
    resave: false,
    // Anonymous visitors get no session (and no database write).
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    // Behind the TLS proxy that an https PUBLIC_URL implies, trust its X-Forwarded-Proto for
    // the Secure cookie even when TRUST_PROXY is not set (otherwise no cookie, no sign-in).
    ...(deps.secureCookies ? { proxy: true } : {}),
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/',
      maxAge: config.SESSION_IDLE_DAYS * 24 * 3600 * 1000,
    },
  });
}

interface StoredSession {
  _id: string;
  expires?: Date;
  session?: { passport?: { user?: string }; meta?: SessionMeta };
}

export interface ActiveSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string;
  ip: string;
}

/**
 * Reads and removes stored sessions (account page, password change, housekeeping). Session
 * expiry follows the real clock, as the cookie and express-session do (not the injected one).
 */
export function sessionAdmin(db: Connection) {
  const collection = () => db.collection<StoredSession>(SESSIONS_COLLECTION);
  return {
    async listForUser(userId: string, now = new Date()): Promise<ActiveSession[]> {
      const rows = await collection()
        .find({ 'session.passport.user': userId, expires: { $gt: now } })
        .limit(100)
        .toArray();
      return rows
        .map((r) => ({
          id: r._id,
          createdAt: new Date(r.session?.meta?.createdAt ?? 0),
          lastSeenAt: new Date(r.session?.meta?.lastSeenAt ?? 0),
          userAgent: r.session?.meta?.userAgent ?? '',
          ip: r.session?.meta?.ip ?? '',
        }))
        .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
    },
    /** Signs a person out everywhere (or everywhere but `exceptId`). */
    async destroyForUser(userId: string, exceptId?: string): Promise<number> {
      const filter: Record<string, unknown> = { 'session.passport.user': userId };
      if (exceptId) filter._id = { $ne: exceptId };
      const res = await collection().deleteMany(filter);
      return res.deletedCount;
    },
    /** Acknowledged removal of expired sessions; run periodically by the server. */
    async cleanupExpired(now = new Date()): Promise<number> {
      const res = await collection().deleteMany({ expires: { $lt: now } });
      return res.deletedCount;
    },
  };
}
export type SessionAdmin = ReturnType<typeof sessionAdmin>;

/** "Firefox sur Android": enough for a person to recognise a device, nothing more. */
export function describeUserAgent(ua: string): { browser: string; system: string } {
  const browser = /SamsungBrowser/.test(ua)
    ? 'Samsung Internet'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /OPR\/|Opera/.test(ua)
        ? 'Opera'
        : /Firefox\//.test(ua)
          ? 'Firefox'
          : /Chrome\/|Chromium\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : '';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : '';
  return { browser, system };
}
