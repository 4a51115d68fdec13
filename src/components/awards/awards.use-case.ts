import { formatDate } from '../../libraries/i18n/format-date.js';
import { randomBytes } from 'node:crypto';
import {
  credentialJwtClaims,
  hashIdentity,
  newSalt,
  normaliseEmail,
  signCredentialDataIntegrity,
  type DocumentLoader,
} from '../../core/index.js';
import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { isEmailAddress } from '../accounts/email-address.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import { isHttpUrl } from '../achievements/achievements.use-case.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { JwsSigner, KeyService } from '../keys/keys.use-case.js';
import { ob2Assertion, ob3Credential } from './award-documents.js';
import { signingKeyIdsOf } from './signing-keys.js';
import type { AwardDoc, AwardEvidence } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { PublicUrls } from './public-urls.js';
import type { StatusListAllocator } from './status-list-allocator.js';
import { str } from '../../libraries/http/params.js';

export const AWARD_LIMITS = { evidence: 10, url: 2000, narrative: 5000, reason: 500 } as const;
const DAY_MS = 24 * 3600_000;

export type Actor = Principal & { email?: string | undefined };

/** What a coordinator asks for: one badge, one person (one CSV row later). */
export interface IssueRequest {
  recipientEmail: unknown;
  /** Evidence URLs (one per line in the form) or evidence objects. */
  evidence?: unknown;
  narrative?: unknown;
  /** A form submission id or a CSV row id: the same key never issues twice. */
  idempotencyKey?: string | undefined;
  /** Language of the email when the person has no account (theirs wins otherwise). */
  lang?: unknown;
  /**
   * The award's id when it was reserved beforehand (a badge request reserves one, so that
   * recommendations gathered before issuance can name the award). Default: a new random id.
   */
  awardId?: string | undefined;
  /**
   * Signed recommendations gathered before issuance (a quorum): embedded in the OB 3.0
   * credential, listed by the OB 2.0 assertion (`ids` are the endorsement ids).
   */
  endorsements?: { id: string; credential: Record<string, unknown> }[] | undefined;
}

export interface IssueOutcome {
  award: AwardDoc;
  /** false: this idempotency key had already issued `award` (nothing was done). */
  created: boolean;
  /** Whether the email to the recipient left (undefined when nothing was sent). */
  mailSent?: boolean;
}

/**
 * Everything issuing needs that does not change from one recipient to the next: read,
 * decrypted and imported once per form submission, or once per CSV file.
 */
export interface IssuingContext {
  actor: Actor;
  ip: string;
  issuer: IssuerDoc;
  badgeClass: BadgeClassDoc;
  jws: JwsSigner;
  di: {
    verificationMethod: string;
    signer: Awaited<ReturnType<KeyService['dataIntegritySigner']>>;
  };
}

/** Whole seconds: OB dates carry none, and the rebuilt hosted assertion must match the signed one. */
function toSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** URL-safe, 96 random bits: unguessable, short enough for a link in an email. */
export function newAwardId(): string {
  return randomBytes(12).toString('base64url');
}

function readEvidence(value: unknown, errors: FieldError[]): AwardEvidence[] {
  const items: AwardEvidence[] = [];
  const raw = Array.isArray(value)
    ? value
    : str(value)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
  for (const item of raw) {
    const e: AwardEvidence =
      typeof item === 'string' ? { url: item.trim() } : (item as AwardEvidence);
    if (e.url !== undefined && (!isHttpUrl(e.url) || e.url.length > AWARD_LIMITS.url)) {
      errors.push({
        field: 'evidence',
        messageKey: 'awards.errors.evidenceUrl',
        params: { url: e.url.slice(0, 80) },
      });
      return [];
    }
    if (!e.url && !e.narrative) continue;
    items.push({
      ...(e.url ? { url: e.url } : {}),
      ...(e.narrative ? { narrative: e.narrative.slice(0, AWARD_LIMITS.narrative) } : {}),
      ...(e.name ? { name: e.name.slice(0, 200) } : {}),
    });
  }
  if (items.length > AWARD_LIMITS.evidence) {
    errors.push({
      field: 'evidence',
      messageKey: 'awards.errors.tooMuchEvidence',
      params: { max: AWARD_LIMITS.evidence },
    });
  }
  return items;
}

export interface AwardsDeps {
  clock: () => Date;
  logger: Logger;
  mailer: Mailer;
  audit: Audit;
  urls: PublicUrls;
  keys: KeyService;
  awards: AwardsRepository;
  issuers: IssuerRepository;
  badgeClasses: BadgeClassRepository;
  users: UserRepository;
  allocate: StatusListAllocator;
  /** One document loader for the process (contexts parsed once). */
  documentLoader: DocumentLoader;
  /** Told when badges may verify differently (revocation, key rotation): see change-epoch.ts. */
  changes?: { bump(): void };
}

export function awardsUseCases(deps: AwardsDeps) {
  const { clock, logger, audit, urls, keys, awards, issuers, badgeClasses, users } = deps;

  async function getIssuer(issuerId: string): Promise<IssuerDoc> {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) throw new NotFoundError();
    return issuer;
  }

  /** OB 2.0 signed form: the assertion naming `signer`'s key as creator, signed by it. */
  async function signOb2(award: AwardDoc, signer: JwsSigner): Promise<AwardDoc['ob2']> {
    const payload = ob2Assertion(award, urls, { keyId: signer.keyId });
    return { jws: await signer.sign(JSON.stringify(payload)), keyId: signer.keyId };
  }

  async function createIssuingContext(input: {
    actor: Actor;
    ip: string;
    issuerId: string;
    badgeClassId: string;
  }): Promise<IssuingContext> {
    authorize(input.actor, 'award.issue', { issuerId: input.issuerId });
    const issuer = await getIssuer(input.issuerId);
    const badgeClass = await badgeClasses.findById(input.badgeClassId);
    if (!badgeClass || badgeClass.issuerId !== issuer._id || badgeClass.status !== 'active') {
      throw new ValidationError([
        { field: 'badgeClassId', messageKey: 'awards.errors.badgeClass' },
      ]);
    }
    return contextFor(input.actor, input.ip, issuer, badgeClass);
  }

  /** Signers bound to the issuer's active keys, for one badge class (any status). */
  async function contextFor(
    actor: Actor,
    ip: string,
    issuer: IssuerDoc,
    badgeClass: BadgeClassDoc,
  ): Promise<IssuingContext> {
    await keys.ensureIssuerKeys(issuer._id);
    const jws = await keys.jwsSigner(issuer._id);
    const did = urls.issuerDid(issuer._id);
    const signer = await keys.dataIntegritySigner(issuer._id, (k) => `${did}#${k._id}`);
    return { actor, ip, issuer, badgeClass, jws, di: { verificationMethod: signer.id, signer } };
  }

  /**
   * Checks what a coordinator asked for (one form, or one CSV row): a valid address, evidence
   * links, a narrative of bounded length, evidence when the badge requires it. Throws a
   * ValidationError naming the fields (`recipientEmail`, `evidence`, `narrative`).
   */
  function checkIssueRequest(
    badgeClass: Pick<BadgeClassDoc, 'evidenceRequired'>,
    request: IssueRequest,
  ): { email: string; evidence: AwardEvidence[]; narrative: string } {
    const errors: FieldError[] = [];
    const email = normaliseEmail(str(request.recipientEmail));
    if (!isEmailAddress(email)) {
      errors.push({ field: 'recipientEmail', messageKey: 'awards.errors.email' });
    }
    const evidence = readEvidence(request.evidence, errors);
    const narrative = str(request.narrative).trim();
    if (narrative.length > AWARD_LIMITS.narrative) {
      errors.push({
        field: 'narrative',
        messageKey: 'awards.errors.tooLong',
        params: { max: AWARD_LIMITS.narrative },
      });
    }
    if (badgeClass.evidenceRequired && evidence.length === 0 && !narrative) {
      errors.push({ field: 'evidence', messageKey: 'awards.errors.evidenceRequired' });
    }
    if (errors.length) throw new ValidationError(errors);
    return { email, evidence, narrative };
  }

  /**
   * Builds and signs one award (hosted and signed OB 2.0, OB 3.0 with a Data Integrity proof
   * and as a VC-JWT) for a checked request, an id and a status list slot. Writes nothing.
   */
  async function signAward(
    ctx: IssuingContext,
    input: {
      id: string;
      slot: { listNo: number; index: number };
      email: string;
      evidence: AwardEvidence[];
      narrative: string;
      recipientUser: { _id: string; language?: string } | null;
      lang: unknown;
      idempotencyKey?: string | undefined;
      /** Recommendations gathered before issuance (a quorum), embedded and listed. */
      endorsements?: IssueRequest['endorsements'];
      /** Issuing again an award whose key was compromised: its dates are kept. */
      reissue?: { of: string; issuedOn: Date; expires?: Date | undefined };
    },
  ): Promise<AwardDoc> {
    const { issuer, badgeClass } = ctx;
    const { id, email, evidence, narrative, recipientUser, slot } = input;
    const endorsements = (input.endorsements ?? []).slice(0, 10);
    const salt = newSalt();
    const signedAt = toSecond(clock());
    const issuedOn = input.reissue ? toSecond(input.reissue.issuedOn) : signedAt;
    const expires = input.reissue
      ? input.reissue.expires
      : badgeClass.validityDays
        ? new Date(issuedOn.getTime() + badgeClass.validityDays * DAY_MS)
        : undefined;
    const lang: Language =
      recipientUser && isLanguage(recipientUser.language)
        ? recipientUser.language
        : isLanguage(input.lang)
          ? input.lang
          : 'fr';
    const base = {
      _id: id,
      issuerId: issuer._id,
      badgeClassId: badgeClass._id,
      recipient: { email, salt, identityHash: hashIdentity(email, salt) },
      evidence,
      ...(narrative ? { narrative } : {}),
      issuedOn,
      ...(expires ? { expires } : {}),
      ...(input.reissue ? { reissuedAt: signedAt, reissueOf: input.reissue.of } : {}),
      ...(endorsements.length ? { endorsementIds: endorsements.map((e) => e.id) } : {}),
    };
    const payload = ob2Assertion(base, urls, { keyId: ctx.jws.keyId });
    const jws = await ctx.jws.sign(JSON.stringify(payload));
    const credential = ob3Credential(
      base,
      issuer,
      badgeClass,
      slot,
      urls,
      endorsements.map((e) => e.credential),
    );
    const signed = await signCredentialDataIntegrity(credential, ctx.di, {
      created: signedAt,
      documentLoader: deps.documentLoader,
    });
    const jwt = await ctx.jws.sign(
      JSON.stringify({ ...credential, ...credentialJwtClaims(credential) }),
      { kid: urls.jwk(issuer._id, ctx.jws.keyId), typ: 'JWT' },
    );
    return {
      ...base,
      ...(recipientUser ? { recipientUserId: recipientUser._id } : {}),
      revoked: false,
      ob2: { jws, keyId: ctx.jws.keyId },
      signingKeyIds: [...new Set([ctx.jws.keyId, ctx.di.signer.keyId])],
      ob3: {
        credential: JSON.stringify(signed),
        jwt,
        statusListNo: slot.listNo,
        statusListIndex: slot.index,
      },
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      lang,
      createdBy: ctx.actor.id,
      createdAt: clock(),
    };
  }

  /** The recipient's email: the badge's link, in their language. false when it did not leave. */
  function sendAwardEmail(
    ctx: IssuingContext,
    award: AwardDoc,
    recipientName: string | undefined,
  ): Promise<boolean> {
    const lang = award.lang === 'en' ? 'en' : 'fr';
    return sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: award.recipient.email,
        lang,
        template: 'award-issued',
        data: {
          siteUrl: urls.base,
          name: recipientName,
          issuerName: ctx.issuer.name,
          badgeName: ctx.badgeClass.name,
          url: urls.assertion(award._id),
          expires: award.expires ? formatDate(award.expires, lang) : undefined,
        },
      },
    );
  }

  /**
   * Issues one badge to one person in a prepared context: the signed award, one status list
   * slot, an audit record and an email. With an idempotency key already used, returns the
   * earlier award unchanged.
   */
  async function issueWithContext(
    ctx: IssuingContext,
    request: IssueRequest,
  ): Promise<IssueOutcome> {
    const { email, evidence, narrative } = checkIssueRequest(ctx.badgeClass, request);
    const idempotencyKey = request.idempotencyKey
      ? `${ctx.issuer._id}:${request.idempotencyKey}`
      : undefined;
    const { issuer, badgeClass } = ctx;
    const id =
      request.awardId && /^[A-Za-z0-9_-]{16}$/.test(request.awardId)
        ? request.awardId
        : newAwardId();
    const recipientUser = await users.findByEmail(email);
    const slot = await deps.allocate(issuer._id, id);
    const award = await signAward(ctx, {
      id,
      slot,
      email,
      evidence,
      narrative,
      recipientUser,
      lang: request.lang,
      idempotencyKey,
      endorsements: request.endorsements,
    });
    if ((await awards.insert(award)) === 'duplicate') {
      const earlier = idempotencyKey ? await awards.findByIdempotencyKey(idempotencyKey) : null;
      if (earlier) return { award: earlier, created: false };
      throw new Error('award id collision'); // 96 random bits: never in practice
    }
    await audit.record({
      action: 'award.issued',
      actor: ctx.actor,
      target: { type: 'award', id },
      issuerId: issuer._id,
      ip: ctx.ip,
      details: { badge: badgeClass.name, email },
    });
    const mailSent = await sendAwardEmail(ctx, award, recipientUser?.name);
    return { award, created: true, mailSent };
  }

  /** Tells the recipient, kindly, that their badge was revoked and why (in their language). */
  async function notifyRevoked(award: AwardDoc, reason: string, at: Date): Promise<boolean> {
    const [issuer, badgeClass, user] = await Promise.all([
      issuers.findById(award.issuerId),
      badgeClasses.findById(award.badgeClassId),
      award.recipientUserId ? users.findById(award.recipientUserId) : null,
    ]);
    const lang: Language = user && isLanguage(user.language) ? user.language : award.lang;
    return sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: award.recipient.email,
        lang,
        template: 'award-revoked',
        data: {
          siteUrl: urls.base,
          name: user?.name,
          issuerName: issuer?.name ?? award.issuerId,
          issuerEmail: issuer?.email,
          badgeName: badgeClass?.name ?? award.badgeClassId,
          reason,
          date: formatDate(at, lang),
          url: urls.assertion(award._id),
        },
      },
    );
  }

  /**
   * The insert-only revocation record flips the OB 2.0 revocation list, the OB 3.0 status list
   * and the hosted assertion (410) at once. Revoking twice changes nothing.
   */
  async function revoke(
    award: AwardDoc,
    reason: string,
    actor: Actor,
    ip: string,
    options: { notify: boolean },
  ): Promise<{ revoked: boolean; award: AwardDoc; mailSent?: boolean }> {
    const at = clock();
    const inserted = await awards.insertRevocation({
      _id: award._id,
      issuerId: award.issuerId,
      statusListNo: award.ob3.statusListNo,
      statusListIndex: award.ob3.statusListIndex,
      reason,
      revokedAt: at,
      revokedBy: actor.id,
    });
    if (!inserted) {
      // Already revoked: make sure the award says so too (a crash may have come between).
      const existing = await awards.findRevocation(award._id);
      if (existing && !award.revoked) {
        await awards.markRevoked(award._id, existing.revokedAt, existing.reason);
      }
      return { revoked: false, award: (await awards.findById(award._id)) ?? award };
    }
    deps.changes?.bump();
    await awards.markRevoked(award._id, at, reason);
    await audit.record({
      action: 'award.revoked',
      actor,
      target: { type: 'award', id: award._id },
      issuerId: award.issuerId,
      ip,
      details: { reason },
    });
    const revoked = { ...award, revoked: true, revokedAt: at, revocationReason: reason };
    if (!options.notify) return { revoked: true, award: revoked };
    const mailSent = await notifyRevoked(award, reason, at);
    return { revoked: true, award: revoked, mailSent };
  }

  /** The recipient's email: the same badge, issued again, at a new address. */
  async function sendReissuedEmail(
    ctx: IssuingContext,
    award: AwardDoc,
    old: AwardDoc,
    recipient: { name?: string; language?: string } | null,
  ): Promise<boolean> {
    const lang: Language =
      recipient && isLanguage(recipient.language) ? recipient.language : award.lang;
    return sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: award.recipient.email,
        lang,
        template: 'award-reissued',
        data: {
          siteUrl: urls.base,
          name: recipient?.name,
          issuerName: ctx.issuer.name,
          issuerEmail: ctx.issuer.email,
          badgeName: ctx.badgeClass.name,
          url: urls.assertion(award._id),
          oldUrl: urls.assertion(old._id),
          date: formatDate(award.issuedOn, lang),
        },
      },
    );
  }

  /**
   * Issues `old` again with the issuer's active keys (same person, badge version, evidence,
   * story, recommendations, award date and end of validity), emails the person, then revokes
   * `old` with `reason`. An insert-only claim per old award (unique `_id`) makes a second run,
   * a concurrent one or one resumed after a crash issue nothing twice.
   */
  async function reissue(
    ctx: IssuingContext,
    old: AwardDoc,
    reason: string,
  ): Promise<{ award: AwardDoc; created: boolean; mailSent?: boolean }> {
    // The claim (insert-only, `_id` = old id) fixes the new award's id before anything is signed.
    const id = await awards.claimReissue({
      oldId: old._id,
      issuerId: old.issuerId,
      newAwardId: newAwardId(),
      at: clock(),
    });
    let award = await awards.findById(id);
    let created = false;
    let mailSent: boolean | undefined;
    if (!award) {
      const embedded = (() => {
        try {
          const c = JSON.parse(old.ob3.credential) as { endorsement?: unknown };
          return Array.isArray(c.endorsement) ? (c.endorsement as Record<string, unknown>[]) : [];
        } catch {
          return [];
        }
      })();
      // Recommendations embedded at issuance: ids and credentials, in the same order.
      const endorsements = (old.endorsementIds ?? [])
        .map((eid, i) => ({ id: eid, credential: embedded[i] }))
        .filter((e): e is { id: string; credential: Record<string, unknown> } => !!e.credential);
      const recipientUser = await users.findByEmail(old.recipient.email);
      const slot = await deps.allocate(old.issuerId, id);
      const signed = await signAward(ctx, {
        id,
        slot,
        email: old.recipient.email,
        evidence: old.evidence,
        narrative: old.narrative ?? '',
        recipientUser,
        lang: old.lang,
        idempotencyKey: `${old.issuerId}:reissue:${old._id}`,
        endorsements,
        reissue: { of: old._id, issuedOn: old.issuedOn, expires: old.expires },
      });
      // A concurrent run holding the same claim may have inserted it first: one email only.
      if ((await awards.insert(signed)) === 'inserted') {
        award = signed;
        created = true;
        await audit.record({
          action: 'award.reissued',
          actor: ctx.actor,
          target: { type: 'award', id },
          issuerId: old.issuerId,
          ip: ctx.ip,
          details: { badge: ctx.badgeClass.name, email: old.recipient.email, replaces: old._id },
        });
        mailSent = await sendReissuedEmail(ctx, signed, old, recipientUser);
      } else {
        award = await awards.findById(id);
        if (!award) throw new Error(`award ${id} of a re-issue claim could not be inserted`);
      }
    }
    // The person has the new badge (and its email): the old one says why it ended.
    await revoke(old, reason, ctx.actor, ctx.ip, { notify: false });
    return { award, created, ...(mailSent === undefined ? {} : { mailSent }) };
  }

  /**
   * Signs the award's OB 3.0 credential again (Data Integrity and VC-JWT, the issuer's active
   * keys) with or without an unhashed `name` IdentityObject beside the hashed email, as the
   * recipient chose when accepting it. Everything else is kept as issued, the status list
   * entry included (a revocation still flips the same bit). The OB 2.0 forms do not change:
   * pages read the name from the award.
   */
  async function signHolderName(awardId: string, displayName: string | undefined): Promise<void> {
    const award = await awards.findById(awardId);
    if (!award) throw new NotFoundError();
    const { proof: _proof, ...unsigned } = JSON.parse(award.ob3.credential) as Record<
      string,
      unknown
    > & { credentialSubject: { identifier?: Record<string, unknown>[] } };
    const kept = (unsigned.credentialSubject.identifier ?? []).filter(
      (i) => i.identityType !== 'name',
    );
    unsigned.credentialSubject.identifier = displayName
      ? [
          ...kept,
          {
            type: 'IdentityObject',
            identityType: 'name',
            hashed: false,
            identityHash: displayName,
          },
        ]
      : kept;
    const credential = unsigned as unknown as Parameters<typeof credentialJwtClaims>[0];
    await keys.ensureIssuerKeys(award.issuerId);
    const jws = await keys.jwsSigner(award.issuerId);
    const did = urls.issuerDid(award.issuerId);
    const signer = await keys.dataIntegritySigner(award.issuerId, (k) => `${did}#${k._id}`);
    const signed = await signCredentialDataIntegrity(
      credential,
      { verificationMethod: signer.id, signer },
      { created: toSecond(clock()), documentLoader: deps.documentLoader },
    );
    const jwt = await jws.sign(
      JSON.stringify({ ...credential, ...credentialJwtClaims(credential) }),
      { kid: urls.jwk(award.issuerId, jws.keyId), typ: 'JWT' },
    );
    // Exactly the keys the stored documents now carry (the OB 2.0 JWS is unchanged).
    const keyIds = new Set([award.ob2.keyId, jws.keyId, signer.keyId]);
    await awards.setOb3(award._id, { ...award.ob3, credential: JSON.stringify(signed), jwt }, [
      ...keyIds,
    ]);
    // Cached verification results of this credential must be computed again.
    deps.changes?.bump();
  }

  return {
    createIssuingContext,
    signHolderName,
    contextFor,
    reissue,
    issueWithContext,
    checkIssueRequest,
    signAward,
    sendAwardEmail,

    /** One badge to one email, from the coordinator form. */
    async issueAward(
      input: IssueRequest & { actor: Actor; ip: string; issuerId: string; badgeClassId: string },
    ): Promise<IssueOutcome> {
      const ctx = await createIssuingContext(input);
      return issueWithContext(ctx, input);
    },

    async getAward(id: string): Promise<AwardDoc> {
      const award = await awards.findById(id);
      if (!award) throw new NotFoundError();
      return award;
    },

    recentForIssuer: (issuerId: string, limit = 20) => awards.listByIssuer(issuerId, limit),

    /**
     * Revokes an award with a reason: the insert-only revocation record flips the OB 2.0
     * revocation list, the OB 3.0 status list and the hosted assertion (410) at once.
     * Revoking an award twice changes nothing.
     */
    async revokeAward(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      awardId: string;
      reason: unknown;
    }): Promise<{ revoked: boolean; award: AwardDoc; mailSent?: boolean }> {
      authorize(input.actor, 'award.revoke', { issuerId: input.issuerId });
      const award = await awards.findById(input.awardId);
      if (!award || award.issuerId !== input.issuerId) throw new NotFoundError();
      const reason = str(input.reason).trim().replace(/\s+/g, ' ');
      if (!reason) {
        throw new ValidationError([
          { field: 'reason', messageKey: 'awards.errors.reasonRequired' },
        ]);
      }
      if (reason.length > AWARD_LIMITS.reason) {
        throw new ValidationError([
          {
            field: 'reason',
            messageKey: 'awards.errors.tooLong',
            params: { max: AWARD_LIMITS.reason },
          },
        ]);
      }
      return revoke(award, reason, input.actor, input.ip, { notify: true });
    },

    /**
     * New RSA and Ed25519 keys sign from now on; old keys stay published. Every stored OB 2.0
     * JWS of the issuer is signed again with the new RSA key (the issuer profile lists only
     * that key, and the reference validator checks signed badges against it); OB 3.0 proofs
     * stay as they are (the did.json lists every key).
     */
    async rotateIssuerKeys(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
    }): Promise<{ created: string[]; retired: string[]; resigned: number }> {
      authorize(input.actor, 'issuer.rotateKeys', { issuerId: input.issuerId });
      const issuer = await getIssuer(input.issuerId);
      await keys.ensureIssuerKeys(issuer._id);
      const rotation = await keys.rotateIssuerKeys(issuer._id);
      deps.changes?.bump();
      const signer = await keys.jwsSigner(issuer._id);
      let resigned = 0;
      // Twice: a badge issued by another process with the old key during the first pass is
      // caught by the second.
      for (let pass = 0; pass < 2; pass++) {
        for await (const award of awards.signedWithOtherKey(issuer._id, signer.keyId)) {
          const keyIds = signingKeyIdsOf(award, urls).add(signer.keyId);
          await awards.setOb2(award._id, await signOb2(award, signer), [...keyIds]);
          resigned++;
        }
      }
      const created = rotation.created.map((k) => k._id);
      await audit.record({
        action: 'key.rotated',
        actor: input.actor,
        target: { type: 'issuer', id: issuer._id },
        issuerId: issuer._id,
        ip: input.ip,
        details: {
          created: created.join(', '),
          retired: rotation.retired.join(', '),
          resigned,
        },
      });
      return { created, retired: rotation.retired, resigned };
    },

    /**
     * The recipient deletes their account (src/components/my-data): their award is revoked
     * like any other (revocation record, status lists, audit), without an email to an address
     * that is about to be erased. The caller has checked the award is the actor's.
     */
    async revokeForDeletedAccount(input: {
      actor: Actor;
      ip: string;
      awardId: string;
      reason: string;
    }): Promise<{ revoked: boolean }> {
      const award = await awards.findById(input.awardId);
      if (!award) throw new NotFoundError();
      // The holder's name leaves the signed credential too (signed again without it).
      if (award.holder?.displayName) await signHolderName(award._id, undefined);
      const { revoked } = await revoke(award, input.reason, input.actor, input.ip, {
        notify: false,
      });
      return { revoked };
    },
  };
}
export type AwardsUseCases = ReturnType<typeof awardsUseCases>;
