import { compact, requireUrl } from './document-inputs.js';
import type { Ob2RevocationList, Ob2RevokedAssertion } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface RevocationListInput {
  id: string;
  /** Id of the issuer profile (which points back with `revocationList`). */
  issuer: string;
  revokedAssertions: readonly (string | Ob2RevokedAssertion)[];
}

export function buildRevocationList(input: RevocationListInput): Ob2RevocationList {
  return {
    '@context': OB2_CONTEXT_URL,
    type: 'RevocationList',
    id: requireUrl(input.id, 'id'),
    issuer: requireUrl(input.issuer, 'issuer'),
    revokedAssertions: input.revokedAssertions.map((entry, i) =>
      typeof entry === 'string'
        ? { id: requireUrl(entry, `revokedAssertions[${i}]`) }
        : compact<Ob2RevokedAssertion>({
            id: requireUrl(entry.id, `revokedAssertions[${i}].id`),
            revocationReason: entry.revocationReason || undefined,
          }),
    ),
  };
}
