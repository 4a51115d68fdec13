import type { Connection } from 'mongoose';
import {
  AWARD_SUMMARY_FIELDS,
  awardModel,
  revocationModel,
  type AwardDoc,
  type AwardSummary,
} from '../awards/award.model.js';
import { recipientSlots } from '../awards/recipient-slots.js';
import {
  profileSlugModel,
  publicProfileModel,
  type ProfileSlugDoc,
  type PublicProfileDoc,
} from './backpack.model.js';

/** What the backpack reads of an award: never the signed documents (large, not needed). */
export type BackpackAward = AwardSummary;

const AWARD_FIELDS = AWARD_SUMMARY_FIELDS;

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

export function backpackRepository(db: Connection) {
  const Award = awardModel(db);
  const Revocation = revocationModel(db);
  const Profile = publicProfileModel(db);
  const Slug = profileSlugModel(db);
  const slots = recipientSlots(db);
  return {
    /** A person's awards by their account's address, newest first (bounded). */
    async awardsOf(email: string, limit = 200): Promise<BackpackAward[]> {
      if (!(await slots.ready())) {
        return Award.find({ 'recipient.email': email }, AWARD_FIELDS)
          .sort({ issuedOn: -1 })
          .limit(limit)
          .lean<BackpackAward[]>()
          .exec();
      }
      const found = await slots.awardsOf<BackpackAward>(email, { limit, fields: AWARD_FIELDS });
      return found.sort((a, b) => b.issuedOn.getTime() - a.issuedOn.getTime());
    },
    findAward: (id: string) => Award.findById(id, AWARD_FIELDS).lean<BackpackAward>().exec(),
    /** The revocation records (the authority) of these awards, by award id. */
    async revocationsOf(ids: string[]) {
      if (ids.length === 0) return new Map<string, { reason: string; revokedAt: Date }>();
      const found = await Revocation.find({ _id: { $in: ids } })
        .lean<{ _id: string; reason: string; revokedAt: Date }[]>()
        .exec();
      return new Map(found.map((r) => [r._id, { reason: r.reason, revokedAt: r.revokedAt }]));
    },
    async setHolder(id: string, holder: NonNullable<AwardDoc['holder']>): Promise<void> {
      await Award.updateOne({ _id: id }, { $set: { holder } }).exec();
    },

    findProfile: (userId: string) => Profile.findById(userId).lean<PublicProfileDoc>().exec(),
    async saveProfile(doc: PublicProfileDoc): Promise<void> {
      const { _id, ...fields } = doc;
      const unset = fields.slug === undefined ? { slug: 1 } : {};
      const bioUnset = fields.bio === undefined ? { bio: 1 } : {};
      const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      await Profile.updateOne(
        { _id },
        {
          $set: set,
          ...(Object.keys({ ...unset, ...bioUnset }).length
            ? { $unset: { ...unset, ...bioUnset } }
            : {}),
        },
        { upsert: true },
      ).exec();
    },

    /** The person's profile and addresses (for "download my data"). */
    async personalData(userId: string) {
      const [profile, slugs] = await Promise.all([
        Profile.findById(userId).lean<PublicProfileDoc>().exec(),
        Slug.find({ userId }).lean<ProfileSlugDoc[]>().exec(),
      ]);
      return { profile, slugs };
    },
    /**
     * The account is deleted: the profile goes; its addresses stay reserved for the usual
     * time (nobody else takes a link that was shared) but no longer name the person.
     */
    async eraseFor(userId: string, pseudonym: string, at: Date): Promise<void> {
      await Profile.deleteOne({ _id: userId }).exec();
      await Slug.updateMany({ userId }, { $set: { userId: pseudonym, releasedAt: at } }).exec();
    },

    findSlug: (slug: string) => Slug.findById(slug).lean<ProfileSlugDoc>().exec(),
    /** Insert-only claim: false when someone holds the address (unique `_id`). */
    async insertSlug(doc: ProfileSlugDoc): Promise<boolean> {
      try {
        await Slug.create(doc);
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    /** Frees an address whose reservation ended (only if it is still that released record). */
    async dropReleasedSlug(slug: string, releasedAt: Date): Promise<void> {
      await Slug.deleteOne({ _id: slug, releasedAt }).exec();
    },
    async setSlugReleased(slug: string, userId: string, releasedAt: Date | undefined) {
      await Slug.updateOne(
        { _id: slug, userId },
        releasedAt ? { $set: { releasedAt } } : { $unset: { releasedAt: 1 } },
      ).exec();
    },
    /** Addresses among `slugs` that exist (taken or reserved). */
    async existingSlugs(slugs: string[]): Promise<ProfileSlugDoc[]> {
      if (slugs.length === 0) return [];
      return Slug.find({ _id: { $in: slugs } })
        .lean<ProfileSlugDoc[]>()
        .exec();
    },
  };
}
export type BackpackRepository = ReturnType<typeof backpackRepository>;
