import type { Connection } from 'mongoose';
import { badgeClassModel, type BadgeClassQuorum } from '../achievements/badge-class.model.js';
import {
  badgeRequestModel,
  requestDecisionModel,
  requestFileModel,
  type BadgeRequestDoc,
  type RequestDecisionDoc,
  type RequestFileDoc,
  type RequestStatus,
} from './request.model.js';
import { withoutAccents } from '../../libraries/text/slug.js';
import { awardModel, revocationModel } from '../awards/award.model.js';
import { recipientSlots } from '../awards/recipient-slots.js';

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/** Escapes text for a $regex (Go regular expressions on FerretDB, PCRE on MongoDB). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface QueueFilter {
  issuerId: string;
  status?: RequestStatus | undefined;
  badgeClassId?: string | undefined;
  /** Lower case, without accents (see searchText). */
  person?: string | undefined;
}

/** "Élodie Dupré <e@x.fr>" → "elodie dupre <e@x.fr>" (accents and case ignored by the search). */
export const searchText = (text: string): string => withoutAccents(text).toLowerCase().trim();

export function requestsRepository(db: Connection) {
  const Request = badgeRequestModel(db);
  const Decision = requestDecisionModel(db);
  const File = requestFileModel(db);
  const BadgeClass = badgeClassModel(db);
  const Award = awardModel(db);
  const Revocation = revocationModel(db);
  const slots = recipientSlots(db);

  function query(filter: QueueFilter): Record<string, unknown> {
    const q: Record<string, unknown> = { issuerId: filter.issuerId };
    if (filter.status) q.status = filter.status;
    if (filter.badgeClassId) q.badgeClassId = filter.badgeClassId;
    if (filter.person) q.requesterSearch = { $regex: escapeRegex(filter.person) };
    return q;
  }

  return {
    findById: (id: string) => Request.findById(id).lean<BadgeRequestDoc>().exec(),

    /**
     * The badge classes this address holds a valid award of (not revoked, not expired), among
     * the given ones: a held badge is not asked for again. Revocation records are the authority.
     */
    async heldBadgeClassIds(email: string, badgeClassIds: string[], now: Date) {
      if (!email || badgeClassIds.length === 0) return new Set<string>();
      type Held = {
        _id: string;
        badgeClassId: string;
        expires?: Date;
        revoked?: boolean;
        recipient: { email: string };
      };
      const awards = (await slots.ready())
        ? (
            await slots.awardsOf<Held>(email, {
              limit: 500,
              fields: { _id: 1, badgeClassId: 1, expires: 1, revoked: 1 },
              badgeClassIds,
            })
          ).filter((a) => !a.revoked)
        : await Award.find(
            { 'recipient.email': email, badgeClassId: { $in: badgeClassIds }, revoked: false },
            { _id: 1, badgeClassId: 1, expires: 1 },
          )
            .limit(500)
            .lean<Held[]>()
            .exec();
      const current = awards.filter((a) => !a.expires || a.expires > now);
      if (current.length === 0) return new Set<string>();
      const revoked = await Revocation.find({ _id: { $in: current.map((a) => a._id) } }, { _id: 1 })
        .lean<{ _id: string }[]>()
        .exec();
      const gone = new Set(revoked.map((r) => r._id));
      return new Set(current.filter((a) => !gone.has(a._id)).map((a) => a.badgeClassId));
    },

    /** Inserts; the request already made with this form key when the form was sent twice. */
    async insert(doc: BadgeRequestDoc): Promise<{ created: boolean; request: BadgeRequestDoc }> {
      try {
        await Request.create(doc);
        return { created: true, request: doc };
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const earlier = await Request.findOne({ submissionKey: doc.submissionKey })
          .lean<BadgeRequestDoc>()
          .exec();
        if (!earlier) throw err;
        return { created: false, request: earlier };
      }
    },

    /**
     * Sends a returned request again as revision `revision + 1`. Matches on the current
     * status and revision: a second click finds nothing to change.
     */
    async resubmit(
      id: string,
      from: number,
      values: Pick<BadgeRequestDoc, 'links' | 'text' | 'submissions' | 'updatedAt'> & {
        file?: BadgeRequestDoc['file'] | null;
      },
    ): Promise<boolean> {
      const { file, ...rest } = values;
      const res = await Request.updateOne(
        { _id: id, status: 'returned', revision: from },
        {
          $set: { ...rest, status: 'submitted', revision: from + 1, ...(file ? { file } : {}) },
          ...(file === null ? { $unset: { file: 1 } } : {}),
        },
      ).exec();
      return res.matchedCount > 0;
    },

    async setFile(id: string, file: NonNullable<BadgeRequestDoc['file']>): Promise<void> {
      await Request.updateOne({ _id: id }, { $set: { file } }).exec();
    },

    async setStatus(id: string, status: RequestStatus, at: Date): Promise<void> {
      await Request.updateOne(
        { _id: id },
        {
          $set: {
            status,
            updatedAt: at,
            ...(status === 'approved' || status === 'rejected' ? { decidedAt: at } : {}),
          },
        },
      ).exec();
    },

    /** One page of an issuer's queue, newest change first (`limit + 1` rows tell a next page). */
    async page(filter: QueueFilter, page: number, limit: number) {
      const q = query(filter);
      const [rows, total] = await Promise.all([
        Request.find(q)
          .sort({ updatedAt: -1, _id: 1 })
          .skip((page - 1) * limit)
          .limit(limit)
          .lean<BadgeRequestDoc[]>()
          .exec(),
        Request.countDocuments(q).exec(),
      ]);
      return { rows, total };
    },

    countByStatus: (issuerId: string, status: RequestStatus) =>
      Request.countDocuments({ issuerId, status }).exec(),

    /** The oldest open requests first (they have waited longest). */
    oldestOpen: (issuerId: string, limit: number) =>
      Request.find({ issuerId, status: 'submitted' })
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .lean<BadgeRequestDoc[]>()
        .exec(),

    ofRequester: (userId: string, limit = 100) =>
      Request.find({ requesterUserId: userId })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<BadgeRequestDoc[]>()
        .exec(),

    /** Open requests of these issuers (for the people who may recommend them). */
    openIn: (issuerIds: string[], limit = 50) =>
      issuerIds.length === 0
        ? Promise.resolve([] as BadgeRequestDoc[])
        : Request.find({ issuerId: { $in: issuerIds }, status: 'submitted' })
            .sort({ updatedAt: -1 })
            .limit(limit)
            .lean<BadgeRequestDoc[]>()
            .exec(),

    /** Insert-only; false when this revision was already decided. */
    async insertDecision(doc: RequestDecisionDoc): Promise<boolean> {
      try {
        await Decision.create(doc);
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    findDecision: (requestId: string, revision: number) =>
      Decision.findById(`${requestId}:${revision}`).lean<RequestDecisionDoc>().exec(),
    /** Every decision of a request, by `_id` (one read per revision). */
    async decisionsOf(requestId: string, revisions: number): Promise<RequestDecisionDoc[]> {
      const found = await Promise.all(
        Array.from({ length: revisions }, (_, i) =>
          Decision.findById(`${requestId}:${i + 1}`)
            .lean<RequestDecisionDoc>()
            .exec(),
        ),
      );
      return found.filter((d): d is RequestDecisionDoc => d !== null);
    },

    async insertFile(doc: RequestFileDoc): Promise<void> {
      await File.create(doc);
    },
    async findFile(id: string): Promise<RequestFileDoc | null> {
      const doc = await File.findById(id).lean<RequestFileDoc>().exec();
      if (!doc) return null;
      // .lean() gives the driver's Binary, not a Buffer.
      const raw = doc.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...doc, data: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer) };
    },
    async deleteFile(id: string): Promise<void> {
      await File.deleteOne({ _id: id }).exec();
    },

    /** The quorum lives on the badge class (an optional field the catalogue keeps). */
    async setQuorum(badgeClassId: string, quorum: BadgeClassQuorum | null): Promise<void> {
      await BadgeClass.updateOne(
        { _id: badgeClassId },
        quorum ? { $set: { quorum } } : { $unset: { quorum: 1 } },
      ).exec();
    },
  };
}
export type RequestsRepository = ReturnType<typeof requestsRepository>;
