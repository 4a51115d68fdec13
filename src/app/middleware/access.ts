import type { Request, RequestHandler } from 'express';
import { decideAccess } from '../../libraries/authz/authorization.js';
import type { Config } from '../../libraries/config/config.js';
import {
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../../libraries/errors/app-error.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { isLocalRequest } from './local-request.js';

export const SIGN_IN_PATH = '/connexion';

/** /connexion?retour=<the page asked for> (only for GET: a form cannot be replayed). */
export function signInUrl(req: Request): string {
  if (req.method !== 'GET') return SIGN_IN_PATH;
  return `${SIGN_IN_PATH}?retour=${encodeURIComponent(req.originalUrl)}`;
}

/**
 * Builds the guard of each route from its `access` (decided by the authorisation module):
 * anonymous → sign-in page (or 401 for APIs), wrong role or other issuer → 403.
 */
export function accessGuards(deps: {
  config: Config;
  anyAccountExists: () => Promise<boolean>;
}): (route: RouteDef) => RequestHandler[] {
  return (route) => {
    if (route.access.kind === 'public') return [];
    const access = route.access;
    return [
      async (req, res, next) => {
        const decision = decideAccess(access, req.user ?? null, {
          params: req.params as Record<string, string>,
          isLocalRequest: isLocalRequest(req),
          isProduction: deps.config.isProduction,
          ...(access.kind === 'firstRun' ? { noAccountYet: !(await deps.anyAccountExists()) } : {}),
        });
        switch (decision) {
          case 'allow':
            return next();
          case 'signIn':
            if (route.api) throw new UnauthorizedError();
            res.setHeader('Cache-Control', 'no-store');
            return res.redirect(req.method === 'GET' ? 302 : 303, signInUrl(req));
          case 'forbidden':
            throw new ForbiddenError();
          case 'notFound':
            throw new NotFoundError();
        }
      },
    ];
  };
}
