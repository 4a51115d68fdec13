import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type passport from 'passport';
import {
  rememberLanguageChoice,
  sessionUpkeep,
} from '../../components/accounts/accounts.middleware.js';
import type { AccountsUseCases } from '../../components/accounts/accounts.use-case.js';
import { sessionMiddleware } from '../../components/accounts/session.js';
import type { Config } from '../../libraries/config/config.js';

/**
 * The public API under /api/ is stateless (no cookie authority, CORS open): it gets no
 * session, no sign-in and no page locals — less work per call, and nothing to leak.
 */
export const pagesOnly = (...handlers: RequestHandler[]): RequestHandler[] =>
  handlers.map(
    (h) => (req, res, next) => (req.path.startsWith('/api/') ? next() : h(req, res, next)),
  );

/** Sessions exist only for signed-in people; every request reloads them and their roles. */
export function pageSession(deps: {
  config: Config;
  db: Connection;
  clock: () => Date;
  secrets: string[];
  secureCookies: boolean;
  passport: passport.Authenticator;
  accounts: AccountsUseCases;
}): RequestHandler[] {
  const { config, db, clock, secrets, secureCookies, passport } = deps;
  return [
    sessionMiddleware({ config, db, secrets, secureCookies }),
    passport.initialize(),
    passport.session(),
    sessionUpkeep({ config, clock }),
    rememberLanguageChoice(deps.accounts),
  ];
}
