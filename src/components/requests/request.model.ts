import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * submitted: waiting for a coordinator (and, for a badge with a quorum, for recommendations);
 * returned: "à compléter", the mediator edits and sends it again (a new revision);
 * approved: the badge is issued (`awardId`); rejected: "refusée", with a reason.
 */
export const requestStatuses = ['submitted', 'returned', 'approved', 'rejected'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export interface RequestFileRef {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/**
 * A badge request ("demande de badge"). `_id` is random (in the URLs of the requester and
 * the coordinators only). `status` is for lists; the insert-only decisions are the authority
 * (a decision exists at most once per revision).
 */
export interface BadgeRequestDoc {
  _id: string;
  issuerId: string;
  badgeClassId: string;
  requesterUserId: string;
  requesterName: string;
  /** The account's address when it was sent (the badge goes to the account's address then). */
  requesterEmail: string;
  /** Lower case, without accents: name and address, for the queue's search. */
  requesterSearch: string;
  status: RequestStatus;
  /** 1 at the first submission, +1 at each resubmission after a return. */
  revision: number;
  links: string[];
  text: string;
  file?: RequestFileRef;
  /**
   * The award id reserved for this request: recommendations gathered before issuance name
   * this award, which the approval issues with exactly this id.
   */
  awardId: string;
  /** `<userId>:<form key>`: the same form sent twice makes one request. */
  submissionKey: string;
  submissions: { revision: number; at: Date }[];
  createdAt: Date;
  updatedAt: Date;
  decidedAt?: Date;
}

const fileRefSchema = new Schema<RequestFileRef>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
  },
  { _id: false },
);

const requestSchema = new Schema<BadgeRequestDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    badgeClassId: { type: String, required: true },
    requesterUserId: { type: String, required: true },
    requesterName: { type: String, required: true },
    requesterEmail: { type: String, required: true },
    requesterSearch: { type: String, required: true },
    status: { type: String, required: true, enum: requestStatuses },
    revision: { type: Number, required: true },
    links: { type: [String], default: [] },
    text: { type: String, default: '' },
    file: { type: fileRefSchema },
    awardId: { type: String, required: true },
    submissionKey: { type: String, required: true },
    submissions: {
      type: [
        new Schema(
          { revision: { type: Number, required: true }, at: { type: Date, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    decidedAt: { type: Date },
  },
  { collection: 'badge_requests', versionKey: false },
);
requestSchema.index({ submissionKey: 1 }, { unique: true });
requestSchema.index({ issuerId: 1, status: 1, updatedAt: -1 });
requestSchema.index({ requesterUserId: 1, createdAt: -1 });

export function badgeRequestModel(db: Connection): Model<BadgeRequestDoc> {
  return modelOf<BadgeRequestDoc>(db, 'BadgeRequest', requestSchema);
}

export const decisionKinds = ['approved', 'returned', 'rejected'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

/**
 * Insert-only: the coordinator's decision on one revision of a request. `_id` =
 * `<requestId>:<revision>`, so a double click (or two coordinators at once) decides once; the
 * approval's award is issued under the idempotency key `request:<requestId>`.
 */
export interface RequestDecisionDoc {
  _id: string;
  requestId: string;
  issuerId: string;
  revision: number;
  kind: DecisionKind;
  /** The comment (returned), the reason (rejected); empty for an approval. */
  message: string;
  by: string;
  byName: string;
  at: Date;
}

const decisionSchema = new Schema<RequestDecisionDoc>(
  {
    _id: { type: String, required: true },
    requestId: { type: String, required: true },
    issuerId: { type: String, required: true },
    revision: { type: Number, required: true },
    kind: { type: String, required: true, enum: decisionKinds },
    message: { type: String, default: '' },
    by: { type: String, required: true },
    byName: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'badge_request_decisions', versionKey: false },
);

export function requestDecisionModel(db: Connection): Model<RequestDecisionDoc> {
  return modelOf<RequestDecisionDoc>(db, 'RequestDecision', decisionSchema);
}

/**
 * The optional file of a request (PDF, PNG or JPEG, sniffed, small), kept in the database and
 * served only to the requester and the coordinators, as a download.
 */
export interface RequestFileDoc {
  _id: string;
  requestId: string;
  issuerId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Buffer;
  createdAt: Date;
}

const fileSchema = new Schema<RequestFileDoc>(
  {
    _id: { type: String, required: true },
    requestId: { type: String, required: true },
    issuerId: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'badge_request_files', versionKey: false },
);

export function requestFileModel(db: Connection): Model<RequestFileDoc> {
  return modelOf<RequestFileDoc>(db, 'RequestFile', fileSchema);
}
