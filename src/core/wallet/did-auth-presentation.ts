import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import { multikeyAlgorithm } from '../did/multikey.js';
import { createDocumentLoader } from '../jsonld/document-loader.js';

/**
 * VC-API DIDAuthentication: the wallet answers our verifiable presentation request with a
 * presentation signed by its did:key, proof purpose `authentication`, bound to our
 * `challenge` and `domain`. jsonld-signatures checks all of it; we only supply the did:key
 * document (derived from the DID itself, never fetched).
 */
export type DidAuthOutcome = { ok: true; holderDid: string } | { ok: false; detail: string };

type Json = Record<string, unknown>;

function didKeyDocument(did: string) {
  const multibase = did.slice('did:key:'.length);
  const vm = `${did}#${multibase}`;
  const method = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: vm,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase,
  };
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [method],
    authentication: [vm],
    assertionMethod: [vm],
  };
  return { vm, method, document };
}

export async function verifyDidAuthPresentation(
  presentation: unknown,
  expected: { challenge: string; domain: string },
): Promise<DidAuthOutcome> {
  if (!presentation || typeof presentation !== 'object') {
    return { ok: false, detail: 'no presentation' };
  }
  const vp = presentation as Json;
  const proofs = (Array.isArray(vp.proof) ? vp.proof : [vp.proof]).filter(
    (p): p is Json => typeof p === 'object' && p !== null,
  );
  if (proofs.length !== 1) return { ok: false, detail: 'exactly one proof expected' };
  const proof = proofs[0]!;
  if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== 'eddsa-rdfc-2022') {
    return { ok: false, detail: 'unsupported proof (DataIntegrityProof eddsa-rdfc-2022 only)' };
  }
  const methodId = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : '';
  const did = methodId.split('#', 1)[0]!;
  if (!did.startsWith('did:key:') || multikeyAlgorithm(did.slice(8)) !== 'Ed25519') {
    return { ok: false, detail: 'the proof must be made with an Ed25519 did:key' };
  }
  if (vp.holder !== undefined && vp.holder !== did) {
    return { ok: false, detail: 'holder is not the signer' };
  }
  const { vm, method, document } = didKeyDocument(did);
  if (methodId !== vm) return { ok: false, detail: 'unknown verification method' };
  try {
    const result = await jsigs.verify(vp, {
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      purpose: new jsigs.purposes.AuthenticationProofPurpose({
        challenge: expected.challenge,
        domain: expected.domain,
        controller: document,
      }),
      documentLoader: createDocumentLoader(
        new Map<string, unknown>([
          [vm, method],
          [did, document],
        ]),
      ),
    });
    if (!result.verified) {
      const error = result.error as { message?: string; errors?: { message?: string }[] };
      const detail = error?.errors?.map((e) => e.message).join('; ') ?? error?.message;
      return { ok: false, detail: detail ?? 'invalid signature' };
    }
    return { ok: true, holderDid: did };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
