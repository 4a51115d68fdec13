import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../../config/config.js';
import { TooManyRequestsError } from '../../errors/app-error.js';

function normalisedEmailFromBody(req: Request): string {
  const v = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof v === 'string' ? v.trim().toLowerCase() : '';
}

/**
 * Rate limits of the sensitive endpoints, by client address and by email address. Counters
 * live in memory, per process (one instance serves a commune; several would need a shared
 * store). Answers 429 with the French page and Retry-After.
 */
export function rateLimits(config: Config) {
  const windowMs = config.RATE_LIMIT_WINDOW_MINUTES * 60_000;
  const base = {
    windowMs,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    handler: ((req, res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
      next(
        new TooManyRequestsError({
          headers: { 'Retry-After': String(seconds) },
          params: { minutes: Math.ceil(seconds / 60) },
        }),
      );
    }) as RequestHandler,
  };
  const byIp = (prefix: string, limit: number) =>
    rateLimit({
      ...base,
      limit,
      keyGenerator: (req) => `${prefix}:${ipKeyGenerator(req.ip ?? '')}`,
    });
  const byEmail = (prefix: string, limit: number) =>
    rateLimit({
      ...base,
      limit,
      keyGenerator: (req) => `${prefix}:${normalisedEmailFromBody(req)}`,
      skip: (req) => normalisedEmailFromBody(req) === '',
    });
  const byUser = (prefix: string, limit: number) =>
    rateLimit({
      ...base,
      limit,
      keyGenerator: (req) => `${prefix}:${req.user?.id ?? ipKeyGenerator(req.ip ?? '')}`,
    });
  return {
    signIn: [
      byIp('sign-in-ip', config.RATE_LIMIT_SIGN_IN_PER_IP),
      byEmail('sign-in-email', config.RATE_LIMIT_SIGN_IN_PER_EMAIL),
    ],
    passwordReset: [
      byIp('reset-ip', config.RATE_LIMIT_RESET_PER_IP),
      byEmail('reset-email', config.RATE_LIMIT_RESET_PER_EMAIL),
    ],
    /** Pages behind one-time links (invitation, reset, email change): guessing is pointless, but cheap to cap. */
    tokenLinks: [byIp('token-ip', config.RATE_LIMIT_TOKEN_PER_IP)],
    invitations: [byUser('invite-user', config.RATE_LIMIT_INVITE_PER_USER)],
    /** Every route that reads a multipart body (files): before the access check and the parse. */
    uploads: [byUser('upload-user', config.RATE_LIMIT_UPLOAD_PER_USER)],
    /** Badge verification (page and API share one counter): each one may fetch other sites. */
    verify: [
      rateLimit({
        ...base,
        windowMs: config.RATE_LIMIT_VERIFY_WINDOW_MINUTES * 60_000,
        limit: config.RATE_LIMIT_VERIFY_PER_IP,
        keyGenerator: (req) => `verify-ip:${ipKeyGenerator(req.ip ?? '')}`,
      }),
    ],
    /** OAuth registration, token and revocation endpoints of the OB 3.0 API (by client address). */
    oauth: [byIp('oauth-ip', config.RATE_LIMIT_TOKEN_PER_IP)],
    /** Public PNG previews of badge templates: each one may cost a render. */
    previews: [
      rateLimit({
        ...base,
        windowMs: 60_000,
        limit: config.RATE_LIMIT_PREVIEW_PER_IP,
        keyGenerator: (req) => `preview-ip:${ipKeyGenerator(req.ip ?? '')}`,
      }),
    ],
  };
}
export type RateLimits = ReturnType<typeof rateLimits>;
