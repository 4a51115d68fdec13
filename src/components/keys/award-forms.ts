import { CompactSign } from 'jose';
import { sign as nodeSign, type KeyObject } from 'node:crypto';
// The modules themselves, not core/index.js: a signing thread loads only what signing needs
// (not the verifier, the bakers or the SVG parser), which keeps each thread smaller.
import {
  createCanonizeTemplates,
  isAwardVariable,
  type CanonizeTemplates,
} from '../../core/ob3/canonize-templates.js';
import { createDocumentLoader, type DocumentLoader } from '../../core/jsonld/document-loader.js';
import type { VerifiableCredentialJson } from '../../core/ob3/credential-types.js';
import { signCredentialDataIntegrity } from '../../core/ob3/sign-credential-data-integrity.js';
import { credentialJwtClaims } from '../../core/ob3/sign-credential-jwt.js';

/**
 * The three signed forms of one award, built from its unsigned documents: the OB 2.0 JWS
 * (RS256), the OB 3.0 credential with its eddsa-rdfc-2022 proof, and the OB 3.0 VC-JWT (RS256).
 * The same code runs in the main thread (SIGNING_THREADS=0) and in the signing workers.
 */
export interface AwardFormsJob {
  /** The OB 2.0 assertion, serialised (it names the RSA key as its creator). */
  ob2: string;
  credential: VerifiableCredentialJson;
  /** The proof's `created` (ISO string: it crosses a message port). */
  created: string;
}

export interface SignedAwardForms {
  jws: string;
  /** The credential with its proof, serialised. */
  credential: string;
  jwt: string;
}

/** Keys of one issuer, imported (never leaves the thread that decrypted it). */
export interface ImportedIssuerKeys {
  rsa: KeyObject;
  ed: KeyObject;
  /** The Ed25519 key's verification method (did:web URL). */
  verificationMethod: string;
  /** The RSA key's public JWK URL: the VC-JWT `kid`. */
  jwtKid: string;
}

const encoder = new TextEncoder();

/** What a signing thread keeps between awards: contexts, and canonical templates of badges. */
export function signingTools(documentLoader = createDocumentLoader()) {
  return { documentLoader, canonize: createCanonizeTemplates(isAwardVariable) };
}

export async function signAwardForms(
  keys: ImportedIssuerKeys,
  job: AwardFormsJob,
  tools: { documentLoader: DocumentLoader; canonize: CanonizeTemplates },
): Promise<SignedAwardForms> {
  const { rsa, ed } = keys;
  const jws = await new CompactSign(encoder.encode(job.ob2))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(rsa);
  const signed = await signCredentialDataIntegrity(
    job.credential,
    {
      verificationMethod: keys.verificationMethod,
      signer: {
        id: keys.verificationMethod,
        algorithm: 'Ed25519',
        sign: ({ data }: { data: Uint8Array }) =>
          Promise.resolve(new Uint8Array(nodeSign(null, data, ed))),
      },
    },
    { created: new Date(job.created), ...tools },
  );
  const jwt = await new CompactSign(
    encoder.encode(JSON.stringify({ ...job.credential, ...credentialJwtClaims(job.credential) })),
  )
    .setProtectedHeader({ kid: keys.jwtKid, typ: 'JWT', alg: 'RS256' })
    .sign(rsa);
  return { jws, credential: JSON.stringify(signed), jwt };
}
