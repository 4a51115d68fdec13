import { createHash } from 'node:crypto';
import {
  buildBitstringStatusListCredential,
  buildRevocationList,
  signCredentialDataIntegrity,
} from '../../core/index.js';
import { STATUS_LIST_SIZE } from './status-list-allocator.js';

import { CACHE, MEDIA, jsonDoc, type PublicDocument } from './public-document.js';
import { MAX_STATUS_LISTS, type PublicDocumentsContext } from './public-documents.context.js';

/** Revocation: the OB 2.0 revocation list and the signed bitstring status lists. */
export function statusPublicDocuments(ctx: PublicDocumentsContext) {
  const { urls, keys, issuers, awards, signedLists, activeOf, issuerAndKeys } = ctx;
  return {
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
      const now = new Date(Math.floor(ctx.clock().getTime() / 1000) * 1000);
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
        { created: now, documentLoader: ctx.documentLoader },
      );
      const result = jsonDoc(signed, MEDIA.vcLdJson, CACHE.live);
      signedLists.set(cacheKey, result);
      return result;
    },
  };
}
