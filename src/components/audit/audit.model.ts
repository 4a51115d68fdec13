import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * Every security act and, later, every issuing act. Add new actions here (and their French
 * and English labels under `audit.actions` in locales/).
 */
export const auditActions = [
  'signIn.success',
  'signIn.failure',
  'signIn.locked',
  'signOut',
  'sessions.revokedOthers',
  'account.created',
  'account.profileUpdated',
  'password.changed',
  'password.resetRequested',
  'password.reset',
  'password.setLinkCreated',
  'email.changeRequested',
  'email.changed',
  'issuer.created',
  'issuer.updated',
  'invitation.sent',
  'invitation.accepted',
  'invitation.cancelled',
  'membership.added',
  'membership.roleChanged',
  'membership.removed',
  'framework.imported',
  // Issuing acts (recorded by the badge features).
  'badgeClass.created',
  'badgeClass.updated',
  'badgeClass.versioned',
  'badgeClass.archived',
  'badgeClass.restored',
  'bulkIssue.confirmed',
  'award.issued',
  'award.revoked',
  'endorsement.created',
  'key.rotated',
  'key.compromised',
  'key.awardsReissued',
  'award.reissued',
  // Badge requests and co-issuance (dashboard issue, "review" part).
  'request.submitted',
  'request.resubmitted',
  'request.returned',
  'request.rejected',
  'request.approved',
  'badgeClass.quorumChanged',
  // My data (GDPR): export, deletion request and deletion.
  'account.exported',
  'account.deletionRequested',
  'account.deleted',
  // Open data (src/components/open-data): which issuers publish.
  'openData.settingsUpdated',
  // Open Badges 3.0 API (src/components/ob-api): applications and the access people give them.
  'apiClient.registered',
  'apiAccess.granted',
  'apiAccess.revoked',
  // Wallets (src/components/wallet): an offer made to the recipient, a credential delivered.
  'wallet.offered',
  'wallet.delivered',
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditDetailValue = string | number | boolean | null;

/** Append-only: the code has no update or delete path for this collection. */
export interface AuditEventDoc {
  _id: Types.ObjectId;
  at: Date;
  action: AuditAction;
  /** The person who acted (null: anonymous, e.g. a failed sign-in). */
  actorId: string | null;
  /** Their email at the time, so the log stays readable after changes. */
  actorLabel: string | null;
  targetType: string | null;
  targetId: string | null;
  issuerId: string | null;
  ip: string | null;
  details: Record<string, AuditDetailValue>;
  /**
   * Set on events that must be written once whatever the retries (`award.issued:<award id>`):
   * an issuing step cut off by a crash is redone, and its journal line must not double.
   */
  onceKey?: string;
}

const schema = new Schema<AuditEventDoc>(
  {
    at: { type: Date, required: true },
    action: { type: String, required: true },
    actorId: { type: String, default: null },
    actorLabel: { type: String, default: null },
    targetType: { type: String, default: null },
    targetId: { type: String, default: null },
    issuerId: { type: String, default: null },
    ip: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: {} },
    onceKey: { type: String },
  },
  { collection: 'auditEvents', versionKey: false, minimize: false },
);
// Pages read newest first by _id; these help MongoDB when filtering (FerretDB scans anyway).
schema.index({ issuerId: 1, _id: -1 });
schema.index({ action: 1, _id: -1 });
// Unique where present (sparse: most events have none).
schema.index({ onceKey: 1 }, { unique: true, sparse: true });

export function auditEventModel(db: Connection): Model<AuditEventDoc> {
  return modelOf<AuditEventDoc>(db, 'AuditEvent', schema);
}
