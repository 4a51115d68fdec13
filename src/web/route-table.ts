import type { RequestHandler, Router } from 'express';

/**
 * Every route of the app is declared in a flat table (one per component) with who may call
 * it. The table is the single source for mounting, for the authorisation middleware and for
 * the route × role and CSRF tests, which fail on a route they do not know.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type Access =
  /** Anyone, signed in or not. */
  { kind: 'public' };

export interface RouteDef {
  method: HttpMethod;
  path: string;
  access: Access;
  /** JSON API: errors as application/problem+json, 401 rather than a redirect to sign-in. */
  api?: boolean;
  /** Needs the database: answers 503 at once while it is unreachable. */
  db?: boolean;
  handlers: RequestHandler[];
  /** A concrete path for tests when `path` has parameters (e.g. /emetteurs/abc). */
  example?: string;
  /** One line for humans (route listings, docs). */
  summary?: string;
}

export function mountRoutes(
  router: Router,
  routes: readonly RouteDef[],
  guards: { access: (route: RouteDef) => RequestHandler[]; db: RequestHandler },
): void {
  for (const route of routes) {
    const chain: RequestHandler[] = [
      ...guards.access(route),
      ...(route.db ? [guards.db] : []),
      ...route.handlers,
    ];
    router[route.method](route.path, ...chain);
  }
}
