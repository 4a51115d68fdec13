import type { AwardDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { PublicRecords } from './public-records-cache.js';

export type { AwardDoc } from './award.model.js';

/**
 * What the public pages (issuer, badge, award) read: plain lookups by public id. Issuers, badge
 * classes and revocations come from the public records cache (kept while nothing changes);
 * awards are read every time.
 */
export function publicPageReads(deps: { records: PublicRecords; awards: AwardsRepository }) {
  return {
    issuer: (id: string) => deps.records.issuer(id),
    badgeClass: (id: string) => deps.records.badgeClass(id),
    award: (id: string): Promise<AwardDoc | null> => deps.awards.findById(id),
    revocation: (awardId: string) => deps.records.revocation(awardId),
  };
}
export type PublicPageReads = ReturnType<typeof publicPageReads>;
