/**
 * Every public identifier of the platform, built from PUBLIC_URL only (AWARDS-DESIGN.md): OB
 * 2.0 ids are these https URLs, all on one origin; OB 3.0 issuers are did:web identifiers
 * whose documents are served under the same paths.
 */
export type BakedVariant =
  | 'badge.png'
  | 'badge.svg'
  | 'badge-signe.png'
  | 'badge-signe.svg'
  | 'credential.png'
  | 'credential.svg'
  | 'credential-json.png'
  | 'credential-json.svg';

export const BAKED_VARIANTS: readonly BakedVariant[] = [
  'badge.png',
  'badge.svg',
  'badge-signe.png',
  'badge-signe.svg',
  'credential.png',
  'credential.svg',
  'credential-json.png',
  'credential-json.svg',
];

export function isBakedVariant(value: string): value is BakedVariant {
  return (BAKED_VARIANTS as readonly string[]).includes(value);
}

const enc = encodeURIComponent;

export function publicUrls(publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  const url = new URL(base);
  // did:web: the host with its port percent-encoded, then the path segments joined by ":".
  const pathSegments = url.pathname.split('/').filter(Boolean);
  const didHost = [encodeURIComponent(url.host), ...pathSegments].join(':');
  const issuer = (issuerId: string) => `${base}/emetteurs/${enc(issuerId)}`;
  const assertion = (id: string) => `${base}/assertions/${enc(id)}`;
  const badgeClass = (id: string) => `${base}/badges/${enc(id)}`;
  const key = (issuerId: string, keyId: string) => `${issuer(issuerId)}/cles/${enc(keyId)}`;
  const endorsement = (id: string) => `${base}/recommandations/${enc(id)}`;
  const person = (issuerId: string, personId: string) =>
    `${issuer(issuerId)}/personnes/${enc(personId)}`;
  return {
    base,
    origin: url.origin,
    platformDid: `did:web:${didHost}`,
    platformDidDocument: `${base}/.well-known/did.json`,

    issuer,
    issuerPage: issuer,
    issuerImage: (issuerId: string) => `${issuer(issuerId)}/image`,
    issuerProfileOb3: (issuerId: string) => `${issuer(issuerId)}/profil.json`,
    issuerDid: (issuerId: string) => `did:web:${didHost}:emetteurs:${enc(issuerId)}`,
    issuerDidDocument: (issuerId: string) => `${issuer(issuerId)}/did.json`,
    key,
    jwk: (issuerId: string, keyId: string) => `${key(issuerId, keyId)}/jwk`,
    jwks: (issuerId: string) => `${issuer(issuerId)}/jwks.json`,
    revocationList: (issuerId: string) => `${issuer(issuerId)}/revocations`,
    statusList: (issuerId: string, listNo: number) => `${issuer(issuerId)}/statuts/${listNo}`,

    badgeClass,
    badgeClassImage: (id: string, ext: 'png' | 'svg') => `${badgeClass(id)}/image.${ext}`,

    assertion,
    assertionJws: (id: string) => `${assertion(id)}/jws`,
    credential: (id: string) => `${assertion(id)}/credential`,
    credentialJwt: (id: string) => `${assertion(id)}/credential.jwt`,
    baked: (id: string, variant: BakedVariant) => `${assertion(id)}/${variant}`,

    // Recommendations (endorsements) and the people who make them (src/components/endorsements).
    /** OB 2.0 hosted Endorsement (and its page). */
    endorsement,
    endorsementJws: (id: string) => `${endorsement(id)}/jws`,
    /** OB 3.0 EndorsementCredential with its Data Integrity proof. */
    endorsementCredential: (id: string) => `${endorsement(id)}/credential`,
    /** A person who recommends, as the platform publishes them for an issuer (OB 2.0 Profile). */
    person,
    personDid: (issuerId: string, personId: string) =>
      `did:web:${didHost}:emetteurs:${enc(issuerId)}:personnes:${enc(personId)}`,
    personDidDocument: (issuerId: string, personId: string) =>
      `${person(issuerId, personId)}/did.json`,
    /** The issuer's key `keyId`, published as this person's (owner: the person's profile). */
    personKey: (issuerId: string, personId: string, keyId: string) =>
      `${person(issuerId, personId)}/cles/${enc(keyId)}`,
  };
}
export type PublicUrls = ReturnType<typeof publicUrls>;
