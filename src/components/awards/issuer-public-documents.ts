import {
  buildControllerDocument,
  buildCryptographicKey,
  buildMultikeyDocument,
} from '../../core/index.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import { OB3_PROFILE_CONTEXTS, ob2IssuerProfile, ob3IssuerProfile } from './award-documents.js';

import { CACHE, MEDIA, SVG_HEADERS, doc, jsonDoc, type PublicDocument } from './public-document.js';
import { jwkOf, type PublicDocumentsContext } from './public-documents.context.js';

/** The issuer's documents: profile, image, did:web document, keys. */
export function issuerPublicDocuments(ctx: PublicDocumentsContext) {
  const { urls, keys, issuers, activeOf, issuerAndKeys, withdrawnKey } = ctx;
  return {
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
  };
}
