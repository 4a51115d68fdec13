import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** Strict CSP (no inline script or style anywhere), no framing, no referrer, HSTS over https. */
export function securityHeaders(options: { secureCookies: boolean }): RequestHandler {
  const { secureCookies } = options;
  return helmet({
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
  });
}
