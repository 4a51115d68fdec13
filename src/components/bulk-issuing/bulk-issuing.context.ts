import { createHash } from 'node:crypto';
import { type Principal } from '../../libraries/authz/authorization.js';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { AwardsRepository } from '../awards/awards.repository.js';
import { type AwardsUseCases } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { StatusListAllocator } from '../awards/status-list-allocator.js';
import { type BulkColumn } from './bulk-csv.js';
import type { BulkIssuingRepository } from './bulk-issuing.repository.js';
import type { BulkRunDoc } from './bulk-run.model.js';

/** Rows claimed and issued together: one insertMany per collection per batch. */
export const BULK_BATCH = 100;
export type Actor = Principal & { email?: string | undefined };

/** Which column of the file a field of the issuing checks comes from. */
export const COLUMN_OF_FIELD: Record<string, BulkColumn> = {
  recipientEmail: 'email',
  evidence: 'preuves',
  narrative: 'commentaire',
};

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A cell a spreadsheet will not run as a formula (the address column comes from the uploaded
 * file): a leading = + - @ tab or CR is quoted with an apostrophe.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
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

export interface BulkIssuingDeps {
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
}

/** What the bulk stories share: dependencies, row keys, runs and their progress. */
export function bulkIssuingContext(deps: BulkIssuingDeps) {
  const { repo } = deps;
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

  return { ...deps, rowKey, getRun, principalOf, progressOf };
}
export type BulkIssuingContext = ReturnType<typeof bulkIssuingContext>;
