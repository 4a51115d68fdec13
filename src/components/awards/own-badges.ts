import type { KeyStatus } from '../keys/keys.model.js';
import type { OwnBadges } from '../verification/verification.use-case.js';
import type { BadgeServices } from './badge-services.js';

/**
 * What the verification feature needs to verify this platform's own badges without an HTTP
 * round trip: the public documents straight from the database, when and why one of them
 * was revoked (the OB 3.0 status list carries neither the date nor the reason), and the
 * status of our issuers' keys.
 */
export function ownBadgesFrom(
  services: Pick<BadgeServices, 'internalFetcher' | 'awardsRepo' | 'urls' | 'changes'> & {
    keys: { findPublicKey(id: string): Promise<{ issuerId: string; status: KeyStatus } | null> };
    issuerRepo: { findById(id: string): Promise<unknown> };
  },
): OwnBadges {
  const { urls } = services;
  const assertionPrefix = urls.assertion('');
  const issuerPrefix = urls.issuer('');
  const didPrefix = urls.issuerDid('');

  /** Our issuer's slug from its https id or did:web id; undefined for anything else. */
  function issuerSlug(issuerId: string): string | undefined {
    const rest = issuerId.startsWith(issuerPrefix)
      ? issuerId.slice(issuerPrefix.length)
      : issuerId.startsWith(didPrefix)
        ? issuerId.slice(didPrefix.length)
        : undefined;
    if (!rest || /[/:?#]/.test(rest)) return undefined;
    try {
      return decodeURIComponent(rest);
    } catch {
      return undefined;
    }
  }

  /**
   * Our key id from the forms a badge names it by: the key's URL (OB 2.0 CryptographicKey,
   * Multikey document), its JWK URL (VC-JWT `kid`, did.json RSA method) or `<did>#<id>`
   * (Data Integrity `verificationMethod`). Only under the issuer the badge claims.
   */
  function keySlug(slug: string, keyId: string): string | undefined {
    const did = `${urls.issuerDid(slug)}#`;
    const keyBase = urls.key(slug, '');
    let raw: string | undefined;
    if (keyId.startsWith(did)) raw = keyId.slice(did.length);
    else if (keyId.startsWith(keyBase)) {
      const rest = keyId.slice(keyBase.length);
      raw = rest.endsWith('/jwk') ? rest.slice(0, -'/jwk'.length) : rest;
    }
    if (!raw || /[/:?#]/.test(raw)) return undefined;
    try {
      return decodeURIComponent(raw);
    } catch {
      return undefined;
    }
  }

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
    /**
     * The stored status of `keyId` when `issuerId` is one of our issuers (https or did:web
     * id) and the key is one of its stored keys; undefined otherwise.
     */
    async issuerKeyStatus(issuerId, keyId) {
      const slug = issuerSlug(issuerId);
      const id = slug === undefined ? undefined : keySlug(slug, keyId);
      if (slug === undefined || id === undefined) return undefined;
      const [issuer, key] = await Promise.all([
        services.issuerRepo.findById(slug),
        services.keys.findPublicKey(id),
      ]);
      if (!issuer || !key || key.issuerId !== slug) return undefined;
      return key.status;
    },
  };
}
