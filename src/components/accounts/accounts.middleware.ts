import type { Request, RequestHandler } from 'express';
import type { Config } from '../../libraries/config/config.js';
import { isLanguage } from '../../libraries/i18n/i18n.js';
import type { AccountsUseCases } from './accounts.use-case.js';
import type { Flash, SessionMeta } from './session.js';

const LAST_SEEN_EVERY_MS = 5 * 60_000;

export function sessionMetaFor(req: Request, now: number): SessionMeta {
  return {
    createdAt: now,
    lastSeenAt: now,
    userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
    ip: req.ip ?? '',
  };
}

/**
 * Keeps the session's "last seen" (for the account page, at most one write every 5 minutes)
 * and ends sessions older than SESSION_MAX_DAYS whatever their activity.
 */
export function sessionUpkeep(deps: { config: Config; clock: () => Date }): RequestHandler {
  const maxAgeMs = deps.config.SESSION_MAX_DAYS * 24 * 3600_000;
  return (req, _res, next) => {
    if (!req.user || !req.session) return next();
    const now = deps.clock().getTime();
    const meta = req.session.meta;
    if (!meta) {
      req.session.meta = sessionMetaFor(req, now);
      return next();
    }
    if (now - meta.createdAt > maxAgeMs) {
      delete req.user;
      return req.session.regenerate((err) => next(err));
    }
    if (now - meta.lastSeenAt > LAST_SEEN_EVERY_MS) {
      meta.lastSeenAt = now;
      meta.ip = req.ip ?? meta.ip;
    }
    next();
  };
}

/**
 * A signed-in person's language setting wins over the cookie; choosing a language with
 * `?lang=` therefore also changes the setting.
 */
export function rememberLanguageChoice(accounts: AccountsUseCases): RequestHandler {
  return async (req, _res, next) => {
    const lang = req.query.lang;
    if (req.method === 'GET' && req.user && isLanguage(lang) && lang !== req.user.language) {
      await accounts.setLanguage(req.user.id, lang);
      req.user.language = lang;
    }
    next();
  };
}

/** A message shown once on the next page (signed-in people only: it lives in the session). */
export function flash(req: Request, message: Flash): void {
  if (!req.session) return;
  (req.session.flash ??= []).push(message);
}
