import type { OwnBadges } from '../verification/verification.use-case.js';
import type { BadgeServices } from './badge-services.js';

/**
 * What the verification feature needs to verify this platform's own badges without an HTTP
 * round trip: the public documents straight from the database, and when and why one of them
 * was revoked (the OB 3.0 status list carries neither the date nor the reason).
 */
export function ownBadgesFrom(
  services: Pick<BadgeServices, 'internalFetcher' | 'awardsRepo' | 'urls' | 'changes'>,
): OwnBadges {
  const assertionPrefix = services.urls.assertion('');
  return {
    documents: services.internalFetcher,
    changeEpoch: () => services.changes.current(),
    async revocationOf(badgeId) {
      if (!badgeId.startsWith(assertionPrefix)) return undefined;
      const id = decodeURIComponent(badgeId.slice(assertionPrefix.length).split(/[/?#]/)[0] ?? '');
      if (!id) return undefined;
      const revocation = await services.awardsRepo.findRevocation(id);
      return revocation
        ? { revokedAt: revocation.revokedAt, reason: revocation.reason }
        : undefined;
    },
  };
}
