import type { Connection } from 'mongoose';
import { pingDatabase } from '../../libraries/db/connection.js';
import type { RouteDef } from '../../libraries/web/route-table.js';

/** Liveness and readiness probes for orchestrators (docker healthcheck, load balancers). */
export function healthRoutes(deps: { db: Connection }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      access: { kind: 'public' },
      api: true,
      summary: 'Process alive',
      handlers: [
        (_req, res) => {
          res.setHeader('Cache-Control', 'no-store');
          res.json({ status: 'ok' });
        },
      ],
    },
    {
      method: 'get',
      path: '/readyz',
      access: { kind: 'public' },
      api: true,
      summary: 'Database answers a ping',
      handlers: [
        async (_req, res) => {
          const ok = await pingDatabase(deps.db);
          res.setHeader('Cache-Control', 'no-store');
          res
            .status(ok ? 200 : 503)
            .json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'up' : 'down' });
        },
      ],
    },
  ];
}
