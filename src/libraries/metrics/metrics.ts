import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one app (its own registry: tests build several apps in one process).
 * Route labels are the route table's patterns (`/assertions/:assertionId`), never the raw path,
 * so no identifier reaches the metrics and their number stays bounded.
 */
export interface Metrics {
  readonly registry: Registry;
  /** The Prometheus text of this app's metrics and of the process's. */
  text(): Promise<string>;
  readonly contentType: string;
  /** Counts a verification's verdict (page, API, award page). */
  verified(verdict: string): void;
  /** Counts each request and its duration once the response is sent. */
  middleware: RequestHandler;
  /** Gauges read at scrape time (database totals, queue length, database up). */
  gauge(name: string, help: string, read: () => Promise<number>): void;
}

/**
 * Memory, CPU, event-loop lag, GC: one collector per process, however many apps it builds
 * (tests build hundreds; each collector adds observers that live as long as the process).
 */
const processRegistries = new Map<string, Registry>();
function processRegistry(prefix: string): Registry {
  let registry = processRegistries.get(prefix);
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix });
    processRegistries.set(prefix, registry);
  }
  return registry;
}

export function createMetrics(
  options: { prefix?: string; processMetrics?: boolean } = {},
): Metrics {
  const prefix = options.prefix ?? 'coop_badges_';
  const registry = new Registry();
  const sources =
    options.processMetrics === false ? [registry] : [processRegistry(prefix), registry];
  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: 'HTTP requests by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'Time to answer, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const verdicts = new Counter({
    name: `${prefix}verifications_total`,
    help: 'Badge verifications by verdict (verified, warning, not_verified).',
    labelNames: ['verdict'] as const,
    registers: [registry],
  });
  return {
    registry,
    contentType: registry.contentType,
    text: () => Registry.merge(sources).metrics(),
    verified: (verdict) => verdicts.inc({ verdict }),
    middleware: (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        // Only a matched route has a pattern; anything else is one label (404s, static files).
        const pattern = (req.route as { path?: unknown } | undefined)?.path;
        const route = typeof pattern === 'string' ? pattern : 'unmatched';
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        requests.inc({ method: req.method, route, status: String(res.statusCode) });
        duration.observe({ method: req.method, route }, seconds);
      });
      next();
    },
    gauge(name, help, read) {
      new Gauge({
        name: `${prefix}${name}`,
        help,
        registers: [registry],
        async collect() {
          this.set(await read());
        },
      });
    },
  };
}
