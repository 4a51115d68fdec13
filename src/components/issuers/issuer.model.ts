import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An issuer: an organisation of the cooperative that issues badges (OB "Issuer"/"Profile").
 * Deliberately small; the Open Badges work adds what it needs (keys, image, SIRET…) as new
 * optional fields. `_id` is the public identifier (a slug of the name).
 */
export interface IssuerDoc {
  _id: string;
  name: string;
  url: string;
  email: string;
  description: string;
  createdAt: Date;
  createdBy: string;
}

const issuerSchema = new Schema<IssuerDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    url: { type: String, required: true },
    email: { type: String, required: true },
    description: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  // strict: false keeps fields added by later features when this component reads and writes.
  { collection: 'issuers', versionKey: false, strict: false },
);

export function issuerModel(db: Connection): Model<IssuerDoc> {
  return (
    (db.models.Issuer as Model<IssuerDoc> | undefined) ??
    db.model<IssuerDoc>('Issuer', issuerSchema)
  );
}
