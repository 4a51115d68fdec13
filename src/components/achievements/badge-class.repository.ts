import type { Connection } from 'mongoose';
import { badgeClassModel, type BadgeClassDoc } from './badge-class.model.js';

export function badgeClassRepository(db: Connection) {
  const BadgeClass = badgeClassModel(db);
  return {
    findById: (id: string) => BadgeClass.findById(id).lean<BadgeClassDoc>().exec(),
    /** An issuer's badges, newest first. */
    listByIssuer: (issuerId: string, limit = 500) =>
      BadgeClass.find({ issuerId })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<BadgeClassDoc[]>()
        .exec(),
    /** Inserts; false when the id is taken (duplicate key). */
    async insert(doc: BadgeClassDoc): Promise<boolean> {
      try {
        await BadgeClass.create(doc);
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
  };
}
export type BadgeClassRepository = ReturnType<typeof badgeClassRepository>;
