import type { RequestHandler } from 'express';
import type { Config } from '../../libraries/config/config.js';
import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { verificationController } from './verification.controller.js';
import type { VerificationService } from './verification.use-case.js';

/** Public verification: the page for people, the API for programs. Nothing here needs an account. */
export function verificationRoutes(deps: {
  service: VerificationService;
  config: Config;
  rateLimits: RateLimits;
}): RouteDef[] {
  const c = verificationController(deps);
  const limit = deps.rateLimits.verify;
  // The empty form costs nothing; only a verification (?url=) counts.
  const limitWhenUrl: RequestHandler[] = limit.map(
    (limiter): RequestHandler =>
      (req, res, next) =>
        typeof req.query.url === 'string' && req.query.url !== ''
          ? limiter(req, res, next)
          : next(),
  );
  const cookieLess =
    'public verification API: anonymous, reads no cookie or session, changes no state';
  return [
    {
      method: 'get',
      path: '/verifier',
      access: { kind: 'public' },
      summary:
        'Verify a badge: the form, or with ?url= the live result for that address (shareable)',
      handlers: [...limitWhenUrl, c.page],
    },
    {
      method: 'post',
      path: '/verifier',
      access: { kind: 'public' },
      summary:
        'Verify a badge from a URL, an uploaded PNG/SVG or pasted text (optional email check)',
      // Rate limit before reading an upload; multer (memory only) before the CSRF check.
      parse: [...limit, c.pageUpload],
      handlers: [c.submit],
    },
    {
      method: 'get',
      path: '/api/v1/verify',
      access: { kind: 'public' },
      api: true,
      cors: true,
      example: '/api/v1/verify?url=http%3A%2F%2F127.0.0.1%3A9%2Fassertions%2F1',
      summary: 'API: verify the badge at ?url= (optional &email=)',
      handlers: [...limit, c.apiGet],
    },
    {
      method: 'post',
      path: '/api/v1/verify',
      access: { kind: 'public' },
      api: true,
      cors: true,
      csrfExempt: cookieLess,
      summary: 'API: verify JSON {input, email} or a multipart file (+ email)',
      parse: [...limit, c.apiUpload],
      handlers: [c.apiPost],
    },
    {
      method: 'get',
      path: '/api/v1/openapi.json',
      access: { kind: 'public' },
      api: true,
      cors: true,
      summary: 'OpenAPI 3.1 description of the public API',
      handlers: [c.openApi],
    },
  ];
}
