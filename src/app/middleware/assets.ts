import compression from 'compression';
import express, { type Router } from 'express';
import type { Config } from '../../libraries/config/config.js';
import path from 'node:path';
import { publicDir } from '../../libraries/paths.js';
import { minifiedStyles } from './minified-css.js';

/**
 * Compression, then the static files under /static. Pages, styles and documents travel
 * compressed (the stylesheet shrinks about fourfold on a phone connection). The small JSON
 * answers of the public API stay as they are: compressing them costs more than it saves on a
 * request that must be fast.
 */
export function assets(config: Config): Router {
  const router = express.Router();
  router.use(
    compression({
      filter: (req, res) => !req.path.startsWith('/api/') && compression.filter(req, res),
    }),
  );
  router.use(
    '/static',
    minifiedStyles({
      cssDir: path.join(publicDir, 'css'),
      enabled: config.NODE_ENV !== 'development',
      maxAgeSeconds: config.isProduction ? 7 * 24 * 3600 : 0,
    }),
    express.static(publicDir, {
      maxAge: config.isProduction ? '7d' : 0,
      index: false,
      fallthrough: true,
    }),
  );
  return router;
}
