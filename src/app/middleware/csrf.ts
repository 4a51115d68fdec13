import { createHmac } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { AppError } from '../../libraries/errors/app-error.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Double-submit CSRF tokens (csrf-csrf): an HMAC-signed token in an httpOnly cookie, echoed
 * by forms in the hidden field `_csrf` or by scripts in the `X-CSRF-Token` header. For a
 * signed-in person the token is bound to their session id, so it dies with the session.
 */
export function csrfProtection(options: { secrets: string[]; secureCookies: boolean }): {
  guard: RequestHandler;
  tokenFor: (req: Request, res: Response) => string;
} {
  // A key of its own, derived from the session secrets.
  const keys = options.secrets.map((s) =>
    createHmac('sha256', s).update('coop-badges csrf').digest('hex'),
  );
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => keys,
    getSessionIdentifier: (req) => (req.user ? req.sessionID : 'anonymous'),
    cookieName: options.secureCookies ? '__Host-coop.csrf' : 'coop.csrf',
    cookieOptions: { sameSite: 'lax', secure: options.secureCookies, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const header = req.headers[CSRF_HEADER];
      if (typeof header === 'string') return header;
      const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      return typeof field === 'string' ? field : undefined;
    },
  });
  return {
    guard: (req, _res, next) => {
      if (validateRequest(req)) return next();
      next(new AppError(403, 'csrf', { messageKey: 'errors.csrf' }));
    },
    tokenFor: (req, res) => generateCsrfToken(req, res),
  };
}
