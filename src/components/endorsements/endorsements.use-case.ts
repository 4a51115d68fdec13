import { randomBytes } from 'node:crypto';
import {
  buildEndorsementCredential,
  normaliseEmail,
  signCredentialDataIntegrity,
  type DocumentLoader,
  type Ob3Profile,
} from '../../core/index.js';
import { authorize, type IssuerRole } from '../../libraries/authz/authorization.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../libraries/errors/app-error.js';
import { isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { AwardDoc } from '../awards/award.model.js';
import type { Actor } from '../awards/awards.use-case.js';
import type { AwardsRepository } from '../awards/awards.repository.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { KeyService } from '../keys/keys.use-case.js';
import { endorsedIds, ob2Endorsement } from './endorsement-documents.js';
import {
  MAX_ENDORSEMENTS_PER_TARGET,
  targetKey,
  type EndorsementDoc,
  type EndorsementTargetKind,
  type EndorserRole,
} from './endorsement.model.js';
import type { EndorsementsRepository } from './endorsements.repository.js';

// Pages list recommendations and the awards they are about.
export { MAX_ENDORSEMENTS_PER_TARGET };
export type { AwardDoc, EndorsementDoc };

export const ENDORSEMENT_COMMENT_MAX = 1000;

/** The person acting, with the name their recommendation will carry. */
export type Endorser = Actor & { name?: string | undefined };

/** Why a person may not recommend something (an i18n key under endorsements.refused). */
export type RefusalReason =
  'signIn' | 'notMember' | 'own' | 'revoked' | 'already' | 'full' | 'closed';

export interface EndorsementsDeps {
  clock: () => Date;
  logger: Logger;
  mailer: Mailer;
  audit: Audit;
  urls: PublicUrls;
  keys: KeyService;
  repo: EndorsementsRepository;
  awards: AwardsRepository;
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
  users: UserRepository;
  documentLoader: DocumentLoader;
  /**
   * The recommendations pages show, from memory while nothing changes
   * (src/components/awards/public-records-cache.ts); every write to a recommendation changes the
   * epoch through the model (ENDORSEMENT_WRITTEN). Without it, pages read the database.
   */
  shown?: (target: {
    kind: EndorsementTargetKind;
    id: string;
  }) => Promise<readonly EndorsementDoc[]>;
}

function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** Plain text, spaces kept as typed (line breaks included), required, bounded. */
export function readComment(value: unknown): string {
  const comment = (typeof value === 'string' ? value : '').replace(/\r\n?/g, '\n').trim();
  if (!comment) {
    throw new ValidationError([
      { field: 'comment', messageKey: 'endorsements.errors.commentRequired' },
    ]);
  }
  if (comment.length > ENDORSEMENT_COMMENT_MAX) {
    throw new ValidationError([
      {
        field: 'comment',
        messageKey: 'endorsements.errors.tooLong',
        params: { max: ENDORSEMENT_COMMENT_MAX },
      },
    ]);
  }
  return comment;
}

/** "coordinator" for owners and coordinators of the issuer, "peer" for its members. */
export function endorserRole(role: IssuerRole | undefined): EndorserRole | undefined {
  if (role === 'owner' || role === 'coordinator') return 'coordinator';
  if (role === 'member') return 'peer';
  return undefined;
}

function isRecipient(actor: Endorser, award: Pick<AwardDoc, 'recipient' | 'recipientUserId'>) {
  return (
    award.recipientUserId === actor.id ||
    (actor.email !== undefined && normaliseEmail(actor.email) === award.recipient.email)
  );
}

export function endorsementsUseCases(deps: EndorsementsDeps) {
  const { clock, logger, audit, urls, keys, repo, awards, badgeClasses, issuers, users } = deps;

  function roleIn(actor: Endorser, issuerId: string): EndorserRole {
    authorize(actor, 'endorsement.create', { issuerId });
    // Recommendations come from people of the cooperative, not from platform administrators.
    const role = endorserRole(
      Object.hasOwn(actor.roles, issuerId) ? actor.roles[issuerId] : undefined,
    );
    if (!role) throw new ForbiddenError({ messageKey: 'endorsements.refused.notMember' });
    return role;
  }

  /**
   * Signs and stores one recommendation in the next free slot of its target. A second
   * recommendation of the same target by the same person returns the first (`created: false`).
   */
  async function create(input: {
    actor: Endorser;
    ip: string;
    issuer: IssuerDoc;
    badgeClass: BadgeClassDoc;
    target: { kind: EndorsementTargetKind; id: string };
    requestId?: string;
    comment: string;
    role: EndorserRole;
  }): Promise<{ endorsement: EndorsementDoc; created: boolean }> {
    const { actor, issuer, badgeClass, target, comment, role } = input;
    const at = clock();
    const issuedOn = toSecond(at);
    const name =
      input.actor.name ?? (await users.findById(actor.id))?.name ?? actor.email ?? actor.id;
    const profile = await repo.ensureProfile({
      issuerId: issuer._id,
      userId: actor.id,
      newId: () => randomBytes(9).toString('base64url'),
      at,
    });
    await keys.ensureIssuerKeys(issuer._id);
    const jws = await keys.jwsSigner(issuer._id);
    const personDid = urls.personDid(issuer._id, profile._id);
    const di = await keys.dataIntegritySigner(issuer._id, (k) => `${personDid}#${k._id}`);
    const uniqueKey = `${target.kind}:${target.id}:${actor.id}`;
    const prefix = targetKey(target);

    for (let attempt = 0; attempt <= MAX_ENDORSEMENTS_PER_TARGET; attempt++) {
      const existing = await repo.listForTarget(target);
      const mine = existing.find((e) => e.endorserUserId === actor.id);
      if (mine) return { endorsement: mine, created: false };
      if (existing.length >= MAX_ENDORSEMENTS_PER_TARGET) {
        throw new ValidationError([
          {
            field: 'comment',
            messageKey: 'endorsements.refused.full',
            params: { max: MAX_ENDORSEMENTS_PER_TARGET },
          },
        ]);
      }
      const id = `${prefix}.${existing.length}`;
      const fields = {
        _id: id,
        issuerId: issuer._id,
        target,
        endorserProfileId: profile._id,
        comment,
        issuedOn,
      };
      const signedOb2 = await jws.sign(
        JSON.stringify(ob2Endorsement(fields, urls, { keyId: jws.keyId })),
      );
      const credential = buildEndorsementCredential({
        id: urls.endorsementCredential(id),
        issuer: { id: personDid, name, url: urls.person(issuer._id, profile._id) },
        endorsedId: endorsedIds(target, urls).subject,
        name: `Recommandation : ${badgeClass.name}`,
        comment,
        validFrom: issuedOn,
      });
      // The organisation that signs on the person's behalf.
      (credential.issuer as Ob3Profile).parentOrg = {
        id: urls.issuerDid(issuer._id),
        type: ['Profile'],
        name: issuer.name,
        url: urls.issuerPage(issuer._id),
      };
      const signed = await signCredentialDataIntegrity(
        credential,
        { verificationMethod: di.id, signer: di },
        { created: issuedOn, documentLoader: deps.documentLoader },
      );
      const endorsement: EndorsementDoc = {
        ...fields,
        ...(input.requestId ? { requestId: input.requestId } : {}),
        badgeClassId: badgeClass._id,
        endorserUserId: actor.id,
        endorserName: name,
        endorserRole: role,
        uniqueKey,
        ob2: { jws: signedOb2, keyId: jws.keyId },
        ob3: { credential: JSON.stringify(signed) },
        createdAt: at,
      };
      if ((await repo.insert(endorsement)) === 'inserted') {
        await audit.record({
          action: 'endorsement.created',
          actor,
          target: {
            type: input.requestId ? 'request' : target.kind,
            id: input.requestId ?? target.id,
          },
          issuerId: issuer._id,
          ip: input.ip,
          details: { badge: badgeClass.name, role, endorsement: id },
        });
        return { endorsement, created: true };
      }
      // Slot taken meanwhile (or this person's double click): read the slots again.
    }
    throw new Error('no free recommendation slot after retries');
  }

  async function notify(input: {
    to: { email: string; userId?: string | undefined; lang: Language };
    endorsement: EndorsementDoc;
    badgeName: string;
    url: string;
    pending: boolean;
  }): Promise<void> {
    const user = input.to.userId ? await users.findById(input.to.userId) : null;
    const lang: Language = user && isLanguage(user.language) ? user.language : input.to.lang;
    await sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: input.to.email,
        lang,
        // Before issuance there is no badge yet: the email speaks of the request.
        template: input.pending ? 'request-endorsed' : 'endorsement-received',
        data: {
          siteUrl: urls.base,
          name: user?.name,
          endorserName: input.endorsement.endorserName,
          badgeName: input.badgeName,
          comment: input.endorsement.comment,
          pending: input.pending,
          url: input.url,
        },
      },
    );
  }

  /** Whether `actor` may recommend this issued award, and if not why (for the page). */
  function awardRefusal(
    actor: Endorser | null | undefined,
    award: AwardDoc,
    existing: readonly EndorsementDoc[],
  ): RefusalReason | undefined {
    if (!actor) return 'signIn';
    const role = Object.hasOwn(actor.roles, award.issuerId)
      ? actor.roles[award.issuerId]
      : undefined;
    if (!endorserRole(role)) return 'notMember';
    if (isRecipient(actor, award)) return 'own';
    if (award.revoked) return 'revoked';
    if (existing.some((e) => e.endorserUserId === actor.id)) return 'already';
    if (existing.length >= MAX_ENDORSEMENTS_PER_TARGET) return 'full';
    return undefined;
  }

  return {
    roleIn,
    awardRefusal,
    listForTarget: (target: { kind: EndorsementTargetKind; id: string }) =>
      repo.listForTarget(target),
    /** The recommendations an award or badge page shows (kept in memory, see `shown`). */
    listShown: (target: { kind: EndorsementTargetKind; id: string }) =>
      deps.shown ? deps.shown(target) : repo.listForTarget(target),
    findById: (id: string) => repo.findById(id),
    recentOfIssuer: (issuerId: string, limit?: number) => repo.recentOfIssuer(issuerId, limit),

    /** A coordinator or a peer recommends an issued award (not their own, not revoked). */
    /**
     * The author's account is deleted: each recommendation they wrote is signed again with
     * the pseudonym as its author's name (same id, same date, same comment), so that it still
     * counts for the person recommended while naming no one.
     */
    async resignAsPseudonym(userId: string, pseudonym: string): Promise<number> {
      const written = await repo.listByEndorser(userId);
      for (const e of written) {
        const { proof: _proof, ...credential } = JSON.parse(e.ob3.credential) as Record<
          string,
          unknown
        > & { issuer: Ob3Profile; validFrom: string };
        credential.issuer = { ...credential.issuer, name: pseudonym };
        const personDid = urls.personDid(e.issuerId, e.endorserProfileId);
        await keys.ensureIssuerKeys(e.issuerId);
        const di = await keys.dataIntegritySigner(e.issuerId, (k) => `${personDid}#${k._id}`);
        const signed = await signCredentialDataIntegrity(
          credential as unknown as Parameters<typeof signCredentialDataIntegrity>[0],
          { verificationMethod: di.id, signer: di },
          { created: e.issuedOn, documentLoader: deps.documentLoader },
        );
        await repo.setEndorserName(e._id, pseudonym, JSON.stringify(signed));
      }
      await repo.eraseProfiles(userId, pseudonym);
      return written.length;
    },

    async endorseAward(input: {
      actor: Endorser;
      ip: string;
      awardId: string;
      comment: unknown;
    }): Promise<{ endorsement: EndorsementDoc; created: boolean }> {
      const award = await awards.findById(input.awardId);
      if (!award) throw new NotFoundError();
      const role = roleIn(input.actor, award.issuerId);
      const refusal = awardRefusal(input.actor, award, []);
      if (refusal === 'own' || refusal === 'revoked') {
        throw new ValidationError([
          { field: 'comment', messageKey: `endorsements.refused.${refusal}` },
        ]);
      }
      const comment = readComment(input.comment);
      const [issuer, badgeClass] = await Promise.all([
        issuers.findById(award.issuerId),
        badgeClasses.findById(award.badgeClassId),
      ]);
      if (!issuer || !badgeClass) throw new NotFoundError();
      const result = await create({
        actor: input.actor,
        ip: input.ip,
        issuer,
        badgeClass,
        target: { kind: 'award', id: award._id },
        comment,
        role,
      });
      if (result.created) {
        await notify({
          to: { email: award.recipient.email, userId: award.recipientUserId, lang: award.lang },
          endorsement: result.endorsement,
          badgeName: badgeClass.name,
          url: urls.endorsement(result.endorsement._id),
          pending: false,
        });
      }
      return result;
    },

    /**
     * A recommendation gathered by a badge request before issuance: it names the award id the
     * request reserved. The requests use case checks the request (open, not the requester's).
     */
    async endorseReservedAward(input: {
      actor: Endorser;
      ip: string;
      issuerId: string;
      badgeClassId: string;
      awardId: string;
      requestId: string;
      comment: unknown;
      requester: { email: string; userId: string; lang: Language };
      requestUrl: string;
    }): Promise<{ endorsement: EndorsementDoc; created: boolean }> {
      const role = roleIn(input.actor, input.issuerId);
      const comment = readComment(input.comment);
      const [issuer, badgeClass] = await Promise.all([
        issuers.findById(input.issuerId),
        badgeClasses.findById(input.badgeClassId),
      ]);
      if (!issuer || !badgeClass) throw new NotFoundError();
      const result = await create({
        actor: input.actor,
        ip: input.ip,
        issuer,
        badgeClass,
        target: { kind: 'award', id: input.awardId },
        requestId: input.requestId,
        comment,
        role,
      });
      if (result.created) {
        await notify({
          to: input.requester,
          endorsement: result.endorsement,
          badgeName: badgeClass.name,
          url: input.requestUrl,
          pending: true,
        });
      }
      return result;
    },

    /** A coordinator or a peer recommends a badge of the catalogue (the skill it stands for). */
    async endorseBadgeClass(input: {
      actor: Endorser;
      ip: string;
      badgeClassId: string;
      comment: unknown;
    }): Promise<{ endorsement: EndorsementDoc; created: boolean }> {
      const badgeClass = await badgeClasses.findById(input.badgeClassId);
      if (!badgeClass) throw new NotFoundError();
      const role = roleIn(input.actor, badgeClass.issuerId);
      const comment = readComment(input.comment);
      const issuer = await issuers.findById(badgeClass.issuerId);
      if (!issuer) throw new NotFoundError();
      return create({
        actor: input.actor,
        ip: input.ip,
        issuer,
        badgeClass,
        target: { kind: 'badgeClass', id: badgeClass._id },
        comment,
        role,
      });
    },
  };
}
export type EndorsementsUseCases = ReturnType<typeof endorsementsUseCases>;

/** Reads the recommendation pages need around a target: its award, badge, issuer, membership. */
export function endorsementPageReads(deps: {
  awards: AwardsRepository;
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
}) {
  return {
    award: (id: string) => deps.awards.findById(id),
    badgeClass: (id: string) => deps.badgeClasses.findById(id),
    issuer: (id: string) => deps.issuers.findById(id),
    membership: (issuerId: string, userId: string) => deps.issuers.findMembership(issuerId, userId),
  };
}
export type EndorsementPageReads = ReturnType<typeof endorsementPageReads>;
