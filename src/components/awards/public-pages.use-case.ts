import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { AwardDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';

export type { AwardDoc } from './award.model.js';

/** What the public pages (issuer, badge, award) read: plain lookups by public id. */
export function publicPageReads(deps: { issuers: IssuerRepository; awards: AwardsRepository }) {
  return {
    issuer: (id: string) => deps.issuers.findById(id),
    award: (id: string): Promise<AwardDoc | null> => deps.awards.findById(id),
    revocation: (awardId: string) => deps.awards.findRevocation(awardId),
  };
}
export type PublicPageReads = ReturnType<typeof publicPageReads>;
