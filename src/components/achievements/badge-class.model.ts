import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';
import { emitAfterEveryWrite } from '../../libraries/db/write-events.js';

/** One competency a badge is aligned on, as chosen from a framework (OB AlignmentObject). */
export interface BadgeClassAlignment {
  frameworkId: string;
  targetName: string;
  targetUrl: string;
  targetFramework: string;
  targetCode: string;
  targetDescription?: string;
}

/** Recommendations a request needs before the badge is issued (0 to 10 in total). */
export interface BadgeClassQuorum {
  coordinators: number;
  peers: number;
}

/** How the badge image is drawn (src/libraries/badge-art); the image is rendered on request. */
export interface BadgeClassImage {
  template: string;
  /** Text on the image; the badge name when absent. */
  title?: string;
  level?: string;
  primaryColor: string;
  secondaryColor: string;
  pictogram: string;
}

/**
 * A badge of an issuer's catalogue (OB 2.0 BadgeClass, OB 3.0 Achievement). `_id` is the
 * public id, part of its URL (/badges/:id). Once issued, a badge never changes: an edit makes
 * a new version (new id, `previousVersionId`, version + 1) and archives the old one, whose
 * awards keep pointing at it. `status: 'archived'` also covers badges a coordinator retired.
 */
export interface BadgeClassDoc {
  _id: string;
  issuerId: string;
  name: string;
  description: string;
  criteria: { narrative: string; url?: string };
  image: BadgeClassImage;
  alignments: BadgeClassAlignment[];
  tags: string[];
  /** Awards expire this many days after they are issued. */
  validityDays?: number;
  /** Requests for this badge must carry evidence (used by badge requests). */
  evidenceRequired: boolean;
  /**
   * Co-issuance by quorum (src/components/requests): a request for this badge needs this many
   * recommendations from coordinators and from peer mediators before it can be approved.
   * Absent: no quorum. A new version of the badge should carry it over.
   */
  quorum?: BadgeClassQuorum;
  status: 'active' | 'archived';
  version: number;
  previousVersionId?: string;
  createdAt: Date;
  createdBy: string;
}

const alignmentSchema = new Schema<BadgeClassAlignment>(
  {
    frameworkId: { type: String, required: true },
    targetName: { type: String, required: true },
    targetUrl: { type: String, required: true },
    targetFramework: { type: String, required: true },
    targetCode: { type: String, required: true },
    targetDescription: { type: String },
  },
  { _id: false },
);

const imageSchema = new Schema<BadgeClassImage>(
  {
    template: { type: String, required: true },
    title: { type: String },
    level: { type: String },
    primaryColor: { type: String, required: true },
    secondaryColor: { type: String, required: true },
    pictogram: { type: String, required: true },
  },
  { _id: false },
);

const badgeClassSchema = new Schema<BadgeClassDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, required: true },
    criteria: {
      type: new Schema({ narrative: String, url: String }, { _id: false }),
      required: true,
    },
    image: { type: imageSchema, required: true },
    alignments: { type: [alignmentSchema], default: [] },
    tags: { type: [String], default: [] },
    validityDays: { type: Number },
    evidenceRequired: { type: Boolean, default: false },
    quorum: {
      type: new Schema<BadgeClassQuorum>(
        {
          coordinators: { type: Number, required: true, min: 0 },
          peers: { type: Number, required: true, min: 0 },
        },
        { _id: false },
      ),
    },
    status: { type: String, required: true, enum: ['active', 'archived'], default: 'active' },
    version: { type: Number, required: true, default: 1 },
    previousVersionId: { type: String },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'badge_classes', versionKey: false },
);
// The catalogue of one issuer (MongoDB uses it; FerretDB scans this small collection anyway).
badgeClassSchema.index({ issuerId: 1, createdAt: -1 });
// One next version per version: two coordinators saving at once cannot fork a badge.
badgeClassSchema.index({ previousVersionId: 1 }, { unique: true, sparse: true });

/**
 * Emitted on the connection after every write to a badge class through this model, whichever
 * component makes it (edit, archive, new version, quorum): public pages keep badge classes in
 * memory until something changes (src/components/awards/public-records-cache.ts).
 */
export const BADGE_CLASS_WRITTEN = 'coop:badge-class-written';
emitAfterEveryWrite(badgeClassSchema, BADGE_CLASS_WRITTEN);

export function badgeClassModel(db: Connection): Model<BadgeClassDoc> {
  return modelOf<BadgeClassDoc>(db, 'BadgeClass', badgeClassSchema);
}
