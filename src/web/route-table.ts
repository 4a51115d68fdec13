import type { RequestHandler, Router } from 'express';
import type { Access } from '../libraries/authz/authorization.js';

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
  /** Body parsers that must run before the CSRF check (multer for multipart forms). */
  parse?: RequestHandler[];
  /**
   * Why this state-changing route needs no CSRF token. Only for requests that carry no
   * cookie-based authority and change nothing (e.g. a public verification API). The CSRF
   * test lists every exemption.
   */
  csrfExempt?: string;
}

export interface RouteGuards {
  /** Refuses a state-changing request without a valid CSRF token (403). */
  csrf: RequestHandler;
  /** Enforces `route.access`. */
  access: (route: RouteDef) => RequestHandler[];
  db: RequestHandler;
}

/** Methods that change state need a CSRF token unless the route says why not. */
export function needsCsrf(route: RouteDef): boolean {
  return route.method !== 'get' && !route.csrfExempt;
}

/** Order: body parsers for multipart → CSRF → access → database → the route's handlers. */
export function mountRoutes(
  router: Router,
  routes: readonly RouteDef[],
  guards: RouteGuards,
): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [
      ...(route.parse ?? []),
      ...(needsCsrf(route) ? [guards.csrf] : []),
      ...guards.access(route),
      ...(route.db ? [guards.db] : []),
      ...route.handlers,
    ];
    router[route.method](route.path, ...chain);
  }
}
