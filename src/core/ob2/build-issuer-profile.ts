import { BadgeError } from '../errors.js';
import { compact, optionalUrl, requireEmail, requireText, requireUrl } from './document-inputs.js';
import type { Ob2IssuerProfile, Ob2IssuerVerificationPolicy } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface IssuerProfileInput {
  id: string;
  name: string;
  url: string;
  email: string;
  description?: string;
  /** Image URL (or a data: URI, which OB 2.0 allows on issuers). */
  image?: string;
  telephone?: string;
  /** Ids of every CryptographicKey the issuer signs with, current and former. */
  publicKeys?: readonly string[];
  revocationList?: string;
  verification?: { allowedOrigins?: readonly string[]; startsWith?: readonly string[] };
}

/**
 * The OB 2.0 Issuer Profile, with what the reference validator requires (`id, type, name, url,
 * email`) and, for signed badges, `publicKey` and `revocationList`.
 */
export function buildIssuerProfile(input: IssuerProfileInput): Ob2IssuerProfile {
  const publicKey = input.publicKeys?.map((k, i) => requireUrl(k, `publicKeys[${i}]`));
  const image =
    input.image === undefined || input.image.startsWith('data:image/')
      ? input.image
      : requireUrl(input.image, 'image');
  return compact<Ob2IssuerProfile>({
    '@context': OB2_CONTEXT_URL,
    type: 'Issuer',
    id: requireUrl(input.id, 'id'),
    name: requireText(input.name, 'name'),
    url: requireUrl(input.url, 'url'),
    email: requireEmail(input.email, 'email'),
    description: input.description,
    image,
    telephone: input.telephone,
    publicKey: publicKey && publicKey.length > 0 ? publicKey : undefined,
    revocationList: optionalUrl(input.revocationList, 'revocationList'),
    verification: input.verification ? policyOf(input.verification) : undefined,
  });
}

function policyOf(input: NonNullable<IssuerProfileInput['verification']>) {
  // The validator wants bare host names: "example.org", never "example.org:8443".
  for (const origin of input.allowedOrigins ?? []) {
    if (!/^[a-z0-9.-]+$/i.test(origin)) {
      throw new BadgeError('invalid_input', `allowedOrigins entry ${origin} must be a host name`);
    }
  }
  return compact<Ob2IssuerVerificationPolicy>({
    type: 'VerificationObject',
    allowedOrigins: input.allowedOrigins ? [...input.allowedOrigins] : undefined,
    startsWith: input.startsWith?.map((s, i) => requireUrl(s, `startsWith[${i}]`)),
  });
}
