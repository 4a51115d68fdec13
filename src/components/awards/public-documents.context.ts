import { type DocumentLoader } from '../../core/index.js';
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
import { ob2Assertion } from './award-documents.js';
import type { AwardDoc, RevocationDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { PublicUrls } from './public-urls.js';

import { CACHE, MEDIA, jsonDoc, type PublicDocument } from './public-document.js';
import { slugify } from '../../libraries/text/slug.js';

/** Upper bound on list numbers (131,072 awards each): refuses absurd URLs before any work. */
export const MAX_STATUS_LISTS = 1000;
export const SIGNED_LIST_CACHE = 256;
export const CLASS_IMAGE_CACHE = 200;
export const PNG_SIZE = 512;

/** A small LRU map: the most recently used entries stay. */
export class Lru<K, V> {
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
export const fileStem = (name: string): string => slugify(name) || 'badge';

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

/** What the public documents share: caches, issuers with their keys, badge images, awards. */
export interface PublicDocumentsContext extends PublicDocumentsDeps {
  signedLists: Lru<string, PublicDocument>;
  classImages: Lru<string, ClassImage>;
  activeOf(list: PublicKeyInfo[], type: 'RSA' | 'Ed25519'): PublicKeyInfo | undefined;
  issuerAndKeys(issuerId: string): Promise<{ issuer: IssuerDoc; keyList: PublicKeyInfo[] } | null>;
  withdrawnKey(id: string): PublicDocument;
  artInput(badgeClass: BadgeClassDoc): BadgeArtInput;
  classImage(badgeClass: BadgeClassDoc): Promise<ClassImage>;
  awardWithRevocation(
    id: string,
  ): Promise<{ award: AwardDoc; revocation: RevocationDoc | null } | null>;
  endorsementIdsOf(kind: 'award' | 'badgeClass', id: string): Promise<string[]>;
  hostedAssertion(award: AwardDoc, revocation: RevocationDoc | null): Promise<PublicDocument>;
}

export interface ClassImage {
  key: string;
  svg: string;
  png: Buffer;
}

interface BadgeArtInput {
  title: string;
  level: string | null;
  primaryColor: string;
  secondaryColor: string;
  pictogram: string;
}

export function publicDocumentsContext(deps: PublicDocumentsDeps): PublicDocumentsContext {
  const { urls, keys, issuers, awards } = deps;
  const signedLists = new Lru<string, PublicDocument>(SIGNED_LIST_CACHE);
  const classImages = new Lru<string, ClassImage>(CLASS_IMAGE_CACHE);

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

  function artInput(badgeClass: BadgeClassDoc): BadgeArtInput {
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

  const endorsementIdsOf = (kind: 'award' | 'badgeClass', id: string) =>
    deps.endorsementsOf ? deps.endorsementsOf({ kind, id }) : Promise.resolve([]);

  /** Every recommendation of the award, also those made after issuance (the hosted form is live). */
  async function hostedAssertion(
    award: AwardDoc,
    revocation: RevocationDoc | null,
  ): Promise<PublicDocument> {
    const revoked = revocation ?? (award.revoked ? { reason: award.revocationReason ?? '' } : null);
    const endorsementIds = await endorsementIdsOf('award', award._id);
    return jsonDoc(
      ob2Assertion(award, urls, { revocation: revoked, endorsementIds }),
      MEDIA.ldJson,
      CACHE.live,
      revoked ? 410 : 200,
    );
  }

  return {
    ...deps,
    signedLists,
    classImages,
    activeOf,
    issuerAndKeys,
    withdrawnKey,
    artInput,
    classImage,
    awardWithRevocation,
    endorsementIdsOf,
    hostedAssertion,
  };
}

/** The public JWK of a key, with its `kid` URL and algorithm. */
export function jwkOf(key: PublicKeyInfo, urls: PublicUrls): Record<string, string> {
  return {
    ...key.publicJwk,
    kid: urls.jwk(key.issuerId, key._id),
    alg: key.type === 'RSA' ? 'RS256' : 'EdDSA',
    use: 'sig',
  };
}
