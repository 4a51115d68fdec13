import { createHash } from 'node:crypto';
import {
  bakePng,
  bakeSvg,
  buildBitstringStatusListCredential,
  buildControllerDocument,
  buildCryptographicKey,
  buildMultikeyDocument,
  buildRevocationList,
  signCredentialDataIntegrity,
  type DocumentLoader,
} from '../../core/index.js';
import {
  badgeArtKey,
  renderBadgePng,
  renderBadgeSvg,
  validateBadgeArt,
} from '../../libraries/badge-art/index.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { KeyService, PublicKeyInfo } from '../keys/keys.use-case.js';
import {
  OB3_PROFILE_CONTEXTS,
  ob2Assertion,
  ob2BadgeClass,
  ob2IssuerProfile,
  ob3IssuerProfile,
} from './award-documents.js';
import type { AwardDoc, RevocationDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { BakedVariant, PublicUrls } from './public-urls.js';
import { STATUS_LIST_SIZE } from './status-list-allocator.js';

/**
 * The public documents of the platform, exactly as HTTP serves them (status, type, bytes,
 * validators, cache policy). The public URL map (public-url-map.ts) names the path of each:
 * the routes send them and the internal fetcher answers verifiers with them without an HTTP
 * round trip. `null` means 404.
 */
export interface PublicDocument {
  /** 200, or 410 for a revoked hosted assertion. */
  status: number;
  contentType: string;
  body: Buffer;
  /** A strong ETag (quoted), derived from the bytes. */
  etag: string;
  cacheControl: string;
  /** More headers: Content-Disposition for images, a sandbox CSP for SVG. */
  headers?: Record<string, string>;
}

export const CACHE = {
  /** Issuer, badge class, keys, did.json: change rarely; a few minutes of staleness is fine. */
  stable: 'public, max-age=300',
  /** Assertions, revocation and status lists, signed forms: revocation must show at once. */
  live: 'no-cache',
  /** Badge class images: fixed for a given badge. */
  image: 'public, max-age=86400',
} as const;

/** An SVG is an image, never a document: nothing may load or run if it is opened directly. */
export const SVG_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'X-Content-Type-Options': 'nosniff',
};

export const MEDIA = {
  ldJson: 'application/ld+json; charset=utf-8',
  json: 'application/json; charset=utf-8',
  didJson: 'application/did+json; charset=utf-8',
  jwk: 'application/jwk+json; charset=utf-8',
  jwks: 'application/jwk-set+json; charset=utf-8',
  vcLdJson: 'application/vc+ld+json; charset=utf-8',
  vcJwt: 'application/vc+jwt',
  text: 'text/plain; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

/** Upper bound on list numbers (131,072 awards each): refuses absurd URLs before any work. */
const MAX_STATUS_LISTS = 1000;
const SIGNED_LIST_CACHE = 256;
const CLASS_IMAGE_CACHE = 200;
const PNG_SIZE = 512;

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function doc(
  body: Buffer | string,
  contentType: string,
  cacheControl: string,
  extra: { status?: number; headers?: Record<string, string> } = {},
): PublicDocument {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    status: extra.status ?? 200,
    contentType,
    body: bytes,
    etag: etagOf(bytes),
    cacheControl,
    ...(extra.headers ? { headers: extra.headers } : {}),
  };
}

export function jsonDoc(
  value: unknown,
  contentType: string,
  cacheControl: string,
  status = 200,
): PublicDocument {
  return doc(`${JSON.stringify(value, null, 2)}\n`, contentType, cacheControl, { status });
}

/** A small LRU map: the most recently used entries stay. */
class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

/** "Accompagner une démarche" → "accompagner-une-demarche" (for file names). */
function fileStem(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'badge'
  );
}

export interface PublicDocumentsDeps {
  urls: PublicUrls;
  clock: () => Date;
  keys: KeyService;
  issuers: IssuerRepository;
  badgeClasses: BadgeClassRepository;
  awards: AwardsRepository;
  documentLoader: DocumentLoader;
  /**
   * Ids of the recommendations (src/components/endorsements) of an award or a badge class,
   * listed by the hosted assertion and the badge class (OB 2.0 `endorsement`).
   */
  endorsementsOf?: (target: { kind: 'award' | 'badgeClass'; id: string }) => Promise<string[]>;
}

export function createPublicDocuments(deps: PublicDocumentsDeps) {
  const { urls, keys, issuers, badgeClasses, awards } = deps;
  const signedLists = new Lru<string, PublicDocument>(SIGNED_LIST_CACHE);
  const classImages = new Lru<string, { key: string; svg: string; png: Buffer }>(CLASS_IMAGE_CACHE);

  const activeOf = (list: PublicKeyInfo[], type: 'RSA' | 'Ed25519') =>
    list.find((k) => k.type === type && k.status === 'active');

  async function issuerAndKeys(issuerId: string) {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) return null;
    // Compromised keys leave every public document; retired ones stay (old badges verify).
    return { issuer, keyList: await keys.publishedKeys(issuerId) };
  }

  /**
   * A compromised key's URL answers 410 Gone with `{id, revoked: true}` and no key material:
   * a verifier (ours or another) learns the key was withdrawn on purpose, not that the link
   * is broken, and has nothing to check a signature against.
   */
  const withdrawnKey = (id: string) => jsonDoc({ id, revoked: true }, MEDIA.json, CACHE.live, 410);

  function artInput(badgeClass: BadgeClassDoc) {
    return {
      title: badgeClass.image.title ?? badgeClass.name,
      level: badgeClass.image.level ?? null,
      primaryColor: badgeClass.image.primaryColor,
      secondaryColor: badgeClass.image.secondaryColor,
      pictogram: badgeClass.image.pictogram,
    };
  }

  /** The badge class image, rendered once per process (baked images start from it). */
  async function classImage(badgeClass: BadgeClassDoc) {
    const values = validateBadgeArt(badgeClass.image.template, artInput(badgeClass));
    const key = badgeArtKey(badgeClass.image.template, values, PNG_SIZE);
    const cached = classImages.get(badgeClass._id);
    if (cached && cached.key === key) return cached;
    const rendered = {
      key,
      svg: renderBadgeSvg(badgeClass.image.template, values),
      png: await renderBadgePng(badgeClass.image.template, values, { size: PNG_SIZE }),
    };
    classImages.set(badgeClass._id, rendered);
    return rendered;
  }

  async function awardWithRevocation(
    id: string,
  ): Promise<{ award: AwardDoc; revocation: RevocationDoc | null } | null> {
    const [award, revocation] = await Promise.all([awards.findById(id), awards.findRevocation(id)]);
    return award ? { award, revocation } : null;
  }

  const endorsementsOf = (kind: 'award' | 'badgeClass', id: string) =>
    deps.endorsementsOf ? deps.endorsementsOf({ kind, id }) : Promise.resolve([]);

  /** Every recommendation of the award, also those made after issuance (the hosted form is live). */
  async function hostedAssertion(
    award: AwardDoc,
    revocation: RevocationDoc | null,
  ): Promise<PublicDocument> {
    const revoked = revocation ?? (award.revoked ? { reason: award.revocationReason ?? '' } : null);
    const endorsementIds = await endorsementsOf('award', award._id);
    return jsonDoc(
      ob2Assertion(award, urls, { revocation: revoked, endorsementIds }),
      MEDIA.ldJson,
      CACHE.live,
      revoked ? 410 : 200,
    );
  }

  const api = {
    /** OB 2.0 Issuer profile (JSON-LD). */
    async issuer(issuerId: string): Promise<PublicDocument | null> {
      const found = await issuerAndKeys(issuerId);
      if (!found) return null;
      const rsa = activeOf(found.keyList, 'RSA');
      return jsonDoc(ob2IssuerProfile(found.issuer, rsa?._id, urls), MEDIA.ldJson, CACHE.stable);
    },

    /** OB 3.0 Profile of the issuer, id = its did:web. */
    async issuerProfileOb3(issuerId: string): Promise<PublicDocument | null> {
      const issuer = await issuers.findById(issuerId);
      if (!issuer) return null;
      const profile = ob3IssuerProfile(issuer, urls);
      return jsonDoc(
        {
          '@context': OB3_PROFILE_CONTEXTS,
          ...profile,
          type: ['Profile'],
          ...(profile.image ? { image: { id: profile.image, type: 'Image' } } : {}),
        },
        MEDIA.json,
        CACHE.stable,
      );
    },

    /** The issuer's logo, when it has one. */
    async issuerImage(issuerId: string): Promise<PublicDocument | null> {
      const issuer: IssuerDoc | null = await issuers.findById(issuerId);
      if (!issuer?.image) return null;
      // .lean() gives the driver's Binary, not a Buffer.
      const raw = issuer.image.data as unknown as Buffer | { buffer: Uint8Array };
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer);
      return doc(data, issuer.image.contentType, CACHE.image, {
        headers: issuer.image.contentType.startsWith('image/svg') ? SVG_HEADERS : {},
      });
    },

    /**
     * did:web document of the issuer: every key, active and retired (old credentials still
     * verify), never a compromised one, Ed25519 as Multikey `<did>#<keyId>`, RSA as JsonWebKey whose id is the VC-JWT
     * `kid` URL, all under assertionMethod.
     */
    async issuerDid(issuerId: string): Promise<PublicDocument | null> {
      const found = await issuerAndKeys(issuerId);
      if (!found) return null;
      const did = urls.issuerDid(issuerId);
      const controller = buildControllerDocument({
        id: did,
        multikeys: found.keyList
          .filter((k) => k.type === 'Ed25519' && k.publicKeyMultibase)
          .map((k) => ({ id: `${did}#${k._id}`, publicKeyMultibase: k.publicKeyMultibase! })),
        jsonWebKeys: found.keyList
          .filter((k) => k.type === 'RSA')
          .map((k) => ({ id: urls.jwk(issuerId, k._id), publicKeyJwk: { ...k.publicJwk } })),
      });
      return jsonDoc(
        { ...controller, alsoKnownAs: [urls.issuer(issuerId)] },
        MEDIA.didJson,
        CACHE.stable,
      );
    },

    /** The platform's own did:web document. */
    platformDid(): PublicDocument {
      return jsonDoc(
        {
          '@context': ['https://www.w3.org/ns/did/v1'],
          id: urls.platformDid,
          alsoKnownAs: [urls.base],
        },
        MEDIA.didJson,
        CACHE.stable,
      );
    },

    /** OB 2.0 CryptographicKey (RSA) or Multikey document (Ed25519) of one key. */
    async key(issuerId: string, keyId: string): Promise<PublicDocument | null> {
      const key = await keys.findPublicKey(keyId);
      if (!key || key.issuerId !== issuerId) return null;
      if (key.status === 'compromised') {
        return withdrawnKey(
          key.type === 'RSA' ? urls.key(issuerId, keyId) : `${urls.issuerDid(issuerId)}#${keyId}`,
        );
      }
      if (key.type === 'RSA') {
        return jsonDoc(
          buildCryptographicKey({
            id: urls.key(issuerId, keyId),
            owner: urls.issuer(issuerId),
            publicKeyPem: key.publicKeyPem,
          }),
          MEDIA.ldJson,
          CACHE.stable,
        );
      }
      const did = urls.issuerDid(issuerId);
      return jsonDoc(
        buildMultikeyDocument({
          id: `${did}#${keyId}`,
          controller: did,
          publicKeyMultibase: key.publicKeyMultibase!,
        }),
        MEDIA.ldJson,
        CACHE.stable,
      );
    },

    /** Exactly one JWK (what a VC-JWT `kid` points to). */
    async jwk(issuerId: string, keyId: string): Promise<PublicDocument | null> {
      const key = await keys.findPublicKey(keyId);
      if (!key || key.issuerId !== issuerId) return null;
      if (key.status === 'compromised') return withdrawnKey(urls.jwk(issuerId, keyId));
      return jsonDoc(jwkOf(key, urls), MEDIA.jwk, CACHE.stable);
    },

    async jwks(issuerId: string): Promise<PublicDocument | null> {
      const found = await issuerAndKeys(issuerId);
      if (!found) return null;
      return jsonDoc({ keys: found.keyList.map((k) => jwkOf(k, urls)) }, MEDIA.jwks, CACHE.stable);
    },

    /** OB 2.0 RevocationList, from the insert-only revocations. */
    async revocationList(issuerId: string): Promise<PublicDocument | null> {
      const issuer = await issuers.findById(issuerId);
      if (!issuer) return null;
      const revoked = await awards.revocationsOfIssuer(issuerId);
      return jsonDoc(
        buildRevocationList({
          id: urls.revocationList(issuerId),
          issuer: urls.issuer(issuerId),
          revokedAssertions: revoked.map((r) => ({
            id: urls.assertion(r._id),
            revocationReason: r.reason,
          })),
        }),
        MEDIA.ldJson,
        CACHE.live,
      );
    },

    /**
     * BitstringStatusListCredential number `listNo`, signed (Data Integrity) by the issuer's
     * active Ed25519 key. Signed once per content: the cache key holds the revoked indexes.
     */
    async statusList(issuerId: string, listNo: number): Promise<PublicDocument | null> {
      if (!Number.isInteger(listNo) || listNo < 1 || listNo > MAX_STATUS_LISTS) return null;
      const found = await issuerAndKeys(issuerId);
      const ed = found && activeOf(found.keyList, 'Ed25519');
      if (!ed) return null;
      const indexes = (await awards.revocationsOfList(issuerId, listNo))
        .map((r) => r.statusListIndex)
        .sort((a, b) => a - b);
      const cacheKey = `${issuerId}:${listNo}:${ed._id}:${createHash('sha256')
        .update(indexes.join(','))
        .digest('base64url')}`;
      const cached = signedLists.get(cacheKey);
      if (cached) return cached;
      const did = urls.issuerDid(issuerId);
      const now = new Date(Math.floor(deps.clock().getTime() / 1000) * 1000);
      const unsigned = buildBitstringStatusListCredential({
        id: urls.statusList(issuerId, listNo),
        issuer: did,
        validFrom: now,
        statusPurpose: 'revocation',
        setIndexes: indexes,
        length: STATUS_LIST_SIZE,
      });
      const signer = await keys.dataIntegritySigner(issuerId, (k) => `${did}#${k._id}`);
      const signed = await signCredentialDataIntegrity(
        unsigned,
        { verificationMethod: signer.id, signer },
        { created: now, documentLoader: deps.documentLoader },
      );
      const result = jsonDoc(signed, MEDIA.vcLdJson, CACHE.live);
      signedLists.set(cacheKey, result);
      return result;
    },

    /** OB 2.0 BadgeClass (JSON-LD). */
    async badgeClass(id: string): Promise<PublicDocument | null> {
      const badgeClass = await badgeClasses.findById(id);
      if (!badgeClass) return null;
      const endorsementIds = await endorsementsOf('badgeClass', id);
      return jsonDoc(ob2BadgeClass(badgeClass, urls, endorsementIds), MEDIA.ldJson, CACHE.stable);
    },

    async badgeClassImage(id: string, ext: 'png' | 'svg'): Promise<PublicDocument | null> {
      const badgeClass = await badgeClasses.findById(id);
      if (!badgeClass) return null;
      const image = await classImage(badgeClass);
      const name = `${fileStem(badgeClass.name)}.${ext}`;
      return ext === 'png'
        ? doc(image.png, MEDIA.png, CACHE.image, {
            headers: { 'Content-Disposition': `inline; filename="${name}"` },
          })
        : doc(image.svg, MEDIA.svg, CACHE.image, {
            headers: { ...SVG_HEADERS, 'Content-Disposition': `inline; filename="${name}"` },
          });
    },

    /** OB 2.0 hosted Assertion: 200, or 410 Gone with `revoked: true` and the reason. */
    async assertion(id: string): Promise<PublicDocument | null> {
      const found = await awardWithRevocation(id);
      return found ? await hostedAssertion(found.award, found.revocation) : null;
    },

    /** OB 2.0 signed form: the compact JWS (RS256). */
    async assertionJws(id: string): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob2.jws, MEDIA.text, CACHE.live) : null;
    },

    /** OB 3.0 OpenBadgeCredential with its Data Integrity proof, as issued. */
    async credential(id: string): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob3.credential, MEDIA.vcLdJson, CACHE.live) : null;
    },

    /** OB 3.0 VC-JWT; `text/plain` when the client asks for text. */
    async credentialJwt(id: string, asText = false): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob3.jwt, asText ? MEDIA.text : MEDIA.vcJwt, CACHE.live) : null;
    },

    /**
     * A baked image, generated from the badge class image: OB 2.0 hosted (`badge.*`, the
     * assertion JSON) or signed (`badge-signe.*`, the JWS); OB 3.0 JWT (`credential.*`) or
     * JSON with its proof (`credential-json.*`).
     */
    async baked(id: string, variant: BakedVariant): Promise<PublicDocument | null> {
      const found = await awardWithRevocation(id);
      if (!found) return null;
      const { award, revocation } = found;
      const badgeClass = await badgeClasses.findById(award.badgeClassId);
      if (!badgeClass) return null;
      const image = await classImage(badgeClass);
      const [form, ext] = variant.split('.') as [string, 'png' | 'svg'];
      const keyword = form.startsWith('credential') ? 'openbadgecredential' : 'openbadges';
      const text =
        form === 'badge'
          ? (await hostedAssertion(award, revocation)).body.toString('utf8')
          : form === 'badge-signe'
            ? award.ob2.jws
            : form === 'credential'
              ? award.ob3.jwt
              : award.ob3.credential;
      const name = `${fileStem(badgeClass.name)}-${variant}`;
      if (ext === 'png') {
        return doc(Buffer.from(bakePng(image.png, { keyword, text })), MEDIA.png, CACHE.live, {
          headers: { 'Content-Disposition': `inline; filename="${name}"` },
        });
      }
      return doc(bakeSvg(image.svg, { keyword, text }), MEDIA.svg, CACHE.live, {
        headers: { ...SVG_HEADERS, 'Content-Disposition': `inline; filename="${name}"` },
      });
    },
  };
  return api;
}
export type PublicDocuments = ReturnType<typeof createPublicDocuments>;

/** The public JWK of a key, with its `kid` URL and algorithm. */
function jwkOf(key: PublicKeyInfo, urls: PublicUrls): Record<string, string> {
  return {
    ...key.publicJwk,
    kid: urls.jwk(key.issuerId, key._id),
    alg: key.type === 'RSA' ? 'RS256' : 'EdDSA',
    use: 'sig',
  };
}
