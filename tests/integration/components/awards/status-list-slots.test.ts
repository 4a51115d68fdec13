/**
 * Status list slots are allocated by insert-only records under a unique `_id` (updates are not
 * atomic on FerretDB): concurrent allocations never share a slot, a taken slot is retried, and
 * a list that has no room left leads to the next list.
 */
import { statusListSlotModel } from '../../../../src/components/awards/award.model.js';
import { awardsRepository } from '../../../../src/components/awards/awards.repository.js';
import {
  createStatusListAllocator,
  STATUS_LIST_SIZE,
} from '../../../../src/components/awards/status-list-allocator.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('status list slots', () => {
  let t: TestApp;
  const clock = () => new Date('2027-03-01T09:00:00Z');
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When 200 slots are allocated at once, then they are all different and all recorded', async () => {
    const allocate = createStatusListAllocator({ repo: awardsRepository(t.db), clock });
    const slots = await Promise.all(
      Array.from({ length: 200 }, (_, i) => allocate('roubaix', `award-${i}`)),
    );
    expect(new Set(slots.map((s) => `${s.listNo}:${s.index}`)).size).toBe(200);
    expect(slots.every((s) => s.listNo === 1 && s.index >= 0 && s.index < STATUS_LIST_SIZE)).toBe(
      true,
    );
    expect(await statusListSlotModel(t.db).countDocuments({ issuerId: 'roubaix' })).toBe(200);
  });

  it('When the random index is taken, then another is tried; when a list has no room, the next list is used', async () => {
    // A "random" source that keeps proposing 7, then 8.
    const proposals = [7, 7, 8];
    const allocate = createStatusListAllocator({
      repo: awardsRepository(t.db),
      clock,
      random: () => proposals.shift() ?? 7,
    });
    expect(await allocate('centre', 'a')).toEqual({ listNo: 1, index: 7 });
    expect(await allocate('centre', 'b')).toEqual({ listNo: 1, index: 8 });
    // 7 is taken in list 1 and every further proposal is 7: list 1 is given up, list 2 used.
    expect(await allocate('centre', 'c')).toEqual({ listNo: 2, index: 7 });
    const slot = await statusListSlotModel(t.db).findById('centre:2:7').lean();
    expect(slot).toMatchObject({ assertionId: 'c', listNo: 2, index: 7 });
  });
});
