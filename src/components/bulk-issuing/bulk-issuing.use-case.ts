import { createHash, randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { isLanguage, translator } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { AwardDoc } from '../awards/award.model.js';
import type { AwardsRepository } from '../awards/awards.repository.js';
import { newAwardId, type AwardsUseCases, type IssuingContext } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { StatusListAllocator } from '../awards/status-list-allocator.js';
import { parseBulkCsv, type BulkColumn } from './bulk-csv.js';
import type { BulkIssuingRepository } from './bulk-issuing.repository.js';
import type { BulkResultDoc, BulkRowDoc, BulkRunDoc } from './bulk-run.model.js';

/** Rows signed and written together: one insertMany per collection per batch. */
export const BULK_BATCH = 100;
/** Emails leaving at once (the outbox or the SMTP server). */
const MAIL_CONCURRENCY = 8;

type Actor = Principal & { email?: string | undefined };

/** Which column of the file a field of the issuing checks comes from. */
const COLUMN_OF_FIELD: Record<string, BulkColumn> = {
  recipientEmail: 'email',
  evidence: 'preuves',
  narrative: 'commentaire',
};

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A cell a spreadsheet will not run as a formula (the address column comes from the uploaded
 * file): a leading = + - @ tab or CR is quoted with an apostrophe.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

export interface BulkProgress {
  status: BulkRunDoc['status'];
  rows: number;
  validRows: number;
  processed: number;
  issued: number;
  already: number;
  failed: number;
  percent: number;
}

export function bulkIssuingUseCases(deps: {
  clock: () => Date;
  logger: Logger;
  audit: Audit;
  repo: BulkIssuingRepository;
  awards: AwardsUseCases;
  awardsRepo: AwardsRepository;
  badgeClasses: BadgeClassRepository;
  users: UserRepository;
  allocate: StatusListAllocator;
  urls: PublicUrls;
}) {
  const { clock, logger, audit, repo, awards, awardsRepo, users } = deps;
  /** Runs this process is issuing now, and their promises (tests and shutdown wait on them). */
  const active = new Map<string, Promise<void>>();
  let stopping = false;

  /**
   * A row's idempotency key: the same person and the same badge version from any file issue
   * once. The address is hashed (the key is stored apart from the award).
   */
  function rowKey(run: Pick<BulkRunDoc, 'badgeClassId'>, email: string): string {
    return `csv:${run.badgeClassId}:${sha256(email).slice(0, 32)}`;
  }

  async function getRun(issuerId: string, runId: string): Promise<BulkRunDoc> {
    const run = await repo.findRun(runId);
    if (!run || run.issuerId !== issuerId) throw new NotFoundError();
    return run;
  }

  function principalOf(run: BulkRunDoc): Actor {
    const a = run.actor;
    return {
      id: a.id,
      email: a.email,
      isAdmin: a.isAdmin,
      roles: a.role ? { [run.issuerId]: a.role as never } : {},
    };
  }

  function progressOf(run: BulkRunDoc): BulkProgress {
    const p = run.progress;
    return {
      status: run.status,
      rows: run.rows,
      validRows: run.validRows,
      ...p,
      percent:
        run.status === 'done'
          ? 100
          : run.validRows
            ? Math.floor((100 * p.processed) / run.validRows)
            : 0,
    };
  }

  /** Signs, stores and announces one batch of rows. Returns their results. */
  async function issueBatch(
    ctx: IssuingContext,
    run: BulkRunDoc,
    batch: BulkRowDoc[],
  ): Promise<BulkResultDoc[]> {
    const issuerId = run.issuerId;
    const results = new Map<number, BulkResultDoc>();
    const result = (row: BulkRowDoc, r: Omit<BulkResultDoc, '_id' | 'runId' | 'index'>) =>
      results.set(row.index, {
        _id: `${run._id}:${row.index}`,
        runId: run._id,
        index: row.index,
        ...r,
      });

    // 1. Claim each row's key: the award id it gets, whoever gets there first.
    const claims = batch.map((row) => ({
      _id: `${issuerId}:${rowKey(run, row.email)}`,
      awardId: newAwardId(),
      runId: run._id,
      index: row.index,
    }));
    const taken = await repo.insertClaims(claims);
    const toIssue: { row: BulkRowDoc; awardId: string }[] = [];
    for (const [i, row] of batch.entries()) {
      const claim = claims[i]!;
      if (!taken.has(claim._id)) {
        toIssue.push({ row, awardId: claim.awardId });
        continue;
      }
      const earlier = await repo.findClaim(claim._id);
      if (!earlier) throw new Error(`claim ${claim._id} vanished`);
      const mine = earlier.runId === run._id && earlier.index === row.index;
      if (await awardsRepo.exists(earlier.awardId)) {
        // Issued before: by another file or run ("already"), or by this row before a restart
        // (then perhaps not yet counted in the catalogue).
        result(row, { status: mine ? 'issued' : 'already', awardId: earlier.awardId });
        if (mine) {
          await awardsRepo.ensureTallied([
            { _id: earlier.awardId, issuerId, badgeClassId: run.badgeClassId },
          ]);
        }
      } else {
        // Claimed but not issued (a crash between the two, or a run still going): the award's
        // unique `_id` decides who issues it.
        toIssue.push({ row, awardId: earlier.awardId });
      }
    }

    // 2. Sign the new awards (CPU), with their status list slots and accounts.
    const accounts = new Map(
      (await users.findByEmails(toIssue.map((x) => x.row.email))).map((u) => [u.email, u]),
    );
    const slots = await deps.allocate.allocateMany(
      issuerId,
      toIssue.map((x) => x.awardId),
    );
    const signed: { row: BulkRowDoc; award: AwardDoc }[] = [];
    for (const [i, { row, awardId }] of toIssue.entries()) {
      try {
        const checked = awards.checkIssueRequest(ctx.badgeClass, {
          recipientEmail: row.email,
          evidence: row.evidence,
          narrative: row.narrative,
        });
        const award = await awards.signAward(ctx, {
          id: awardId,
          slot: slots[i]!,
          ...checked,
          recipientUser: accounts.get(checked.email) ?? null,
          lang: row.lang ?? run.lang,
          idempotencyKey: `${issuerId}:${rowKey(run, row.email)}`,
        });
        signed.push({ row, award });
      } catch (err) {
        logger.warn(
          { runId: run._id, line: row.line, err: (err as Error).message },
          'bulk row failed',
        );
        result(row, { status: 'failed', message: (err as Error).message.slice(0, 200) });
      }
    }

    // 3. Store them at once; an id taken meanwhile means another process issued it.
    const refused = await awardsRepo.insertMany(signed.map((s) => s.award));
    const inserted = signed.filter((s) => !refused.has(s.award._id));
    for (const s of signed) {
      if (refused.has(s.award._id)) result(s.row, { status: 'already', awardId: s.award._id });
    }
    await audit.recordMany(
      inserted.map(({ award }) => ({
        action: 'award.issued' as const,
        actor: ctx.actor,
        target: { type: 'award', id: award._id },
        issuerId,
        ip: ctx.ip,
        details: { badge: ctx.badgeClass.name, email: award.recipient.email, job: run._id },
      })),
    );

    // 4. Tell each person (at most once: a crash before the results means no second email).
    await eachLimited(inserted, MAIL_CONCURRENCY, async ({ row, award }) => {
      const account = accounts.get(award.recipient.email);
      const mailSent = await awards.sendAwardEmail(ctx, award, account?.name);
      result(row, { status: 'issued', awardId: award._id, mailSent });
    });
    return batch.map((row) => results.get(row.index)!).filter(Boolean);
  }

  async function processRun(runId: string): Promise<void> {
    const run = await repo.findRun(runId);
    if (!run || run.status !== 'running') return;
    let ctx: IssuingContext;
    try {
      ctx = await awards.createIssuingContext({
        actor: principalOf(run),
        ip: run.ip,
        issuerId: run.issuerId,
        badgeClassId: run.badgeClassId,
      });
    } catch (err) {
      const failure = err instanceof ValidationError ? 'bulk.failure.badge' : 'bulk.failure.other';
      logger.warn({ runId, err: (err as Error).message }, 'bulk run cannot start');
      await repo.update(runId, { status: 'failed', failure, finishedAt: clock() });
      return;
    }
    const rows = (await repo.rowsOf(runId)).filter((r) => r.problems.length === 0);
    const earlier = await repo.resultsOf(runId);
    const done = new Set(earlier.map((r) => r.index));
    const progress = { processed: 0, issued: 0, already: 0, failed: 0 };
    const count = (r: BulkResultDoc) => {
      progress.processed++;
      progress[r.status]++;
    };
    earlier.forEach(count);
    const todo = rows.filter((r) => !done.has(r.index));
    if (earlier.length)
      logger.info({ runId, done: earlier.length, todo: todo.length }, 'bulk run resumed');
    for (let i = 0; i < todo.length && !stopping; i += BULK_BATCH) {
      const results = await issueBatch(ctx, run, todo.slice(i, i + BULK_BATCH));
      await repo.insertResults(results);
      results.forEach(count);
      await repo.update(runId, { progress: { ...progress } });
    }
    if (stopping) return;
    await repo.update(runId, { status: 'done', progress, finishedAt: clock() });
    logger.info({ runId, ...progress }, 'bulk run done');
  }

  function start(runId: string): Promise<void> {
    const running = active.get(runId);
    if (running) return running;
    const promise = processRun(runId)
      .catch((err: unknown) => {
        // The run stays "running": the next start (or a restart) takes it up again.
        logger.error({ runId, err: (err as Error).message }, 'bulk run interrupted');
      })
      .finally(() => active.delete(runId));
    active.set(runId, promise);
    return promise;
  }

  return {
    getRun,
    progressOf,

    /**
     * Reads an uploaded CSV for a badge and checks every row, issuing nothing: the run is kept
     * as a preview the coordinator confirms. File-level problems (no email column, too many
     * rows, not a CSV) are a ValidationError on `fichier`.
     */
    async upload(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      badgeClassId: string;
      fileName: string;
      text: string | undefined;
      lang: string;
    }): Promise<BulkRunDoc> {
      authorize(input.actor, 'award.issue', { issuerId: input.issuerId });
      const errors: FieldError[] = [];
      const badge = await deps.badgeClasses.findById(input.badgeClassId);
      const issuable =
        badge &&
        badge.issuerId === input.issuerId &&
        badge.status === 'active' &&
        !(await deps.badgeClasses.findNextVersion(badge._id));
      if (!issuable) errors.push({ field: 'badgeClassId', messageKey: 'awards.errors.badgeClass' });
      if (input.text === undefined) {
        errors.push({ field: 'fichier', messageKey: 'bulk.errors.noFile' });
        throw new ValidationError(errors);
      }
      const parsed = parseBulkCsv(input.text);
      if (!parsed.ok) {
        errors.push({
          field: 'fichier',
          messageKey: parsed.messageKey,
          params: parsed.params ?? {},
        });
      }
      if (errors.length || !parsed.ok || !badge) throw new ValidationError(errors);

      const runId = randomBytes(9).toString('base64url');
      const firstLine = new Map<string, number>();
      const rows: BulkRowDoc[] = parsed.rows.map((r, index) => {
        const problems: BulkRowDoc['problems'] = [];
        const cells = r.cells;
        let email = cells.email.trim().toLowerCase();
        const evidence = [
          ...cells.preuves
            .split(/[\s|]+/)
            .filter(Boolean)
            .map((url) => ({ url })),
          ...(cells.description ? [{ narrative: cells.description }] : []),
        ];
        try {
          const checked = awards.checkIssueRequest(badge, {
            recipientEmail: cells.email,
            evidence,
            narrative: cells.commentaire,
          });
          email = checked.email;
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          for (const e of err.fieldErrors) {
            const column = COLUMN_OF_FIELD[e.field] ?? 'email';
            problems.push(
              column === 'email'
                ? cells.email
                  ? {
                      column,
                      messageKey: 'bulk.problems.email',
                      params: { value: cells.email.slice(0, 80) },
                    }
                  : { column, messageKey: 'bulk.problems.emailMissing' }
                : {
                    column,
                    messageKey: e.messageKey,
                    params: (e.params ?? {}) as Record<string, string | number>,
                  },
            );
          }
        }
        if (cells.langue && !isLanguage(cells.langue.toLowerCase())) {
          problems.push({
            column: 'langue',
            messageKey: 'bulk.problems.lang',
            params: { value: cells.langue.slice(0, 20) },
          });
        }
        if (email && problems.every((p) => p.column !== 'email')) {
          const seen = firstLine.get(email);
          if (seen !== undefined) {
            problems.push({
              column: 'email',
              messageKey: 'bulk.problems.duplicate',
              params: { line: seen },
            });
          } else firstLine.set(email, r.line);
        }
        const lang = cells.langue.toLowerCase();
        return {
          _id: `${runId}:${index}`,
          runId,
          index,
          line: r.line,
          email,
          evidence,
          narrative: cells.commentaire,
          ...(isLanguage(lang) ? { lang } : {}),
          problems,
        };
      });
      const invalid = rows.filter((r) => r.problems.length > 0).length;
      const run: BulkRunDoc = {
        _id: runId,
        issuerId: input.issuerId,
        badgeClassId: badge._id,
        fileName: input.fileName.slice(0, 200),
        status: 'preview',
        actor: {
          id: input.actor.id,
          ...(input.actor.email ? { email: input.actor.email } : {}),
          isAdmin: input.actor.isAdmin,
          ...(input.actor.roles[input.issuerId] ? { role: input.actor.roles[input.issuerId] } : {}),
        },
        ip: input.ip,
        lang: input.lang === 'en' ? 'en' : 'fr',
        rows: rows.length,
        validRows: rows.length - invalid,
        invalidRows: invalid,
        progress: { processed: 0, issued: 0, already: 0, failed: 0 },
        createdAt: clock(),
      };
      await repo.insertRun(run, rows);
      return run;
    },

    /** The rows to fix, in file order (at most `limit`). */
    async problemRows(runId: string, limit: number): Promise<BulkRowDoc[]> {
      return (await repo.rowsOf(runId)).filter((r) => r.problems.length > 0).slice(0, limit);
    },

    /**
     * Starts issuing a previewed run in the background. Confirming twice, or a run already
     * going or done, changes nothing.
     */
    async confirm(input: { actor: Actor; ip: string; issuerId: string; runId: string }) {
      authorize(input.actor, 'award.issue', { issuerId: input.issuerId });
      const run = await getRun(input.issuerId, input.runId);
      if (run.status !== 'preview' || run.validRows === 0) return run;
      const actor = {
        id: input.actor.id,
        ...(input.actor.email ? { email: input.actor.email } : {}),
        isAdmin: input.actor.isAdmin,
        ...(input.actor.roles[input.issuerId] ? { role: input.actor.roles[input.issuerId] } : {}),
      };
      await repo.update(run._id, {
        status: 'running',
        confirmedAt: clock(),
        actor,
        ip: input.ip,
      });
      await audit.record({
        action: 'bulkIssue.confirmed',
        actor: input.actor,
        target: { type: 'bulkRun', id: run._id },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { file: run.fileName, rows: run.validRows, badge: run.badgeClassId },
      });
      void start(run._id);
      return { ...run, status: 'running' as const };
    },

    /** Takes up the runs a stopped server left unfinished (server.ts calls it at start). */
    async resumeAll(): Promise<number> {
      const runs = await repo.runningRuns();
      for (const run of runs) void start(run._id);
      return runs.length;
    },

    /** Resolves when no run is being issued by this process (tests, shutdown). */
    async idle(): Promise<void> {
      while (active.size) await Promise.all([...active.values()]);
    },

    /** Lets the current batches end and starts no new one (shutdown). */
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all([...active.values()]);
    },

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
          r?.awardId ? deps.urls.assertion(r.awardId) : '',
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
export type BulkIssuingUseCases = ReturnType<typeof bulkIssuingUseCases>;
