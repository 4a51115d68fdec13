import { compact, isoDate, requireUrl, verificationOf } from './document-inputs.js';
import type { Ob2Endorsement, Ob2VerificationInput } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface EndorsementInput {
  id: string;
  /** What is endorsed: the id of a BadgeClass, Issuer or Assertion, and the endorser's words. */
  claim: { id: string; endorsementComment?: string };
  /** Id of the endorser's issuer profile. */
  issuer: string;
  issuedOn: Date;
  verification: Ob2VerificationInput;
}

/** The OB 2.0 Endorsement; signed endorsements go through signAssertion like assertions. */
export function buildEndorsement(input: EndorsementInput): Ob2Endorsement {
  return {
    '@context': OB2_CONTEXT_URL,
    type: 'Endorsement',
    id: requireUrl(input.id, 'id'),
    claim: compact({
      id: requireUrl(input.claim?.id, 'claim.id'),
      endorsementComment: input.claim.endorsementComment || undefined,
    }),
    issuer: requireUrl(input.issuer, 'issuer'),
    issuedOn: isoDate(input.issuedOn, 'issuedOn'),
    verification: verificationOf(input.verification),
  };
}
