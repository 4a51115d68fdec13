import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
import { create as createHandlebars } from 'express-handlebars';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import path from 'node:path';
import { pinoHttp } from 'pino-http';
import { badgeTemplatesRoutes } from '../components/badge-templates/badge-templates.routes.js';
import { frameworksRoutes } from '../components/frameworks/frameworks.routes.js';
import { healthRoutes } from '../components/health/health.routes.js';
import { homeRoutes } from '../components/home/home.routes.js';
import type { Config } from '../libraries/config/config.js';
import type { Logger } from '../libraries/logger/logger.js';
import { publicDir, viewsDir } from '../libraries/paths.js';
import { helpers } from './helpers/index.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { languageMiddleware } from './middleware/language.js';
import { requestId } from './middleware/request-id.js';
import { requireDatabase } from './middleware/require-database.js';
import { mountRoutes, type RouteDef } from './route-table.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Connection;
  /** Injected so tests are deterministic. */
  clock?: () => Date;
}

export interface CoopApp extends Express {
  /** Every route of the app, as declared by the components (for tests and listings). */
  routeTable: readonly RouteDef[];
}

/** Builds the express app. It does not listen: server.ts and the tests decide how to serve it. */
export function createApp(deps: AppDeps): CoopApp {
  const clock = deps.clock ?? (() => new Date());
  const { config, logger, db } = deps;
  const app = express() as unknown as CoopApp;
  const secureCookies = config.PUBLIC_URL.startsWith('https://');

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
      // Never log bodies or query strings with secrets: the URL path and method are enough.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
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
  app.use(languageMiddleware({ secureCookies }));
  app.use((_req, res, next) => {
    res.locals.publicUrl = config.PUBLIC_URL;
    next();
  });

  const routes: RouteDef[] = [
    ...healthRoutes({ db }),
    ...homeRoutes({ db, clock }),
    ...badgeTemplatesRoutes(),
    ...frameworksRoutes({ db }),
  ];
  const router = express.Router();
  const publicAccess: RequestHandler[] = [];
  mountRoutes(router, routes, { access: () => publicAccess, db: requireDatabase(db) });
  app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  app.routeTable = Object.freeze(routes);
  return app;
}
