import type { Connection } from 'mongoose';
import { pingDatabase } from '../../libraries/db/connection.js';
import type { Metrics } from '../../libraries/metrics/metrics.js';
import type { VerificationService } from '../verification/verification.use-case.js';

/** The verification service, counting each verdict it gives (page, API, award pages, imports). */
export function countingVerdicts(
  service: VerificationService,
  metrics: Metrics,
): VerificationService {
  return {
    async verify(input, options) {
      const outcome = await service.verify(input, options);
      metrics.verified(outcome.report.verdict);
      return outcome;
    },
    inspectUpload: (bytes) => service.inspectUpload(bytes),
    get cacheSize() {
      return service.cacheSize;
    },
    clearCache: () => service.clearCache(),
    close: () => service.close(),
  };
}

/**
 * What the platform holds, read from the database at each scrape (so every instance reports the
 * same totals and a restart loses nothing): badges issued and revoked, file runs waiting or
 * running, and whether the database answers. Counts use the collection's metadata (cheap).
 */
export function registerPlatformGauges(metrics: Metrics, db: Connection): void {
  const count = (collection: string, filter?: Record<string, unknown>) => async () => {
    try {
      const c = db.collection(collection);
      return filter ? await c.countDocuments(filter) : await c.estimatedDocumentCount();
    } catch {
      return Number.NaN;
    }
  };
  metrics.gauge('badges_issued', 'Badges issued by this platform (all time).', count('assertions'));
  metrics.gauge('badges_revoked', 'Badges revoked (all time).', count('revocations'));
  metrics.gauge(
    'bulk_runs_running',
    'File runs (CSV) being issued or waiting to resume.',
    count('bulk_runs', { status: 'running' }),
  );
  metrics.gauge('database_up', '1 when the database answers a ping, else 0.', async () =>
    (await pingDatabase(db)) ? 1 : 0,
  );
}
