import type { Connection } from 'mongoose';
import { platformModel, type PlatformDoc } from './platform.model.js';

const INSTANCE_ID = 'instance';

export function platformRepository(db: Connection) {
  const Platform = platformModel(db);
  return {
    async findInstance(): Promise<PlatformDoc | null> {
      return Platform.findById(INSTANCE_ID).lean<PlatformDoc>().exec();
    },
    /** Inserts the instance record unless it exists; returns the stored one. */
    async ensureInstance(values: Omit<PlatformDoc, '_id'>): Promise<PlatformDoc> {
      try {
        await Platform.create({ _id: INSTANCE_ID, ...values });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const doc = await Platform.findById(INSTANCE_ID).lean<PlatformDoc>().exec();
      if (!doc) throw new Error('platform instance record missing after insert');
      return doc;
    },
  };
}
export type PlatformRepository = ReturnType<typeof platformRepository>;
