import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { createVerifyCryptosuite as createEcdsaSd2023 } from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import { createDocumentLoader } from '../../jsonld/document-loader.js';
import type { Fetcher } from '../fetcher.js';
import { bindKeyToIssuer, keyMaterialOf, type IssuerBinding } from '../issuer-binding.js';
import type { VerificationMethodJson } from './controller-document.js';
import { asMultikey, resolveVerificationMethod } from './resolve-verification-method.js';

/** eddsa-2022 is the draft name of eddsa-rdfc-2022 (same algorithm; the name is signed). */
const SUPPORTED_CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-2022', 'ecdsa-sd-2023'] as const;
type Cryptosuite = (typeof SUPPORTED_CRYPTOSUITES)[number];

function suiteFor(cryptosuite: Cryptosuite): unknown {
  switch (cryptosuite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
    case 'eddsa-2022':
      // Signed under the Data Integrity v1 context, which the suite must then use too.
      return new DataIntegrityProof({
        cryptosuite: { ...eddsaRdfc2022, name: 'eddsa-2022' },
        legacyContext: true,
      });
    case 'ecdsa-sd-2023':
      return new DataIntegrityProof({ cryptosuite: createEcdsaSd2023() });
  }
}

export type ProofOutcome =
  | { ok: true; cryptosuite: string; method: string; binding: IssuerBinding }
  | {
      ok: false;
      reason: 'missing' | 'unsupported' | 'key_not_found' | 'invalid';
      detail: string;
      /** The key, when it was resolved but the signature failed. */
      method?: string;
    };

type Json = Record<string, unknown>;

function describe(error: unknown): string {
  if (!error || typeof error !== 'object') return String(error);
  const e = error as {
    message?: string;
    errors?: unknown[];
    details?: { event?: { code?: string } };
  };
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.map(describe).join('; ');
  return e.details?.event?.code ? `${e.message} (${e.details.event.code})` : (e.message ?? 'error');
}

/**
 * Verifies every Data Integrity proof of `credential` that we support (assertionMethod
 * purpose). Each proof is checked alone; all must verify and at least one must exist. Key
 * resolution goes through the fetcher; JSON-LD contexts only through the local loader.
 */
export async function verifyDataIntegrityProofs(
  credential: Json,
  issuerId: string | undefined,
  fetch: Fetcher,
  extraDocuments?: ReadonlyMap<string, unknown>,
): Promise<ProofOutcome[]> {
  const proofs = (Array.isArray(credential.proof) ? credential.proof : [credential.proof]).filter(
    (p): p is Json => typeof p === 'object' && p !== null,
  );
  if (proofs.length === 0) return [{ ok: false, reason: 'missing', detail: 'no proof' }];
  const supported = proofs.filter(
    (p) =>
      p.type === 'DataIntegrityProof' &&
      p.proofPurpose === 'assertionMethod' &&
      SUPPORTED_CRYPTOSUITES.includes(p.cryptosuite as Cryptosuite),
  );
  if (supported.length === 0) {
    const found = proofs.map((p) => `${String(p.type)}/${String(p.cryptosuite ?? '-')}`).join(', ');
    return [{ ok: false, reason: 'unsupported', detail: `no supported proof (found ${found})` }];
  }
  const outcomes: ProofOutcome[] = [];
  for (const proof of supported) {
    const methodId = proof.verificationMethod;
    if (typeof methodId !== 'string') {
      outcomes.push({
        ok: false,
        reason: 'key_not_found',
        detail: 'proof has no verificationMethod',
      });
      continue;
    }
    // The issuer's own document decides whose key this is (issuer-binding.ts). When it lists the
    // method, the signature is checked with the key it lists; otherwise with the key the proof
    // points to, only to tell a forged signature from a genuine one by someone else.
    let binding = await bindKeyToIssuer({ issuerId, keyId: methodId, fetch });
    let method: VerificationMethodJson;
    if (binding.status === 'confirmed' && binding.method) {
      const listed = binding.method as VerificationMethodJson;
      method = asMultikey(
        listed,
        typeof listed.controller === 'string' ? listed.controller : (issuerId ?? methodId),
      );
    } else {
      const key = await resolveVerificationMethod(methodId, fetch);
      if (!key.ok) {
        outcomes.push({ ok: false, reason: 'key_not_found', detail: key.detail });
        continue;
      }
      method = key.method;
      if (binding.status === 'confirmed') {
        // Listed by reference only: the key read at its id must then be the one listed.
        const material = keyMaterialOf(method);
        binding = material
          ? await bindKeyToIssuer({ issuerId, keyId: methodId, material, fetch })
          : { status: 'mismatch', keyId: methodId, detail: `no readable key at ${methodId}` };
      }
    }
    const key = { method };
    const documents = new Map(extraDocuments);
    documents.set(methodId, key.method);
    const controller = String(key.method.controller);
    const purpose = new jsigs.purposes.AssertionProofPurpose({
      // Binding to the issuer is judged by resolveVerificationMethod; here the purpose only
      // needs to see the method listed for assertions by its controller.
      controller: {
        '@context': 'https://www.w3.org/ns/did/v1',
        id: controller,
        assertionMethod: [...new Set([methodId, key.method.id])],
      },
    });
    try {
      const result = await jsigs.verify(
        { ...credential, proof },
        {
          suite: suiteFor(proof.cryptosuite as Cryptosuite),
          purpose,
          documentLoader: createDocumentLoader(documents),
        },
      );
      outcomes.push(
        result.verified
          ? {
              ok: true,
              cryptosuite: String(proof.cryptosuite),
              method: methodId,
              binding,
            }
          : { ok: false, reason: 'invalid', detail: describe(result.error), method: methodId },
      );
    } catch (error) {
      outcomes.push({ ok: false, reason: 'invalid', detail: describe(error), method: methodId });
    }
  }
  return outcomes;
}
