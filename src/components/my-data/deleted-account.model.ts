import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * One row per deleted account (`_id` = the former account id, a random UUID that no longer
 * leads to anybody): when the retention period of its pseudonymous audit entries starts.
 * No name, no address.
 */
export interface DeletedAccountDoc {
  _id: string;
  pseudonym: string;
  deletedAt: Date;
}

const schema = new Schema<DeletedAccountDoc>(
  {
    _id: { type: String, required: true },
    pseudonym: { type: String, required: true },
    deletedAt: { type: Date, required: true },
  },
  { collection: 'deleted_accounts', versionKey: false },
);

export function deletedAccountModel(db: Connection): Model<DeletedAccountDoc> {
  return modelOf<DeletedAccountDoc>(db, 'DeletedAccount', schema);
}
