import type { OwnBadges } from '../verification/verification.use-case.js';
import type { BadgeServices } from './badge-services.js';
import type { InternalFetcher } from './internal-fetcher.js';

type Services = Pick<BadgeServices, 'awardsRepo' | 'urls' | 'changes' | 'keys' | 'issuerRepo'> & {
  internalFetcher: InternalFetcher;
};

/**
 * Our issuer behind an issuer id: `<base>/emetteurs/<id>` or `did:web:<host>:emetteurs:<id>`,
 * and the people who recommend in its name (`…/personnes/<p>`, `…:personnes:<p>`), whose
 * keys are the issuer's (public-urls.ts). undefined for any other id.
 */
function ourIssuerOf(urls: Services['urls'], id: string): string | undefined {
  const issuerPrefix = urls.issuer('');
  const didPrefix = urls.issuerDid('');
  const rest = id.startsWith(issuerPrefix)
    ? id.slice(issuerPrefix.length).split(/[/?#]/)[0]
    : id.startsWith(didPrefix)
      ? id.slice(didPrefix.length).split(/[:?#/]/)[0]
      : undefined;
  if (!rest) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/** The stored key a key id names: `…/cles/<key>[/jwk]` or `<our did>#<key>`. */
function storedKeyIdOf(keyId: string): string | undefined {
  const match = /\/cles\/([^/?#]+)(?:\/jwk)?$/.exec(keyId) ?? /#([^#]+)$/.exec(keyId);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * What the verification feature needs to verify this platform's own badges without an HTTP
 * round trip: the public documents straight from the database, which issuers and keys are
 * ours (in the database, not merely under our host name), and when and why one of our badges
 * was revoked (the OB 3.0 status list carries neither the date nor the reason).
 */
export function ownBadgesFrom(services: Services): OwnBadges {
  const { urls } = services;
  const assertionPrefix = urls.assertion('');
  /** The award an assertion URL of ours names (`…/assertions/<id>[/…]`). */
  const awardIdOf = (badgeId: string): string | undefined =>
    badgeId.startsWith(assertionPrefix)
      ? decodeURIComponent(badgeId.slice(assertionPrefix.length).split(/[/?#]/)[0] ?? '') ||
        undefined
      : undefined;
  return {
    documents: services.internalFetcher,
    changeEpoch: () => services.changes.current(),
    async isKnownIssuer(issuerId) {
      const ours = ourIssuerOf(urls, issuerId);
      return ours !== undefined && (await services.issuerRepo.findById(ours)) !== null;
    },
    async issuerKeyStatus(issuerId, keyId) {
      const ours = ourIssuerOf(urls, issuerId);
      const stored = storedKeyIdOf(keyId);
      if (!ours || !stored || ourIssuerOf(urls, keyId.replace(/#.*$/, '')) !== ours) {
        return undefined;
      }
      const key = await services.keys.findPublicKey(stored);
      return key && key.issuerId === ours ? key.status : undefined;
    },
    async holderNameOf(badgeId) {
      const id = awardIdOf(badgeId);
      return id ? (await services.awardsRepo.findById(id))?.holder?.displayName : undefined;
    },
    async revocationOf(badgeId) {
      const id = awardIdOf(badgeId);
      if (!id) return undefined;
      const revocation = await services.awardsRepo.findRevocation(id);
      return revocation
        ? { revokedAt: revocation.revokedAt, reason: revocation.reason }
        : undefined;
    },
  };
}
