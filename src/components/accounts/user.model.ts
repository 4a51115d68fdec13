import { Schema, type Connection, type Model } from 'mongoose';
import type { Language } from '../../libraries/i18n/i18n.js';
import { modelOf } from '../../libraries/db/model-of.js';

/** A person with an account. `_id` is a random UUID (never shown publicly as an identifier). */
export interface UserDoc {
  _id: string;
  /** Normalised (trimmed, lower case); unique. */
  email: string;
  name: string;
  language: Language;
  isAdmin: boolean;
  /** argon2id; absent until the person chooses a password (CLI-created admins). */
  passwordHash?: string;
  passwordChangedAt?: Date;
  emailChangedAt?: Date;
  lastSignInAt?: Date;
  createdAt: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    language: { type: String, required: true, enum: ['fr', 'en'] },
    isAdmin: { type: Boolean, required: true, default: false },
    passwordHash: { type: String },
    passwordChangedAt: { type: Date },
    emailChangedAt: { type: Date },
    lastSignInAt: { type: Date },
    createdAt: { type: Date, required: true },
  },
  { collection: 'users', versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });

export function userModel(db: Connection): Model<UserDoc> {
  return modelOf<UserDoc>(db, 'User', userSchema);
}
