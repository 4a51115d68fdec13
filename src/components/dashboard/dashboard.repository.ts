import type { Connection } from 'mongoose';
import {
  AWARD_SUMMARY_FIELDS,
  awardModel,
  revocationModel,
  type AwardDoc,
  type AwardSummary,
} from '../awards/award.model.js';
import { escapeRegex } from '../requests/requests.repository.js';

export type AwardRow = AwardSummary;

const ROW = AWARD_SUMMARY_FIELDS;

/**
 * Read-only queries of the dashboard over `assertions`. FerretDB scans any filter other than
 * `_id` in Go, so each query is bounded (limit, projection) and aggregates use the safe subset
 * ($match, $group with $sum, $sort): the results are cached briefly by the use case.
 */
export function dashboardRepository(db: Connection) {
  const Award = awardModel(db);
  const Revocation = revocationModel(db);
  return {
    /**
     * Changes when a badge is issued or revoked anywhere: cached aggregates are recomputed only
     * then (two collection counts, no scan of the awards).
     */
    async version(): Promise<string> {
      const [awards, revocations] = await Promise.all([
        Award.estimatedDocumentCount().exec(),
        Revocation.estimatedDocumentCount().exec(),
      ]);
      return `${awards}:${revocations}`;
    },

    /** Awards per badge class of an issuer: all, and revoked. */
    async countsByBadge(
      issuerId: string,
    ): Promise<Map<string, { issued: number; revoked: number }>> {
      const [all, revoked] = await Promise.all([
        Award.aggregate<{ _id: string; n: number }>([
          { $match: { issuerId } },
          { $group: { _id: '$badgeClassId', n: { $sum: 1 } } },
        ]).exec(),
        Award.aggregate<{ _id: string; n: number }>([
          { $match: { issuerId, revoked: true } },
          { $group: { _id: '$badgeClassId', n: { $sum: 1 } } },
        ]).exec(),
      ]);
      const counts = new Map<string, { issued: number; revoked: number }>();
      for (const row of all) counts.set(row._id, { issued: row.n, revoked: 0 });
      for (const row of revoked) {
        const c = counts.get(row._id) ?? { issued: row.n, revoked: 0 };
        c.revoked = row.n;
        counts.set(row._id, c);
      }
      return counts;
    },

    /** Active awards per recipient address of an issuer (the directory's badge counts). */
    async activeByRecipient(issuerId: string): Promise<Map<string, number>> {
      const rows = await Award.aggregate<{ _id: string; n: number }>([
        { $match: { issuerId, revoked: false } },
        { $group: { _id: '$recipient.email', n: { $sum: 1 } } },
      ]).exec();
      return new Map(rows.map((r) => [r._id, r.n]));
    },

    /** Addresses holding an active award of one of these badge classes. */
    async holdersOf(issuerId: string, badgeClassIds: string[]): Promise<Set<string>> {
      if (badgeClassIds.length === 0) return new Set();
      const rows = await Award.find(
        { issuerId, badgeClassId: { $in: badgeClassIds }, revoked: false },
        { recipient: 1 },
      )
        .lean<Pick<AwardDoc, 'recipient'>[]>()
        .exec();
      return new Set(rows.map((r) => r.recipient.email));
    },

    /** Active awards of an issuer held by these addresses (one page of the directory). */
    activeOfRecipients: (issuerId: string, emails: string[]) =>
      emails.length === 0
        ? Promise.resolve([] as AwardRow[])
        : Award.find({ issuerId, 'recipient.email': { $in: emails }, revoked: false }, ROW)
            .sort({ issuedOn: -1 })
            .limit(500)
            .lean<AwardRow[]>()
            .exec(),

    /** One page of the awards of a badge class, newest first. */
    async pageOfBadge(input: {
      issuerId: string;
      badgeClassId: string;
      revoked?: boolean | undefined;
      email?: string | undefined;
      page: number;
      limit: number;
    }): Promise<{ rows: AwardRow[]; total: number }> {
      const q: Record<string, unknown> = {
        issuerId: input.issuerId,
        badgeClassId: input.badgeClassId,
      };
      if (input.revoked !== undefined) q.revoked = input.revoked;
      if (input.email) q['recipient.email'] = { $regex: escapeRegex(input.email.toLowerCase()) };
      const [rows, total] = await Promise.all([
        Award.find(q, ROW)
          .sort({ issuedOn: -1, _id: 1 })
          .skip((input.page - 1) * input.limit)
          .limit(input.limit)
          .lean<AwardRow[]>()
          .exec(),
        Award.countDocuments(q).exec(),
      ]);
      return { rows, total };
    },

    /** Some awards by id (the bulk revocation's confirmation), of one issuer. */
    byIds: (issuerId: string, ids: string[]) =>
      ids.length === 0
        ? Promise.resolve([] as AwardRow[])
        : Award.find({ _id: { $in: ids }, issuerId }, ROW)
            .lean<AwardRow[]>()
            .exec(),

    /** A person's badges: awards sent to their address, newest first. */
    ofRecipient: (email: string, limit = 100) =>
      Award.find({ 'recipient.email': email }, ROW)
        .sort({ issuedOn: -1 })
        .limit(limit)
        .lean<AwardRow[]>()
        .exec(),
  };
}
export type DashboardRepository = ReturnType<typeof dashboardRepository>;
