import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';
import { emitAfterEveryWrite } from '../../libraries/db/write-events.js';

/** How many recommendations one award or badge class may carry (verifiers read ten at most). */
export const MAX_ENDORSEMENTS_PER_TARGET = 10;

export type EndorsementTargetKind = 'award' | 'badgeClass';
export type EndorserRole = 'coordinator' | 'peer';

/**
 * A recommendation ("recommandation"): one person of the issuer's cooperative endorses an
 * award (issued, or reserved by a badge request that gathers a quorum) or a badge class.
 *
 * Insert-only. `_id` is `<target key>.<slot>` with slots 0, 1, 2… taken in order by an insert
 * that fails on a taken slot (updates are not atomic on FerretDB): the recommendations of a
 * target are read by `_id` only (slot 0, 1, … until a missing one), which keeps the hosted
 * assertion one indexed read per recommendation. `uniqueKey` stops a person recommending the
 * same target twice (a double click).
 */
export interface EndorsementDoc {
  _id: string;
  issuerId: string;
  target: { kind: EndorsementTargetKind; id: string };
  /** The badge request that gathered it before issuance (co-issuance by quorum). */
  requestId?: string;
  /** The badge concerned (the award's badge class, or the class itself). */
  badgeClassId: string;
  endorserUserId: string;
  /** Public id of the endorser's profile (/emetteurs/:issuerId/personnes/:personId). */
  endorserProfileId: string;
  /** The name at the time of the recommendation (as signed). */
  endorserName: string;
  endorserRole: EndorserRole;
  comment: string;
  /** Whole seconds (the hosted document is rebuilt and must equal the signed one). */
  issuedOn: Date;
  /** `<kind>:<target id>:<user id>` (unique). */
  uniqueKey: string;
  /** OB 2.0 Endorsement signed by the issuer's RSA key, published as the person's key. */
  ob2: { jws: string; keyId: string };
  /** OB 3.0 EndorsementCredential with its Data Integrity proof, as JSON text (exact bytes). */
  ob3: { credential: string };
  createdAt: Date;
}

const endorsementSchema = new Schema<EndorsementDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    target: {
      type: new Schema(
        {
          kind: { type: String, required: true, enum: ['award', 'badgeClass'] },
          id: { type: String, required: true },
        },
        { _id: false },
      ),
      required: true,
    },
    requestId: { type: String },
    badgeClassId: { type: String, required: true },
    endorserUserId: { type: String, required: true },
    endorserProfileId: { type: String, required: true },
    endorserName: { type: String, required: true },
    endorserRole: { type: String, required: true, enum: ['coordinator', 'peer'] },
    comment: { type: String, required: true },
    issuedOn: { type: Date, required: true },
    uniqueKey: { type: String, required: true },
    ob2: {
      type: new Schema(
        { jws: { type: String, required: true }, keyId: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    ob3: {
      type: new Schema({ credential: { type: String, required: true } }, { _id: false }),
      required: true,
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'endorsements', versionKey: false },
);
endorsementSchema.index({ uniqueKey: 1 }, { unique: true });
endorsementSchema.index({ issuerId: 1, createdAt: -1 });

/**
 * Emitted on the connection after every write to a recommendation through this model, whichever
 * component makes it (a new one, an author's name replaced by a pseudonym): public pages and
 * hosted documents keep each target's recommendations in memory until something changes
 * (src/components/awards/public-records-cache.ts).
 */
export const ENDORSEMENT_WRITTEN = 'coop:endorsement-written';
emitAfterEveryWrite(endorsementSchema, ENDORSEMENT_WRITTEN);

export function endorsementModel(db: Connection): Model<EndorsementDoc> {
  return modelOf<EndorsementDoc>(db, 'Endorsement', endorsementSchema);
}

/**
 * The public profile of a person who recommends, per issuer: the platform publishes it (OB 2.0
 * Profile, OB 3.0 did:web) because the person has no keys of their own. `_id` is a random
 * public id (account ids are never shown); `key` = `<issuerId>:<userId>` is unique.
 */
export interface EndorserProfileDoc {
  _id: string;
  issuerId: string;
  userId: string;
  key: string;
  createdAt: Date;
  /** The account was deleted: the person is named by this pseudonym from then on. */
  erasedAs?: string;
}

const profileSchema = new Schema<EndorserProfileDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    userId: { type: String, required: true },
    key: { type: String, required: true },
    erasedAs: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'endorser_profiles', versionKey: false },
);
profileSchema.index({ key: 1 }, { unique: true });

export function endorserProfileModel(db: Connection): Model<EndorserProfileDoc> {
  return modelOf<EndorserProfileDoc>(db, 'EndorserProfile', profileSchema);
}

/** The `_id` prefix of a target's recommendations. Award ids are base64url (no dot). */
export function targetKey(target: { kind: EndorsementTargetKind; id: string }): string {
  return target.kind === 'award' ? target.id : `badge.${target.id}`;
}
