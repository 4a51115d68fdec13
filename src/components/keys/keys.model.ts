import { Schema, type Connection, type Model } from 'mongoose';
import type { EncryptedBlob } from './master-key.js';

export type KeyType = 'RSA' | 'Ed25519';
export type KeyStatus = 'active' | 'retired';

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
    status: { type: String, required: true, enum: ['active', 'retired'] },
    createdAt: { type: Date, required: true },
    retiredAt: { type: Date },
    publicKeyPem: { type: String, required: true },
    publicJwk: { type: Schema.Types.Mixed, required: true },
    publicKeyMultibase: { type: String },
    encryptedPrivateKey: { type: encryptedSchema, required: true },
  },
  { collection: 'issuer_keys', versionKey: false },
);

export function issuerKeyModel(db: Connection): Model<IssuerKeyDoc> {
  return (
    (db.models.IssuerKey as Model<IssuerKeyDoc> | undefined) ??
    db.model<IssuerKeyDoc>('IssuerKey', keySchema)
  );
}
