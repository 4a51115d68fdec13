import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * One row per wrong password (insert only), keyed by the normalised email whether or not an
 * account exists, so a locked unknown address looks exactly like a locked account. The
 * lockout counts rows in a window instead of keeping a counter (updates are not atomic on
 * FerretDB).
 */
export interface SignInFailureDoc {
  _id: Types.ObjectId;
  email: string;
  at: Date;
}

const schema = new Schema<SignInFailureDoc>(
  {
    email: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'signInFailures', versionKey: false },
);
schema.index({ email: 1, at: -1 });

export function signInFailureModel(db: Connection): Model<SignInFailureDoc> {
  return modelOf<SignInFailureDoc>(db, 'SignInFailure', schema);
}

export function signInFailureRepository(db: Connection) {
  const Failure = signInFailureModel(db);
  return {
    async record(email: string, at: Date): Promise<void> {
      await Failure.create({ email, at });
    },
    /** Times of failures for `email` after `since`, newest first (at most `limit`). */
    async since(email: string, since: Date, limit: number): Promise<Date[]> {
      const rows = await Failure.find({ email, at: { $gt: since } }, { at: 1 })
        .sort({ at: -1 })
        .limit(limit)
        .lean<Pick<SignInFailureDoc, 'at'>[]>()
        .exec();
      return rows.map((r) => r.at);
    },
    async deleteBefore(before: Date): Promise<number> {
      return (await Failure.deleteMany({ at: { $lt: before } }).exec()).deletedCount;
    },
  };
}
export type SignInFailureRepository = ReturnType<typeof signInFailureRepository>;
