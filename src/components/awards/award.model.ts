import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

export interface AwardEvidence {
  url?: string;
  narrative?: string;
  name?: string;
}

/**
 * One badge issued to one person (OB 2.0 Assertion, OB 3.0 OpenBadgeCredential). `_id` is the
 * public id (/assertions/:id). The hosted OB 2.0 assertion is rebuilt from these fields; the
 * signed forms are stored as issued (re-signed only when the issuer's RSA key is rotated).
 */
export interface AwardDoc {
  _id: string;
  issuerId: string;
  badgeClassId: string;
  recipient: {
    /** For the platform only (emails, the recipient's space); never published. */
    email: string;
    salt: string;
    /** "sha256$…" of the normalised email + salt (OB 2.0 identity, OB 3.0 identityHash). */
    identityHash: string;
  };
  recipientUserId?: string;
  evidence: AwardEvidence[];
  narrative?: string;
  /** When the badge was awarded (kept when it is issued again: OB 2.0 `issuedOn`). */
  issuedOn: Date;
  expires?: Date;
  /**
   * Set on an award issued again after its signing key was compromised: when it was signed
   * again (OB 3.0 `validFrom`, with `awardedDate` = `issuedOn`), and the award it replaces.
   */
  reissuedAt?: Date;
  reissueOf?: string;
  /**
   * Every key whose signature the stored documents carry (RSA: OB 2.0 JWS and VC-JWT; Ed25519:
   * the Data Integrity proof): finds the awards signed with a compromised key. Absent on
   * awards issued before it existed (their documents are read instead).
   */
  signingKeyIds?: string[];
  /** For display; the `revocations` collection is the authority. */
  revoked: boolean;
  revokedAt?: Date;
  revocationReason?: string;
  ob2: { jws: string; keyId: string };
  ob3: {
    /** The OpenBadgeCredential with its Data Integrity proof, as JSON text (exact bytes). */
    credential: string;
    jwt: string;
    statusListNo: number;
    statusListIndex: number;
  };
  /**
   * Recommendations gathered before issuance (a badge request's quorum), embedded in the OB
   * 3.0 credential and listed in the signed OB 2.0 assertion as issued. Later ones are only
   * listed by the hosted assertion (src/components/endorsements).
   */
  endorsementIds?: string[];
  /** `<issuerId>:<key>`: a form submission or a CSV row issues at most once. */
  idempotencyKey?: string;
  /** What the recipient decided in their space (src/components/backpack); absent: received. */
  holder?: AwardHolderChoice;
  /** Language of the email sent to the recipient. */
  lang: 'fr' | 'en';
  createdBy: string;
  createdAt: Date;
}

/**
 * The recipient's choices about a received badge. `displayName` is the name they chose to show
 * ("Karim B." or the full name): the OB 3.0 credential is signed again with it, and OB 2.0 pages
 * read it from here.
 */
export interface AwardHolderChoice {
  acceptedAt?: Date;
  hidden?: boolean;
  displayName?: string;
}

const evidenceSchema = new Schema<AwardEvidence>(
  { url: String, narrative: String, name: String },
  { _id: false },
);

const awardSchema = new Schema<AwardDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    badgeClassId: { type: String, required: true },
    recipient: {
      type: new Schema(
        {
          email: { type: String, required: true },
          salt: { type: String, required: true },
          identityHash: { type: String, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    recipientUserId: { type: String },
    evidence: { type: [evidenceSchema], default: [] },
    narrative: { type: String },
    issuedOn: { type: Date, required: true },
    expires: { type: Date },
    reissuedAt: { type: Date },
    reissueOf: { type: String },
    signingKeyIds: { type: [String], default: undefined },
    revoked: { type: Boolean, required: true, default: false },
    revokedAt: { type: Date },
    revocationReason: { type: String },
    ob2: {
      type: new Schema(
        { jws: { type: String, required: true }, keyId: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    ob3: {
      type: new Schema(
        {
          credential: { type: String, required: true },
          jwt: { type: String, required: true },
          statusListNo: { type: Number, required: true },
          statusListIndex: { type: Number, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    endorsementIds: { type: [String], default: undefined },
    idempotencyKey: { type: String },
    holder: {
      type: new Schema<AwardHolderChoice>(
        { acceptedAt: Date, hidden: Boolean, displayName: String },
        { _id: false },
      ),
    },
    lang: { type: String, required: true, enum: ['fr', 'en'], default: 'fr' },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'assertions', versionKey: false },
);
// A double submit (or a CSV imported twice) issues once: both engines enforce it atomically.
awardSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
awardSchema.index({ issuerId: 1, createdAt: -1 });
awardSchema.index({ 'recipient.email': 1 });
awardSchema.index({ issuerId: 1, signingKeyIds: 1 });

export function awardModel(db: Connection): Model<AwardDoc> {
  return modelOf<AwardDoc>(db, 'Award', awardSchema);
}

/**
 * Insert-only: one record per revoked award (`_id` = award id, so revoking twice is a no-op).
 * The OB 2.0 revocation list and the OB 3.0 status lists are built from this small collection.
 */
export interface RevocationDoc {
  _id: string;
  issuerId: string;
  statusListNo: number;
  statusListIndex: number;
  reason: string;
  revokedAt: Date;
  revokedBy: string;
}

const revocationSchema = new Schema<RevocationDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    statusListNo: { type: Number, required: true },
    statusListIndex: { type: Number, required: true },
    reason: { type: String, required: true },
    revokedAt: { type: Date, required: true },
    revokedBy: { type: String, required: true },
  },
  { collection: 'revocations', versionKey: false },
);
revocationSchema.index({ issuerId: 1, statusListNo: 1 });

export function revocationModel(db: Connection): Model<RevocationDoc> {
  return modelOf<RevocationDoc>(db, 'Revocation', revocationSchema);
}

/**
 * Insert-only claims of re-issuing (compromised key): `_id` = the old award's id, so an award
 * is issued again at most once whatever the number of runs, concurrent or resumed after a
 * crash (the claim names the new award's id before it is signed).
 */
export interface ReissueClaimDoc {
  _id: string;
  issuerId: string;
  newAwardId: string;
  claimedAt: Date;
}

const reissueClaimSchema = new Schema<ReissueClaimDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    newAwardId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'award_reissues', versionKey: false },
);

export function reissueClaimModel(db: Connection): Model<ReissueClaimDoc> {
  return modelOf<ReissueClaimDoc>(db, 'ReissueClaim', reissueClaimSchema);
}

/**
 * Insert-only status list slots: `_id` = `<issuerId>:<listNo>:<index>`. Allocating a slot is an
 * insert that fails with 11000 when taken (updates are not atomic on FerretDB).
 */
export interface StatusListSlotDoc {
  _id: string;
  issuerId: string;
  listNo: number;
  index: number;
  assertionId: string;
  allocatedAt: Date;
}

const slotSchema = new Schema<StatusListSlotDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    listNo: { type: Number, required: true },
    index: { type: Number, required: true },
    assertionId: { type: String, required: true },
    allocatedAt: { type: Date, required: true },
  },
  { collection: 'status_list_slots', versionKey: false },
);

export function statusListSlotModel(db: Connection): Model<StatusListSlotDoc> {
  return modelOf<StatusListSlotDoc>(db, 'StatusListSlot', slotSchema);
}

/**
 * Insert-only, one small record per award (`_id` = award id): what the catalogue counts.
 * Counting the awards themselves reads every signed document of the issuer (FerretDB filters
 * in Go after decoding them): seconds at 10,000 awards. Written right after the award; a
 * crash in between leaves one award uncounted on the page (never used for a decision).
 */
export interface AwardTallyDoc {
  _id: string;
  issuerId: string;
  badgeClassId: string;
}

const tallySchema = new Schema<AwardTallyDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    badgeClassId: { type: String, required: true },
  },
  { collection: 'award_tallies', versionKey: false },
);
tallySchema.index({ issuerId: 1 });

export function awardTallyModel(db: Connection): Model<AwardTallyDoc> {
  return modelOf<AwardTallyDoc>(db, 'AwardTally', tallySchema);
}

/**
 * Insert-only, one per award whose email went out (`_id` = award id). The count above is the
 * claim to announce; this says the announcing was done, so a CSV run resumed after a crash
 * between the two sends the email it owes (at least once: a crash between the email and this
 * record sends it again).
 */
export interface AwardAnnouncementDoc {
  _id: string;
  at: Date;
}

const announcementSchema = new Schema<AwardAnnouncementDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'award_announcements', versionKey: false },
);

export function awardAnnouncementModel(db: Connection): Model<AwardAnnouncementDoc> {
  return modelOf<AwardAnnouncementDoc>(db, 'AwardAnnouncement', announcementSchema);
}

/** The fields of an award a list needs (never the signed documents: they are large). */
export type AwardSummary = Pick<
  AwardDoc,
  | '_id'
  | 'issuerId'
  | 'badgeClassId'
  | 'recipient'
  | 'recipientUserId'
  | 'issuedOn'
  | 'expires'
  | 'revoked'
  | 'revokedAt'
  | 'revocationReason'
  | 'holder'
>;

/**
 * Its plain include projection of top-level fields (the safe subset; no dotted paths):
 * `expires` here is the award's end of validity, not a TTL index.
 */
export const AWARD_SUMMARY_FIELDS = {
  _id: 1,
  issuerId: 1,
  badgeClassId: 1,
  recipient: 1,
  recipientUserId: 1,
  issuedOn: 1,
  expires: 1,
  revoked: 1,
  revokedAt: 1,
  revocationReason: 1,
  holder: 1,
} as const;
