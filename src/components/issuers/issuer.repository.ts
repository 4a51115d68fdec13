import type { Connection } from 'mongoose';
import type { IssuerRole } from '../../libraries/authz/authorization.js';
import { issuerModel, type IssuerDoc } from './issuer.model.js';
import { membershipId, membershipModel, type MembershipDoc } from './membership.model.js';

export function issuerRepository(db: Connection) {
  const Issuer = issuerModel(db);
  const Membership = membershipModel(db);
  return {
    findById: (id: string) => Issuer.findById(id).lean<IssuerDoc>().exec(),
    async findByIds(ids: string[]): Promise<IssuerDoc[]> {
      if (ids.length === 0) return [];
      return Issuer.find({ _id: { $in: ids } })
        .sort({ name: 1 })
        .lean<IssuerDoc[]>()
        .exec();
    },
    list: (limit = 500) =>
      Issuer.find({}).sort({ name: 1 }).limit(limit).lean<IssuerDoc[]>().exec(),
    /** Inserts; false when the id is taken (duplicate key). */
    async insert(issuer: IssuerDoc): Promise<boolean> {
      try {
        await Issuer.create(issuer);
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },

    /**
     * Changes an issuer's editable fields in one write (never its id, which signed badges
     * name); fields in `unset` are removed. False when the issuer does not exist.
     */
    async update(
      id: string,
      set: Partial<Omit<IssuerDoc, '_id' | 'createdAt' | 'createdBy'>>,
      unset: ('siret' | 'linkedinOrganizationId')[] = [],
    ): Promise<boolean> {
      const res = await Issuer.updateOne(
        { _id: id },
        {
          $set: set,
          ...(unset.length ? { $unset: Object.fromEntries(unset.map((f) => [f, ''])) } : {}),
        },
      ).exec();
      return res.matchedCount > 0;
    },

    membershipsOfUser: (userId: string) =>
      Membership.find({ userId }).lean<MembershipDoc[]>().exec(),
    membershipsOfIssuer: (issuerId: string, limit = 1000) =>
      Membership.find({ issuerId }).limit(limit).lean<MembershipDoc[]>().exec(),
    findMembership: (issuerId: string, userId: string) =>
      Membership.findById(membershipId(issuerId, userId)).lean<MembershipDoc>().exec(),
    /** Adds a membership; if one exists, it is returned unchanged (`created: false`). */
    async addMembership(
      values: Omit<MembershipDoc, '_id'>,
    ): Promise<{ created: boolean; membership: MembershipDoc }> {
      const doc: MembershipDoc = { _id: membershipId(values.issuerId, values.userId), ...values };
      try {
        await Membership.create(doc);
        return { created: true, membership: doc };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        const existing = await Membership.findById(doc._id).lean<MembershipDoc>().exec();
        return { created: false, membership: existing ?? doc };
      }
    },
    async setRole(issuerId: string, userId: string, role: IssuerRole): Promise<void> {
      await Membership.updateOne(
        { _id: membershipId(issuerId, userId) },
        { $set: { role } },
      ).exec();
    },
    async removeMembership(issuerId: string, userId: string): Promise<boolean> {
      const res = await Membership.deleteOne({ _id: membershipId(issuerId, userId) }).exec();
      return res.deletedCount > 0;
    },
  };
}
export type IssuerRepository = ReturnType<typeof issuerRepository>;
