import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsigs from 'jsonld-signatures';
import { BadgeError } from '../errors.js';
import type { CanonizeTemplates } from './canonize-templates.js';
import { createDocumentLoader, type DocumentLoader } from '../jsonld/document-loader.js';
import { toDateTimeStamp, type VerifiableCredentialJson } from './credential-types.js';

/** An issuer's Ed25519 key as Multikey (the secret comes decrypted from key storage). */
export interface Ed25519KeyMaterial {
  /** The verification method id, e.g. issuer id + "#" + publicKeyMultibase, or a did:web URL. */
  id: string;
  /** Who controls the key: the issuer id. */
  controller: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

/** An imported key, reusable across signatures (importing costs more than it should twice). */
export interface DataIntegritySigner {
  readonly verificationMethod: string;
  readonly signer: unknown;
}

export async function createDataIntegritySigner(
  key: Ed25519KeyMaterial,
): Promise<DataIntegritySigner> {
  try {
    const keyPair = await Ed25519Multikey.from({ type: 'Multikey', ...key });
    return { verificationMethod: key.id, signer: keyPair.signer() };
  } catch (cause) {
    throw new BadgeError('invalid_key', 'not an Ed25519 Multikey key pair', { cause });
  }
}

let defaultLoader: DocumentLoader | undefined;

/**
 * Adds a Data Integrity proof (`DataIntegrityProof`, cryptosuite `eddsa-rdfc-2022`, purpose
 * `assertionMethod`) to a copy of the credential. Contexts come from the local loader only;
 * JSON-LD safe mode refuses undefined terms (e.g. `1EdTechRevocationList` without the OB
 * extensions context) with a `signing_failed` error.
 */
export async function signCredentialDataIntegrity<T extends VerifiableCredentialJson>(
  credential: T,
  key: DataIntegritySigner | Ed25519KeyMaterial,
  options: {
    created: Date;
    documentLoader?: DocumentLoader;
    /** Canonicalisation shared by credentials of one template (many awards of one badge). */
    canonize?: CanonizeTemplates | undefined;
  },
): Promise<T> {
  const signer = 'signer' in key ? key : await createDataIntegritySigner(key);
  const suite = new DataIntegrityProof({
    signer: signer.signer,
    cryptosuite: options.canonize
      ? { ...eddsaRdfc2022, canonize: options.canonize }
      : eddsaRdfc2022,
    date: toDateTimeStamp(options.created),
  });
  const documentLoader = options.documentLoader ?? (defaultLoader ??= createDocumentLoader());
  try {
    return (await jsigs.sign(structuredClone(credential), {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader,
    })) as T;
  } catch (cause) {
    throw new BadgeError('signing_failed', `Data Integrity signing failed: ${describe(cause)}`, {
      cause,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as { details?: { event?: { code?: string } } }).details;
    return details?.event?.code ? `${error.message} (${details.event.code})` : error.message;
  }
  return String(error);
}
