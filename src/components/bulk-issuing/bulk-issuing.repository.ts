import type { Connection } from 'mongoose';
import { duplicatesOf } from '../../libraries/db/duplicates-of.js';
import {
  bulkClaimModel,
  bulkResultModel,
  bulkRowModel,
  bulkRunModel,
  type BulkClaimDoc,
  type BulkResultDoc,
  type BulkRowDoc,
  type BulkRunDoc,
} from './bulk-run.model.js';

const CHUNK = 1000;

export function bulkIssuingRepository(db: Connection) {
  const Run = bulkRunModel(db);
  const Row = bulkRowModel(db);
  const Result = bulkResultModel(db);
  const Claim = bulkClaimModel(db);
  return {
    async insertRun(run: BulkRunDoc, rows: BulkRowDoc[]): Promise<void> {
      // Rows first: a run is only visible once all its rows are there.
      for (let i = 0; i < rows.length; i += CHUNK) {
        await Row.insertMany(rows.slice(i, i + CHUNK), { ordered: true, lean: true });
      }
      await Run.create(run);
    },
    findRun: (id: string) => Run.findById(id).lean<BulkRunDoc>().exec(),
    /** Every row of a run in file order (a run holds at most 10,000 small rows). */
    rowsOf: (runId: string) => Row.find({ runId }).sort({ index: 1 }).lean<BulkRowDoc[]>().exec(),
    resultsOf: (runId: string) =>
      Result.find({ runId }).sort({ index: 1 }).lean<BulkResultDoc[]>().exec(),
    /** Runs a restarted server must take up again. */
    runningRuns: () => Run.find({ status: 'running' }).lean<BulkRunDoc[]>().exec(),
    /** Whether a confirmed run (running or done) issues this badge: it is then "issued". */
    async confirmedRunFor(badgeClassId: string): Promise<boolean> {
      const run = await Run.findOne(
        { badgeClassId, status: { $in: ['running', 'done'] } },
        { _id: 1 },
      )
        .lean()
        .exec();
      return run !== null;
    },
    async update(
      id: string,
      set: Partial<
        Pick<
          BulkRunDoc,
          'status' | 'progress' | 'failure' | 'confirmedAt' | 'finishedAt' | 'actor' | 'ip'
        >
      >,
    ): Promise<void> {
      await Run.updateOne({ _id: id }, { $set: set }).exec();
    },
    /** Results are insert-only; one already written (a resumed batch) is left as it was. */
    insertResults: (results: BulkResultDoc[]) => duplicatesOf(Result, results),
    /** Claims row keys; returns the keys already claimed (by this row before a crash, or others). */
    insertClaims: (claims: BulkClaimDoc[]) => duplicatesOf(Claim, claims),
    findClaim: (id: string) => Claim.findById(id).lean<BulkClaimDoc>().exec(),
  };
}
export type BulkIssuingRepository = ReturnType<typeof bulkIssuingRepository>;
