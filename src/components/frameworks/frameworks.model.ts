import { Schema, type Connection, type Model } from 'mongoose';
import { modelOf } from '../../libraries/db/model-of.js';

export interface Competency {
  code: string;
  label: string;
}

export interface Domain {
  code: string;
  label: string;
  competencies: Competency[];
}

/** A competency framework (CRCN, DigComp, REMN, or one imported by an admin). */
export interface Framework {
  id: string;
  name: string;
  /** Language of the labels (fr, en): pages mark it for screen readers. */
  lang: string;
  source?: string;
  url?: string;
  levels?: number;
  note?: string;
  domains: Domain[];
  /** Shipped with the platform (read-only) or imported. */
  origin: 'shipped' | 'imported';
  importedAt?: Date;
  importedBy?: string;
}

export interface ImportedFrameworkDoc extends Omit<Framework, 'id' | 'origin'> {
  _id: string;
}

const competencySchema = new Schema<Competency>(
  { code: { type: String, required: true }, label: { type: String, required: true } },
  { _id: false },
);
const domainSchema = new Schema<Domain>(
  {
    code: { type: String, required: true },
    label: { type: String, required: true },
    competencies: { type: [competencySchema], default: [] },
  },
  { _id: false },
);
const frameworkSchema = new Schema<ImportedFrameworkDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    lang: { type: String, required: true },
    source: String,
    url: String,
    levels: Number,
    note: String,
    domains: { type: [domainSchema], default: [] },
    importedAt: Date,
    importedBy: String,
  },
  { collection: 'frameworks', versionKey: false },
);

export function frameworkModel(db: Connection): Model<ImportedFrameworkDoc> {
  return modelOf<ImportedFrameworkDoc>(db, 'Framework', frameworkSchema);
}
