import type { RequestHandler, Router } from 'express';
import type { Access } from '../authz/authorization.js';

export type { Access };

/**
 * Every route of the app is declared in a flat table (one per component) with who may call
 * it. The table is the single source for mounting, for the authorisation middleware and for
 * the route × role and CSRF tests, which fail on a route they do not know.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  /** Who may call it (see src/libraries/authz/authorization.ts). */
  access: Access;
  /** JSON API: errors as application/problem+json, 401 rather than a redirect to sign-in. */
  api?: boolean;
  /** Answers a file (an image, a PDF), not a page: page crawlers and checks leave it alone. */
  file?: boolean;
  /** Needs the database: answers 503 at once while it is unreachable. */
  db?: boolean;
  handlers: RequestHandler[];
  /**
   * A concrete path for tests when `path` has parameters. Use the fixtures of the route ×
   * role matrix test (tests/integration/web/route-matrix.test.ts): issuer `emetteur-a`,
   * user `membre-a`, any token `jeton-invalide…`.
   */
  example?: string;
  /** One line for humans (route listings, docs). */
  summary?: string;
  /**
   * Body parsers the CSRF check needs (multer for multipart forms, whose token is in the body).
   * On a route that is not public they run after the upload rate limit and the access check,
   * never for a request those refuse (see mountRoutes).
   */
  parse?: RequestHandler[];
  /**
   * Why this state-changing route needs no CSRF token. Only for requests that carry no
   * cookie-based authority and change nothing (e.g. a public verification API). The CSRF
   * test lists every exemption.
   */
  csrfExempt?: string;
  /**
   * Open to scripts of any site (public, cookie-less JSON): `Access-Control-Allow-Origin: *` on
   * its answers, and the app answers the CORS preflight (OPTIONS) of its path (see
   * corsPreflight). Only for routes without path parameters.
   */
  cors?: boolean;
}

export interface RouteGuards {
  /** Refuses a state-changing request without a valid CSRF token (403). */
  csrf: RequestHandler;
  /** Enforces `route.access`. */
  access: (route: RouteDef) => RequestHandler[];
  db: RequestHandler;
  /** Rate limit of the routes that read a multipart body, before anything else. */
  uploadLimit?: RequestHandler[];
}

/** Methods that change state need a CSRF token unless the route says why not. */
export function needsCsrf(route: RouteDef): boolean {
  return route.method !== 'get' && !route.csrfExempt;
}

/**
 * Order: CSRF → access → database → the route's handlers. A route that reads a multipart body
 * (`parse`) and is not public: upload rate limit → access → database → parser → CSRF → handlers.
 *
 * Why the CSRF token of a multipart form is checked after a parse, not before: HTML forms
 * without JavaScript can only send it in the body (a token in the form's URL would end in
 * browser histories and proxy logs). The parse is made harmless instead: it never runs for an
 * anonymous or unauthorised request (the access check comes first, and the session cookie is
 * SameSite=Lax, so a cross-site POST arrives without a session and is refused there), it is
 * rate limited, and every parser limit is small (src/libraries/web/upload.ts). Public multipart routes
 * (badge verification) keep the parser first: anyone may call them, and their own rate limit
 * runs before their parser.
 */
export function mountRoutes(
  router: Router,
  routes: readonly RouteDef[],
  guards: RouteGuards,
): void {
  for (const route of routes) {
    if (route.path.startsWith('/api/') && route.access.kind !== 'public') {
      // The app gives /api/ requests no session (see app.ts): such a route could never pass.
      throw new Error(
        `${route.method.toUpperCase()} ${route.path}: routes under /api/ are stateless and public`,
      );
    }
    const csrf = needsCsrf(route) ? [guards.csrf] : [];
    const db = route.db ? [guards.db] : [];
    const chain: RequestHandler[] =
      route.parse && route.access.kind !== 'public'
        ? [
            ...(route.cors ? [corsHeaders] : []),
            ...(guards.uploadLimit ?? []),
            ...guards.access(route),
            ...db,
            ...route.parse,
            ...csrf,
            ...route.handlers,
          ]
        : [
            ...(route.cors ? [corsHeaders] : []),
            ...(route.parse ?? []),
            ...csrf,
            ...guards.access(route),
            ...db,
            ...route.handlers,
          ];
    router[route.method](route.path, ...chain);
  }
}

/** Headers a cross-origin script may read on a CORS route's answer. */
const EXPOSED_HEADERS = 'Content-Language, Retry-After, RateLimit, RateLimit-Policy, X-Request-Id';

const corsHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  next();
};

/**
 * Answers CORS preflight requests (OPTIONS) for the paths of `cors` routes, with the methods
 * declared there. It is not a route of its own: the table stays the one list of what the app
 * serves, and the route × role test keeps walking only real routes.
 */
export function corsPreflight(routes: readonly RouteDef[]): RequestHandler {
  const methods = new Map<string, Set<string>>();
  for (const route of routes) {
    if (!route.cors) continue;
    if (route.path.includes(':')) throw new Error(`cors route with parameters: ${route.path}`);
    const set = methods.get(route.path) ?? new Set<string>();
    set.add(route.method.toUpperCase());
    methods.set(route.path, set);
  }
  return (req, res, next) => {
    const allowed = req.method === 'OPTIONS' ? methods.get(req.path) : undefined;
    if (!allowed) return next();
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', [...allowed].join(', '));
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, Accept-Language');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
    res.status(204).end();
  };
}
