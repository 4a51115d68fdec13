import { randomInt } from 'node:crypto';
import { MIN_STATUS_LIST_BITS } from '../../core/index.js';
import type { AwardsRepository } from './awards.repository.js';

/** Bits per status list: the Bitstring Status List minimum (16 KiB), for herd privacy. */
export const STATUS_LIST_SIZE = MIN_STATUS_LIST_BITS;
/** Random tries in one list before moving to the next (a list then is about 90 % full). */
const TRIES_PER_LIST = 20;
const MAX_LISTS = 100_000;

/**
 * Allocates status list slots: a random index (the list reveals nothing of the order of
 * issuing) claimed by an insert-only record under a unique `_id`, retried on collision. No
 * counter is read or updated, so concurrent processes never hand out one slot twice.
 */
export function createStatusListAllocator(deps: {
  repo: Pick<AwardsRepository, 'claimSlot' | 'claimSlots'>;
  clock: () => Date;
  random?: (max: number) => number;
}) {
  const random = deps.random ?? ((max: number) => randomInt(max));
  // The list this process last found room in, per issuer (a hint, not a counter).
  const current = new Map<string, number>();
  async function allocate(
    issuerId: string,
    assertionId: string,
  ): Promise<{ listNo: number; index: number }> {
    for (let listNo = current.get(issuerId) ?? 1; listNo <= MAX_LISTS; listNo++) {
      for (let attempt = 0; attempt < TRIES_PER_LIST; attempt++) {
        const index = random(STATUS_LIST_SIZE);
        const claimed = await deps.repo.claimSlot({
          issuerId,
          listNo,
          index,
          assertionId,
          at: deps.clock(),
        });
        if (claimed) {
          current.set(issuerId, listNo);
          return { listNo, index };
        }
      }
    }
    throw new Error(`no free status list slot for issuer ${issuerId}`);
  }

  /**
   * Slots for many awards in one insert (a CSV batch): random indexes in the current list;
   * the few that collide (or repeat within the batch) are allocated one by one.
   */
  async function allocateMany(
    issuerId: string,
    assertionIds: string[],
  ): Promise<{ listNo: number; index: number }[]> {
    const listNo = current.get(issuerId) ?? 1;
    const at = deps.clock();
    const picks = assertionIds.map((assertionId) => ({
      issuerId,
      listNo,
      index: random(STATUS_LIST_SIZE),
      assertionId,
      at,
    }));
    const seen = new Set<number>();
    const unique = picks.filter((p) => !seen.has(p.index) && seen.add(p.index));
    const taken = await deps.repo.claimSlots(unique);
    const claimed = new Set(
      unique
        .filter((p) => !taken.has(`${issuerId}:${listNo}:${p.index}`))
        .map((p) => p.assertionId),
    );
    return Promise.all(
      picks.map((p) =>
        claimed.has(p.assertionId)
          ? { listNo: p.listNo, index: p.index }
          : allocate(issuerId, p.assertionId),
      ),
    );
  }

  return Object.assign(allocate, { allocateMany });
}
export type StatusListAllocator = ReturnType<typeof createStatusListAllocator>;
