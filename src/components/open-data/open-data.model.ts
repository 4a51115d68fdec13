import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

/**
 * Whether an issuer's activity is published as open data, and with what place information.
 * `_id` is the issuer id (one document per issuer, read by `_id`).
 */
export interface OpenDataSettingsDoc {
  _id: string;
  publish: boolean;
  /** "YYYY-MM": months before it are never published. */
  fromMonth: string;
  /** INSEE code of the issuer's commune (5 characters). */
  communeCode?: string;
  /** Id of the place in the national data standard of digital mediation places. */
  mediationPlaceId?: string;
  updatedAt: Date;
  updatedBy: string;
}

const schema = new Schema<OpenDataSettingsDoc>(
  {
    _id: { type: String, required: true },
    publish: { type: Boolean, required: true },
    fromMonth: { type: String, required: true },
    communeCode: { type: String },
    mediationPlaceId: { type: String },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'open_data_settings', versionKey: false },
);

export function openDataSettingsModel(db: Connection): Model<OpenDataSettingsDoc> {
  return modelOf<OpenDataSettingsDoc>(db, 'OpenDataSettings', schema);
}
