import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * One "Ajouter à mon portefeuille" offer: one award, short-lived, single-use. `_id` is the
 * public half of its token (`<_id>.<secret>`, in the QR code); only a hash of the secret is
 * kept. Expiry is checked by the code (`expiresAt`), not by a TTL index (DATABASE.md).
 */
export interface WalletOfferDoc {
  _id: string;
  awardId: string;
  issuerId: string;
  secretHash: string;
  /** The recipient's account when created after sign-in; absent through an emailed link. */
  userId?: string;
  via: 'session' | 'email';
  createdAt: Date;
  expiresAt: Date;
  /** sha256 of the optional transaction code sent by email (OpenID4VCI `tx_code`). */
  txCodeHash?: string;
  txFailures: number;
  /** VC-API DIDAuthentication challenge. */
  challenge: string;
  /** OpenID4VCI access token (hash), set when the pre-authorized code is redeemed. */
  tokenHash?: string;
  tokenExpiresAt?: Date;
}

const offerSchema = new Schema<WalletOfferDoc>(
  {
    _id: { type: String, required: true },
    awardId: { type: String, required: true },
    issuerId: { type: String, required: true },
    secretHash: { type: String, required: true },
    userId: { type: String },
    via: { type: String, required: true, enum: ['session', 'email'] },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    txCodeHash: { type: String },
    txFailures: { type: Number, required: true, default: 0 },
    challenge: { type: String, required: true },
    tokenHash: { type: String },
    tokenExpiresAt: { type: Date },
  },
  { collection: 'wallet_offers', versionKey: false },
);
offerSchema.index({ expiresAt: 1 });

/**
 * Insert-only guards (updates are not atomic on FerretDB): `redeem:<offerId>` (an offer is
 * used once, by either protocol), `nonce:<c_nonce>` (a nonce proves once), `link:<linkId>`.
 * A duplicate key (11000) means "already used".
 */
export interface WalletUseDoc {
  _id: string;
  at: Date;
  /** When the guarded thing expires: the record may then be purged. */
  expiresAt: Date;
}

const useSchema = new Schema<WalletUseDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'wallet_uses', versionKey: false },
);
useSchema.index({ expiresAt: 1 });

/** c_nonce values handed out by the nonce endpoint (spent through a `nonce:` guard). */
export interface WalletNonceDoc {
  _id: string;
  expiresAt: Date;
}

const nonceSchema = new Schema<WalletNonceDoc>(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { collection: 'wallet_nonces', versionKey: false },
);
nonceSchema.index({ expiresAt: 1 });

/** A one-time link emailed to an award's recipient: opens the offer page without an account. */
export interface WalletLinkDoc {
  _id: string;
  awardId: string;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date;
}

const linkSchema = new Schema<WalletLinkDoc>(
  {
    _id: { type: String, required: true },
    awardId: { type: String, required: true },
    secretHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'wallet_links', versionKey: false },
);
linkSchema.index({ expiresAt: 1 });

export const walletOfferModel = (db: Connection): Model<WalletOfferDoc> =>
  modelOf<WalletOfferDoc>(db, 'WalletOffer', offerSchema);
export const walletUseModel = (db: Connection): Model<WalletUseDoc> =>
  modelOf<WalletUseDoc>(db, 'WalletUse', useSchema);
export const walletNonceModel = (db: Connection): Model<WalletNonceDoc> =>
  modelOf<WalletNonceDoc>(db, 'WalletNonce', nonceSchema);
export const walletLinkModel = (db: Connection): Model<WalletLinkDoc> =>
  modelOf<WalletLinkDoc>(db, 'WalletLink', linkSchema);
