import { BadgeError } from '../errors.js';
import { compact, optionalUrl, requireText, requireUrl } from './document-inputs.js';
import type { Ob2AlignmentObject, Ob2BadgeClass } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface BadgeClassInput {
  id: string;
  name: string;
  description: string;
  /** URL of the badge image (PNG or SVG). */
  image: string;
  criteria: { narrative: string; id?: string };
  /** Id (URL) of the issuer profile. */
  issuer: string;
  alignments?: readonly Ob2AlignmentObject[];
  tags?: readonly string[];
  /** URLs of hosted Endorsements of this badge class (OB 2.0 `endorsement`). */
  endorsements?: readonly string[];
}

export function buildBadgeClass(input: BadgeClassInput): Ob2BadgeClass {
  const alignment = input.alignments?.map((a, i) =>
    compact<Ob2AlignmentObject>({
      targetName: requireText(a.targetName, `alignments[${i}].targetName`),
      // targetUrl is required by the reference validator even though the spec reads optional.
      targetUrl: requireUrl(a.targetUrl, `alignments[${i}].targetUrl`),
      targetDescription: a.targetDescription,
      targetFramework: a.targetFramework,
      targetCode: a.targetCode,
    }),
  );
  const tags = input.tags?.map((t) => t.trim()).filter((t) => t !== '');
  if (input.criteria === undefined || typeof input.criteria !== 'object') {
    throw new BadgeError('invalid_input', 'criteria must be an object with a narrative');
  }
  return compact<Ob2BadgeClass>({
    '@context': OB2_CONTEXT_URL,
    type: 'BadgeClass',
    id: requireUrl(input.id, 'id'),
    name: requireText(input.name, 'name'),
    description: requireText(input.description, 'description'),
    image: requireUrl(input.image, 'image'),
    criteria: compact({
      id: optionalUrl(input.criteria.id, 'criteria.id'),
      narrative: requireText(input.criteria.narrative, 'criteria.narrative'),
    }),
    issuer: requireUrl(input.issuer, 'issuer'),
    alignment: alignment && alignment.length > 0 ? alignment : undefined,
    tags: tags && tags.length > 0 ? tags : undefined,
    endorsement: input.endorsements?.length
      ? input.endorsements.map((u, i) => requireUrl(u, `endorsements[${i}]`))
      : undefined,
  });
}
