import { Schema, type Connection, type Model } from 'mongoose';
import type { IssuerRole } from '../../libraries/authz/authorization.js';
import { modelOf } from '../../libraries/db/model-of.js';

export const tokenPurposes = [
  'invitation',
  'password-reset',
  'set-password',
  'email-change',
  // Confirms an account deletion (src/components/my-data).
  'account-deletion',
] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/**
 * A single-use, expiring link token. Only its SHA-256 is stored (as `_id`): the token itself
 * exists only in the message sent to the person. Whether it has been used lives in the
 * insert-only `tokenUses` collection, so consuming is atomic on every engine.
 */
export interface OneTimeTokenDoc {
  /** hex SHA-256 of the token. */
  _id: string;
  purpose: TokenPurpose;
  /** Invitee (invitation) or the new address (email-change) or the account's address. */
  email: string;
  userId?: string;
  issuerId?: string;
  role?: IssuerRole;
  createdBy?: string;
  createdAt: Date;
  expiresAt: Date;
}

/** One row per consumed (or cancelled) token: the unique `_id` makes a second use fail. */
export interface TokenUseDoc {
  _id: string;
  at: Date;
  outcome: 'used' | 'cancelled';
  by?: string;
}

const tokenSchema = new Schema<OneTimeTokenDoc>(
  {
    _id: { type: String, required: true },
    purpose: { type: String, required: true, enum: tokenPurposes },
    email: { type: String, required: true },
    userId: { type: String },
    issuerId: { type: String },
    role: { type: String },
    createdBy: { type: String },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'oneTimeTokens', versionKey: false },
);
// Pending invitations of an issuer are listed on its members page.
tokenSchema.index({ issuerId: 1, purpose: 1 });

const tokenUseSchema = new Schema<TokenUseDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    outcome: { type: String, required: true, enum: ['used', 'cancelled'] },
    by: { type: String },
  },
  { collection: 'tokenUses', versionKey: false },
);

export function oneTimeTokenModel(db: Connection): Model<OneTimeTokenDoc> {
  return modelOf<OneTimeTokenDoc>(db, 'OneTimeToken', tokenSchema);
}

export function tokenUseModel(db: Connection): Model<TokenUseDoc> {
  return modelOf<TokenUseDoc>(db, 'TokenUse', tokenUseSchema);
}
