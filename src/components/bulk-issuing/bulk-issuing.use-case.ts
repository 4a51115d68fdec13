import { bulkIssuingContext, type BulkIssuingDeps } from './bulk-issuing.context.js';
import { bulkPreviewUseCases } from './bulk-preview.use-case.js';
import { bulkReportUseCases } from './bulk-report.use-case.js';
import { bulkRunUseCases } from './bulk-run.use-case.js';

export {
  BULK_BATCH,
  spreadsheetSafe,
  type BulkIssuingDeps,
  type BulkProgress,
} from './bulk-issuing.context.js';

/** The bulk issuing use cases, one file per story: preview, run, report. */
export function bulkIssuingUseCases(deps: BulkIssuingDeps) {
  const ctx = bulkIssuingContext(deps);
  return {
    getRun: ctx.getRun,
    progressOf: ctx.progressOf,
    ...bulkPreviewUseCases(ctx),
    ...bulkRunUseCases(ctx),
    ...bulkReportUseCases(ctx),
  };
}
export type BulkIssuingUseCases = ReturnType<typeof bulkIssuingUseCases>;
