import { authorize } from '../../libraries/authz/authorization.js';
import { ValidationError, isDatabaseUnavailable } from '../../libraries/errors/app-error.js';
import { newAwardId, type IssuingContext } from '../awards/awards.use-case.js';
import type { BulkResultDoc, BulkRowDoc, BulkRunDoc } from './bulk-run.model.js';

import { BULK_BATCH, type Actor, type BulkIssuingContext } from './bulk-issuing.context.js';

/** Pause before taking up a run that the database's absence interrupted. */
const RETRY_AFTER_OUTAGE_MS = 2000;

/** The run: batches signed, stored and announced in the background, resumed after a restart. */
export function bulkRunUseCases(ctx: BulkIssuingContext) {
  const { clock, logger, audit, repo, awards, awardsRepo } = ctx;
  const { rowKey, getRun, principalOf } = ctx;
  /** Runs this process is issuing now, and their promises (tests and shutdown wait on them). */
  const active = new Map<string, Promise<void>>();
  let stopping = false;

  /** Claims one batch of rows and has the awards pipeline issue them. Returns their results. */
  async function issueBatch(
    ctx: IssuingContext,
    run: BulkRunDoc,
    rows: BulkRowDoc[],
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

    // 0. Who already held the badge when the file was read (one by one, or another file)
    // gets nothing more, as the preview said.
    for (const row of rows) if (row.alreadyHeld) result(row, { status: 'already' });
    const batch = rows.filter((row) => !row.alreadyHeld);

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
      const exists = await awardsRepo.exists(earlier.awardId);
      if (exists && !mine) {
        // Issued before, by another file or run.
        result(row, { status: 'already', awardId: earlier.awardId });
      } else if (
        exists &&
        (await awardsRepo.tallied([earlier.awardId])).size === 1 &&
        (await awardsRepo.announced([earlier.awardId])).size === 1
      ) {
        // Issued and announced by this row before a restart: only its result was lost.
        result(row, { status: 'issued', awardId: earlier.awardId });
      } else {
        // Claimed but not issued (a crash between the two, or a run still going), or issued
        // by this row before a crash, perhaps not yet counted nor announced: the award's
        // unique `_id` decides who issues it, and the pipeline finishes an interrupted one
        // (its email included: this runner is the only one finishing this run's rows).
        toIssue.push({ row, awardId: earlier.awardId });
      }
    }

    // 2. The awards pipeline signs, stores (unordered, the claimed ids decide), audits and
    // announces the batch.
    const outcomes = await awards.issueMany(
      ctx,
      toIssue.map(({ row, awardId }) => ({
        request: {
          recipientEmail: row.email,
          evidence: row.evidence,
          narrative: row.narrative,
          lang: row.lang ?? run.lang,
          idempotencyKey: rowKey(run, row.email),
          awardId,
        },
        auditDetails: { job: run._id },
      })),
      { finishAnnouncements: true },
    );
    for (const [i, outcome] of outcomes.entries()) {
      const { row } = toIssue[i]!;
      if (outcome.status === 'issued') {
        result(row, { status: 'issued', awardId: outcome.award._id, mailSent: outcome.mailSent });
      } else if (outcome.status === 'already') {
        // The row's own claimed id: this row issued it (before a restart or an outage).
        const own = outcome.awardId === toIssue[i]!.awardId;
        result(row, { status: own ? 'issued' : 'already', awardId: outcome.awardId });
      } else {
        logger.warn(
          { runId: run._id, line: row.line, err: outcome.error.message },
          'bulk row failed',
        );
        result(row, { status: 'failed', message: outcome.error.message.slice(0, 200) });
      }
    }
    return rows.map((row) => results.get(row.index)!).filter(Boolean);
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
    // Two batches at a time: one is signed on the signing threads while the other is stored
    // and announced from this thread.
    const finishBatch = async (batch: Promise<BulkResultDoc[]>) => {
      const results = await batch;
      await repo.insertResults(results);
      results.forEach(count);
      await repo.update(runId, { progress: { ...progress } });
    };
    let previous: Promise<void> = Promise.resolve();
    for (let i = 0; i < todo.length && !stopping; i += BULK_BATCH) {
      const batch = issueBatch(ctx, run, todo.slice(i, i + BULK_BATCH));
      batch.catch(() => {}); // awaited below, in order
      await previous;
      previous = finishBatch(batch);
    }
    await previous;
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
        logger.error(
          { runId, err: (err as Error).message, errName: (err as Error).name },
          'bulk run interrupted',
        );
        // The database went away: this process takes the run up again once it is back,
        // without waiting for a restart (claims and unique ids make the retry issue nothing
        // twice).
        if (isDatabaseUnavailable(err) && !stopping) {
          setTimeout(() => {
            if (!stopping) void start(runId);
          }, RETRY_AFTER_OUTAGE_MS).unref();
        }
      })
      .finally(() => active.delete(runId));
    active.set(runId, promise);
    return promise;
  }

  return {
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
        // The badge by its name, as the other events say it: the journal is read by people.
        details: {
          file: run.fileName,
          rows: run.validRows,
          badge: (await ctx.badgeClasses.findById(run.badgeClassId))?.name ?? run.badgeClassId,
        },
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
  };
}
