import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
import { create as createHandlebars } from 'express-handlebars';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import {
  rememberLanguageChoice,
  sessionUpkeep,
} from '../components/accounts/accounts.middleware.js';
import { accountsRoutes } from '../components/accounts/accounts.routes.js';
import {
  createAccountServices,
  type AccountServices,
} from '../components/accounts/accounts.services.js';
import { createPassport } from '../components/accounts/passport.js';
import { sessionMiddleware } from '../components/accounts/session.js';
import { auditRoutes } from '../components/audit/audit.routes.js';
import { devRoutes } from '../components/dev/dev.routes.js';
import { badgeTemplatesRoutes } from '../components/badge-templates/badge-templates.routes.js';
import { frameworksRoutes } from '../components/frameworks/frameworks.routes.js';
import { healthRoutes } from '../components/health/health.routes.js';
import { homeRoutes } from '../components/home/home.routes.js';
import { invitationsRoutes } from '../components/invitations/invitations.routes.js';
import { issuersRoutes } from '../components/issuers/issuers.routes.js';
import {
  createVerificationService,
  type OwnBadges,
  type VerificationService,
} from '../components/verification/verification.use-case.js';
import { verificationRoutes } from '../components/verification/verification.routes.js';
import { verificationViewModel } from '../components/verification/verification-view-model.js';
import { achievementsRoutes } from '../components/achievements/achievements.routes.js';
import { awardsRoutes } from '../components/awards/awards.routes.js';
import { bulkIssuingRoutes } from '../components/bulk-issuing/bulk-issuing.routes.js';
import { ownBadgesFrom } from '../components/awards/own-badges.js';
import { compromisedKeysController } from '../components/awards/compromised-keys.controller.js';
import { compromisedKeysRoutes } from '../components/awards/compromised-keys.routes.js';
import { createBadgeServices, type BadgeServices } from '../components/awards/badge-services.js';
import {
  createInternalFetcher,
  type InternalFetcher,
} from '../components/awards/internal-fetcher.js';
import {
  createReviewServices,
  type ReviewServices,
} from '../components/dashboard/review-services.js';
import { dashboardController } from '../components/dashboard/dashboard.controller.js';
import { dashboardRoutes } from '../components/dashboard/dashboard.routes.js';
import { endorsementsController } from '../components/endorsements/endorsements.controller.js';
import { endorsementPageReads } from '../components/endorsements/endorsements.use-case.js';
import { endorsementsRepository } from '../components/endorsements/endorsements.repository.js';
import { endorsementsRoutes } from '../components/endorsements/endorsements.routes.js';
import { requestsController } from '../components/requests/requests.controller.js';
import { requestPageReads } from '../components/requests/requests.use-case.js';
import { requestsRoutes } from '../components/requests/requests.routes.js';
import { publicPageReads } from '../components/awards/public-pages.use-case.js';
import { publicController } from '../components/awards/public.controller.js';
import { publicRoutes } from '../components/awards/public.routes.js';
import { frameworksRepository } from '../components/frameworks/frameworks.repository.js';
import { keysRepository } from '../components/keys/keys.repository.js';
import { createKeyService, type KeyService } from '../components/keys/keys.use-case.js';
import { loadMasterKey, type MasterKey } from '../components/keys/master-key.js';
import type { Config } from '../libraries/config/config.js';
import type { LookupFunction } from '../libraries/http/safe-fetch.js';
import type { Logger } from '../libraries/logger/logger.js';
import { createMailer, type Mailer } from '../libraries/mail/mailer.js';
import { publicDir, viewsDir } from '../libraries/paths.js';
import { resolveSessionSecrets } from '../libraries/secrets/session-secret.js';
import { helpers } from './helpers/index.js';
import { pathRedactor } from './log-redaction.js';
import { accessGuards } from './middleware/access.js';
import { csrfProtection } from './middleware/csrf.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { languageMiddleware } from './middleware/language.js';
import { pageLocals } from './middleware/page-locals.js';
import { rateLimits } from './middleware/rate-limit.js';
import { requestId } from './middleware/request-id.js';
import { requireDatabase } from './middleware/require-database.js';
import { corsPreflight, mountRoutes, type RouteDef } from './route-table.js';

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

/** Every use case of the app, wired once (also for the CLI and scripts). */
export type AppServices = AccountServices &
  BadgeServices &
  ReviewServices & { keys: KeyService; internalFetcher: InternalFetcher };

export interface CoopApp extends Express {
  /** Every route of the app, as declared by the components (for tests and listings). */
  routeTable: readonly RouteDef[];
  /** Accounts, issuers, invitations, audit, keys, badges and awards (for the CLI, tests, later features). */
  services: AppServices;
  /** Removes expired sessions, old sign-in failures and tokens; server.ts runs it periodically. */
  housekeeping(): Promise<{ sessions: number; failures: number; tokens: number }>;
  mailer: Mailer;
  /** Badge verification (page, API, and the award page's live result). */
  verification: VerificationService;
}

/** Wires every use case once: keys (under the master key), accounts, badges and awards. */
export function createAppServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  masterKey?: MasterKey | undefined;
}): AppServices {
  const { config, db, clock } = deps;
  const masterKey =
    deps.masterKey ??
    loadMasterKey({
      value: config.MASTER_KEY,
      file: config.MASTER_KEY_FILE,
      dataDir: config.dataDir,
      production: config.isProduction,
    });
  const keys = createKeyService({ repo: keysRepository(db), masterKey, clock });
  const accounts = createAccountServices({ ...deps, keys });
  // Recommendations are listed by the hosted OB 2.0 documents of awards and badge classes.
  const endorsementsRepo = endorsementsRepository(db);
  const badges = createBadgeServices({
    ...deps,
    keys,
    accounts,
    endorsementsOf: async (target) =>
      (await endorsementsRepo.listForTarget(target)).map((e) => e._id),
  });
  const review = createReviewServices({ ...deps, keys, accounts, badges, endorsementsRepo });
  // Our URLs answered from the database, through the public URL map as express does.
  const internalFetcher = createInternalFetcher({
    publicUrl: config.PUBLIC_URL,
    sources: { badges: badges.publicDocuments, endorsements: review.endorsementDocuments },
  });
  return { ...accounts, ...badges, ...review, internalFetcher, keys };
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
  const verification = createVerificationService({
    config,
    logger,
    clock,
    // Our own badges are read from the database (same documents as HTTP, always live).
    ownBadges: deps.ownBadges ?? ownBadgesFrom(services),
    ...(deps.dnsLookup ? { dnsLookup: deps.dnsLookup } : {}),
  });

  const endorsementPages = endorsementsController({
    endorsements: services.endorsements,
    documents: services.endorsementDocuments,
    urls: services.urls,
    reads: endorsementPageReads({
      awards: services.awardsRepo,
      badgeClasses: services.badgeClassRepo,
      issuers: services.issuerRepo,
    }),
  });
  const pages = publicController({
    urls: services.urls,
    reads: publicPageReads({ issuers: services.issuerRepo, awards: services.awardsRepo }),
    achievements: services.achievements,
    verifyAward: async (url, res) =>
      verificationViewModel(await verification.verify({ way: 'url', url }), {
        t: res.locals.t,
        lang: res.locals.lang,
        publicUrl: config.PUBLIC_URL,
        embedded: true,
      }),
    awardExtras: endorsementPages.awardExtras,
    badgeClassExtras: endorsementPages.badgeClassExtras,
  });

  const routes: RouteDef[] = [
    ...healthRoutes({ db }),
    ...homeRoutes({ db, clock }),
    ...badgeTemplatesRoutes({ rateLimits: limits }),
    ...frameworksRoutes({ db, audit: services.audit, clock }),
    ...accountsRoutes({
      config,
      clock,
      accounts: services.accounts,
      passport,
      rateLimits: limits,
    }),
    ...invitationsRoutes({ invitations: services.invitations, clock, rateLimits: limits }),
    ...issuersRoutes({
      issuers: services.issuers,
      invitations: services.invitations,
      rateLimits: limits,
    }),
    ...achievementsRoutes({
      achievements: services.achievements,
      issuers: services.issuers,
      frameworks: frameworksRepository(db),
      badgeImage: (id) => `/badges/${encodeURIComponent(id)}/image.svg`,
    }),
    ...awardsRoutes({
      awards: services.awards,
      achievements: services.achievements,
      issuers: services.issuers,
      keys: services.keys,
      urls: services.urls,
      pages,
    }),
    ...compromisedKeysRoutes(
      compromisedKeysController({
        compromisedKeys: services.compromisedKeys,
        achievements: services.achievements,
        urls: services.urls,
      }),
    ),
    ...bulkIssuingRoutes({
      bulk: services.bulk,
      achievements: services.achievements,
      issuers: services.issuers,
    }),
    ...publicRoutes({
      sources: { badges: services.publicDocuments, endorsements: services.endorsementDocuments },
      pages: {
        issuer: pages.issuer,
        badgeClass: pages.badgeClass,
        assertion: pages.assertion,
        endorsement: endorsementPages.show,
        person: endorsementPages.person,
      },
    }),
    ...endorsementsRoutes(endorsementPages),
    ...requestsRoutes(
      requestsController({
        requests: services.requests,
        dashboard: services.dashboard,
        reads: requestPageReads({
          badgeClasses: services.badgeClassRepo,
          issuers: services.issuerRepo,
        }),
        urls: services.urls,
      }),
    ),
    ...dashboardRoutes(dashboardController({ dashboard: services.dashboard, urls: services.urls })),
    ...auditRoutes({ audit: services.audit, users: services.users, issuers: services.issuerRepo }),
    ...verificationRoutes({ service: verification, config, rateLimits: limits }),
    ...devRoutes({ config }),
  ];
  const redactPath = pathRedactor(routes);

  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'simple');

  const hbs = createHandlebars({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: path.join(viewsDir, 'layouts'),
    partialsDir: path.join(viewsDir, 'partials'),
    helpers,
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', viewsDir);
  if (config.isProduction) app.enable('view cache');

  app.use(
    pinoHttp({
      logger,
      genReqId: requestId,
      // Never log bodies, query strings, headers or one-time link tokens: method and path only.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: redactPath(req.url.split('?')[0] ?? ''),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          ...(secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      crossOriginEmbedderPolicy: false,
      // Badge images and JSON-LD documents are read by other sites and validators.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      strictTransportSecurity: secureCookies,
      // One-time links must not leak to other sites through Referer.
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  // CORS preflight of the public API, before sessions (a preflight carries no cookie). Not a
  // route: the table lists what the app serves.
  app.use(corsPreflight(routes));

  // Pages, styles and documents travel compressed (the stylesheet shrinks about fourfold on a
  // phone connection). The small JSON answers of the public API stay as they are: compressing
  // them costs more than it saves on a request that must be fast.
  app.use(
    compression({
      filter: (req, res) => !req.path.startsWith('/api/') && compression.filter(req, res),
    }),
  );

  app.use(
    '/static',
    express.static(publicDir, {
      maxAge: config.isProduction ? '7d' : 0,
      index: false,
      fallthrough: true,
    }),
  );

  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  // The public API under /api/ is stateless (no cookie authority, CORS open): it gets no
  // session, no sign-in and no page locals — less work per call, and nothing to leak.
  const pagesOnly = (...handlers: RequestHandler[]): RequestHandler[] =>
    handlers.map(
      (h) => (req, res, next) => (req.path.startsWith('/api/') ? next() : h(req, res, next)),
    );
  // Sessions exist only for signed-in people; every request reloads them and their roles.
  app.use(
    ...pagesOnly(
      sessionMiddleware({ config, db, secrets, secureCookies }),
      passport.initialize(),
      passport.session(),
      sessionUpkeep({ config, clock }),
      rememberLanguageChoice(services.accounts),
    ),
  );
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
  app.verification = verification;
  app.housekeeping = () => services.accounts.housekeeping();
  return app;
}
