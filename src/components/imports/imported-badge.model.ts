import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

export const IMPORT_VERDICTS = ['verified', 'warning', 'not_verified'] as const;
export type ImportVerdict = (typeof IMPORT_VERDICTS)[number];

/** How the badge reached us, and what `original` holds. */
export const IMPORT_WAYS = ['url', 'file', 'text'] as const;
export type ImportWay = (typeof IMPORT_WAYS)[number];

/**
 * A badge a mediator received from another platform and imported here. `_id` is random (in
 * the mediator's URLs and, when shown on the public profile, in the image URL). The original
 * (bytes, pasted text, or the address) is kept so that every display verifies it again; the
 * verdict of the last check is stored for lists that cannot afford a verification.
 */
export interface ImportedBadgeDoc {
  _id: string;
  userId: string;
  /**
   * `<userId>:<sha256 of the badge id, or of the verified document>`: one import per badge and
   * person, enforced by a unique index (atomic on both engines).
   */
  dedupeKey: string;
  way: ImportWay;
  /** The address given (way = url): verified again from there. */
  sourceUrl?: string;
  /** The uploaded file's bytes (way = file) or the pasted text, UTF-8 (way = text). */
  original?: Buffer;
  /** The assertion or credential as the verifier read it (JSON), for the record. */
  document?: string;
  /** Assertion or credential id (URL or URN), when the badge has one. */
  badgeId?: string;
  name: string;
  description?: string;
  issuerName: string;
  issuerId?: string;
  issuerUrl?: string;
  format?: string;
  issuedOn?: string;
  expires?: string;
  /** A small copy of the badge image, served from our own origin (CSP img-src 'self'). */
  image?: { contentType: string; data: Buffer };
  /** Where the image came from (http(s) only), when it could not be copied. */
  imageUrl?: string;
  /** The verified address of the account the badge's recipient matched (never shown publicly). */
  recipientEmail: string;
  verdict: ImportVerdict;
  checkedAt: Date;
  /** Shown on the public profile (off by default; another component builds the profile). */
  visibleOnProfile: boolean;
  importedAt: Date;
}

const importedBadgeSchema = new Schema<ImportedBadgeDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    dedupeKey: { type: String, required: true },
    way: { type: String, required: true, enum: IMPORT_WAYS },
    sourceUrl: { type: String },
    original: { type: Buffer },
    document: { type: String },
    badgeId: { type: String },
    name: { type: String, required: true },
    description: { type: String },
    issuerName: { type: String, required: true },
    issuerId: { type: String },
    issuerUrl: { type: String },
    format: { type: String },
    issuedOn: { type: String },
    expires: { type: String },
    image: {
      type: new Schema(
        {
          contentType: { type: String, required: true },
          data: { type: Buffer, required: true },
        },
        { _id: false },
      ),
    },
    imageUrl: { type: String },
    recipientEmail: { type: String, required: true },
    verdict: { type: String, required: true, enum: IMPORT_VERDICTS },
    checkedAt: { type: Date, required: true },
    visibleOnProfile: { type: Boolean, required: true, default: false },
    importedAt: { type: Date, required: true },
  },
  { collection: 'imported_badges', versionKey: false },
);
importedBadgeSchema.index({ dedupeKey: 1 }, { unique: true });
importedBadgeSchema.index({ userId: 1, importedAt: -1 });

export function importedBadgeModel(db: Connection): Model<ImportedBadgeDoc> {
  return modelOf<ImportedBadgeDoc>(db, 'ImportedBadge', importedBadgeSchema);
}
