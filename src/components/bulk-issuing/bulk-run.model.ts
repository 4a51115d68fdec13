import { Schema, type Connection } from 'mongoose';
import type { AwardEvidence } from '../awards/award.model.js';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * One CSV file issued in the background. `preview` after the upload (rows checked, nothing
 * issued), `running` once confirmed (the server resumes it after a restart), `done` at the end,
 * `failed` when the run could not go on (the badge was archived meanwhile, for example). The
 * counters are written by the one process that runs it; the `bulk_results` records are the
 * authority (the report is built from them).
 */
export interface BulkRunDoc {
  _id: string;
  issuerId: string;
  badgeClassId: string;
  fileName: string;
  status: 'preview' | 'running' | 'done' | 'failed';
  /** Who uploaded and confirmed it (the issuing actor when it resumes after a restart). */
  actor: { id: string; email?: string; isAdmin: boolean; role?: string };
  ip: string;
  /** Email language for people without an account. */
  lang: 'fr' | 'en';
  rows: number;
  validRows: number;
  invalidRows: number;
  /** Valid rows whose person already held the badge when the file was read (not issued again). */
  heldRows?: number;
  progress: { processed: number; issued: number; already: number; failed: number };
  failure?: string;
  createdAt: Date;
  confirmedAt?: Date;
  finishedAt?: Date;
}

/** One data row of the file (`_id` = `<runId>:<index>`), with what is wrong with it. */
export interface BulkRowDoc {
  _id: string;
  runId: string;
  index: number;
  /** Line in the file (the header is line 1). */
  line: number;
  email: string;
  evidence: AwardEvidence[];
  narrative: string;
  lang?: 'fr' | 'en';
  /** Per-cell problems, in plain words (keys of locales, with their column). */
  problems: { column: string; messageKey: string; params?: Record<string, string | number> }[];
  /** At preview time, this person already held a valid award of the badge: nothing to issue. */
  alreadyHeld?: boolean;
}

/**
 * Insert-only outcome of one row (`_id` = `<runId>:<index>`): written after the award, so a
 * row without a result is processed again after a restart.
 */
export interface BulkResultDoc {
  _id: string;
  runId: string;
  index: number;
  status: 'issued' | 'already' | 'failed';
  awardId?: string;
  mailSent?: boolean;
  message?: string;
}

/**
 * Insert-only: which award a row's idempotency key gets (`_id` = `<issuerId>:csv:<badge>:<hash of
 * the address>`). Claimed before signing, so the same person and badge from any file, any
 * run, or a run resumed after a crash always lands on one award id: the award's unique `_id`
 * then makes issuing happen once. Looked up by `_id` only (fast on both engines).
 */
export interface BulkClaimDoc {
  _id: string;
  awardId: string;
  runId: string;
  index: number;
}

const runSchema = new Schema<BulkRunDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    badgeClassId: { type: String, required: true },
    fileName: { type: String, default: '' },
    status: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    ip: { type: String, default: '' },
    lang: { type: String, default: 'fr' },
    rows: { type: Number, required: true },
    validRows: { type: Number, required: true },
    invalidRows: { type: Number, required: true },
    heldRows: { type: Number },
    progress: { type: Schema.Types.Mixed, required: true },
    failure: String,
    createdAt: { type: Date, required: true },
    confirmedAt: Date,
    finishedAt: Date,
  },
  { collection: 'bulk_runs', versionKey: false, minimize: false },
);
runSchema.index({ status: 1 });
runSchema.index({ badgeClassId: 1, status: 1 });

const rowSchema = new Schema<BulkRowDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    index: { type: Number, required: true },
    line: { type: Number, required: true },
    email: { type: String, default: '' },
    evidence: { type: Schema.Types.Mixed, default: [] },
    narrative: { type: String, default: '' },
    lang: String,
    problems: { type: Schema.Types.Mixed, default: [] },
    alreadyHeld: { type: Boolean },
  },
  { collection: 'bulk_rows', versionKey: false, minimize: false },
);
rowSchema.index({ runId: 1, index: 1 });

const resultSchema = new Schema<BulkResultDoc>(
  {
    _id: { type: String, required: true },
    runId: { type: String, required: true },
    index: { type: Number, required: true },
    status: { type: String, required: true },
    awardId: String,
    mailSent: Boolean,
    message: String,
  },
  { collection: 'bulk_results', versionKey: false },
);
resultSchema.index({ runId: 1, index: 1 });

const claimSchema = new Schema<BulkClaimDoc>(
  {
    _id: { type: String, required: true },
    awardId: { type: String, required: true },
    runId: { type: String, required: true },
    index: { type: Number, required: true },
  },
  { collection: 'bulk_claims', versionKey: false },
);

export const bulkRunModel = (db: Connection) => modelOf(db, 'BulkRun', runSchema);
export const bulkRowModel = (db: Connection) => modelOf(db, 'BulkRow', rowSchema);
export const bulkResultModel = (db: Connection) => modelOf(db, 'BulkResult', resultSchema);
export const bulkClaimModel = (db: Connection) => modelOf(db, 'BulkClaim', claimSchema);
