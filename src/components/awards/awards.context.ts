import { formatDate } from '../../libraries/i18n/format-date.js';
import { randomBytes } from 'node:crypto';
import { hashIdentity, newSalt, normaliseEmail, type DocumentLoader } from '../../core/index.js';
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
import type { AwardFormsSigner, KeyService } from '../keys/keys.use-case.js';
import { ob2Assertion, ob3Credential } from './award-documents.js';
import type { AwardDoc, AwardEvidence } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import type { PublicUrls } from './public-urls.js';
import type { StatusListAllocator } from './status-list-allocator.js';
import { str } from '../../libraries/http/params.js';

export const AWARD_LIMITS = { evidence: 10, url: 2000, narrative: 5000, reason: 500 } as const;
export const DAY_MS = 24 * 3600_000;

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
  /** Signs an award's three forms with the same keys (on a signing thread when there are some). */
  forms: AwardFormsSigner;
}

/** Whole seconds: OB dates carry none, and the rebuilt hosted assertion must match the signed one. */
export function toSecond(date: Date): Date {
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
  /** Emails leaving at once when a pipeline announces many awards (outbox or SMTP server). */
  mailConcurrency?: number;
  /** One document loader for the process (contexts parsed once). */
  documentLoader: DocumentLoader;
  /** Told when badges may verify differently (revocation, key rotation): see change-epoch.ts. */
  changes?: { bump(): void };
}

/**
 * Checks what a coordinator asked for (one form, or one CSV row): a valid address, evidence
 * links, a narrative of bounded length, evidence when the badge requires it. Throws a
 * ValidationError naming the fields (`recipientEmail`, `evidence`, `narrative`). The one
 * place of these rules: the pipeline's check step, and the CSV preview before it.
 */
export function checkIssueRequest(
  badgeClass: Pick<BadgeClassDoc, 'evidenceRequired'>,
  request: Pick<IssueRequest, 'recipientEmail' | 'evidence' | 'narrative'>,
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

/** What one award is made of before signing: checked fields, id, slot, account. */
export interface AwardDraft {
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
}

/** What the awards stories share: dependencies, issuing contexts, signing, emails, revocation. */
export function awardsContext(deps: AwardsDeps) {
  const { clock, logger, audit, urls, keys, awards, issuers, badgeClasses, users } = deps;

  async function getIssuer(issuerId: string): Promise<IssuerDoc> {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) throw new NotFoundError();
    return issuer;
  }

  async function createIssuingContext(input: {
    actor: Actor;
    ip: string;
    issuerId: string;
    badgeClassId: string;
  }): Promise<IssuingContext> {
    authorize(input.actor, 'award.issue', { issuerId: input.issuerId });
    // Both at once: under load each round trip to the database waits its turn.
    const [issuer, badgeClass] = await Promise.all([
      getIssuer(input.issuerId),
      badgeClasses.findById(input.badgeClassId),
    ]);
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
    const did = urls.issuerDid(issuer._id);
    const forms = await keys.awardFormsSigner(issuer._id, {
      verificationMethod: (k) => `${did}#${k._id}`,
      jwtKid: (k) => urls.jwk(issuer._id, k._id),
    });
    return {
      actor,
      ip,
      issuer,
      badgeClass,
      forms,
    };
  }

  /**
   * Builds and signs one award (hosted and signed OB 2.0, OB 3.0 with a Data Integrity proof
   * and as a VC-JWT) for a checked request, an id and a status list slot. Writes nothing.
   */
  async function signAward(ctx: IssuingContext, input: AwardDraft): Promise<AwardDoc> {
    const { issuer, badgeClass, forms } = ctx;
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
    const credential = ob3Credential(
      base,
      issuer,
      badgeClass,
      slot,
      urls,
      endorsements.map((e) => e.credential),
    );
    const signed = await forms.sign({
      ob2: JSON.stringify(ob2Assertion(base, urls, { keyId: forms.rsaKeyId })),
      credential,
      created: signedAt.toISOString(),
    });
    return {
      ...base,
      ...(recipientUser ? { recipientUserId: recipientUser._id } : {}),
      revoked: false,
      ob2: { jws: signed.jws, keyId: forms.rsaKeyId },
      signingKeyIds: [...new Set([forms.rsaKeyId, forms.edKeyId])],
      ob3: {
        credential: signed.credential,
        jwt: signed.jwt,
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
    let record = { at, reason };
    if (!inserted) {
      const existing = await awards.findRevocation(award._id);
      const current = (await awards.findById(award._id)) ?? award;
      // Revoked and marked before (read again: a double submit may have just marked it).
      if (!existing || current.revoked) return { revoked: false, award: current };
      // Recorded by an attempt cut off before it marked the award, wrote the journal and told
      // the person (the database or the process died in between): this one finishes it, with
      // the first attempt's date and reason.
      record = { at: existing.revokedAt, reason: existing.reason };
    }
    deps.changes?.bump();
    await awards.markRevoked(award._id, record.at, record.reason);
    await audit.record({
      action: 'award.revoked',
      actor,
      target: { type: 'award', id: award._id },
      issuerId: award.issuerId,
      ip,
      details: { reason: record.reason },
    });
    const revoked = {
      ...award,
      revoked: true,
      revokedAt: record.at,
      revocationReason: record.reason,
    };
    if (!options.notify) return { revoked: true, award: revoked };
    const mailSent = await notifyRevoked(award, record.reason, record.at);
    return { revoked: true, award: revoked, mailSent };
  }

  return {
    ...deps,
    getIssuer,
    createIssuingContext,
    contextFor,
    signAward,
    sendAwardEmail,
    revoke,
  };
}
export type AwardsContext = ReturnType<typeof awardsContext>;
