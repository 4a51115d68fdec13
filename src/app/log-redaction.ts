import type { RouteDef } from '../libraries/web/route-table.js';

/** Route parameters that carry secrets (one-time link tokens): never written to logs. */
export const SECRET_PARAMS = ['token'];

/**
 * Replaces secret path segments ("/invitation/<token>" → "/invitation/[redacted]") using the
 * route table, so a new route with a `:token` parameter is covered without more code.
 */
export function pathRedactor(routes: readonly RouteDef[]): (path: string) => string {
  const patterns = routes
    .filter((r) => SECRET_PARAMS.some((p) => r.path.includes(`:${p}`)))
    .map((r) => {
      const parts = r.path.split('/').map((segment) => {
        if (!segment.startsWith(':'))
          return { secret: false, re: segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') };
        return { secret: SECRET_PARAMS.includes(segment.slice(1)), re: '[^/]*' };
      });
      return {
        re: new RegExp(`^${parts.map((p) => `(${p.re})`).join('/')}/?$`),
        secret: parts.map((p) => p.secret),
      };
    });
  return (path) => {
    for (const p of patterns) {
      const m = p.re.exec(path);
      if (m)
        return m
          .slice(1)
          .map((seg, i) => (p.secret[i] ? '[redacted]' : seg))
          .join('/');
    }
    // Belt and braces: anything shaped like our tokens (32 bytes, base64url) in other paths.
    return path.replace(/(^|\/)[A-Za-z0-9_-]{43}(?=\/|$)/g, '$1[redacted]');
  };
}
