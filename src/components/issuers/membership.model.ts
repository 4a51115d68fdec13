import { Schema, type Connection, type Model } from 'mongoose';
import { issuerRoles, type IssuerRole } from '../../libraries/authz/authorization.js';
import { modelOf } from '../../libraries/db/model-of.js';

/** A person's role in an issuer. One per (user, issuer): `_id` is `issuerId:userId`. */
export interface MembershipDoc {
  _id: string;
  issuerId: string;
  userId: string;
  role: IssuerRole;
  createdAt: Date;
  addedBy?: string;
}

export function membershipId(issuerId: string, userId: string): string {
  return `${issuerId}:${userId}`;
}

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true, enum: issuerRoles },
    createdAt: { type: Date, required: true },
    addedBy: { type: String },
  },
  { collection: 'memberships', versionKey: false },
);
membershipSchema.index({ userId: 1, issuerId: 1 }, { unique: true });
membershipSchema.index({ issuerId: 1 });

export function membershipModel(db: Connection): Model<MembershipDoc> {
  return modelOf<MembershipDoc>(db, 'Membership', membershipSchema);
}
