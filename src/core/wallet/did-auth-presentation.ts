import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import jsigs from 'jsonld-signatures';
import { multikeyAlgorithm } from '../did/multikey.js';
import { createDocumentLoader } from '../jsonld/document-loader.js';

/**
 * VC-API DIDAuthentication: the wallet answers our verifiable presentation request with a
 * presentation signed by its did:key, proof purpose `authentication`, bound to our
 * `challenge` and `domain`. jsonld-signatures checks all of it; we only supply the did:key
 * document (derived from the DID itself, never fetched). Two proof types: the Data Integrity
 * `eddsa-rdfc-2022` suite, and `Ed25519Signature2020`, which the Learner Credential Wallet uses.
 */
type ProofKind = 'eddsa-rdfc-2022' | 'Ed25519Signature2020';
export type DidAuthOutcome = { ok: true; holderDid: string } | { ok: false; detail: string };

type Json = Record<string, unknown>;

function didKeyDocument(did: string, kind: ProofKind) {
  const multibase = did.slice('did:key:'.length);
  const vm = `${did}#${multibase}`;
  // The same public key, in the verification method form each suite expects.
  const keyContext =
    kind === 'Ed25519Signature2020'
      ? 'https://w3id.org/security/suites/ed25519-2020/v1'
      : 'https://w3id.org/security/multikey/v1';
  const method = {
    '@context': keyContext,
    id: vm,
    type: kind === 'Ed25519Signature2020' ? 'Ed25519VerificationKey2020' : 'Multikey',
    controller: did,
    publicKeyMultibase: multibase,
  };
  const document = {
    '@context': ['https://www.w3.org/ns/did/v1', keyContext],
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
  const kind: ProofKind | undefined =
    proof.type === 'DataIntegrityProof' && proof.cryptosuite === 'eddsa-rdfc-2022'
      ? 'eddsa-rdfc-2022'
      : proof.type === 'Ed25519Signature2020'
        ? 'Ed25519Signature2020'
        : undefined;
  if (!kind) {
    return {
      ok: false,
      detail: 'unsupported proof (DataIntegrityProof eddsa-rdfc-2022 or Ed25519Signature2020)',
    };
  }
  const methodId = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : '';
  const did = methodId.split('#', 1)[0]!;
  if (!did.startsWith('did:key:') || multikeyAlgorithm(did.slice(8)) !== 'Ed25519') {
    return { ok: false, detail: 'the proof must be made with an Ed25519 did:key' };
  }
  if (vp.holder !== undefined && vp.holder !== did) {
    return { ok: false, detail: 'holder is not the signer' };
  }
  const { vm, method, document } = didKeyDocument(did, kind);
  if (methodId !== vm) return { ok: false, detail: 'unknown verification method' };
  try {
    const result = await jsigs.verify(vp, {
      suite:
        kind === 'Ed25519Signature2020'
          ? new Ed25519Signature2020()
          : new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
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
