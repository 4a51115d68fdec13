import { issuersWithRole, type Principal } from '../../libraries/authz/authorization.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { UserDoc } from '../accounts/user.model.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { AuditAction, AuditDetailValue, AuditEventDoc } from './audit.model.js';
import type { AuditFilter, AuditRepository } from './audit.repository.js';

// The audit page filters and renders these.
export { auditActions } from './audit.model.js';
export type { AuditAction, AuditDetailValue, AuditEventDoc, AuditFilter };

export interface AuditInput {
  action: AuditAction;
  actor?: { id: string; email?: string | undefined } | null | undefined;
  target?: { type: string; id: string } | null | undefined;
  issuerId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, AuditDetailValue | undefined> | undefined;
  /** Written once whatever the retries: an event with the same key is skipped. */
  onceKey?: string;
}

/** Keys that must never reach the log, whatever a caller passes. */
const SECRET_KEY = /pass|token|secret|hash|key|cookie|session/i;

export interface Audit {
  /**
   * Appends one event. Issuing features call it too:
   * `audit.record({ action: 'award.revoked', actor: user, target: { type: 'award', id },
   * issuerId, ip: req.ip, details: { reason } })`.
   */
  record(input: AuditInput): Promise<void>;
  /** Appends many events in one write (the awards of a CSV run). */
  recordMany(inputs: AuditInput[]): Promise<void>;
  page(filter: AuditFilter, limit: number): Promise<{ events: AuditEventDoc[]; next?: string }>;
}

export function createAudit(deps: {
  repo: AuditRepository;
  clock: () => Date;
  logger: Logger;
}): Audit {
  function toEvent(input: AuditInput): Omit<AuditEventDoc, '_id'> {
    const details: Record<string, AuditDetailValue> = {};
    for (const [k, v] of Object.entries(input.details ?? {})) {
      if (v === undefined) continue;
      if (SECRET_KEY.test(k)) {
        deps.logger.warn({ action: input.action, key: k }, 'audit detail dropped: looks secret');
        continue;
      }
      details[k] = typeof v === 'string' ? v.slice(0, 500) : v;
    }
    return {
      at: deps.clock(),
      action: input.action,
      actorId: input.actor?.id ?? null,
      actorLabel: input.actor?.email ?? null,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      issuerId: input.issuerId ?? null,
      ip: input.ip ?? null,
      details,
      ...(input.onceKey ? { onceKey: input.onceKey } : {}),
    };
  }
  return {
    async record(input) {
      await deps.repo.insert(toEvent(input));
    },
    async recordMany(inputs) {
      await deps.repo.insertMany(inputs.map(toEvent));
    },
    page: (filter, limit) => deps.repo.page(filter, limit),
  };
}

/** What the audit page reads besides the events: the issuers a reader sees, accounts by address. */
export function auditPageReads(deps: { users: UserRepository; issuers: IssuerRepository }) {
  return {
    /** Admins see every issuer; owners the issuers they own. */
    visibleIssuers: (user: Principal): Promise<IssuerDoc[]> =>
      user.isAdmin ? deps.issuers.list() : deps.issuers.findByIds(issuersWithRole(user, ['owner'])),
    findUserByEmail: (email: string): Promise<UserDoc | null> => deps.users.findByEmail(email),
    usersByIds: (ids: string[]): Promise<UserDoc[]> => deps.users.findByIds(ids),
  };
}
export type AuditPageReads = ReturnType<typeof auditPageReads>;
