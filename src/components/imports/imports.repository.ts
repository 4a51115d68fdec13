import type { Connection } from 'mongoose';
import {
  importedBadgeModel,
  type ImportVerdict,
  type ImportedBadgeDoc,
} from './imported-badge.model.js';

export function importsRepository(db: Connection) {
  const Imported = importedBadgeModel(db);
  return {
    /** Inserts; false when the same badge is already imported by this person (unique key). */
    async insert(doc: ImportedBadgeDoc): Promise<boolean> {
      try {
        await Imported.create(doc);
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
    /** The id of the import holding this badge, if any. */
    async idByDedupeKey(dedupeKey: string): Promise<string | undefined> {
      const found = await Imported.findOne({ dedupeKey }, { _id: 1 }).lean<{ _id: string }>();
      return found?._id;
    },
    /** One record with everything (to verify it again). */
    async get(id: string): Promise<ImportedBadgeDoc | null> {
      return Imported.findById(id).lean<ImportedBadgeDoc>();
    },
    async listFor(userId: string): Promise<ImportedBadgeDoc[]> {
      return Imported.find({ userId }).sort({ importedAt: -1, _id: 1 }).lean<ImportedBadgeDoc[]>();
    },
    async saveVerdict(id: string, verdict: ImportVerdict, checkedAt: Date): Promise<void> {
      await Imported.updateOne({ _id: id }, { $set: { verdict, checkedAt } });
    },
    async setVisible(id: string, userId: string, visible: boolean): Promise<boolean> {
      const r = await Imported.updateOne(
        { _id: id, userId },
        { $set: { visibleOnProfile: visible } },
      );
      return r.matchedCount > 0;
    },
    async remove(id: string, userId: string): Promise<boolean> {
      const r = await Imported.deleteOne({ _id: id, userId });
      return r.deletedCount > 0;
    },
    /** Every import of a person (their account is deleted). */
    async removeAllFor(userId: string): Promise<number> {
      return (await Imported.deleteMany({ userId })).deletedCount;
    },
  };
}
export type ImportsRepository = ReturnType<typeof importsRepository>;
