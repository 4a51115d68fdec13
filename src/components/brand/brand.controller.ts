import type { RequestHandler } from 'express';
import { brandStylesheet } from '../../libraries/brand/brand.js';
import type { Config } from '../../libraries/config/config.js';

/** The brand palette stylesheet: built once (the settings do not change while running). */
export function brandController(config: Config) {
  const { css, etag } = brandStylesheet(config);
  const stylesheet: RequestHandler = (req, res) => {
    res.setHeader('ETag', etag);
    // Revalidated on every page in development, a day in production (the ETag answers 304).
    res.setHeader('Cache-Control', config.isProduction ? 'public, max-age=86400' : 'no-cache');
    res.type('text/css; charset=utf-8');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(css);
  };
  return { stylesheet };
}
