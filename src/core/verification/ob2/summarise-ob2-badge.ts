import type { BadgeFormat, BadgeSummary } from '../report.js';
import { idOf, isObject, isUrl, listOf } from './ob2-values.js';

type Node = Record<string, unknown> | undefined;
type Evidence = NonNullable<BadgeSummary['evidence']>[number];

/**
 * What a page can show of an OB 2.0 badge, whatever the verdict. Only string values are
 * copied: documents come from strangers and go into templates.
 */
export function summariseOb2Badge(parts: {
  format: BadgeFormat;
  objectType?: string;
  assertion?: Node;
  badge?: Node;
  issuer?: Node;
  endorsements?: BadgeSummary['endorsements'];
  revoked?: boolean;
  revocationReason?: string;
}): BadgeSummary {
  const { assertion, badge, issuer } = parts;
  const criteria = badge?.criteria;
  const recipient = isObject(assertion?.recipient) ? assertion.recipient : undefined;
  const summary: BadgeSummary = {
    format: parts.format,
    objectType: parts.objectType,
    id: str(assertion?.id) ?? (assertion ? undefined : str(badge?.id)),
    name: str(badge?.name),
    description: str(badge?.description),
    image: str(idOf(assertion?.image)) ?? str(idOf(badge?.image)),
    criteria:
      typeof criteria === 'string'
        ? { url: criteria }
        : isObject(criteria)
          ? clean({ url: url(criteria.id), narrative: str(criteria.narrative) })
          : undefined,
    alignments: listOf(badge?.alignment)
      .filter(isObject)
      .filter((a) => typeof a.targetName === 'string')
      .map((a) =>
        clean({
          targetName: a.targetName as string,
          targetUrl: url(a.targetUrl),
          targetDescription: str(a.targetDescription),
          targetFramework: str(a.targetFramework),
          targetCode: str(a.targetCode),
        }),
      ),
    tags: listOf(badge?.tags).filter((t): t is string => typeof t === 'string'),
    issuer: issuer
      ? clean({
          id: str(issuer.id),
          name: str(issuer.name),
          url: url(issuer.url),
          email: str(issuer.email),
        })
      : undefined,
    issuedOn: str(assertion?.issuedOn),
    expires: str(assertion?.expires),
    revoked: parts.revoked ?? (assertion ? false : undefined),
    revocationReason: parts.revocationReason,
    evidence: listOf(assertion?.evidence).flatMap((e): Evidence[] =>
      typeof e === 'string'
        ? [{ url: e }]
        : isObject(e)
          ? [clean({ url: url(e.id), narrative: str(e.narrative), name: str(e.name) })]
          : [],
    ),
    endorsements: parts.endorsements,
    recipient: recipient
      ? clean({ hashed: recipient.hashed === true, type: str(recipient.type) })
      : undefined,
  };
  return clean(summary);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function url(value: unknown): string | undefined {
  return isUrl(value) ? (value as string) : undefined;
}

/** Drops undefined members and empty lists, so summaries compare and serialise cleanly. */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}
