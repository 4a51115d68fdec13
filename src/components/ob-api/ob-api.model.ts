import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * OAuth 2.0 records of the Open Badges 3.0 API. Secrets (client secrets, codes, tokens) are
 * never stored: only their SHA-256, which is also the `_id` of codes and tokens, so that a
 * look-up is one read by `_id` (see shared/DATABASE.md, "Hot paths look up by _id").
 */

/** An application registered by dynamic client registration (RFC 7591). */
export interface OAuthClientDoc {
  _id: string;
  secretHash: string;
  name: string;
  uri: string;
  logoUri?: string;
  tosUri?: string;
  policyUri?: string;
  redirectUris: string[];
  scopes: string[];
  softwareId?: string;
  softwareVersion?: string;
  createdAt: Date;
}

/** One authorization a person gave an application: its tokens live and die with it. */
export interface OAuthGrantDoc {
  _id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
  /** Why: 'user' (tokens page), 'client' (revocation endpoint), 'code_replay', 'refresh_reuse'. */
  revokedBecause?: string;
}

/** A one-time authorization code (PKCE S256), valid a few minutes. `_id` = SHA-256 of the code. */
export interface OAuthCodeDoc {
  _id: string;
  clientId: string;
  userId: string;
  grantId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  expiresAt: Date;
}

/** An access or refresh token. `_id` = SHA-256 of the token. */
export interface OAuthTokenDoc {
  _id: string;
  kind: 'access' | 'refresh';
  grantId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  expiresAt: Date;
  createdAt: Date;
}

/**
 * A code or refresh token already used, by its hash. Insert-only with the unique `_id`: of two
 * requests using the same one, exactly one inserts (atomic on MongoDB and FerretDB alike).
 */
export interface OAuthSpentDoc {
  _id: string;
  grantId: string;
  at: Date;
}

const clientSchema = new Schema<OAuthClientDoc>(
  {
    _id: { type: String, required: true },
    secretHash: { type: String, required: true },
    name: { type: String, required: true },
    uri: { type: String, required: true },
    logoUri: { type: String },
    tosUri: { type: String },
    policyUri: { type: String },
    redirectUris: { type: [String], required: true },
    scopes: { type: [String], required: true },
    softwareId: { type: String },
    softwareVersion: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'obApiClients', versionKey: false },
);

const grantSchema = new Schema<OAuthGrantDoc>(
  {
    _id: { type: String, required: true },
    clientId: { type: String, required: true },
    userId: { type: String, required: true },
    scopes: { type: [String], required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date },
    revokedAt: { type: Date },
    revokedBecause: { type: String },
  },
  { collection: 'obApiGrants', versionKey: false },
);
grantSchema.index({ userId: 1 });

const codeSchema = new Schema<OAuthCodeDoc>(
  {
    _id: { type: String, required: true },
    clientId: { type: String, required: true },
    userId: { type: String, required: true },
    grantId: { type: String, required: true },
    redirectUri: { type: String, required: true },
    scopes: { type: [String], required: true },
    codeChallenge: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'obApiCodes', versionKey: false },
);

const tokenSchema = new Schema<OAuthTokenDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['access', 'refresh'] },
    grantId: { type: String, required: true },
    clientId: { type: String, required: true },
    userId: { type: String, required: true },
    scopes: { type: [String], required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'obApiTokens', versionKey: false },
);
tokenSchema.index({ grantId: 1 });

const spentSchema = new Schema<OAuthSpentDoc>(
  {
    _id: { type: String, required: true },
    grantId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'obApiSpent', versionKey: false },
);

export const oauthClientModel = (db: Connection): Model<OAuthClientDoc> =>
  modelOf(db, 'OAuthClient', clientSchema);
export const oauthGrantModel = (db: Connection): Model<OAuthGrantDoc> =>
  modelOf(db, 'OAuthGrant', grantSchema);
export const oauthCodeModel = (db: Connection): Model<OAuthCodeDoc> =>
  modelOf(db, 'OAuthCode', codeSchema);
export const oauthTokenModel = (db: Connection): Model<OAuthTokenDoc> =>
  modelOf(db, 'OAuthToken', tokenSchema);
export const oauthSpentModel = (db: Connection): Model<OAuthSpentDoc> =>
  modelOf(db, 'OAuthSpent', spentSchema);
