import { publicPath, type BakedVariant } from './public-url-map.js';

/**
 * Every public identifier of the platform, built from PUBLIC_URL only: OB 2.0 ids are https
 * URLs on one origin, whose paths come from the public URL map (public-url-map.ts); OB 3.0
 * issuers are did:web identifiers whose documents are served under the same paths.
 */
export { BAKED_VARIANTS, isBakedVariant, type BakedVariant } from './public-url-map.js';

const enc = encodeURIComponent;

export function publicUrls(publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  const url = new URL(base);
  // did:web: the host with its port percent-encoded, then the path segments joined by ":".
  const pathSegments = url.pathname.split('/').filter(Boolean);
  const didHost = [encodeURIComponent(url.host), ...pathSegments].join(':');
  const at: typeof publicPath = (name, params) => `${base}${publicPath(name, params)}`;
  const issuer = (issuerId: string) => at('issuer', { issuerId });
  return {
    base,
    origin: url.origin,
    platformDid: `did:web:${didHost}`,
    platformDidDocument: at('platformDid', {}),

    issuer,
    issuerPage: issuer,
    issuerImage: (issuerId: string) => at('issuerImage', { issuerId }),
    issuerProfileOb3: (issuerId: string) => at('issuerProfileOb3', { issuerId }),
    issuerDid: (issuerId: string) => `did:web:${didHost}:emetteurs:${enc(issuerId)}`,
    issuerDidDocument: (issuerId: string) => at('issuerDidDocument', { issuerId }),
    key: (issuerId: string, keyId: string) => at('key', { issuerId, keyId }),
    jwk: (issuerId: string, keyId: string) => at('jwk', { issuerId, keyId }),
    jwks: (issuerId: string) => at('jwks', { issuerId }),
    revocationList: (issuerId: string) => at('revocationList', { issuerId }),
    statusList: (issuerId: string, listNo: number) =>
      at('statusList', { issuerId, listNo: String(listNo) }),

    badgeClass: (badgeClassId: string) => at('badgeClass', { badgeClassId }),
    badgeClassImage: (badgeClassId: string, ext: 'png' | 'svg') =>
      at(ext === 'png' ? 'badgeClassPng' : 'badgeClassSvg', { badgeClassId }),

    assertion: (assertionId: string) => at('assertion', { assertionId }),
    assertionJws: (assertionId: string) => at('assertionJws', { assertionId }),
    credential: (assertionId: string) => at('credential', { assertionId }),
    credentialJwt: (assertionId: string) => at('credentialJwt', { assertionId }),
    baked: (assertionId: string, variant: BakedVariant) => at('baked', { assertionId, variant }),
    /** The QR code that opens the award page. */
    awardQr: (assertionId: string, ext: 'png' | 'svg') =>
      at(ext === 'png' ? 'awardQrPng' : 'awardQrSvg', { assertionId }),

    // Recommendations (endorsements) and the people who make them (src/components/endorsements).
    /** OB 2.0 hosted Endorsement (and its page). */
    endorsement: (endorsementId: string) => at('endorsement', { endorsementId }),
    endorsementJws: (endorsementId: string) => at('endorsementJws', { endorsementId }),
    /** OB 3.0 EndorsementCredential with its Data Integrity proof. */
    endorsementCredential: (endorsementId: string) =>
      at('endorsementCredential', { endorsementId }),
    /** A person who recommends, as the platform publishes them for an issuer (OB 2.0 Profile). */
    person: (issuerId: string, personId: string) => at('person', { issuerId, personId }),
    personDid: (issuerId: string, personId: string) =>
      `did:web:${didHost}:emetteurs:${enc(issuerId)}:personnes:${enc(personId)}`,
    personDidDocument: (issuerId: string, personId: string) =>
      at('personDidDocument', { issuerId, personId }),
    /** The issuer's key `keyId`, published as this person's (owner: the person's profile). */
    personKey: (issuerId: string, personId: string, keyId: string) =>
      at('personKey', { issuerId, personId, keyId }),
  };
}
export type PublicUrls = ReturnType<typeof publicUrls>;
