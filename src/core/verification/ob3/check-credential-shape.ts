/**
 * Structural checks standing in for the canonical OB 3.0 JSON Schemas (which no npm package
 * ships and which are not in the fixtures): required properties and, above all, that every
 * typed object has the type the OB 3.0 data model gives it (1EdTech's validator has one
 * probe per such object: CredentialSubjectProbe, EvidenceProbe, IssuerProbe…).
 */
export type CredentialKind =
  'OpenBadgeCredential' | 'EndorsementCredential' | 'BitstringStatusListCredential';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function types(value: unknown): string[] {
  return asArray(isObject(value) ? value.type : undefined).filter(
    (t): t is string => typeof t === 'string',
  );
}

function isUri(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

export function credentialKind(credential: Json): CredentialKind | undefined {
  const t = types(credential);
  if (t.includes('OpenBadgeCredential') || t.includes('AchievementCredential')) {
    return 'OpenBadgeCredential';
  }
  if (t.includes('EndorsementCredential')) return 'EndorsementCredential';
  if (t.includes('BitstringStatusListCredential')) return 'BitstringStatusListCredential';
  return undefined;
}

class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }
  /** An optional object (or array of objects) whose type must include `expected`. */
  typed(value: unknown, path: string, expected: string, required = false): void {
    if (value === undefined) {
      if (required) this.add(path, 'missing');
      return;
    }
    asArray(value).forEach((item, i) => {
      const p = Array.isArray(value) ? `${path}[${i}]` : path;
      // Some properties may be plain IRIs (e.g. image, issuer as a string).
      if (typeof item === 'string') return;
      if (!isObject(item)) this.add(p, 'must be an object');
      else if (!types(item).includes(expected)) this.add(p, `type must include "${expected}"`);
    });
  }
  string(value: unknown, path: string): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(path, 'missing');
  }
}

function checkProfile(profile: unknown, path: string, p: Problems, requireId: boolean): void {
  p.typed(profile, path, 'Profile', true);
  if (!isObject(profile)) return;
  if (requireId && !isUri(profile.id)) p.add(`${path}.id`, 'must be a URI');
  p.typed(profile.image, `${path}.image`, 'Image');
  p.typed(profile.address, `${path}.address`, 'Address');
  if (isObject(profile.address)) {
    p.typed(profile.address.geo, `${path}.address.geo`, 'GeoCoordinates');
  }
  p.typed(profile.otherIdentifier, `${path}.otherIdentifier`, 'IdentifierEntry');
  if (profile.parentOrg !== undefined)
    checkProfile(profile.parentOrg, `${path}.parentOrg`, p, true);
}

function checkAchievement(a: unknown, path: string, p: Problems): void {
  p.typed(a, path, 'Achievement', true);
  if (!isObject(a)) return;
  if (!isUri(a.id)) p.add(`${path}.id`, 'must be a URI');
  p.string(a.name, `${path}.name`);
  p.string(a.description, `${path}.description`);
  if (!isObject(a.criteria)) p.add(`${path}.criteria`, 'missing');
  p.typed(a.image, `${path}.image`, 'Image');
  p.typed(a.alignment, `${path}.alignment`, 'Alignment');
  asArray(a.alignment).forEach((al, i) => {
    if (!isObject(al)) return;
    p.string(al.targetName, `${path}.alignment[${i}].targetName`);
    if (!isUri(al.targetUrl)) p.add(`${path}.alignment[${i}].targetUrl`, 'must be a URI');
  });
  p.typed(a.otherIdentifier, `${path}.otherIdentifier`, 'IdentifierEntry');
  p.typed(a.resultDescription, `${path}.resultDescription`, 'ResultDescription');
  asArray(a.resultDescription).forEach((rd, i) => {
    if (isObject(rd)) {
      p.typed(rd.alignment, `${path}.resultDescription[${i}].alignment`, 'Alignment');
      p.typed(
        rd.rubricCriterionLevel,
        `${path}.resultDescription[${i}].rubricCriterionLevel`,
        'RubricCriterionLevel',
      );
    }
  });
  if (a.creator !== undefined) checkProfile(a.creator, `${path}.creator`, p, true);
}

/** Problems found (empty when the credential has the OB 3.0 shape of its kind). */
export function checkCredentialShape(
  credential: Json,
  kind: CredentialKind,
  options: { proofRequired: boolean },
): string[] {
  const p = new Problems();
  if (!isUri(credential.id) && kind !== 'BitstringStatusListCredential') {
    p.add('id', 'must be a URI');
  }
  if (credential.validFrom === undefined && credential.issuanceDate === undefined) {
    p.add('validFrom', 'missing');
  }
  if (kind === 'BitstringStatusListCredential') {
    if (
      !isUri(
        typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as Json)?.id,
      )
    ) {
      p.add('issuer', 'must be a URI or a Profile with an id');
    }
    const subject = credential.credentialSubject;
    p.typed(subject, 'credentialSubject', 'BitstringStatusList', true);
    if (isObject(subject)) p.string(subject.encodedList, 'credentialSubject.encodedList');
  } else {
    checkProfile(credential.issuer, 'issuer', p, true);
    const subjects = asArray(credential.credentialSubject);
    if (subjects.length === 0) p.add('credentialSubject', 'missing');
    subjects.forEach((subject, i) => {
      const path = subjects.length > 1 ? `credentialSubject[${i}]` : 'credentialSubject';
      if (kind === 'EndorsementCredential') {
        p.typed(subject, path, 'EndorsementSubject', true);
        if (isObject(subject) && !isUri(subject.id)) p.add(`${path}.id`, 'must be a URI');
        return;
      }
      p.typed(subject, path, 'AchievementSubject', true);
      if (!isObject(subject)) return;
      if (subject.id === undefined && subject.identifier === undefined) {
        p.add(path, 'needs an id or an identifier');
      }
      p.typed(subject.identifier, `${path}.identifier`, 'IdentityObject');
      asArray(subject.identifier).forEach((idObj, j) => {
        if (!isObject(idObj)) return;
        p.string(idObj.identityHash, `${path}.identifier[${j}].identityHash`);
        p.string(idObj.identityType, `${path}.identifier[${j}].identityType`);
        if (typeof idObj.hashed !== 'boolean') p.add(`${path}.identifier[${j}].hashed`, 'missing');
      });
      checkAchievement(subject.achievement, `${path}.achievement`, p);
      p.typed(subject.result, `${path}.result`, 'Result');
      asArray(subject.result).forEach((r, j) => {
        if (isObject(r)) p.typed(r.alignment, `${path}.result[${j}].alignment`, 'Alignment');
      });
      if (subject.source !== undefined) checkProfile(subject.source, `${path}.source`, p, true);
      p.typed(subject.image, `${path}.image`, 'Image');
    });
  }
  p.typed(credential.evidence, 'evidence', 'Evidence');
  p.typed(credential.image, 'image', 'Image');
  if (options.proofRequired && credential.proof === undefined) p.add('proof', 'missing');
  return p.list;
}
