import type { Connection } from 'mongoose';
import { badgeClassModel, type BadgeClassDoc } from './badge-class.model.js';

/** The fields a coordinator edits (an edit in place, before the first award). */
export type BadgeClassContent = Pick<
  BadgeClassDoc,
  'name' | 'description' | 'criteria' | 'image' | 'alignments' | 'tags' | 'evidenceRequired'
> & { validityDays?: number | undefined };

export function badgeClassRepository(db: Connection) {
  const BadgeClass = badgeClassModel(db);
  return {
    findById: (id: string) => BadgeClass.findById(id).lean<BadgeClassDoc>().exec(),
    /** An issuer's badges (every version), newest first. A catalogue is small. */
    listByIssuer: (issuerId: string, limit = 2000) =>
      BadgeClass.find({ issuerId })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<BadgeClassDoc[]>()
        .exec(),
    /** The version that replaced this one, if any. */
    findNextVersion: (id: string) =>
      BadgeClass.findOne({ previousVersionId: id }).lean<BadgeClassDoc>().exec(),
    /**
     * Inserts; 'idTaken' when the id exists, 'versionTaken' when another version already
     * follows the same previous version (both are unique indexes).
     */
    async insert(doc: BadgeClassDoc): Promise<'inserted' | 'idTaken' | 'versionTaken'> {
      try {
        await BadgeClass.create(doc);
        return 'inserted';
      } catch (err) {
        const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
        if (e.code !== 11000) throw err;
        const onVersion =
          (e.keyPattern && 'previousVersionId' in e.keyPattern) ||
          /previousVersionId/.test(e.message ?? '');
        return onVersion ? 'versionTaken' : 'idTaken';
      }
    },
    /** An edit in place (only before the first award). `validityDays` absent: no expiry. */
    async update(id: string, content: BadgeClassContent): Promise<void> {
      const { validityDays, ...rest } = content;
      await BadgeClass.updateOne(
        { _id: id },
        validityDays === undefined
          ? { $set: rest, $unset: { validityDays: 1 } }
          : { $set: { ...rest, validityDays } },
      ).exec();
    },
    async setStatus(id: string, status: BadgeClassDoc['status']): Promise<void> {
      await BadgeClass.updateOne({ _id: id }, { $set: { status } }).exec();
    },
  };
}
export type BadgeClassRepository = ReturnType<typeof badgeClassRepository>;
