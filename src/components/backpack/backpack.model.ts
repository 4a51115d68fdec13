import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * A mediator's public profile (`_id` = their user id). Off until they switch it on; switching
 * it off keeps the settings (and their address, reserved: see ProfileSlugDoc).
 */
export interface PublicProfileDoc {
  _id: string;
  enabled: boolean;
  /** The address they chose (/profils/<slug>); kept when the profile is off. */
  slug?: string;
  /** Plain text, at most PROFILE_LIMITS.bio characters. */
  bio?: string;
  /** The awards shown, in the person's order (only their own, checked at display). */
  awardIds: string[];
  /** "Karim B." (short) or the full name. */
  nameStyle: 'short' | 'full';
  /** Search engines may index the page (off: `noindex`). */
  allowIndexing: boolean;
  updatedAt: Date;
}

const profileSchema = new Schema<PublicProfileDoc>(
  {
    _id: { type: String, required: true },
    enabled: { type: Boolean, required: true, default: false },
    slug: { type: String },
    bio: { type: String },
    awardIds: { type: [String], default: [] },
    nameStyle: { type: String, enum: ['short', 'full'], required: true, default: 'short' },
    allowIndexing: { type: Boolean, required: true, default: false },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'public_profiles', versionKey: false },
);

export function publicProfileModel(db: Connection): Model<PublicProfileDoc> {
  return modelOf<PublicProfileDoc>(db, 'PublicProfile', profileSchema);
}

/**
 * One record per profile address ever taken (`_id` = the slug): the unique `_id` makes two
 * people choosing the same address at once end with one owner on both engines. A released
 * address (profile off, or address changed) keeps its owner for a while (`releasedAt` +
 * PROFILE_SLUG_RESERVE_DAYS) so that nobody else takes over links already shared.
 */
export interface ProfileSlugDoc {
  _id: string;
  userId: string;
  claimedAt: Date;
  releasedAt?: Date;
}

const slugSchema = new Schema<ProfileSlugDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    releasedAt: { type: Date },
  },
  { collection: 'profile_slugs', versionKey: false },
);
slugSchema.index({ userId: 1 });

export function profileSlugModel(db: Connection): Model<ProfileSlugDoc> {
  return modelOf<ProfileSlugDoc>(db, 'ProfileSlug', slugSchema);
}
