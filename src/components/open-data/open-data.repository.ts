import type { Connection } from 'mongoose';
import { badgeClassModel } from '../achievements/badge-class.model.js';
import { awardModel } from '../awards/award.model.js';
import { endorsementModel } from '../endorsements/endorsement.model.js';
import { issuerModel } from '../issuers/issuer.model.js';
import { badgeRequestModel } from '../requests/request.model.js';
import { openDataSettingsModel, type OpenDataSettingsDoc } from './open-data.model.js';

/**
 * Reads for the open data: plain finds with include projections (the safe subset of
 * docs: DATABASE.md); the counting is done in JS by src/core/open-data.
 */
export function openDataRepository(db: Connection) {
  const settings = openDataSettingsModel(db);
  const awards = awardModel(db);
  const badgeClasses = badgeClassModel(db);
  const issuers = issuerModel(db);
  const requests = badgeRequestModel(db);
  const endorsements = endorsementModel(db);
  return {
    async allSettings(): Promise<OpenDataSettingsDoc[]> {
      return settings.find({}).lean<OpenDataSettingsDoc[]>();
    },
    async saveSettings(doc: OpenDataSettingsDoc): Promise<void> {
      const { _id, ...rest } = doc;
      const unset: Record<string, 1> = {};
      if (!rest.communeCode) unset.communeCode = 1;
      if (!rest.mediationPlaceId) unset.mediationPlaceId = 1;
      const set = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
      await settings.updateOne(
        { _id },
        { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
        { upsert: true },
      );
    },
    async issuers(ids?: string[]) {
      return issuers
        .find(ids ? { _id: { $in: ids } } : {}, { name: 1 })
        .sort({ name: 1 })
        .lean<{ _id: string; name: string }[]>();
    },
    async badgeClasses(issuerIds: string[]) {
      return badgeClasses
        .find({ issuerId: { $in: issuerIds } }, { issuerId: 1, name: 1, alignments: 1, tags: 1 })
        .lean<
          {
            _id: string;
            issuerId: string;
            name: string;
            alignments?: { frameworkId: string; targetCode: string; targetName: string }[];
            tags?: string[];
          }[]
        >();
    },
    async awards(issuerIds: string[]) {
      return awards
        .find(
          { issuerId: { $in: issuerIds } },
          { badgeClassId: 1, issuedOn: 1, recipient: 1, recipientUserId: 1, revokedAt: 1 },
        )
        .lean<
          {
            _id: string;
            badgeClassId: string;
            issuedOn: Date;
            recipient: { email: string };
            recipientUserId?: string;
            revokedAt?: Date;
          }[]
        >();
    },
    async requests(issuerIds: string[]) {
      return requests
        .find(
          { issuerId: { $in: issuerIds } },
          { badgeClassId: 1, createdAt: 1, decidedAt: 1, status: 1 },
        )
        .lean<
          { _id: string; badgeClassId: string; createdAt: Date; decidedAt?: Date; status: string }[]
        >();
    },
    async endorsements(issuerIds: string[]) {
      return endorsements
        .find({ issuerId: { $in: issuerIds } }, { badgeClassId: 1, issuedOn: 1 })
        .lean<{ _id: string; badgeClassId: string; issuedOn: Date }[]>();
    },
  };
}

export type OpenDataRepository = ReturnType<typeof openDataRepository>;
