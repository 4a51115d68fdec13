import { BadgeError } from '../errors.js';
import { hashIdentity, normaliseEmail } from '../identity/hash-identity.js';
import {
  OB3_CREDENTIAL_CONTEXTS,
  OB3_EXTENSIONS_CONTEXT,
  toDateTimeStamp,
  type CredentialStatusEntry,
  type IdentityObject,
  type Ob3Achievement,
  type Ob3Alignment,
  type Ob3Image,
  type Ob3Profile,
  type OpenBadgeCredentialJson,
} from './credential-types.js';

/** The issuing organisation, as the OB 2.0 Issuer profile knows it (ids are full URLs). */
export interface Ob3IssuerInput {
  id: string;
  name: string;
  url?: string;
  email?: string;
  description?: string;
  /** Image URL (or data: URI). */
  image?: string;
}

/** The badge class fields. */
export interface Ob3AchievementInput {
  id: string;
  name: string;
  description: string;
  criteria: { narrative?: string; id?: string };
  image?: string;
  imageCaption?: string;
  alignments?: {
    targetName: string;
    targetUrl: string;
    targetFramework?: string;
    targetCode?: string;
    targetDescription?: string;
  }[];
  tags?: string[];
  achievementType?: string;
}

export interface OpenBadgeCredentialInput {
  /** The credential's URL (same origin as the issuer). */
  id: string;
  issuer: Ob3IssuerInput;
  achievement: Ob3AchievementInput;
  /** Hashed into an IdentityObject; the email is normalised (trimmed, lower case) first. */
  recipient: { email: string; salt: string };
  validFrom: Date | string;
  validUntil?: Date | string;
  /** Defaults to the achievement name. */
  name?: string;
  description?: string;
  /** Evidence of the award (OB 3.0 puts it on the credential). */
  evidence?: { id?: string; name?: string; narrative?: string; description?: string }[];
  credentialStatus?: CredentialStatusEntry | CredentialStatusEntry[];
}

function required(value: string | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadgeError('invalid_input', `${field} is required`);
  }
  return value;
}

function absoluteUri(value: string | undefined, field: string): string {
  const v = required(value, field);
  if (!/^[a-z][a-z0-9+.-]*:/i.test(v)) {
    throw new BadgeError('invalid_input', `${field} must be an absolute URI: ${v}`);
  }
  return v;
}

function image(id: string | undefined, caption?: string): Ob3Image | undefined {
  if (!id) return undefined;
  return caption ? { id, type: 'Image', caption } : { id, type: 'Image' };
}

/** Drops undefined members so the JSON (and its canonical form) stays minimal. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function buildIssuerProfile(issuer: Ob3IssuerInput): Ob3Profile {
  return compact({
    id: absoluteUri(issuer.id, 'issuer.id'),
    type: ['Profile'],
    name: required(issuer.name, 'issuer.name'),
    url: issuer.url,
    email: issuer.email,
    description: issuer.description,
    image: image(issuer.image),
  });
}

function buildAchievement(a: Ob3AchievementInput): Ob3Achievement {
  const criteria = compact({
    id: a.criteria.id,
    narrative: a.criteria.narrative,
  });
  if (!criteria.id && !criteria.narrative) {
    throw new BadgeError('invalid_input', 'achievement.criteria needs a narrative or an id');
  }
  const alignment: Ob3Alignment[] | undefined = a.alignments?.length
    ? a.alignments.map((al) =>
        compact({
          type: ['Alignment'] as ['Alignment'],
          targetName: required(al.targetName, 'alignment.targetName'),
          targetUrl: absoluteUri(al.targetUrl, 'alignment.targetUrl'),
          targetDescription: al.targetDescription,
          targetFramework: al.targetFramework,
          targetCode: al.targetCode,
        }),
      )
    : undefined;
  return compact({
    id: absoluteUri(a.id, 'achievement.id'),
    type: ['Achievement'] as ['Achievement'],
    achievementType: a.achievementType,
    name: required(a.name, 'achievement.name'),
    description: required(a.description, 'achievement.description'),
    criteria,
    image: image(a.image, a.imageCaption),
    alignment,
    tag: a.tags?.length ? [...a.tags] : undefined,
  });
}

/** The recipient as an OB 3.0 IdentityObject: sha256 of the normalised email + salt. */
export function buildIdentityObject(email: string, salt: string): IdentityObject {
  return {
    type: 'IdentityObject',
    hashed: true,
    identityHash: hashIdentity(normaliseEmail(required(email, 'recipient.email')), salt),
    identityType: 'emailAddress',
    salt,
  };
}

/** The contexts a credential needs: 1EdTechRevocationList is only defined by the extensions. */
export function credentialContexts(status: CredentialStatusEntry[] | undefined): string[] {
  const contexts = [...OB3_CREDENTIAL_CONTEXTS];
  if (status?.some((s) => s.type === '1EdTechRevocationList'))
    contexts.push(OB3_EXTENSIONS_CONTEXT);
  return contexts;
}

/**
 * An unsigned OpenBadgeCredential (VC Data Model 2.0) from the same award data as the OB 2.0
 * assertion. Sign it with signCredentialJwt and/or signCredentialDataIntegrity.
 */
export function buildOpenBadgeCredential(input: OpenBadgeCredentialInput): OpenBadgeCredentialJson {
  const status =
    input.credentialStatus === undefined
      ? undefined
      : Array.isArray(input.credentialStatus)
        ? input.credentialStatus
        : [input.credentialStatus];
  const evidence = input.evidence?.length
    ? input.evidence.map((e) =>
        compact({
          id: e.id,
          type: ['Evidence'],
          name: e.name,
          narrative: e.narrative,
          description: e.description,
        }),
      )
    : undefined;
  const validFrom = toDateTimeStamp(input.validFrom);
  const validUntil = input.validUntil === undefined ? undefined : toDateTimeStamp(input.validUntil);
  if (validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
    throw new BadgeError('invalid_input', 'validUntil must be after validFrom');
  }
  return compact({
    '@context': credentialContexts(status),
    id: absoluteUri(input.id, 'id'),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: input.name ?? required(input.achievement.name, 'achievement.name'),
    description: input.description,
    issuer: buildIssuerProfile(input.issuer),
    validFrom,
    validUntil,
    credentialSubject: {
      type: ['AchievementSubject'] as ['AchievementSubject'],
      identifier: [
        buildIdentityObject(
          input.recipient.email,
          required(input.recipient.salt, 'recipient.salt'),
        ),
      ],
      achievement: buildAchievement(input.achievement),
    },
    evidence,
    credentialStatus: status === undefined ? undefined : status.length === 1 ? status[0] : status,
  }) as OpenBadgeCredentialJson;
}
