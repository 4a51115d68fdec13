import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import { createPassport } from '../components/accounts/passport.js';
import {
  type OwnBadges,
  type VerificationService,
} from '../components/verification/verification.use-case.js';
import type { MasterKey } from '../components/keys/master-key.js';
import type { Config } from '../libraries/config/config.js';
import type { LookupFunction } from '../libraries/http/safe-fetch.js';
import type { Logger } from '../libraries/logger/logger.js';
import { createMailer, type Mailer } from '../libraries/mail/mailer.js';
import { resolveSessionSecrets } from '../libraries/secrets/session-secret.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security-headers.js';
import { pathRedactor } from './log-redaction.js';
import { accessGuards } from './middleware/access.js';
import { csrfProtection } from './middleware/csrf.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { languageMiddleware } from './middleware/language.js';
import { pageLocals } from './middleware/page-locals.js';
import { rateLimits } from '../libraries/web/middleware/rate-limit.js';
import { requireDatabase } from './middleware/require-database.js';
import { corsPreflight, mountRoutes, type RouteDef } from '../libraries/web/route-table.js';
import { appRoutes } from './routes.js';
import { createAppServices, type AppServices } from './services.js';
import { useViews } from './views.js';
import { assets } from './middleware/assets.js';
import { pageSession, pagesOnly } from './middleware/page-session.js';

export { createAppServices, type AppServices } from './services.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Connection;
  /** Injected so tests are deterministic. */
  clock?: () => Date;
  /** Defaults to SMTP (SMTP_URL) or the development outbox. */
  mailer?: Mailer;
  /**
   * This platform's own badges for verification: their documents straight from the database
   * (the awards component's createInternalFetcher), known issuers, revocation dates. Tests
   * inject a document source; the app wires the awards component here.
   */
  ownBadges?: OwnBadges;
  /** DNS of the verification fetcher (tests give names to internal addresses). */
  dnsLookup?: LookupFunction;
  /**
   * Encrypts issuers' private keys at rest. server.ts loads it (production refuses to start
   * without one); when absent it is loaded from the config (development key file in DATA_DIR).
   */
  masterKey?: MasterKey;
}

export interface CoopApp extends Express {
  /** Every route of the app, as declared by the components (for tests and listings). */
  routeTable: readonly RouteDef[];
  /** Accounts, issuers, invitations, audit, keys, badges and awards (for the CLI, tests, later features). */
  services: AppServices;
  /** Removes expired sessions, old sign-in failures and tokens; server.ts runs it periodically. */
  housekeeping(): Promise<
    { sessions: number; failures: number; tokens: number } & Record<string, number>
  >;
  mailer: Mailer;
  /** Badge verification (page, API, and the award page's live result). */
  verification: VerificationService;
}

/** Builds the express app. It does not listen: server.ts and the tests decide how to serve it. */
export function createApp(deps: AppDeps): CoopApp {
  const clock = deps.clock ?? (() => new Date());
  const { config, logger, db } = deps;
  const app = express() as unknown as CoopApp;
  const secureCookies = config.PUBLIC_URL.startsWith('https://');
  const secrets = resolveSessionSecrets(config);
  const mailer = deps.mailer ?? createMailer({ config, logger });
  const services = createAppServices({ ...deps, clock, mailer });
  const passport = createPassport(services.accounts);
  const csrf = csrfProtection({ secrets, secureCookies });
  const limits = rateLimits(config);

  const routes = appRoutes({ config, db, clock, services, passport, rateLimits: limits });
  const redactPath = pathRedactor(routes);

  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  useViews(app, config);

  app.use(services.metrics.middleware);
  app.use(requestLog(logger, redactPath));
  app.use(securityHeaders({ secureCookies }));

  // CORS preflight of the public API, before sessions (a preflight carries no cookie). Not a
  // route: the table lists what the app serves.
  app.use(corsPreflight(routes));

  app.use(assets(config));

  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  // Sessions and page locals are for pages: the public API under /api/ is stateless.
  const session = { config, db, clock, secrets, secureCookies, passport };
  app.use(...pagesOnly(...pageSession({ ...session, accounts: services.accounts })));
  app.use(languageMiddleware({ secureCookies }));
  app.use(...pagesOnly(pageLocals({ publicUrl: config.PUBLIC_URL, csrfTokenFor: csrf.tokenFor })));

  const router = express.Router();
  mountRoutes(router, routes, {
    csrf: csrf.guard,
    access: accessGuards({ config, anyAccountExists: () => services.accounts.anyAccountExists() }),
    db: requireDatabase(db),
    uploadLimit: limits.uploads,
  });
  app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  app.routeTable = Object.freeze(routes);
  app.services = services;
  app.mailer = mailer;
  app.verification = services.verification;
  // Sessions, failures and links (accounts), then the retention periods of my-data.
  app.housekeeping = async () => ({
    ...(await services.accounts.housekeeping()),
    ...(await services.myData.purgeExpired()),
    oauth: await services.oauth.purgeExpired(),
    walletRecords: await services.wallet.purgeExpired(),
  });
  return app;
}
