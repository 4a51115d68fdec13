import {
  buildAssertion,
  buildBadgeClass,
  buildBitstringStatusListEntry,
  buildIssuerProfile,
  buildOpenBadgeCredential,
  OB3_CREDENTIAL_CONTEXTS,
  type Ob2Assertion,
  type Ob2BadgeClass,
  type Ob2IssuerProfile,
  type OpenBadgeCredentialJson,
} from '../../core/index.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { AwardDoc } from './award.model.js';
import type { PublicUrls } from './public-urls.js';

/**
 * The Open Badges documents of our issuers, badges and awards, built from the database
 * records with the core builders. The routes, the issuing use case and the internal fetcher
 * all go through these functions, so every form of a document says the same thing.
 */

type IssuerFields = Pick<IssuerDoc, '_id' | 'name' | 'url' | 'email' | 'description'> & {
  image?: { etag: string } | undefined;
};

function issuerImageUrl(issuer: IssuerFields, urls: PublicUrls): string | undefined {
  return issuer.image ? `${urls.issuerImage(issuer._id)}?v=${issuer.image.etag}` : undefined;
}

/**
 * The OB 2.0 Issuer profile. `publicKey` names only the active RSA key, as one IRI: the
 * reference validator reads it as single-valued. Retired keys stay published at their URL;
 * our verifier binds them through the platform's key registry, never through their `owner`
 * back-link (docs/verification.md, "Who signed it").
 */
export function ob2IssuerProfile(
  issuer: IssuerFields,
  activeRsaKeyId: string | undefined,
  urls: PublicUrls,
): Ob2IssuerProfile {
  const image = issuerImageUrl(issuer, urls);
  const profile = buildIssuerProfile({
    id: urls.issuer(issuer._id),
    name: issuer.name,
    url: issuer.url,
    email: issuer.email,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(image ? { image } : {}),
    ...(activeRsaKeyId ? { publicKeys: [urls.key(issuer._id, activeRsaKeyId)] } : {}),
    revocationList: urls.revocationList(issuer._id),
  });
  const single = profile.publicKey?.[0];
  return (single ? { ...profile, publicKey: single } : profile) as Ob2IssuerProfile;
}

/** The OB 3.0 Profile of an issuer, identified by its did:web. */
export function ob3IssuerProfile(issuer: IssuerFields, urls: PublicUrls) {
  const image = issuerImageUrl(issuer, urls);
  return {
    id: urls.issuerDid(issuer._id),
    name: issuer.name,
    url: urls.issuerPage(issuer._id),
    email: issuer.email,
    ...(issuer.description ? { description: issuer.description } : {}),
    ...(image ? { image } : {}),
  };
}

export function ob2BadgeClass(
  badgeClass: BadgeClassDoc,
  urls: PublicUrls,
  endorsementIds: readonly string[] = [],
): Ob2BadgeClass {
  return buildBadgeClass({
    id: urls.badgeClass(badgeClass._id),
    name: badgeClass.name,
    description: badgeClass.description,
    image: urls.badgeClassImage(badgeClass._id, 'png'),
    criteria: {
      narrative: badgeClass.criteria.narrative,
      ...(badgeClass.criteria.url ? { id: badgeClass.criteria.url } : {}),
    },
    issuer: urls.issuer(badgeClass.issuerId),
    alignments: badgeClass.alignments.map((a) => ({
      targetName: a.targetName,
      targetUrl: a.targetUrl,
      targetFramework: a.targetFramework,
      targetCode: a.targetCode,
      ...(a.targetDescription ? { targetDescription: a.targetDescription } : {}),
    })),
    tags: badgeClass.tags,
    ...(endorsementIds.length
      ? { endorsements: endorsementIds.map((id) => urls.endorsement(id)) }
      : {}),
  });
}

type AwardFields = Pick<
  AwardDoc,
  | '_id'
  | 'badgeClassId'
  | 'recipient'
  | 'evidence'
  | 'narrative'
  | 'issuedOn'
  | 'expires'
  | 'endorsementIds'
> &
  Partial<Pick<AwardDoc, 'reissuedAt'>>;

function ob2Evidence(award: AwardFields) {
  return award.evidence.map((e) => ({
    ...(e.url ? { id: e.url } : {}),
    ...(e.narrative ? { narrative: e.narrative } : {}),
    ...(e.name ? { name: e.name } : {}),
  }));
}

/**
 * The OB 2.0 Assertion: hosted (`keyId` absent) or the payload of the signed form (`keyId`
 * = the RSA key that signs it). A revoked hosted assertion says so (`revoked`, reason).
 * `endorsementIds`: the recommendations to list; by default those embedded at issuance (what
 * the signed form says, also when it is signed again after a key rotation).
 */
export function ob2Assertion(
  award: AwardFields & { issuerId: string },
  urls: PublicUrls,
  options: {
    keyId?: string;
    revocation?: { reason: string } | null;
    endorsementIds?: readonly string[];
  } = {},
): Ob2Assertion {
  const endorsements = options.endorsementIds ?? award.endorsementIds ?? [];
  return buildAssertion({
    id: urls.assertion(award._id),
    badge: urls.badgeClass(award.badgeClassId),
    recipient: { email: award.recipient.email, salt: award.recipient.salt },
    issuedOn: award.issuedOn,
    ...(award.expires ? { expires: award.expires } : {}),
    ...(award.narrative ? { narrative: award.narrative } : {}),
    evidence: ob2Evidence(award),
    verification: options.keyId
      ? { type: 'signed', keyId: urls.key(award.issuerId, options.keyId) }
      : { type: 'hosted' },
    ...(options.revocation ? { revoked: true, revocationReason: options.revocation.reason } : {}),
    ...(endorsements.length
      ? { endorsements: endorsements.map((id) => urls.endorsement(id)) }
      : {}),
  });
}

/**
 * The unsigned OB 3.0 OpenBadgeCredential of an award: same data as the OB 2.0 assertion,
 * issuer as did:web, status as a BitstringStatusListEntry (the 1EdTech revocation list type
 * is not defined by the OB 3.0.3 context, so Data Integrity could not sign it).
 * `endorsements`: signed EndorsementCredentials gathered before issuance, embedded as the
 * credential's `endorsement` (OB 3.0 §B.1.1), so its proof covers them.
 */
export function ob3Credential(
  award: AwardFields & { issuerId: string },
  issuer: IssuerFields,
  badgeClass: BadgeClassDoc,
  status: { listNo: number; index: number },
  urls: PublicUrls,
  endorsements: readonly Record<string, unknown>[] = [],
): OpenBadgeCredentialJson {
  const credential = buildOpenBadgeCredential({
    id: urls.credential(award._id),
    issuer: ob3IssuerProfile(issuer, urls),
    achievement: {
      id: urls.badgeClass(badgeClass._id),
      name: badgeClass.name,
      description: badgeClass.description,
      criteria: {
        narrative: badgeClass.criteria.narrative,
        ...(badgeClass.criteria.url ? { id: badgeClass.criteria.url } : {}),
      },
      image: urls.badgeClassImage(badgeClass._id, 'png'),
      imageCaption: badgeClass.name,
      alignments: badgeClass.alignments.map((a) => ({
        targetName: a.targetName,
        targetUrl: a.targetUrl,
        targetFramework: a.targetFramework,
        targetCode: a.targetCode,
        ...(a.targetDescription ? { targetDescription: a.targetDescription } : {}),
      })),
      tags: badgeClass.tags,
      achievementType: 'Badge',
    },
    recipient: { email: award.recipient.email, salt: award.recipient.salt },
    // Issued again (compromised key): valid from the new signature, awarded on the first date.
    validFrom: award.reissuedAt ?? award.issuedOn,
    ...(award.expires ? { validUntil: award.expires } : {}),
    evidence: award.evidence.map((e) => ({
      ...(e.url ? { id: e.url } : {}),
      ...(e.narrative ? { narrative: e.narrative } : {}),
      ...(e.name ? { name: e.name } : {}),
    })),
    credentialStatus: buildBitstringStatusListEntry({
      statusListCredential: urls.statusList(award.issuerId, status.listNo),
      statusListIndex: status.index,
    }),
  });
  // The award's own story (OB 3.0 AchievementSubject.narrative) when the coordinator wrote one.
  if (award.narrative) credential.credentialSubject.narrative = award.narrative;
  if (award.reissuedAt) {
    credential.awardedDate = award.issuedOn.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (endorsements.length) credential.endorsement = [...endorsements];
  return credential;
}

/** The contexts of our credentials, for documents that describe them (profil.json). */
export const OB3_PROFILE_CONTEXTS = OB3_CREDENTIAL_CONTEXTS;
