import { Schema, type Connection, type Model } from 'mongoose';
import type { EncryptedBlob } from './master-key.js';
import { modelOf } from '../../libraries/db/model-of.js';

export type KeyType = 'RSA' | 'Ed25519';
/**
 * active: signs new badges. retired: replaced by a newer key, still published (old badges
 * verify). compromised: declared stolen or leaked by the issuer's owner; published nowhere, and
 * badges signed with it no longer verify (docs/security.md, "Clés compromises").
 */
export type KeyStatus = 'active' | 'retired' | 'compromised';
export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'retired', 'compromised'];

/**
 * One signing key of an issuer. `_id` is the public key id (part of its URLs). The private
 * key is stored only encrypted (AES-256-GCM under the master key, bound to `_id` and issuer).
 */
export interface IssuerKeyDoc {
  _id: string;
  issuerId: string;
  type: KeyType;
  status: KeyStatus;
  createdAt: Date;
  retiredAt?: Date;
  /** When the key was declared compromised, by whom (user id, or "cli") and why. */
  compromisedAt?: Date;
  compromisedBy?: string;
  compromiseReason?: string;
  publicKeyPem: string;
  publicJwk: Record<string, string>;
  /** Ed25519 only: Multikey `z6Mk…`. */
  publicKeyMultibase?: string;
  encryptedPrivateKey: EncryptedBlob;
}

const encryptedSchema = new Schema<EncryptedBlob>(
  {
    alg: { type: String, required: true },
    keyVersion: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    ciphertext: { type: String, required: true },
  },
  { _id: false },
);

const keySchema = new Schema<IssuerKeyDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true, index: true },
    type: { type: String, required: true, enum: ['RSA', 'Ed25519'] },
    status: { type: String, required: true, enum: KEY_STATUSES },
    createdAt: { type: Date, required: true },
    retiredAt: { type: Date },
    compromisedAt: { type: Date },
    compromisedBy: { type: String },
    compromiseReason: { type: String },
    publicKeyPem: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    publicKeyMultibase: { type: String },
    encryptedPrivateKey: { type: encryptedSchema, required: true },
  },
  { collection: 'issuer_keys', versionKey: false },
);

export function issuerKeyModel(db: Connection): Model<IssuerKeyDoc> {
  return modelOf<IssuerKeyDoc>(db, 'IssuerKey', keySchema);
}
