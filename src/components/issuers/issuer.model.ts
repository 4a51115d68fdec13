import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

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
  /** Optional 14-digit SIRET (checked with the Luhn key), shown on public pages. */
  siret?: string;
  /**
   * Optional LinkedIn company id (digits): "Add to profile" links name the issuer by it, so
   * LinkedIn shows the organisation's page and logo instead of a plain name.
   */
  linkedinOrganizationId?: string;
  /** Optional logo (PNG or SVG, small), served at /emetteurs/:issuerId/image. */
  image?: IssuerImage;
  createdAt: Date;
  createdBy: string;
  /** Last edit of the fields above (the edit form); absent until then. */
  updatedAt?: Date;
}

export interface IssuerImage {
  contentType: 'image/png' | 'image/svg+xml';
  data: Buffer;
  /** Short hash of the bytes: ETag and cache-busting query. */
  etag: string;
}

const issuerSchema = new Schema<IssuerDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    url: { type: String, required: true },
    email: { type: String, required: true },
    description: { type: String, default: '' },
    siret: { type: String },
    linkedinOrganizationId: { type: String, match: /^\d{1,20}$/ },
    image: {
      type: new Schema<IssuerImage>(
        {
          contentType: { type: String, required: true, enum: ['image/png', 'image/svg+xml'] },
          data: { type: Buffer, required: true },
          etag: { type: String, required: true },
        },
        { _id: false },
      ),
    },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    updatedAt: { type: Date },
  },
  // strict: false keeps fields added by later features when this component reads and writes.
  { collection: 'issuers', versionKey: false, strict: false },
);

export function issuerModel(db: Connection): Model<IssuerDoc> {
  return modelOf<IssuerDoc>(db, 'Issuer', issuerSchema);
}
