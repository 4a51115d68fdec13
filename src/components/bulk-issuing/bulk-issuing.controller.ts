import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import type { AchievementsUseCases } from '../achievements/achievements.use-case.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import { BULK_COLUMNS, BULK_MAX_ROWS } from './bulk-csv.js';
import type { BulkIssuingUseCases } from './bulk-issuing.use-case.js';
import { param, str } from '../../libraries/http/params.js';

/** How many rows to fix a preview lists (the downloadable report has them all). */
const PROBLEMS_SHOWN = 200;
/** Rows listed on the preview as "will receive the badge" (the report gives them all). */
const RECIPIENTS_SHOWN = 50;
/** Seconds between refreshes of the progress page without JavaScript. */
const REFRESH_SECONDS = 3;

const bulkUrl = (issuerId: string) =>
  `/structures/${encodeURIComponent(issuerId)}/delivrer/fichier`;

export function bulkIssuingController(deps: {
  bulk: BulkIssuingUseCases;
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
}) {
  const { bulk, achievements, issuers } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  async function renderUpload(
    req: Request,
    res: Response,
    values: { badgeClassId: string; lang: string },
    options: { status?: number; errors?: ValidationError } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const badges = await achievements.issuable(issuerId);
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('bulk.upload.title');
    res.status(options.status ?? 200).render('bulk/upload', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      action: bulkUrl(issuerId),
      maxRows: BULK_MAX_ROWS.toLocaleString(res.locals.lang === 'en' ? 'en-GB' : 'fr-FR'),
      columns: (Object.keys(BULK_COLUMNS) as (keyof typeof BULK_COLUMNS)[]).map((c) => ({
        name: c,
        description: tr(`bulk.upload.columns.${c}`),
      })),
      badges: badges.map((b) => ({
        id: b._id,
        name: b.name,
        selected: b._id === values.badgeClassId,
      })),
      langs: ['fr', 'en'].map((l) => ({
        value: l,
        label: tr(`languages.${l}`),
        checked: (values.lang || 'fr') === l,
      })),
      errors,
    });
  }

  const showUpload: RequestHandler = (req, res) =>
    renderUpload(req, res, { badgeClassId: str(req.query.badge), lang: 'fr' });

  const upload: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const issuerId = param(req, 'issuerId');
    const values = { badgeClassId: str(body.badgeClassId), lang: str(body.lang) };
    let run;
    try {
      run = await bulk.upload({
        actor: req.user!,
        ip: req.ip ?? '',
        issuerId,
        badgeClassId: values.badgeClassId,
        fileName: req.file?.originalname ?? '',
        text: req.file && req.file.size > 0 ? req.file.buffer.toString('utf8') : undefined,
        lang: values.lang,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderUpload(req, res, values, { status: 422, errors: err });
    }
    res.redirect(303, `${bulkUrl(issuerId)}/${encodeURIComponent(run._id)}`);
  };

  const showRun: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const run = await bulk.getRun(issuerId, param(req, 'runId'));
    const issuer = await issuers.getIssuer(issuerId);
    const badge = await achievements.getBadgeClass(run.badgeClassId);
    const tr = t(res);
    const progress = bulk.progressOf(run);
    const problems =
      run.status === 'preview' && run.invalidRows > 0
        ? (await bulk.problemRows(run._id, PROBLEMS_SHOWN)).flatMap((row) =>
            row.problems.map((p) => ({
              line: row.line,
              column: p.column,
              message: tr(p.messageKey, p.params ?? {}),
            })),
          )
        : [];
    const held = run.heldRows ?? 0;
    const toIssue = run.validRows - held;
    const recipients =
      run.status === 'preview' && toIssue > 0
        ? (await bulk.rowsToIssue(run._id, RECIPIENTS_SHOWN)).map((r) => ({
            line: r.line,
            email: r.email,
          }))
        : [];
    const base = `${bulkUrl(issuerId)}/${encodeURIComponent(run._id)}`;
    const title =
      run.status === 'preview'
        ? tr('bulk.preview.title')
        : run.status === 'running'
          ? tr('bulk.progress.title')
          : tr('bulk.summary.title');
    res.render('bulk/run', {
      pageTitle: title,
      title,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      badge: { id: badge._id, name: badge.name, version: badge.version },
      run: {
        id: run._id,
        fileName: run.fileName,
        preview: run.status === 'preview',
        running: run.status === 'running',
        done: run.status === 'done',
        failed: run.status === 'failed',
        failure: run.failure ? tr(run.failure) : '',
        invalid: run.invalidRows > 0,
      },
      progress,
      // Plural labels built here (the view's {{t}} takes no count).
      labels: {
        rows: tr('bulk.preview.rows', { count: run.rows }),
        valid: tr('bulk.preview.valid', { count: run.validRows }),
        invalid: tr('bulk.preview.invalid', { count: run.invalidRows }),
        held: tr('bulk.preview.held', { count: held }),
        confirm: tr('bulk.preview.confirm', { count: toIssue }),
        recipients: tr('bulk.preview.recipientsTitle', { count: toIssue }),
        moreRecipients: tr('bulk.preview.moreRecipients', { count: toIssue - recipients.length }),
        progress: tr('bulk.progress.counts', {
          processed: progress.processed,
          total: progress.validRows,
        }),
        issued: tr('bulk.summary.issued', { count: progress.issued }),
        already: tr('bulk.summary.already', { count: progress.already }),
        failed: tr('bulk.summary.failed', { count: progress.failed }),
        ignored: tr('bulk.summary.ignored', { count: run.invalidRows }),
      },
      problems,
      moreProblems: run.invalidRows > PROBLEMS_SHOWN,
      held,
      toIssue,
      recipients,
      moreRecipients: toIssue > recipients.length,
      confirmUrl: `${base}/confirmer`,
      reportUrl: `${base}/rapport.csv`,
      stateUrl: `${base}/etat.json`,
      uploadUrl: `${bulkUrl(issuerId)}?badge=${encodeURIComponent(run.badgeClassId)}`,
      ...(run.status === 'running'
        ? { refreshSeconds: REFRESH_SECONDS, scripts: ['/static/js/bulk-progress.js'] }
        : {}),
    });
  };

  const confirm: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const run = await bulk.confirm({
      actor: req.user!,
      ip: req.ip ?? '',
      issuerId,
      runId: param(req, 'runId'),
    });
    res.redirect(303, `${bulkUrl(issuerId)}/${encodeURIComponent(run._id)}`);
  };

  const state: RequestHandler = async (req, res) => {
    const run = await bulk.getRun(param(req, 'issuerId'), param(req, 'runId'));
    const tr = t(res);
    const progress = bulk.progressOf(run);
    res.set('Cache-Control', 'no-store').json({
      ...progress,
      label: tr('bulk.progress.counts', {
        processed: progress.processed,
        total: progress.validRows,
      }),
    });
  };

  const report: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const runId = param(req, 'runId');
    const csv = await bulk.report(issuerId, runId, res.locals.lang === 'en' ? 'en' : 'fr');
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="rapport-${runId}.csv"`)
      .set('Cache-Control', 'no-store')
      .send(csv);
  };

  return { showUpload, upload, showRun, confirm, state, report };
}
