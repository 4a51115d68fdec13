import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * One document describing this installation: when it was created and the data schema version
 * (for future migrations). Written once at first start.
 */
export interface PlatformDoc {
  _id: string;
  createdAt: Date;
  schemaVersion: number;
  softwareVersion: string;
}

const platformSchema = new Schema<PlatformDoc>(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    schemaVersion: { type: Number, required: true },
    softwareVersion: { type: String, required: true },
  },
  { collection: 'platform', versionKey: false },
);

export function platformModel(db: Connection): Model<PlatformDoc> {
  return modelOf<PlatformDoc>(db, 'Platform', platformSchema);
}
