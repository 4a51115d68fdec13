import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { minify } from 'csso';

/**
 * Our stylesheets, minified once per process (csso, without restructuring: the cascade stays
 * exactly as written). A page and its styles must stay under 30 KB on a phone; the sources
 * keep their comments. In development the files are served as they are, so an edit shows at
 * once.
 */
export function minifiedStyles(options: {
  cssDir: string;
  enabled: boolean;
  maxAgeSeconds: number;
}): RequestHandler {
  const cache = new Map<string, string>();
  return (req, res, next) => {
    if (!options.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const name = /^\/css\/([a-z0-9-]+\.css)$/.exec(req.path)?.[1];
    if (!name) return next();
    let css = cache.get(name);
    if (css === undefined) {
      const file = path.join(options.cssDir, name);
      if (!fs.existsSync(file)) return next();
      css = minify(fs.readFileSync(file, 'utf8'), { restructure: false }).css;
      cache.set(name, css);
    }
    res.setHeader('Cache-Control', `public, max-age=${options.maxAgeSeconds}`);
    // express adds the ETag and answers 304 to a matching If-None-Match.
    res.type('css').send(css);
  };
}
