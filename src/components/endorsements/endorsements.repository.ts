import type { Connection } from 'mongoose';
import {
  MAX_ENDORSEMENTS_PER_TARGET,
  endorsementModel,
  endorserProfileModel,
  targetKey,
  type EndorsementDoc,
  type EndorsementTargetKind,
  type EndorserProfileDoc,
} from './endorsement.model.js';

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

export function endorsementsRepository(db: Connection) {
  const Endorsement = endorsementModel(db);
  const Profile = endorserProfileModel(db);

  return {
    findById: (id: string) => Endorsement.findById(id).lean<EndorsementDoc>().exec(),

    /**
     * The recommendations of a target, in slot order: `_id` reads only (slot 0, 1, … until the
     * first missing one; slots are taken in order and never freed).
     */
    async listForTarget(target: {
      kind: EndorsementTargetKind;
      id: string;
    }): Promise<EndorsementDoc[]> {
      const prefix = targetKey(target);
      const found: EndorsementDoc[] = [];
      for (let slot = 0; slot < MAX_ENDORSEMENTS_PER_TARGET; slot++) {
        const doc = await Endorsement.findById(`${prefix}.${slot}`).lean<EndorsementDoc>().exec();
        if (!doc) break;
        found.push(doc);
      }
      return found;
    },

    /** Inserts; 'duplicate' when the slot or the (target, person) pair is taken. */
    async insert(doc: EndorsementDoc): Promise<'inserted' | 'duplicate'> {
      try {
        await Endorsement.create(doc);
        return 'inserted';
      } catch (err) {
        if (isDuplicate(err)) return 'duplicate';
        throw err;
      }
    },

    /** Newest first, for the dashboard (bounded). */
    recentOfIssuer: (issuerId: string, limit = 20) =>
      Endorsement.find({ issuerId })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<EndorsementDoc[]>()
        .exec(),

    findProfile: (id: string) => Profile.findById(id).lean<EndorserProfileDoc>().exec(),
    /** What a person recommended (bounded: a person writes a few recommendations). */
    listByEndorser: (userId: string) =>
      Endorsement.find({ endorserUserId: userId }).limit(1000).lean<EndorsementDoc[]>().exec(),
    async setEndorserName(id: string, endorserName: string, credential: string): Promise<void> {
      await Endorsement.updateOne(
        { _id: id },
        { $set: { endorserName, 'ob3.credential': credential } },
      ).exec();
    },
    async eraseProfiles(userId: string, pseudonym: string): Promise<void> {
      await Profile.updateMany({ userId }, { $set: { erasedAs: pseudonym } }).exec();
    },

    /** The person's profile for this issuer, created on their first recommendation. */
    async ensureProfile(input: {
      issuerId: string;
      userId: string;
      newId: () => string;
      at: Date;
    }): Promise<EndorserProfileDoc> {
      const key = `${input.issuerId}:${input.userId}`;
      const existing = await Profile.findOne({ key }).lean<EndorserProfileDoc>().exec();
      if (existing) return existing;
      const doc: EndorserProfileDoc = {
        _id: input.newId(),
        issuerId: input.issuerId,
        userId: input.userId,
        key,
        createdAt: input.at,
      };
      try {
        await Profile.create(doc);
        return doc;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const raced = await Profile.findOne({ key }).lean<EndorserProfileDoc>().exec();
        if (!raced) throw err;
        return raced;
      }
    },
  };
}
export type EndorsementsRepository = ReturnType<typeof endorsementsRepository>;
