import type { Connection } from 'mongoose';
import { addressOf, recipientSlots } from './recipient-slots.js';
import { duplicatesOf } from '../../libraries/db/duplicates-of.js';
import {
  awardModel,
  awardAnnouncementModel,
  awardTallyModel,
  reissueClaimModel,
  revocationModel,
  statusListSlotModel,
  type AwardDoc,
  type RevocationDoc,
} from './award.model.js';

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

export function awardsRepository(db: Connection) {
  const Award = awardModel(db);
  const Revocation = revocationModel(db);
  const Announcement = awardAnnouncementModel(db);
  const Slot = statusListSlotModel(db);
  const Tally = awardTallyModel(db);
  const Reissue = reissueClaimModel(db);
  const tally = (docs: AwardDoc[]) =>
    duplicatesOf(
      Tally,
      docs.map((d) => ({ _id: d._id, issuerId: d.issuerId, badgeClassId: d.badgeClassId })),
    );
  const slots = recipientSlots(db);
  return {
    findById: (id: string) => Award.findById(id).lean<AwardDoc>().exec(),
    /** Which of these addresses already hold a valid (not revoked) award of the badge. */
    async holdersOf(badgeClassId: string, emails: string[]): Promise<Set<string>> {
      const held = new Set<string>();
      if (await slots.ready()) {
        const ofBadge = await slots.slotsOfBadge(badgeClassId, emails);
        // The revocation records are the authority (written before the award is marked).
        const revoked = await Revocation.find(
          { _id: { $in: ofBadge.map((slot) => slot.awardId) } },
          { _id: 1 },
        )
          .lean<{ _id: string }[]>()
          .exec();
        const gone = new Set(revoked.map((r) => r._id));
        for (const slot of ofBadge) if (!gone.has(slot.awardId)) held.add(addressOf(slot._id));
        return held;
      }
      for (let i = 0; i < emails.length; i += 1000) {
        const found = await Award.find(
          { badgeClassId, 'recipient.email': { $in: emails.slice(i, i + 1000) }, revoked: false },
          { recipient: 1 },
        )
          .lean<Pick<AwardDoc, 'recipient'>[]>()
          .exec();
        for (const a of found) held.add(a.recipient.email);
      }
      return held;
    },
    /** Whether an award exists (by `_id`, without reading its signed documents). */
    async exists(id: string): Promise<boolean> {
      return (await Award.findById(id, { _id: 1 }).lean().exec()) !== null;
    },

    /** Inserts; 'duplicate' when the id or the idempotency key is taken. */
    async insert(doc: AwardDoc): Promise<'inserted' | 'duplicate'> {
      try {
        await Award.create(doc);
        await slots.claim([doc]);
        await tally([doc]);
        return 'inserted';
      } catch (err) {
        if (isDuplicate(err)) return 'duplicate';
        throw err;
      }
    },

    /** Each award's slot under its recipient's address (recipient-slots.ts; idempotent). */
    claimRecipientSlots: (docs: AwardDoc[]) => slots.claim(docs),

    /**
     * Inserts many (unordered: one duplicate does not stop the others). Returns the ids that
     * were not inserted because their id or idempotency key was taken.
     */
    async insertMany(docs: AwardDoc[]): Promise<Set<string>> {
      // Not counted here: the issuing pipeline journals first, then counts (the count is the
      // claim to announce; src/components/awards/issue-pipeline.use-case.ts).
      return duplicatesOf(Award, docs);
    },

    /**
     * Counts these awards in the catalogue if they are not yet (a run resumed after a crash).
     * Returns the ids counted now: an insert-only claim, so one caller only gets each.
     */
    async ensureTallied(
      docs: Pick<AwardDoc, '_id' | 'issuerId' | 'badgeClassId'>[],
    ): Promise<string[]> {
      const taken = await tally(docs as AwardDoc[]);
      return docs.map((d) => d._id).filter((id) => !taken.has(id));
    },

    /**
     * Records that these awards' emails went out (insert-only; again is harmless). Counted but
     * not recorded means an attempt was cut off between its count and its email.
     */
    async markAnnounced(ids: string[]): Promise<void> {
      await duplicatesOf(
        Announcement,
        ids.map((_id) => ({ _id, at: new Date() })),
      );
    },

    /** Which of these awards' emails went out (by `_id`, one read each). */
    async announced(ids: string[]): Promise<Set<string>> {
      const found = await Promise.all(
        ids.map((id) => Announcement.findById(id, { _id: 1 }).lean<{ _id: string }>().exec()),
      );
      return new Set(found.flatMap((a) => (a ? [a._id] : [])));
    },

    /** Which of these awards are counted in the catalogue (hence were journaled and announced). */
    async tallied(ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const found = await Tally.find({ _id: { $in: ids } }, { _id: 1 })
        .lean<{ _id: string }[]>()
        .exec();
      return new Set(found.map((d) => d._id));
    },

    /** Claims many status list slots at once; returns the `_id`s already taken. */
    async claimSlots(
      slots: { issuerId: string; listNo: number; index: number; assertionId: string; at: Date }[],
    ): Promise<Set<string>> {
      return duplicatesOf(
        Slot,
        slots.map((s) => ({
          _id: `${s.issuerId}:${s.listNo}:${s.index}`,
          issuerId: s.issuerId,
          listNo: s.listNo,
          index: s.index,
          assertionId: s.assertionId,
          allocatedAt: s.at,
        })),
      );
    },

    /** The award a submission already issued (rare path: a double submit). */
    findByIdempotencyKey: (key: string) =>
      Award.findOne({ idempotencyKey: key }).lean<AwardDoc>().exec(),

    /** Awards per badge class of an issuer (one pass over the issuer's awards). */
    async countByBadgeClass(issuerId: string): Promise<Map<string, number>> {
      const rows = await Tally.aggregate<{ _id: string; count: number }>([
        { $match: { issuerId } },
        { $group: { _id: '$badgeClassId', count: { $sum: 1 } } },
      ]).exec();
      return new Map(rows.map((r) => [r._id, r.count]));
    },

    /** Whether a badge class has been issued at least once. */
    async existsForBadgeClass(badgeClassId: string): Promise<boolean> {
      return (await Award.findOne({ badgeClassId }, { _id: 1 }).lean().exec()) !== null;
    },

    /** Newest first, for the issuer's page (paginated by the dashboard later). */
    listByIssuer: (issuerId: string, limit = 50) =>
      Award.find({ issuerId }).sort({ createdAt: -1 }).limit(limit).lean<AwardDoc[]>().exec(),

    /** Awards of an issuer whose OB 2.0 JWS is not signed by `keyId` (rotation re-signs them). */
    async *signedWithOtherKey(issuerId: string, keyId: string): AsyncGenerator<AwardDoc> {
      const cursor = Award.find({ issuerId, 'ob2.keyId': { $ne: keyId } })
        .sort({ _id: 1 })
        .lean<AwardDoc[]>()
        .cursor();
      for await (const doc of cursor) yield doc as unknown as AwardDoc;
    },

    /** The OB 2.0 signed form signed again, and every key the award's signatures now use. */
    async setOb2(id: string, ob2: AwardDoc['ob2'], signingKeyIds: string[]): Promise<void> {
      await Award.updateOne({ _id: id }, { $set: { ob2, signingKeyIds } }).exec();
    },

    /**
     * Awards of an issuer that may carry a signature of `keyId`, newest first (the order of
     * the `{issuerId, createdAt}` index, no in-memory sort on MongoDB): those that name
     * it in `signingKeyIds`, and those issued before that field existed (the caller reads
     * their documents).
     */
    async *maybeSignedWith(issuerId: string, keyId: string): AsyncGenerator<AwardDoc> {
      const cursor = Award.find({
        issuerId,
        $or: [{ signingKeyIds: keyId }, { signingKeyIds: { $exists: false } }],
      })
        .sort({ createdAt: -1 })
        .lean<AwardDoc[]>()
        .cursor();
      for await (const doc of cursor) yield doc as unknown as AwardDoc;
    },

    /** The OB 3.0 forms signed again (same status list entry), and every key they now use. */
    async setOb3(id: string, ob3: AwardDoc['ob3'], signingKeyIds: string[]): Promise<void> {
      await Award.updateOne({ _id: id }, { $set: { ob3, signingKeyIds } }).exec();
    },

    async markRevoked(id: string, at: Date, reason: string): Promise<void> {
      await Award.updateOne(
        { _id: id },
        { $set: { revoked: true, revokedAt: at, revocationReason: reason } },
      ).exec();
    },

    /**
     * Claims the re-issue of `oldId` for `newAwardId` (insert-only, unique `_id`). Returns the
     * new award id that holds the claim: this one, or the one an earlier run claimed.
     */
    async claimReissue(input: {
      oldId: string;
      issuerId: string;
      newAwardId: string;
      at: Date;
    }): Promise<string> {
      try {
        await Reissue.create({
          _id: input.oldId,
          issuerId: input.issuerId,
          newAwardId: input.newAwardId,
          claimedAt: input.at,
        });
        return input.newAwardId;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const earlier = await Reissue.findById(input.oldId).lean().exec();
        if (!earlier) throw err;
        return earlier.newAwardId;
      }
    },
    /** The id of the award that re-issued `oldId`, when one was claimed. */
    async reissueOf(oldId: string): Promise<string | undefined> {
      return (await Reissue.findById(oldId).lean().exec())?.newAwardId;
    },

    /** Insert-only: false when the award was already revoked. */
    async insertRevocation(doc: RevocationDoc): Promise<boolean> {
      try {
        await Revocation.create(doc);
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
    findRevocation: (id: string) => Revocation.findById(id).lean<RevocationDoc>().exec(),
    revocationsOfIssuer: (issuerId: string) =>
      Revocation.find({ issuerId }).sort({ revokedAt: 1, _id: 1 }).lean<RevocationDoc[]>().exec(),
    revocationsOfList: (issuerId: string, statusListNo: number) =>
      Revocation.find({ issuerId, statusListNo }).lean<RevocationDoc[]>().exec(),

    /** Claims a status list slot: true when it was free (a unique `_id` insert). */
    async claimSlot(input: {
      issuerId: string;
      listNo: number;
      index: number;
      assertionId: string;
      at: Date;
    }): Promise<boolean> {
      try {
        await Slot.create({
          _id: `${input.issuerId}:${input.listNo}:${input.index}`,
          issuerId: input.issuerId,
          listNo: input.listNo,
          index: input.index,
          assertionId: input.assertionId,
          allocatedAt: input.at,
        });
        return true;
      } catch (err) {
        if (isDuplicate(err)) return false;
        throw err;
      }
    },
  };
}
export type AwardsRepository = ReturnType<typeof awardsRepository>;
