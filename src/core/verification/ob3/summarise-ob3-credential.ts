import type { BadgeFormat, BadgeSummary } from '../report.js';
import { asArray, isObject, issuerIdOf, str, type Json } from './ob3-context.js';

function imageId(value: unknown): string | undefined {
  return typeof value === 'string' ? value : isObject(value) ? str(value.id) : undefined;
}

/** What the page shows of the credential, whatever the verdict. */
export function summariseOb3Credential(
  credential: Json,
  format: BadgeFormat,
  endorsements: Json[],
  revoked: boolean | undefined,
): BadgeSummary {
  const subject = asArray(credential.credentialSubject).find(isObject);
  const achievement = subject && isObject(subject.achievement) ? subject.achievement : undefined;
  const issuer = credential.issuer;
  const criteria = achievement && isObject(achievement.criteria) ? achievement.criteria : undefined;
  const identifiers = subject ? asArray(subject.identifier).filter(isObject) : [];
  // The hashed email identifies the person; an unhashed name, when present, is for display.
  const named = identifiers.find(
    (i) => i.identityType === 'name' && i.hashed === false && str(i.identityHash),
  );
  const identifier = identifiers.find((i) => i !== named) ?? named;
  const summary: BadgeSummary = {
    format,
    id: str(credential.id),
    name: str(achievement?.name) ?? str(credential.name),
    description: str(achievement?.description) ?? str(credential.description),
    image: imageId(achievement?.image) ?? imageId(credential.image),
    issuer: isObject(issuer)
      ? {
          id: str(issuer.id),
          name: str(issuer.name),
          url: str(issuer.url),
          email: str(issuer.email),
        }
      : { id: str(issuer) },
    issuedOn:
      str(credential.awardedDate) ?? str(credential.validFrom) ?? str(credential.issuanceDate),
    expires: str(credential.validUntil) ?? str(credential.expirationDate),
  };
  if (criteria) summary.criteria = { narrative: str(criteria.narrative), url: str(criteria.id) };
  const alignments = asArray(achievement?.alignment).filter(isObject);
  if (alignments.length > 0) {
    summary.alignments = alignments.map((a) => ({
      targetName: String(a.targetName ?? ''),
      targetUrl: str(a.targetUrl),
      targetFramework: str(a.targetFramework),
      targetCode: str(a.targetCode),
    }));
  }
  const evidence = asArray(credential.evidence).filter(isObject);
  if (evidence.length > 0) {
    summary.evidence = evidence.map((e) => ({
      url: str(e.id),
      narrative: str(e.narrative),
      name: str(e.name),
    }));
  }
  if (endorsements.length > 0) {
    summary.endorsements = endorsements.map((e) => {
      const subjectOf = asArray(e.credentialSubject).find(isObject);
      return {
        issuerName: isObject(e.issuer) ? str(e.issuer.name) : undefined,
        issuerId: issuerIdOf(e),
        comment: str(subjectOf?.endorsementComment),
        issuedOn: str(e.validFrom) ?? str(e.issuanceDate),
      };
    });
  }
  if (identifier)
    summary.recipient = {
      hashed: identifier.hashed === true,
      type: str(identifier.identityType),
      ...(named ? { name: String(named.identityHash).trim().slice(0, 200) } : {}),
    };
  else if (subject && str(subject.id)) summary.recipient = { hashed: false, type: 'id' };
  if (revoked !== undefined) summary.revoked = revoked;
  return summary;
}
