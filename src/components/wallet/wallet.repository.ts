import type { Connection } from 'mongoose';
import {
  walletLinkModel,
  walletNonceModel,
  walletOfferModel,
  walletUseModel,
  type WalletLinkDoc,
  type WalletOfferDoc,
} from './wallet.model.js';

const isDuplicate = (err: unknown) => (err as { code?: number })?.code === 11000;

export function walletRepository(db: Connection) {
  const Offer = walletOfferModel(db);
  const Use = walletUseModel(db);
  const Nonce = walletNonceModel(db);
  const Link = walletLinkModel(db);
  return {
    async insertOffer(offer: WalletOfferDoc): Promise<void> {
      await Offer.create(offer);
    },
    findOffer: (id: string) => Offer.findById(id).lean<WalletOfferDoc>().exec(),
    async setToken(id: string, tokenHash: string, tokenExpiresAt: Date): Promise<void> {
      await Offer.updateOne({ _id: id }, { $set: { tokenHash, tokenExpiresAt } });
    },
    /** A cap, not a counter under concurrency: enough to stop guessing a 6-digit code. */
    async countTxFailure(id: string): Promise<void> {
      await Offer.updateOne({ _id: id }, { $inc: { txFailures: 1 } });
    },
    /** true: this is the first use; false: it was already used (by anyone, any protocol). */
    async useOnce(key: string, at: Date, expiresAt: Date): Promise<boolean> {
      try {
        await Use.create({ _id: key, at, expiresAt });
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    async wasUsed(key: string): Promise<boolean> {
      return (await Use.countDocuments({ _id: key })) > 0;
    },
    async insertNonce(id: string, expiresAt: Date): Promise<void> {
      await Nonce.create({ _id: id, expiresAt });
    },
    findNonce: (id: string) => Nonce.findById(id).lean().exec(),
    async insertLink(link: WalletLinkDoc): Promise<void> {
      await Link.create(link);
    },
    findLink: (id: string) => Link.findById(id).lean<WalletLinkDoc>().exec(),
    /** Housekeeping: everything past its expiry (acknowledged deletes, no TTL index). */
    async purgeExpired(now: Date): Promise<number> {
      const filter = { expiresAt: { $lt: now } };
      const results = await Promise.all([
        // An offer redeemed just before it expired keeps its access token a little longer.
        Offer.deleteMany({
          ...filter,
          $or: [{ tokenExpiresAt: { $exists: false } }, { tokenExpiresAt: { $lt: now } }],
        }),
        Use.deleteMany(filter),
        Nonce.deleteMany(filter),
        Link.deleteMany(filter),
      ]);
      return results.reduce((n, r) => n + r.deletedCount, 0);
    },
  };
}
export type WalletRepository = ReturnType<typeof walletRepository>;
