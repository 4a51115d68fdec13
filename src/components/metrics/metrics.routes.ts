import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metrics } from '../../libraries/metrics/metrics.js';
import { NotFoundError, UnauthorizedError } from '../../libraries/errors/app-error.js';
import type { RouteDef } from '../../libraries/web/route-table.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `GET /metrics` for Prometheus, behind a bearer token (METRICS_TOKEN). Without a configured
 * token the route answers 404: metrics reveal activity and are never public by default.
 */
export function metricsRoutes(deps: { metrics: Metrics; token: string | undefined }): RouteDef[] {
  const expected = deps.token ? digest(deps.token) : undefined;
  return [
    {
      method: 'get',
      path: '/metrics',
      access: { kind: 'public' },
      api: true,
      summary: 'Prometheus metrics (Authorization: Bearer METRICS_TOKEN)',
      handlers: [
        async (req, res) => {
          if (!expected) throw new NotFoundError();
          const header = req.headers.authorization ?? '';
          const given = /^Bearer (.+)$/i.exec(header)?.[1];
          // Compared as digests: same length, constant time.
          if (!given || !timingSafeEqual(digest(given), expected)) {
            throw new UnauthorizedError({
              detail: 'A valid metrics token is required.',
              headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
            });
          }
          res.setHeader('Cache-Control', 'no-store');
          res.type(deps.metrics.contentType);
          res.send(await deps.metrics.text());
        },
      ],
    },
  ];
}
