import {
  buildControllerDocument,
  buildCryptographicKey,
  buildEndorsement,
  buildMultikeyDocument,
  type Ob2Endorsement,
} from '../../core/index.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { AwardsRepository } from '../awards/awards.repository.js';
import { CACHE, MEDIA, doc, jsonDoc, type PublicDocument } from '../awards/public-documents.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { KeyService } from '../keys/keys.use-case.js';
import type { EndorsementDoc, EndorserProfileDoc } from './endorsement.model.js';
import type { EndorsementsRepository } from './endorsements.repository.js';

/**
 * Who recommends, in Open Badges terms (docs/review.md):
 *
 * - the person is the Endorsement's issuer. They have no keys, so the platform publishes a
 *   profile for them per issuer: OB 2.0 `Profile` at /emetteurs/:issuerId/personnes/:personId
 *   and OB 3.0 `did:web:<host>:emetteurs:<issuerId>:personnes:<personId>`, whose DID document
 *   lists the issuer's keys for assertions and names the issuer as controller;
 * - the issuer signs on the person's behalf with its own keys, published under the person
 *   (an RSA CryptographicKey whose `owner` is the person's profile; Ed25519 verification
 *   methods of the person's DID), and appears as `parentOrg` of the OB 3.0 profile.
 *
 * OB 2.0 verifiers follow hosted endorsements (same origin as the endorser's profile); the
 * signed JWS is published too. OB 3.0 verifiers check the embedded EndorsementCredentials.
 */

/** What is endorsed: OB 2.0 claim id and OB 3.0 subject id. */
export function endorsedIds(
  target: EndorsementDoc['target'],
  urls: PublicUrls,
): { claim: string; subject: string } {
  return target.kind === 'award'
    ? { claim: urls.assertion(target.id), subject: urls.credential(target.id) }
    : { claim: urls.badgeClass(target.id), subject: urls.badgeClass(target.id) };
}

/** The OB 2.0 Endorsement: hosted (`keyId` absent), or the payload of the signed form. */
export function ob2Endorsement(
  e: Pick<
    EndorsementDoc,
    '_id' | 'issuerId' | 'target' | 'endorserProfileId' | 'comment' | 'issuedOn'
  >,
  urls: PublicUrls,
  options: { keyId?: string } = {},
): Ob2Endorsement {
  return buildEndorsement({
    id: urls.endorsement(e._id),
    claim: { id: endorsedIds(e.target, urls).claim, endorsementComment: e.comment },
    issuer: urls.person(e.issuerId, e.endorserProfileId),
    issuedOn: e.issuedOn,
    verification: options.keyId
      ? { type: 'signed', keyId: urls.personKey(e.issuerId, e.endorserProfileId, options.keyId) }
      : { type: 'hosted' },
  });
}

export interface EndorsementDocumentsDeps {
  urls: PublicUrls;
  keys: KeyService;
  repo: EndorsementsRepository;
  issuers: IssuerRepository;
  users: UserRepository;
  awards: AwardsRepository;
}

export function createEndorsementDocuments(deps: EndorsementDocumentsDeps) {
  const { urls, keys, repo, issuers, users, awards } = deps;

  /**
   * A recommendation is public once what it recommends exists: those gathered by a badge
   * request name an award that is only issued when the request is approved.
   */
  async function published(id: string): Promise<EndorsementDoc | null> {
    const e = await repo.findById(id);
    if (!e) return null;
    if (e.target.kind === 'award' && !(await awards.findById(e.target.id))) return null;
    return e;
  }

  async function profileOf(issuerId: string, personId: string) {
    const profile: EndorserProfileDoc | null = await repo.findProfile(personId);
    if (!profile || profile.issuerId !== issuerId) return null;
    const [issuer, account] = await Promise.all([
      issuers.findById(issuerId),
      profile.erasedAs ? null : users.findById(profile.userId),
    ]);
    // A deleted account's recommendations stay, under its pseudonym.
    const user = profile.erasedAs ? { _id: profile.userId, name: profile.erasedAs } : account;
    if (!issuer || !user) return null;
    return { profile, issuer, user };
  }

  const api = {
    published,
    profileOf,

    /** OB 2.0 hosted Endorsement (JSON-LD). */
    async endorsement(id: string): Promise<PublicDocument | null> {
      const e = await published(id);
      return e ? jsonDoc(ob2Endorsement(e, urls), MEDIA.ldJson, CACHE.stable) : null;
    },

    /** OB 2.0 signed form (compact JWS, RS256), as signed. */
    async endorsementJws(id: string): Promise<PublicDocument | null> {
      const e = await published(id);
      return e ? doc(e.ob2.jws, MEDIA.text, CACHE.stable) : null;
    },

    /** OB 3.0 EndorsementCredential with its Data Integrity proof, as signed. */
    async endorsementCredential(id: string): Promise<PublicDocument | null> {
      const e = await published(id);
      return e ? doc(e.ob3.credential, MEDIA.vcLdJson, CACHE.stable) : null;
    },

    /**
     * OB 2.0 Profile of a person who recommends. `email` is the issuer's contact address (the
     * person's own address is never published); `publicKey` is the issuer's active RSA key as
     * published under the person.
     */
    async person(issuerId: string, personId: string): Promise<PublicDocument | null> {
      const found = await profileOf(issuerId, personId);
      if (!found) return null;
      const rsa = (await keys.publishedKeys(issuerId)).find(
        (k) => k.type === 'RSA' && k.status === 'active',
      );
      const id = urls.person(issuerId, personId);
      return jsonDoc(
        {
          '@context': 'https://w3id.org/openbadges/v2',
          type: 'Profile',
          id,
          name: found.user.name,
          url: id,
          email: found.issuer.email,
          description: `${found.user.name} — ${found.issuer.name}`,
          ...(rsa ? { publicKey: urls.personKey(issuerId, personId, rsa._id) } : {}),
        },
        MEDIA.ldJson,
        CACHE.stable,
      );
    },

    /**
     * DID document of the person: the issuer's Ed25519 keys (active and retired, so every
     * recommendation keeps verifying) as this DID's assertion methods; the issuer's DID as
     * controller (it holds the keys and signs on the person's behalf).
     */
    async personDid(issuerId: string, personId: string): Promise<PublicDocument | null> {
      const found = await profileOf(issuerId, personId);
      if (!found) return null;
      const did = urls.personDid(issuerId, personId);
      const controller = buildControllerDocument({
        id: did,
        multikeys: (await keys.publishedKeys(issuerId))
          .filter((k) => k.type === 'Ed25519' && k.publicKeyMultibase)
          .map((k) => ({ id: `${did}#${k._id}`, publicKeyMultibase: k.publicKeyMultibase! })),
      });
      return jsonDoc(
        {
          ...controller,
          controller: urls.issuerDid(issuerId),
          alsoKnownAs: [urls.person(issuerId, personId)],
        },
        MEDIA.didJson,
        CACHE.stable,
      );
    },

    /** One of the issuer's keys as the person's: RSA CryptographicKey, or Multikey. */
    async personKey(
      issuerId: string,
      personId: string,
      keyId: string,
    ): Promise<PublicDocument | null> {
      const [found, key] = await Promise.all([
        profileOf(issuerId, personId),
        keys.findPublicKey(keyId),
      ]);
      // A compromised key is published under no one (see the issuer's key documents).
      if (!found || !key || key.issuerId !== issuerId || key.status === 'compromised') return null;
      if (key.type === 'RSA') {
        return jsonDoc(
          buildCryptographicKey({
            id: urls.personKey(issuerId, personId, keyId),
            owner: urls.person(issuerId, personId),
            publicKeyPem: key.publicKeyPem,
          }),
          MEDIA.ldJson,
          CACHE.stable,
        );
      }
      const did = urls.personDid(issuerId, personId);
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
  };
  return api;
}
export type EndorsementDocuments = ReturnType<typeof createEndorsementDocuments>;
