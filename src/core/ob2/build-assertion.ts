import { BadgeError } from '../errors.js';
import { hashIdentity, normaliseEmail } from '../identity/hash-identity.js';
import {
  compact,
  isoDate,
  optionalUrl,
  requireEmail,
  requireText,
  requireUrl,
  verificationOf,
} from './document-inputs.js';
import type { Ob2Assertion, Ob2Evidence, Ob2VerificationInput } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface AssertionInput {
  /** The assertion URL (hosted: where it is served; signed: still a stable public id). */
  id: string;
  /** Id (URL) of the BadgeClass. */
  badge: string;
  /** The recipient's email and this assertion's own random salt (see newSalt). */
  recipient: { email: string; salt: string };
  issuedOn: Date;
  expires?: Date;
  /** URL of this assertion's (baked) image. */
  image?: string;
  narrative?: string;
  /** Evidence URLs, or objects with a URL and/or a narrative. */
  evidence?: readonly (string | Ob2Evidence)[];
  verification: Ob2VerificationInput;
  revoked?: boolean;
  revocationReason?: string;
  /** URLs of hosted Endorsements of this assertion (OB 2.0 `endorsement`). */
  endorsements?: readonly string[];
}

export function buildAssertion(input: AssertionInput): Ob2Assertion {
  const salt = requireText(input.recipient?.salt, 'recipient.salt');
  // Hash the normalised address: identityMatches tries the normalised form of any candidate.
  const email = normaliseEmail(requireEmail(input.recipient?.email, 'recipient.email'));
  const issuedOn = isoDate(input.issuedOn, 'issuedOn');
  const expires = input.expires === undefined ? undefined : isoDate(input.expires, 'expires');
  if (expires !== undefined && input.expires! < input.issuedOn) {
    throw new BadgeError('invalid_input', 'expires must not be before issuedOn');
  }
  const evidence = input.evidence?.map((e, i) => evidenceOf(e, i));
  return compact<Ob2Assertion>({
    '@context': OB2_CONTEXT_URL,
    type: 'Assertion',
    id: requireUrl(input.id, 'id'),
    recipient: { type: 'email', hashed: true, salt, identity: hashIdentity(email, salt) },
    badge: requireUrl(input.badge, 'badge'),
    verification: verificationOf(input.verification),
    issuedOn,
    expires,
    image: optionalUrl(input.image, 'image'),
    narrative: input.narrative,
    evidence: evidence && evidence.length > 0 ? evidence : undefined,
    revoked: input.revoked ? true : undefined,
    revocationReason: input.revoked ? input.revocationReason : undefined,
    endorsement: input.endorsements?.length
      ? input.endorsements.map((u, i) => requireUrl(u, `endorsements[${i}]`))
      : undefined,
  });
}

function evidenceOf(e: string | Ob2Evidence, i: number): Ob2Evidence {
  if (typeof e === 'string') return { id: requireUrl(e, `evidence[${i}]`) };
  if (e.id === undefined && !e.narrative) {
    throw new BadgeError('invalid_input', `evidence[${i}] needs a URL or a narrative`);
  }
  return compact<Ob2Evidence>({
    id: optionalUrl(e.id, `evidence[${i}].id`),
    narrative: e.narrative,
    name: e.name,
    description: e.description,
  });
}
