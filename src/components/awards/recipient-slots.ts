import { Schema, type Connection, type Model } from 'mongoose';
import { duplicatesOf } from '../../libraries/db/duplicates-of.js';
import { modelOf } from '../../libraries/db/model-of.js';
import { awardModel, type AwardDoc } from './award.model.js';

/**
 * A person's awards, reachable by `_id` only. FerretDB 1.24 reads a whole collection for any
 * filter but an exact `_id` (docs/database.md, "Known limit"): asking the awards for
 * `recipient.email` decoded every signed award (4 s at 10,000). So each award also claims a
 * small slot document `<recipient address>#<n>`, n = 0, 1, 2… in order, and a person's awards
 * are found by reading `#0, #1, …` until the first missing slot: a handful of indexed reads on
 * both engines, whatever the number of awards.
 *
 * Claiming is insert-only under the unique `_id` (atomic on both engines): a slot already taken
 * is read — this award's (a retry) means done, another's means try the next one. Slots are
 * therefore contiguous and an award holds exactly one. The issuing pipeline claims right after
 * storing, before the journal line and the count, so an attempt cut off in between is finished
 * by the retry (see issue-pipeline.use-case.ts).
 *
 * Awards stored before slots existed are claimed once by `backfill()` (at server start); until
 * its marker is written, readers keep asking the awards themselves (`ready()` false).
 */
export interface RecipientSlotDoc {
  _id: string;
  awardId: string;
  badgeClassId: string;
}

const slotSchema = new Schema<RecipientSlotDoc>(
  {
    _id: { type: String, required: true },
    awardId: { type: String, required: true },
    badgeClassId: { type: String, required: true },
  },
  { collection: 'award_recipients', versionKey: false },
);
slotSchema.index({ badgeClassId: 1 });

interface MarkerDoc {
  _id: string;
  at: Date;
  claimed: number;
}
const markerSchema = new Schema<MarkerDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    claimed: { type: Number, required: true },
  },
  { collection: 'migrations', versionKey: false },
);

export function recipientSlotModel(db: Connection): Model<RecipientSlotDoc> {
  return modelOf<RecipientSlotDoc>(db, 'RecipientSlot', slotSchema);
}

const MARKER_ID = 'award_recipients.backfill';
/** Slots read at once when listing (most people hold fewer). */
const PROBE = 8;

export const slotId = (email: string, n: number) => `${email}#${n}`;
/** The address a slot id names (an address may itself contain `#`). */
export const addressOf = (id: string) => id.slice(0, id.lastIndexOf('#'));

type Claimable = Pick<AwardDoc, '_id' | 'badgeClassId'> & { recipient: { email: string } };

export function recipientSlots(db: Connection) {
  const Slot = recipientSlotModel(db);
  const Marker = modelOf<MarkerDoc>(db, 'Migration', markerSchema);
  let known = false;

  /** Every award holds one slot of its recipient's address (idempotent). */
  async function claim(awards: Claimable[]): Promise<void> {
    let pending = awards.map((award) => ({ award, n: 0 }));
    while (pending.length > 0) {
      const taken = await duplicatesOf(
        Slot,
        pending.map(({ award, n }) => ({
          _id: slotId(award.recipient.email, n),
          awardId: award._id,
          badgeClassId: award.badgeClassId,
        })),
      );
      const next = await Promise.all(
        pending.map(async (p) => {
          const id = slotId(p.award.recipient.email, p.n);
          if (!taken.has(id)) return undefined;
          const holder = await Slot.findById(id).lean<RecipientSlotDoc>().exec();
          if (holder?.awardId === p.award._id) return undefined;
          return { award: p.award, n: p.n + 1 };
        }),
      );
      pending = next.filter((p): p is NonNullable<typeof p> => p !== undefined);
    }
  }

  /**
   * The slots of one address, in the order they were claimed (at most `limit`). Read 1, then
   * 2, 4, 8… at a time: most addresses hold none or a few.
   */
  async function slotsOf(email: string, limit: number): Promise<RecipientSlotDoc[]> {
    const found: RecipientSlotDoc[] = [];
    for (let n = 0, step = 1; n < limit; n += step, step = Math.min(step * 2, PROBE)) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(step, limit - n) }, (_, k) =>
          Slot.findById(slotId(email, n + k))
            .lean<RecipientSlotDoc>()
            .exec(),
        ),
      );
      for (const slot of batch) {
        if (!slot) return found;
        found.push(slot);
      }
    }
    return found;
  }

  const Award = awardModel(db);

  return {
    claim,
    slotsOf,

    /**
     * The awards of one address through its slots, each read by `_id` with `fields` (plus
     * `recipient`), in the order they were claimed; only those of `badgeClassIds` when given.
     * The award is the authority: one that no longer names the address (erased) is left out.
     */
    async awardsOf<T extends { recipient: { email: string } }>(
      email: string,
      options: { limit: number; fields: Record<string, 1>; badgeClassIds?: string[] },
    ): Promise<T[]> {
      const slots = (await slotsOf(email, options.limit)).filter(
        (slot) => !options.badgeClassIds || options.badgeClassIds.includes(slot.badgeClassId),
      );
      const found = await Promise.all(
        slots.map((slot) =>
          Award.findById(slot.awardId, { ...options.fields, recipient: 1 })
            .lean<T>()
            .exec(),
        ),
      );
      return found.filter((a): a is NonNullable<typeof a> => a?.recipient.email === email) as T[];
    },
    /** One slot, when its address is forgotten (account deleted; the awards are erased). */
    remove: async (id: string) => {
      await Slot.deleteOne({ _id: id }).exec();
    },

    /**
     * The slots of one badge among these addresses (a CSV preview: "who already holds it"):
     * one read of the slot documents of the badge — small, unlike the awards — rather than
     * one lookup per address of the file.
     */
    async slotsOfBadge(badgeClassId: string, emails: string[]): Promise<RecipientSlotDoc[]> {
      const asked = new Set(emails);
      const slots = await Slot.find({ badgeClassId }).lean<RecipientSlotDoc[]>().exec();
      return slots.filter((slot) => asked.has(addressOf(slot._id)));
    },

    /** Whether every award has its slot (the backfill has run to its end once). */
    async ready(): Promise<boolean> {
      if (known) return true;
      known = (await Marker.findById(MARKER_ID).lean().exec()) !== null;
      return known;
    },

    /**
     * Claims the slots of every award stored before slots existed, then writes the marker.
     * Safe to run again or beside issuing (claims are idempotent; new awards claim their own).
     */
    async backfill(options: { batch?: number } = {}): Promise<{ claimed: number } | undefined> {
      if (await this.ready()) return undefined;
      const size = options.batch ?? 500;
      let claimed = 0;
      let batch: Claimable[] = [];
      const cursor = Award.find({}, { _id: 1, badgeClassId: 1, recipient: 1 })
        .lean<Claimable[]>()
        .cursor();
      for await (const award of cursor) {
        batch.push(award as unknown as Claimable);
        if (batch.length >= size) {
          await claim(batch);
          claimed += batch.length;
          batch = [];
        }
      }
      await claim(batch);
      claimed += batch.length;
      try {
        await Marker.create({ _id: MARKER_ID, at: new Date(), claimed });
      } catch (err) {
        // Another process finished first: the same work, done.
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      known = true;
      return { claimed };
    },
  };
}
export type RecipientSlots = ReturnType<typeof recipientSlots>;
