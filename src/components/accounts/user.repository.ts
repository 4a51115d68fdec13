import type { Connection } from 'mongoose';
import type { Language } from '../../libraries/i18n/i18n.js';
import { userModel, type UserDoc } from './user.model.js';

export function userRepository(db: Connection) {
  const User = userModel(db);
  return {
    findById: (id: string) => User.findById(id).lean<UserDoc>().exec(),
    findByEmail: (email: string) => User.findOne({ email }).lean<UserDoc>().exec(),
    /** The accounts of these (normalised) addresses: one query for a batch of CSV rows. */
    async findByEmails(emails: string[]): Promise<UserDoc[]> {
      if (emails.length === 0) return [];
      return User.find({ email: { $in: emails } })
        .lean<UserDoc[]>()
        .exec();
    },
    async findByIds(ids: string[]): Promise<UserDoc[]> {
      if (ids.length === 0) return [];
      return User.find({ _id: { $in: ids } })
        .lean<UserDoc[]>()
        .exec();
    },
    /** True when at least one account exists (first-run set-up closes then). */
    async anyExists(): Promise<boolean> {
      return (await User.findOne({}, { _id: 1 }).lean().exec()) !== null;
    },
    /** Inserts; throws the driver's duplicate-key error (code 11000) if the email is taken. */
    async insert(user: UserDoc): Promise<UserDoc> {
      await User.create(user);
      return user;
    },
    async setPassword(id: string, passwordHash: string, at: Date): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { passwordHash, passwordChangedAt: at } }).exec();
    },
    async rehashPassword(id: string, passwordHash: string): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { passwordHash } }).exec();
    },
    async setProfile(id: string, values: { name?: string; language?: Language }): Promise<void> {
      await User.updateOne({ _id: id }, { $set: values }).exec();
    },
    async setEmail(id: string, email: string, at: Date): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { email, emailChangedAt: at } }).exec();
    },
    async recordSignIn(id: string, at: Date): Promise<void> {
      await User.updateOne({ _id: id }, { $set: { lastSignInAt: at } }).exec();
    },
  };
}
export type UserRepository = ReturnType<typeof userRepository>;
