import type { Connection } from 'mongoose';
import { issuerKeyModel, type IssuerKeyDoc, type KeyType } from './keys.model.js';

export function keysRepository(db: Connection) {
  const Key = issuerKeyModel(db);
  return {
    async insert(doc: IssuerKeyDoc): Promise<void> {
      await Key.create(doc);
    },
    async findById(id: string): Promise<IssuerKeyDoc | null> {
      return Key.findById(id).lean<IssuerKeyDoc>().exec();
    },
    /** All keys of an issuer, newest first (active and retired: old badges still verify). */
    async listByIssuer(issuerId: string): Promise<IssuerKeyDoc[]> {
      return Key.find({ issuerId }).sort({ createdAt: -1, _id: -1 }).lean<IssuerKeyDoc[]>().exec();
    },
    async retire(ids: string[], at: Date): Promise<void> {
      if (ids.length === 0) return;
      await Key.updateMany(
        { _id: { $in: ids } },
        { $set: { status: 'retired', retiredAt: at } },
      ).exec();
    },
    /**
     * Marks a key compromised (only from active or retired: the first declaration wins its
     * date and reason). false when it was already compromised.
     */
    async markCompromised(
      id: string,
      input: { at: Date; by: string; reason: string },
    ): Promise<boolean> {
      const res = await Key.updateOne(
        { _id: id, status: { $in: ['active', 'retired'] } },
        {
          $set: {
            status: 'compromised',
            compromisedAt: input.at,
            compromisedBy: input.by,
            compromiseReason: input.reason,
          },
        },
      ).exec();
      return res.modifiedCount > 0;
    },
    /** The newest active key of each type, in one read (issuing needs both). */
    async newestActiveByType(issuerId: string): Promise<Partial<Record<KeyType, IssuerKeyDoc>>> {
      const docs = await Key.find({ issuerId, status: 'active' })
        .sort({ createdAt: -1, _id: -1 })
        .lean<IssuerKeyDoc[]>()
        .exec();
      const newest: Partial<Record<KeyType, IssuerKeyDoc>> = {};
      for (const doc of docs) newest[doc.type] ??= doc;
      return newest;
    },
    async newestActive(issuerId: string, type: KeyType): Promise<IssuerKeyDoc | null> {
      return Key.findOne({ issuerId, type, status: 'active' })
        .sort({ createdAt: -1, _id: -1 })
        .lean<IssuerKeyDoc>()
        .exec();
    },
  };
}
export type KeysRepository = ReturnType<typeof keysRepository>;
