import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import {
  oneTimeTokenModel,
  tokenUseModel,
  type OneTimeTokenDoc,
  type TokenPurpose,
  type TokenUseDoc,
} from './one-time-token.model.js';

/** 32 random bytes, base64url: what goes in the link. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type TokenCheck =
  { ok: true; doc: OneTimeTokenDoc } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export function oneTimeTokenRepository(db: Connection) {
  const Token = oneTimeTokenModel(db);
  const Use = tokenUseModel(db);

  async function check(
    token: string,
    purposes: readonly TokenPurpose[],
    now: Date,
  ): Promise<TokenCheck> {
    if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'unknown' };
    const doc = await Token.findById(tokenId(token)).lean<OneTimeTokenDoc>().exec();
    if (!doc || !purposes.includes(doc.purpose)) return { ok: false, reason: 'unknown' };
    if (doc.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    if (await Use.exists({ _id: doc._id })) return { ok: false, reason: 'used' };
    return { ok: true, doc };
  }

  return {
    /** Stores a new token and returns it (the only time the clear value exists here). */
    async issue(
      values: Omit<OneTimeTokenDoc, '_id'>,
    ): Promise<{ token: string; doc: OneTimeTokenDoc }> {
      const token = newToken();
      const doc: OneTimeTokenDoc = { _id: tokenId(token), ...values };
      await Token.create(doc);
      return { token, doc };
    },

    /** Looks a token up without using it (to show the form behind a link). */
    check,

    /**
     * Uses a token once: the insert into tokenUses under the token's id is the atomic step,
     * so two concurrent requests cannot both succeed.
     */
    async consume(
      token: string,
      purposes: readonly TokenPurpose[],
      now: Date,
      by?: string,
    ): Promise<TokenCheck> {
      const result = await check(token, purposes, now);
      if (!result.ok) return result;
      try {
        await Use.create({ _id: result.doc._id, at: now, outcome: 'used', ...(by ? { by } : {}) });
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return { ok: false, reason: 'used' };
        throw err;
      }
      return result;
    },

    /** Marks a token (by id) as cancelled; false if it was already used or cancelled. */
    async cancel(id: string, now: Date, by: string): Promise<boolean> {
      try {
        await Use.create({ _id: id, at: now, outcome: 'cancelled', by });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },

    findById: (id: string) => Token.findById(id).lean<OneTimeTokenDoc>().exec(),

    /** Invitations of an issuer not yet used, cancelled or expired (newest first). */
    async pendingInvitations(issuerId: string, now: Date, limit = 200): Promise<OneTimeTokenDoc[]> {
      const docs = await Token.find({ issuerId, purpose: 'invitation', expiresAt: { $gt: now } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<OneTimeTokenDoc[]>()
        .exec();
      if (docs.length === 0) return [];
      const used = await Use.find({ _id: { $in: docs.map((d) => d._id) } }, { _id: 1 })
        .lean<Pick<TokenUseDoc, '_id'>[]>()
        .exec();
      const usedIds = new Set(used.map((u) => u._id));
      return docs.filter((d) => !usedIds.has(d._id));
    },

    /** Housekeeping: forgets tokens expired long ago (their use records go with them). */
    async deleteExpiredBefore(before: Date): Promise<number> {
      const old = await Token.find({ expiresAt: { $lt: before } }, { _id: 1 })
        .limit(1000)
        .lean<Pick<OneTimeTokenDoc, '_id'>[]>()
        .exec();
      if (old.length === 0) return 0;
      const ids = old.map((d) => d._id);
      await Use.deleteMany({ _id: { $in: ids } }).exec();
      const res = await Token.deleteMany({ _id: { $in: ids } }).exec();
      return res.deletedCount;
    },
  };
}
export type OneTimeTokenRepository = ReturnType<typeof oneTimeTokenRepository>;
