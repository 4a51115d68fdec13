import type { EndorsementDocuments } from '../endorsements/endorsement-documents.js';
import type { PublicDocument, PublicDocuments } from './public-documents.js';
import type { SharingUseCases } from './sharing.use-case.js';

/**
 * The public URL map: every path of a public document (awards, issuers, keys, recommendations)
 * is declared here once. Derived from it: the express routes (public.routes.ts), the internal
 * fetcher that verifies our own badges from the same bytes as HTTP (internal-fetcher.ts), the
 * "is this URL ours?" test (ownPathOf) and the URL builders (public-urls.ts).
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

/** Where the documents come from: the awards component and the recommendations. */
export interface PublicDocumentSources {
  badges: PublicDocuments;
  endorsements: EndorsementDocuments;
  /** QR codes of award pages (sharing.use-case.ts). */
  sharing: Pick<SharingUseCases, 'qr'>;
}

export interface DocumentOptions {
  /** The client asked for text (a browser opening a VC-JWT). */
  text?: boolean;
}

/** `'/a/:x/b/:y'` → `'x' | 'y'`. */
type ParamsOf<P extends string> = P extends `${string}:${infer N}/${infer R}`
  ? N | ParamsOf<`/${R}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;

type Found = Promise<PublicDocument | null> | PublicDocument | null;

export interface PublicPath<P extends string = string> {
  pattern: P;
  summary: string;
  /** A human page shares the URL: browsers get it, verifiers get the document (negotiation). */
  page?: boolean;
  /** Served from memory: no database needed. */
  noDb?: boolean;
  /** The client may ask for text (`text/plain`) instead of the document's own type. */
  text?: boolean;
  /**
   * A parameter that is one of a few literal values: express gets one literal route per value
   * (a `:param` there would shadow other components' routes such as `/assertions/:id/recommander`).
   */
  choices?: Partial<Record<ParamsOf<P>, readonly string[]>>;
  /** A parameter's accepted form: anything else is a 404 before any lookup. */
  shapes?: Partial<Record<ParamsOf<P>, RegExp>>;
  document(
    sources: PublicDocumentSources,
    params: Record<ParamsOf<P>, string>,
    options: DocumentOptions,
  ): Found;
}

const path = <P extends string>(def: PublicPath<P>): PublicPath<P> => def;

export const PUBLIC_PATHS = {
  platformDid: path({
    pattern: '/.well-known/did.json',
    summary: "The platform's DID document (did:web)",
    noDb: true,
    document: (s) => s.badges.platformDid(),
  }),
  issuer: path({
    pattern: '/emetteurs/:issuerId',
    summary: 'Issuer: public page, or the OB 2.0 Issuer profile (JSON-LD)',
    page: true,
    document: (s, p) => s.badges.issuer(p.issuerId),
  }),
  issuerProfileOb3: path({
    pattern: '/emetteurs/:issuerId/profil.json',
    summary: 'OB 3.0 Profile of the issuer (id: its did:web)',
    document: (s, p) => s.badges.issuerProfileOb3(p.issuerId),
  }),
  issuerImage: path({
    pattern: '/emetteurs/:issuerId/image',
    summary: "The issuer's logo",
    document: (s, p) => s.badges.issuerImage(p.issuerId),
  }),
  issuerDidDocument: path({
    pattern: '/emetteurs/:issuerId/did.json',
    summary: 'DID document of the issuer: every key, under assertionMethod',
    document: (s, p) => s.badges.issuerDid(p.issuerId),
  }),
  jwks: path({
    pattern: '/emetteurs/:issuerId/jwks.json',
    summary: "JWKS of the issuer's keys",
    document: (s, p) => s.badges.jwks(p.issuerId),
  }),
  key: path({
    pattern: '/emetteurs/:issuerId/cles/:keyId',
    summary: 'One key: OB 2.0 CryptographicKey (RSA) or Multikey (Ed25519)',
    document: (s, p) => s.badges.key(p.issuerId, p.keyId),
  }),
  jwk: path({
    pattern: '/emetteurs/:issuerId/cles/:keyId/jwk',
    summary: 'One key as a JWK (the VC-JWT kid)',
    document: (s, p) => s.badges.jwk(p.issuerId, p.keyId),
  }),
  revocationList: path({
    pattern: '/emetteurs/:issuerId/revocations',
    summary: 'OB 2.0 RevocationList of the issuer',
    document: (s, p) => s.badges.revocationList(p.issuerId),
  }),
  statusList: path({
    pattern: '/emetteurs/:issuerId/statuts/:listNo',
    summary: 'OB 3.0 BitstringStatusListCredential (revocation), signed',
    shapes: { listNo: /^\d{1,6}$/ },
    document: (s, p) => s.badges.statusList(p.issuerId, Number(p.listNo)),
  }),
  badgeClass: path({
    pattern: '/badges/:badgeClassId',
    summary: 'Badge: public page, or the OB 2.0 BadgeClass (JSON-LD)',
    page: true,
    document: (s, p) => s.badges.badgeClass(p.badgeClassId),
  }),
  badgeClassPng: path({
    pattern: '/badges/:badgeClassId/image.png',
    summary: 'Badge image (PNG, 512 px)',
    document: (s, p) => s.badges.badgeClassImage(p.badgeClassId, 'png'),
  }),
  badgeClassSvg: path({
    pattern: '/badges/:badgeClassId/image.svg',
    summary: 'Badge image (SVG)',
    document: (s, p) => s.badges.badgeClassImage(p.badgeClassId, 'svg'),
  }),
  assertion: path({
    pattern: '/assertions/:assertionId',
    summary: 'Award: public page, or the OB 2.0 hosted Assertion (410 when revoked)',
    page: true,
    document: (s, p) => s.badges.assertion(p.assertionId),
  }),
  assertionJws: path({
    pattern: '/assertions/:assertionId/jws',
    summary: 'OB 2.0 signed form (compact JWS, RS256)',
    document: (s, p) => s.badges.assertionJws(p.assertionId),
  }),
  credential: path({
    pattern: '/assertions/:assertionId/credential',
    summary: 'OB 3.0 OpenBadgeCredential with a Data Integrity proof',
    document: (s, p) => s.badges.credential(p.assertionId),
  }),
  credentialJwt: path({
    pattern: '/assertions/:assertionId/credential.jwt',
    summary: 'OB 3.0 VC-JWT (application/vc+jwt, or text/plain when asked)',
    text: true,
    document: (s, p, o) => s.badges.credentialJwt(p.assertionId, o.text),
  }),
  awardQrPng: path({
    pattern: '/assertions/:assertionId/qr.png',
    summary: 'QR code (PNG) that opens the award page',
    document: (s, p) => s.sharing.qr(p.assertionId, 'png'),
  }),
  awardQrSvg: path({
    pattern: '/assertions/:assertionId/qr.svg',
    summary: 'QR code (SVG) that opens the award page',
    document: (s, p) => s.sharing.qr(p.assertionId, 'svg'),
  }),
  baked: path({
    pattern: '/assertions/:assertionId/:variant',
    summary: 'Baked image',
    choices: { variant: BAKED_VARIANTS },
    document: (s, p) =>
      isBakedVariant(p.variant) ? s.badges.baked(p.assertionId, p.variant) : null,
  }),

  // Recommendations (src/components/endorsements) and the people who make them.
  endorsement: path({
    pattern: '/recommandations/:endorsementId',
    summary: 'Recommendation: public page, or the OB 2.0 hosted Endorsement (JSON-LD)',
    page: true,
    document: (s, p) => s.endorsements.endorsement(p.endorsementId),
  }),
  endorsementJws: path({
    pattern: '/recommandations/:endorsementId/jws',
    summary: 'OB 2.0 signed Endorsement (compact JWS, RS256)',
    document: (s, p) => s.endorsements.endorsementJws(p.endorsementId),
  }),
  endorsementCredential: path({
    pattern: '/recommandations/:endorsementId/credential',
    summary: 'OB 3.0 EndorsementCredential with a Data Integrity proof',
    document: (s, p) => s.endorsements.endorsementCredential(p.endorsementId),
  }),
  person: path({
    pattern: '/emetteurs/:issuerId/personnes/:personId',
    summary: 'A person who recommends: public page, or their OB 2.0 Profile (JSON-LD)',
    page: true,
    document: (s, p) => s.endorsements.person(p.issuerId, p.personId),
  }),
  personDidDocument: path({
    pattern: '/emetteurs/:issuerId/personnes/:personId/did.json',
    summary: "DID document of a person who recommends (the issuer's keys, issuer as controller)",
    document: (s, p) => s.endorsements.personDid(p.issuerId, p.personId),
  }),
  personKey: path({
    pattern: '/emetteurs/:issuerId/personnes/:personId/cles/:keyId',
    summary: "The issuer's key as published for a person (OB 2.0 CryptographicKey or Multikey)",
    document: (s, p) => s.endorsements.personKey(p.issuerId, p.personId, p.keyId),
  }),
} as const;

export type PublicPathName = keyof typeof PUBLIC_PATHS;
type PatternOf<N extends PublicPathName> = (typeof PUBLIC_PATHS)[N]['pattern'];
export type PublicPathParams<N extends PublicPathName> = Record<ParamsOf<PatternOf<N>>, string>;

/** Names and definitions, in declaration order (which is also the express order). */
export const PUBLIC_PATH_LIST = Object.entries(PUBLIC_PATHS) as [PublicPathName, PublicPath][];

/**
 * Each pattern cut once into literal text and parameter names ("/badges/", ":badgeClassId"):
 * every award signed builds some twenty of these paths.
 */
const PATTERN_PARTS = new Map<string, string[]>(
  PUBLIC_PATH_LIST.map(([name, def]) => [name, def.pattern.split(/(:\w+)/)]),
);

/** The path of a document: each parameter percent-encoded into its segment. */
export function publicPath<N extends PublicPathName>(name: N, params: PublicPathParams<N>): string {
  const values = params as Record<string, string>;
  let path = '';
  for (const part of PATTERN_PARTS.get(name)!) {
    path += part.startsWith(':') ? encodeURIComponent(values[part.slice(1)] ?? '') : part;
  }
  return path;
}

export interface ResolvedPath {
  name: PublicPathName;
  def: PublicPath;
  params: Record<string, string>;
}

/** The entry a path (no origin, no query; percent-encoded) names, with its decoded parameters. */
export function resolvePublicPath(pathname: string): ResolvedPath | undefined {
  const segments = pathname.split('/').slice(1);
  const decoded = segments.map(safeDecode);
  if (decoded.some((s) => s === undefined)) return undefined;
  for (const [name, def] of PUBLIC_PATH_LIST) {
    const params = matchSegments(def, decoded as string[]);
    if (params) return { name, def, params };
  }
  return undefined;
}

function matchSegments(def: PublicPath, segments: string[]): Record<string, string> | undefined {
  const pattern = def.pattern.split('/').slice(1);
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  const choices = (def.choices ?? {}) as Record<string, readonly string[] | undefined>;
  const shapes = (def.shapes ?? {}) as Record<string, RegExp | undefined>;
  for (const [i, part] of pattern.entries()) {
    const value = segments[i]!;
    if (!part.startsWith(':')) {
      if (part !== value) return undefined;
      continue;
    }
    const key = part.slice(1);
    if (!value) return undefined;
    if (choices[key] && !choices[key].includes(value)) return undefined;
    if (shapes[key] && !shapes[key].test(value)) return undefined;
    params[key] = value;
  }
  return params;
}

/**
 * The express paths of an entry: its pattern, with each `choices` parameter replaced by each
 * of its literal values.
 */
export function expressPaths(def: PublicPath): { path: string; fixed: Record<string, string> }[] {
  let out = [{ path: def.pattern as string, fixed: {} as Record<string, string> }];
  for (const [key, values] of Object.entries(def.choices ?? {}) as [string, readonly string[]][]) {
    out = out.flatMap((o) =>
      values.map((v) => ({
        path: o.path.replace(new RegExp(`:${key}(?=/|$)`), v),
        fixed: { ...o.fixed, [key]: v },
      })),
    );
  }
  return out;
}

/**
 * The path under PUBLIC_URL of a URL that is this platform's, or undefined. Ours: the origin
 * of PUBLIC_URL, and its https form (did:web resolves over https even when PUBLIC_URL is http,
 * in development and tests), under its path prefix, without credentials.
 */
export function ownPathOf(publicUrl: string): (url: string) => string | undefined {
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const scheme = parsed.protocol === base.protocol || parsed.protocol === 'https:';
    if (!scheme || parsed.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
    if (parsed.username || parsed.password) return undefined;
    if (prefix && !(parsed.pathname === prefix || parsed.pathname.startsWith(`${prefix}/`))) {
      return undefined;
    }
    return parsed.pathname.slice(prefix.length) || '/';
  };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
