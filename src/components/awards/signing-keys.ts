import { decodeProtectedHeader } from 'jose';
import type { AwardDoc } from './award.model.js';
import type { PublicUrls } from './public-urls.js';

/**
 * The ids of the issuer's keys whose signatures an award's stored documents carry: the OB
 * 2.0 JWS (`ob2.keyId`), the VC-JWT (`kid`, still the key of issuance after a rotation
 * re-signed the OB 2.0 form) and the Data Integrity proof (`verificationMethod`). Read from
 * the documents themselves, so awards issued before `signingKeyIds` existed are found too.
 */
export function signingKeyIdsOf(
  award: Pick<AwardDoc, 'issuerId' | 'ob2' | 'ob3' | 'signingKeyIds'>,
  urls: PublicUrls,
): Set<string> {
  const ids = new Set<string>(award.signingKeyIds ?? []);
  if (award.ob2?.keyId) ids.add(award.ob2.keyId);
  const keyPrefix = `${urls.key(award.issuerId, '')}`;
  const didPrefix = `${urls.issuerDid(award.issuerId)}#`;
  const fromUrl = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    if (value.startsWith(didPrefix)) return decodeURIComponent(value.slice(didPrefix.length));
    if (value.startsWith(keyPrefix)) {
      const rest = value.slice(keyPrefix.length).split('/');
      if (rest.length === 1 || (rest.length === 2 && rest[1] === 'jwk')) {
        return decodeURIComponent(rest[0]!);
      }
    }
    return undefined;
  };
  try {
    const kid = fromUrl(decodeProtectedHeader(award.ob3.jwt).kid);
    if (kid) ids.add(kid);
  } catch {
    // Unreadable JWT: nothing to learn from it.
  }
  try {
    const credential = JSON.parse(award.ob3.credential) as { proof?: unknown };
    const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
    for (const proof of proofs) {
      const vm = fromUrl(
        (proof as { verificationMethod?: unknown } | undefined)?.verificationMethod,
      );
      if (vm) ids.add(vm);
    }
  } catch {
    // Unreadable credential: nothing to learn from it.
  }
  ids.delete('');
  return ids;
}
