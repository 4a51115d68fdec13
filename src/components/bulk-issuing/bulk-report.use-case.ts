import { stringify } from 'csv-stringify/sync';
import { translator } from '../../libraries/i18n/i18n.js';

import { spreadsheetSafe, type BulkIssuingContext } from './bulk-issuing.context.js';

/** The downloadable report of a run: one line per row with its outcome. */
export function bulkReportUseCases(ctx: BulkIssuingContext) {
  const { repo, getRun } = ctx;
  return {
    /**
     * The report as CSV (semicolon, UTF-8 with BOM, as French spreadsheets expect): one line
     * per row of the file with its outcome, the badge's link or what to fix.
     */
    async report(issuerId: string, runId: string, lang: 'fr' | 'en'): Promise<string> {
      const run = await getRun(issuerId, runId);
      const t = translator(lang);
      const [rows, results] = await Promise.all([repo.rowsOf(runId), repo.resultsOf(runId)]);
      const byIndex = new Map(results.map((r) => [r.index, r]));
      const lines = rows.map((row) => {
        const r = byIndex.get(row.index);
        const outcome = row.problems.length
          ? t('bulk.report.toFix')
          : r
            ? t(`bulk.report.${r.status}`)
            : t(run.status === 'preview' ? 'bulk.report.notConfirmed' : 'bulk.report.pending');
        const message = row.problems.length
          ? row.problems.map((p) => `${p.column} : ${t(p.messageKey, p.params ?? {})}`).join(' / ')
          : r?.status === 'issued' && r.mailSent === false
            ? t('bulk.report.mailFailed')
            : spreadsheetSafe(r?.message ?? '');
        return [
          row.line,
          spreadsheetSafe(row.email),
          outcome,
          r?.awardId ? ctx.urls.assertion(r.awardId) : '',
          message,
        ];
      });
      return (
        '\ufeff' +
        stringify(
          [
            [
              ...['line', 'email', 'outcome', 'link', 'message'].map((c) =>
                t(`bulk.report.columns.${c}`),
              ),
            ],
            ...lines,
          ],
          {
            delimiter: ';',
          },
        )
      );
    },
  };
}
