import type { Connection } from 'mongoose';
import {
  oauthClientModel,
  oauthCodeModel,
  oauthGrantModel,
  oauthSpentModel,
  oauthTokenModel,
  type OAuthClientDoc,
  type OAuthCodeDoc,
  type OAuthGrantDoc,
  type OAuthTokenDoc,
} from './ob-api.model.js';

export function obApiRepository(db: Connection) {
  const Client = oauthClientModel(db);
  const Grant = oauthGrantModel(db);
  const Code = oauthCodeModel(db);
  const Token = oauthTokenModel(db);
  const Spent = oauthSpentModel(db);
  return {
    insertClient: async (doc: OAuthClientDoc) => {
      await Client.create(doc);
    },
    findClient: (id: string) => Client.findById(id).lean<OAuthClientDoc>().exec(),
    findClients: (ids: string[]) =>
      Client.find({ _id: { $in: ids } })
        .lean<OAuthClientDoc[]>()
        .exec(),

    insertGrant: async (doc: OAuthGrantDoc) => {
      await Grant.create(doc);
    },
    findGrant: (id: string) => Grant.findById(id).lean<OAuthGrantDoc>().exec(),
    /** A person's live grants, newest first. */
    liveGrantsOf: (userId: string) =>
      Grant.find({ userId, revokedAt: { $exists: false } })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean<OAuthGrantDoc[]>()
        .exec(),
    async revokeGrant(id: string, at: Date, because: string): Promise<void> {
      await Grant.updateOne(
        { _id: id, revokedAt: { $exists: false } },
        { $set: { revokedAt: at, revokedBecause: because } },
      );
      // The grant's revocation already refuses them; deleting them leaves nothing to steal.
      await Token.deleteMany({ grantId: id });
    },
    async touchGrant(id: string, at: Date): Promise<void> {
      await Grant.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    },

    insertCode: async (doc: OAuthCodeDoc) => {
      await Code.create(doc);
    },
    findCode: (hash: string) => Code.findById(hash).lean<OAuthCodeDoc>().exec(),
    deleteCode: async (hash: string) => {
      await Code.deleteOne({ _id: hash });
    },

    insertTokens: async (docs: OAuthTokenDoc[]) => {
      await Token.insertMany(docs);
    },
    findToken: (hash: string) => Token.findById(hash).lean<OAuthTokenDoc>().exec(),
    deleteToken: async (hash: string) => {
      await Token.deleteOne({ _id: hash });
    },

    /** Marks a code or refresh token used; false when it already was (a replay). */
    async spend(hash: string, grantId: string, at: Date): Promise<boolean> {
      try {
        await Spent.create({ _id: hash, grantId, at });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
    findSpent: (hash: string) => Spent.findById(hash).lean<{ grantId: string }>().exec(),
    /** Every grant of a person, withdrawn ones too (download my data). */
    grantsOf: (userId: string) =>
      Grant.find({ userId }).sort({ createdAt: -1 }).lean<OAuthGrantDoc[]>().exec(),
    /** The account is deleted: its grants, codes and tokens go. */
    async eraseFor(userId: string): Promise<void> {
      await Token.deleteMany({ userId });
      await Code.deleteMany({ userId });
      await Grant.deleteMany({ userId });
    },
    /** Expired codes and tokens; spent marks older than `spentBefore` (past any refresh token's life). */
    async purge(now: Date, spentBefore: Date): Promise<number> {
      const codes = await Code.deleteMany({ expiresAt: { $lt: now } });
      const tokens = await Token.deleteMany({ expiresAt: { $lt: now } });
      const spent = await Spent.deleteMany({ at: { $lt: spentBefore } });
      return codes.deletedCount + tokens.deletedCount + spent.deletedCount;
    },
  };
}
export type ObApiRepository = ReturnType<typeof obApiRepository>;
