import { awardModel } from '../../../../src/components/awards/award.model.js';
import { awardsRepository } from '../../../../src/components/awards/awards.repository.js';
import {
  recipientSlotModel,
  recipientSlots,
  slotId,
} from '../../../../src/components/awards/recipient-slots.js';
import { backpackRepository } from '../../../../src/components/backpack/backpack.repository.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

/**
 * A person's awards are reached through slot documents keyed by `_id` (`<address>#<n>`), because
 * FerretDB reads a whole collection for any other filter. What a mediator would notice if this
 * went wrong: a badge missing from "Mes badges", shown twice, or someone else's badge shown.
 */
describe('awards reachable from their recipient address (recipient slots)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const slotsIn = async () =>
    (await recipientSlotModel(t.db).find().lean().exec()).map((s) => [s._id, s.awardId]);

  it('When badges are issued to the same person at the same time, then each holds exactly one slot, in a run from #0, and "Mes badges" lists each once', async () => {
    const badge = await issuerWithBadge(t.app);
    const email = 'karim@exemple.fr';
    const awards = await Promise.all(
      Array.from({ length: 6 }, () => issueTo(t.app, badge, { recipientEmail: email })),
    );
    const slots = await slotsIn();
    expect(slots.map(([id]) => id).sort()).toEqual(
      Array.from({ length: 6 }, (_, n) => slotId(email, n)).sort(),
    );
    expect(slots.map(([, awardId]) => awardId).sort()).toEqual(awards.map((a) => a._id).sort());

    const listed = await backpackRepository(t.db).awardsOf(email);
    expect(listed.map((a) => a._id).sort()).toEqual(awards.map((a) => a._id).sort());
    // Newest first, as before.
    const dates = listed.map((a) => a.issuedOn.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('When the same awards are claimed again (a retry after a crash), then no slot is added and none moves', async () => {
    const badge = await issuerWithBadge(t.app);
    const a = await issueTo(t.app, badge, { recipientEmail: 'a@exemple.fr' });
    const b = await issueTo(t.app, badge, { recipientEmail: 'a@exemple.fr' });
    const before = await slotsIn();
    await awardsRepository(t.db).claimRecipientSlots([b, a, b]);
    await Promise.all([
      awardsRepository(t.db).claimRecipientSlots([a]),
      awardsRepository(t.db).claimRecipientSlots([b]),
    ]);
    expect((await slotsIn()).sort()).toEqual(before.sort());
  });

  it('Given awards stored before slots existed, then they are still listed, and after the backfill they are listed through their slots', async () => {
    const badge = await issuerWithBadge(t.app);
    const email = 'ancienne@exemple.fr';
    const issued = [
      await issueTo(t.app, badge, { recipientEmail: email }),
      await issueTo(t.app, badge, { recipientEmail: email }),
      await issueTo(t.app, badge, { recipientEmail: 'autre@exemple.fr' }),
    ];
    // A database of the previous version: the awards, no slot, no marker.
    await recipientSlotModel(t.db).deleteMany({}).exec();
    await t.db.collection('migrations').deleteMany({});
    const fresh = () => backpackRepository(t.db); // a process that has not seen the marker

    expect(await recipientSlots(t.db).ready()).toBe(false);
    const listedBefore = await fresh().awardsOf(email);
    expect(listedBefore.map((a) => a._id).sort()).toEqual([issued[0]!._id, issued[1]!._id].sort());
    expect(
      await awardsRepository(t.db).holdersOf(badge._id, [email, 'autre@exemple.fr', 'x@x.fr']),
    ).toEqual(new Set([email, 'autre@exemple.fr']));

    // Small batches, so that the backfill's own loop is exercised.
    expect(await recipientSlots(t.db).backfill({ batch: 2 })).toEqual({ claimed: 3 });
    expect(await recipientSlots(t.db).ready()).toBe(true);
    expect((await slotsIn()).length).toBe(3);
    // Twice is harmless: nothing more to do.
    expect(await recipientSlots(t.db).backfill()).toBeUndefined();

    const listedAfter = await fresh().awardsOf(email);
    expect(listedAfter.map((a) => a._id)).toEqual(listedBefore.map((a) => a._id));
    expect(
      await awardsRepository(t.db).holdersOf(badge._id, [email, 'autre@exemple.fr', 'x@x.fr']),
    ).toEqual(new Set([email, 'autre@exemple.fr']));
  });

  it('When a slot points at an award that no longer names this address, then it is not shown as theirs', async () => {
    const badge = await issuerWithBadge(t.app);
    const mine = await issueTo(t.app, badge, { recipientEmail: 'moi@exemple.fr' });
    const other = await issueTo(t.app, badge, { recipientEmail: 'elle@exemple.fr' });
    // A slot left behind (an erased account's, cut off halfway): it names another award.
    await recipientSlotModel(t.db).create({
      _id: slotId('moi@exemple.fr', 1),
      awardId: other._id,
      badgeClassId: badge._id,
    });
    const listed = await backpackRepository(t.db).awardsOf('moi@exemple.fr');
    expect(listed.map((a) => a._id)).toEqual([mine._id]);
    expect(await awardModel(t.db).countDocuments()).toBe(2);
  });

  it('When a revoked award is the only one of the badge, then the address no longer holds the badge', async () => {
    const badge = await issuerWithBadge(t.app);
    const award = await issueTo(t.app, badge, { recipientEmail: 'r@exemple.fr' });
    expect(await awardsRepository(t.db).holdersOf(badge._id, ['r@exemple.fr'])).toEqual(
      new Set(['r@exemple.fr']),
    );
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: badge.issuerId,
      awardId: award._id,
      reason: 'Délivré par erreur',
    });
    expect(await awardsRepository(t.db).holdersOf(badge._id, ['r@exemple.fr'])).toEqual(new Set());
  });
});
