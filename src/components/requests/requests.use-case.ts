import { createHash, randomBytes } from 'node:crypto';
import {
  authorize,
  can,
  type IssuerRole,
  type Principal,
} from '../../libraries/authz/authorization.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { BadgeClassDoc, BadgeClassQuorum } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import { isHttpUrl } from '../achievements/achievements.use-case.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { AwardsUseCases, IssueOutcome } from '../awards/awards.use-case.js';
import { newAwardId } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { EndorsementDoc } from '../endorsements/endorsement.model.js';
import {
  endorserRole,
  type Endorser,
  type EndorsementsUseCases,
} from '../endorsements/endorsements.use-case.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import { REQUEST_FILE_MAX_BYTES, safeFileName, sniffRequestFile } from './request-file.js';
import type {
  BadgeRequestDoc,
  DecisionKind,
  RequestDecisionDoc,
  RequestFileDoc,
  RequestStatus,
} from './request.model.js';
import { searchText, type RequestsRepository } from './requests.repository.js';
import { str } from '../../libraries/http/params.js';

// Pages list requests by status.
export type { BadgeRequestDoc, RequestStatus };

export const REQUEST_LIMITS = { links: 5, url: 2000, text: 5000, message: 1000 } as const;
export const QUEUE_PAGE_SIZE = 20;
export const QUORUM_MAX = 10;

/** The person acting (signed in): roles, address, name and language. */
export type RequestActor = Principal & { email: string; name: string; language?: Language };

/** An uploaded file as multer gives it (memory storage). */
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

export interface RequestFormInput {
  badgeClassId?: unknown;
  links?: unknown;
  text?: unknown;
  file?: UploadedFile | undefined;
  /** Resubmission: drop the file sent before. */
  removeFile?: unknown;
  /** One per displayed form: the same form sent twice makes one request. */
  formKey?: unknown;
}

/** Where a request stands toward its badge's quorum (who recommended, what is missing). */
export interface QuorumProgress {
  required: BadgeClassQuorum;
  coordinators: EndorsementDoc[];
  peers: EndorsementDoc[];
  missing: { coordinators: number; peers: number };
  reached: boolean;
}

export interface RequestsDeps {
  clock: () => Date;
  logger: Logger;
  mailer: Mailer;
  audit: Audit;
  urls: PublicUrls;
  repo: RequestsRepository;
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
  users: UserRepository;
  awards: AwardsUseCases;
  endorsements: EndorsementsUseCases;
}

function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function hasQuorum(badgeClass: Pick<BadgeClassDoc, 'quorum'>): boolean {
  return !!badgeClass.quorum && badgeClass.quorum.coordinators + badgeClass.quorum.peers > 0;
}

export function quorumProgress(
  badgeClass: Pick<BadgeClassDoc, 'quorum'>,
  endorsements: EndorsementDoc[],
): QuorumProgress {
  const required = badgeClass.quorum ?? { coordinators: 0, peers: 0 };
  const coordinators = endorsements.filter((e) => e.endorserRole === 'coordinator');
  const peers = endorsements.filter((e) => e.endorserRole === 'peer');
  const missing = {
    coordinators: Math.max(0, required.coordinators - coordinators.length),
    peers: Math.max(0, required.peers - peers.length),
  };
  return {
    required,
    coordinators,
    peers,
    missing,
    reached: missing.coordinators === 0 && missing.peers === 0,
  };
}

function roleOf(actor: Principal, issuerId: string): IssuerRole | undefined {
  return Object.hasOwn(actor.roles, issuerId) ? actor.roles[issuerId] : undefined;
}

/** What the person may do with a request (the page shows only that). */
export interface RequestRights {
  isRequester: boolean;
  canReview: boolean;
  /** May see the request (and recommend it) as a person of the cooperative. */
  isPeer: boolean;
  canSeeFile: boolean;
  canEdit: boolean;
}

export function requestsUseCases(deps: RequestsDeps) {
  const { clock, logger, audit, urls, repo, badgeClasses, issuers, users } = deps;
  const requestUrl = (id: string) => `${urls.base}/demandes/${encodeURIComponent(id)}`;

  function rightsOf(actor: Principal, request: BadgeRequestDoc, badgeClass: BadgeClassDoc) {
    const isRequester = request.requesterUserId === actor.id;
    const canReview = can(actor, 'request.review', { issuerId: request.issuerId });
    const open = request.status === 'submitted' || request.status === 'returned';
    // Peers see an open request only when its badge needs their recommendations.
    const isPeer =
      !isRequester &&
      open &&
      hasQuorum(badgeClass) &&
      endorserRole(roleOf(actor, request.issuerId)) !== undefined;
    return {
      isRequester,
      canReview,
      isPeer,
      canSeeFile: isRequester || canReview,
      canEdit: isRequester && request.status === 'returned',
    };
  }

  /** Reads the form: links (http/https), text, file; errors in plain words. */
  function readForm(
    input: RequestFormInput,
    badgeClass: BadgeClassDoc | null,
    keepsFile: boolean,
  ): { links: string[]; text: string; file?: UploadedFile; errors: FieldError[] } {
    const errors: FieldError[] = [];
    const links = list(input.links)
      .map((l) => l.trim())
      .filter(Boolean);
    links.forEach((url, i) => {
      if (!isHttpUrl(url) || url.length > REQUEST_LIMITS.url) {
        errors.push({
          field: `link-${i + 1}`,
          messageKey: 'requests.errors.link',
          params: { url: url.slice(0, 80) },
        });
      }
    });
    if (links.length > REQUEST_LIMITS.links) {
      errors.push({
        field: 'link-1',
        messageKey: 'requests.errors.tooManyLinks',
        params: { max: REQUEST_LIMITS.links },
      });
    }
    const text = str(input.text).replace(/\r\n?/g, '\n').trim();
    if (text.length > REQUEST_LIMITS.text) {
      errors.push({
        field: 'text',
        messageKey: 'requests.errors.tooLong',
        params: { max: REQUEST_LIMITS.text },
      });
    }
    const file = input.file && input.file.size > 0 ? input.file : undefined;
    if (file) {
      if (file.size > REQUEST_FILE_MAX_BYTES) {
        errors.push({
          field: 'file',
          messageKey: 'requests.errors.fileTooBig',
          params: { max: REQUEST_FILE_MAX_BYTES / (1024 * 1024) },
        });
      } else if (!sniffRequestFile(file.buffer)) {
        errors.push({ field: 'file', messageKey: 'requests.errors.fileType' });
      }
    }
    if (badgeClass?.evidenceRequired && links.length === 0 && !text && !file && !keepsFile) {
      errors.push({ field: 'link-1', messageKey: 'requests.errors.evidenceRequired' });
    }
    if (badgeClass && links.length === 0 && !text && !file && !keepsFile) {
      errors.push({ field: 'text', messageKey: 'requests.errors.nothing' });
    }
    return { links, text, ...(file ? { file } : {}), errors };
  }

  async function storeFile(
    request: Pick<BadgeRequestDoc, '_id' | 'issuerId'>,
    file: UploadedFile,
  ): Promise<NonNullable<BadgeRequestDoc['file']>> {
    const type = sniffRequestFile(file.buffer)!;
    const doc: RequestFileDoc = {
      _id: randomBytes(12).toString('base64url'),
      requestId: request._id,
      issuerId: request.issuerId,
      name: safeFileName(file.originalname, type),
      contentType: type,
      size: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      data: file.buffer,
      createdAt: clock(),
    };
    await repo.insertFile(doc);
    return { id: doc._id, name: doc.name, contentType: doc.contentType, size: doc.size };
  }

  /** The coordinators (and owners) of an issuer, to notify them. */
  async function reviewersOf(issuerId: string) {
    const memberships = (await issuers.membershipsOfIssuer(issuerId)).filter(
      (m) => m.role === 'owner' || m.role === 'coordinator',
    );
    return users.findByIds(memberships.map((m) => m.userId));
  }

  async function notifyReviewers(
    request: BadgeRequestDoc,
    badgeClass: BadgeClassDoc,
    issuer: IssuerDoc,
    template: 'request-submitted' | 'request-quorum-reached',
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    for (const reviewer of await reviewersOf(request.issuerId)) {
      if (reviewer._id === request.requesterUserId) continue;
      await sendTemplatedEmail(
        { mailer: deps.mailer, logger },
        {
          to: reviewer.email,
          lang: isLanguage(reviewer.language) ? reviewer.language : 'fr',
          template,
          data: {
            siteUrl: urls.base,
            name: reviewer.name,
            requesterName: request.requesterName,
            badgeName: badgeClass.name,
            issuerName: issuer.name,
            url: requestUrl(request._id),
            quorum: hasQuorum(badgeClass),
            ...extra,
          },
        },
      );
    }
  }

  async function notifyRequester(
    request: BadgeRequestDoc,
    template: 'request-returned' | 'request-rejected',
    data: Record<string, unknown>,
  ): Promise<boolean> {
    const user = await users.findById(request.requesterUserId);
    return sendTemplatedEmail(
      { mailer: deps.mailer, logger },
      {
        to: user?.email ?? request.requesterEmail,
        lang: user && isLanguage(user.language) ? user.language : 'fr',
        template,
        data: { siteUrl: urls.base, name: user?.name, url: requestUrl(request._id), ...data },
      },
    );
  }

  /**
   * A request with its status made consistent with its decisions: a decision recorded just
   * before a crash still shows (status is a copy, decisions are the authority).
   */
  async function load(requestId: string): Promise<BadgeRequestDoc> {
    const request = await repo.findById(requestId);
    if (!request) throw new NotFoundError();
    if (request.status === 'submitted') {
      const decision = await repo.findDecision(request._id, request.revision);
      // An approval counts once its badge exists (otherwise approving again finishes it).
      const done =
        decision &&
        (decision.kind !== 'approved' ||
          (await deps.awards.getAward(request.awardId).then(
            () => true,
            () => false,
          )));
      if (decision && done) {
        await repo.setStatus(request._id, decision.kind, decision.at);
        return { ...request, status: decision.kind };
      }
    }
    return request;
  }

  async function badgeOf(request: BadgeRequestDoc): Promise<BadgeClassDoc> {
    const badgeClass = await badgeClasses.findById(request.badgeClassId);
    if (!badgeClass) throw new NotFoundError();
    return badgeClass;
  }

  async function progressOf(request: BadgeRequestDoc, badgeClass: BadgeClassDoc) {
    const endorsements = await deps.endorsements.listForTarget({
      kind: 'award',
      id: request.awardId,
    });
    return { endorsements, quorum: quorumProgress(badgeClass, endorsements) };
  }

  function readMessage(value: unknown, field: string, requiredKey: string): string {
    const message = str(value).replace(/\r\n?/g, '\n').trim();
    if (!message) throw new ValidationError([{ field, messageKey: requiredKey }]);
    if (message.length > REQUEST_LIMITS.message) {
      throw new ValidationError([
        {
          field,
          messageKey: 'requests.errors.tooLong',
          params: { max: REQUEST_LIMITS.message },
        },
      ]);
    }
    return message;
  }

  /** Refuses a decision on a request that moved on since the page was shown. */
  function checkOpen(request: BadgeRequestDoc, revision: unknown): void {
    const shown = Number(str(revision));
    if (request.status !== 'submitted') {
      throw new ConflictError({ messageKey: 'requests.errors.alreadyDecided' });
    }
    if (Number.isInteger(shown) && shown > 0 && shown !== request.revision) {
      throw new ConflictError({ messageKey: 'requests.errors.changed' });
    }
  }

  async function decide(input: {
    actor: RequestActor;
    request: BadgeRequestDoc;
    kind: DecisionKind;
    message: string;
  }): Promise<{ decision: RequestDecisionDoc; inserted: boolean }> {
    const decision: RequestDecisionDoc = {
      _id: `${input.request._id}:${input.request.revision}`,
      requestId: input.request._id,
      issuerId: input.request.issuerId,
      revision: input.request.revision,
      kind: input.kind,
      message: input.message,
      by: input.actor.id,
      byName: input.actor.name,
      at: clock(),
    };
    if (await repo.insertDecision(decision)) return { decision, inserted: true };
    const existing = await repo.findDecision(input.request._id, input.request.revision);
    if (!existing) throw new Error('decision vanished');
    return { decision: existing, inserted: false };
  }

  return {
    requestUrl,
    rightsOf,
    progressOf,

    /** The badges a person may ask for: active badges of the issuers they belong to. */
    async catalogueFor(
      actor: Principal,
    ): Promise<{ issuer: IssuerDoc; badges: BadgeClassDoc[] }[]> {
      const ids = Object.keys(actor.roles).filter((id) =>
        can(actor, 'request.create', { issuerId: id }),
      );
      const found = await issuers.findByIds(ids);
      const result = [];
      for (const issuer of found) {
        const badges = (await badgeClasses.listByIssuer(issuer._id)).filter(
          (b) => b.status === 'active',
        );
        if (badges.length) result.push({ issuer, badges });
      }
      return result;
    },

    /** A mediator asks for a badge, with links, text and an optional file. */
    async submit(input: RequestFormInput & { actor: RequestActor; ip: string }): Promise<{
      request: BadgeRequestDoc;
      created: boolean;
    }> {
      const badgeClass = await badgeClasses.findById(str(input.badgeClassId));
      if (!badgeClass || badgeClass.status !== 'active') {
        const form = readForm(input, null, false);
        throw new ValidationError([
          { field: 'badgeClassId', messageKey: 'requests.errors.badge' },
          ...form.errors,
        ]);
      }
      authorize(input.actor, 'request.create', { issuerId: badgeClass.issuerId });
      const form = readForm(input, badgeClass, false);
      if (form.errors.length) throw new ValidationError(form.errors);
      const issuer = await issuers.findById(badgeClass.issuerId);
      if (!issuer) throw new NotFoundError();
      const formKey = /^[A-Za-z0-9_-]{16,64}$/.test(str(input.formKey))
        ? str(input.formKey)
        : randomBytes(16).toString('base64url');
      const at = clock();
      const request: BadgeRequestDoc = {
        _id: randomBytes(12).toString('base64url'),
        issuerId: issuer._id,
        badgeClassId: badgeClass._id,
        requesterUserId: input.actor.id,
        requesterName: input.actor.name,
        requesterEmail: input.actor.email,
        requesterSearch: searchText(`${input.actor.name} ${input.actor.email}`),
        status: 'submitted',
        revision: 1,
        links: form.links,
        text: form.text,
        awardId: newAwardId(),
        submissionKey: `${input.actor.id}:${formKey}`,
        submissions: [{ revision: 1, at }],
        createdAt: at,
        updatedAt: at,
      };
      const inserted = await repo.insert(request);
      if (!inserted.created) return inserted;
      if (form.file) {
        const file = await storeFile(request, form.file);
        await repo.setFile(request._id, file);
        request.file = file;
      }
      await audit.record({
        action: 'request.submitted',
        actor: input.actor,
        target: { type: 'request', id: request._id },
        issuerId: issuer._id,
        ip: input.ip,
        details: { badge: badgeClass.name },
      });
      await notifyReviewers(request, badgeClass, issuer, 'request-submitted', {
        resubmitted: false,
      });
      return { request, created: true };
    },

    /** A request and what this person may do with it (404 for others). */
    async get(actor: Principal, requestId: string) {
      const request = await load(requestId);
      const badgeClass = await badgeOf(request);
      const rights = rightsOf(actor, request, badgeClass);
      if (!rights.isRequester && !rights.canReview && !rights.isPeer) throw new NotFoundError();
      const [issuer, decisions, progress] = await Promise.all([
        issuers.findById(request.issuerId),
        repo.decisionsOf(request._id, request.revision),
        progressOf(request, badgeClass),
      ]);
      if (!issuer) throw new NotFoundError();
      return { request, badgeClass, issuer, rights, decisions, ...progress };
    },

    /** The mediator edits a returned request and sends it again (a new revision). */
    async resubmit(
      input: RequestFormInput & { actor: RequestActor; ip: string; requestId: string },
    ): Promise<BadgeRequestDoc> {
      const request = await load(input.requestId);
      if (request.requesterUserId !== input.actor.id) throw new NotFoundError();
      if (request.status === 'submitted') return request; // sent twice: already done
      if (request.status !== 'returned') {
        throw new ConflictError({ messageKey: 'requests.errors.notEditable' });
      }
      const badgeClass = await badgeOf(request);
      const removeFile = str(input.removeFile) === 'oui';
      const keepsFile = !!request.file && !removeFile;
      const form = readForm(input, badgeClass, keepsFile);
      if (form.errors.length) throw new ValidationError(form.errors);
      const at = clock();
      const file = form.file ? await storeFile(request, form.file) : undefined;
      const changed = await repo.resubmit(request._id, request.revision, {
        links: form.links,
        text: form.text,
        submissions: [...request.submissions, { revision: request.revision + 1, at }],
        updatedAt: at,
        ...(file ? { file } : removeFile ? { file: null } : {}),
      });
      if (!changed) return (await repo.findById(request._id)) ?? request;
      if (request.file && (file || removeFile)) await repo.deleteFile(request.file.id);
      const issuer = await issuers.findById(request.issuerId);
      await audit.record({
        action: 'request.resubmitted',
        actor: input.actor,
        target: { type: 'request', id: request._id },
        issuerId: request.issuerId,
        ip: input.ip,
        details: { badge: badgeClass.name, revision: request.revision + 1 },
      });
      const updated = (await repo.findById(request._id)) ?? request;
      if (issuer) {
        await notifyReviewers(updated, badgeClass, issuer, 'request-submitted', {
          resubmitted: true,
        });
      }
      return updated;
    },

    /**
     * Approves and issues: the decision is inserted once per revision, then the badge is issued
     * with the request's evidence, under the idempotency key `request:<id>` and the reserved
     * award id, carrying the recommendations gathered before. A second click (or a retry after
     * a crash between the two) issues nothing more and returns the same award.
     */
    async approve(input: {
      actor: RequestActor;
      ip: string;
      issuerId: string;
      requestId: string;
      revision?: unknown;
    }): Promise<{ outcome: IssueOutcome; alreadyApproved: boolean }> {
      authorize(input.actor, 'request.review', { issuerId: input.issuerId });
      const request = await load(input.requestId);
      if (request.issuerId !== input.issuerId) throw new NotFoundError();
      const earlier = await repo.findDecision(request._id, request.revision);
      if (!(earlier?.kind === 'approved')) checkOpen(request, input.revision);
      const badgeClass = await badgeOf(request);
      const { endorsements, quorum } = await progressOf(request, badgeClass);
      if (!earlier && !quorum.reached) {
        throw new ConflictError({
          messageKey: 'requests.errors.quorumMissing',
          params: quorum.missing,
        });
      }
      const { decision, inserted } = await decide({
        actor: input.actor,
        request,
        kind: 'approved',
        message: '',
      });
      if (decision.kind !== 'approved') {
        throw new ConflictError({ messageKey: 'requests.errors.alreadyDecided' });
      }
      const requester = await users.findById(request.requesterUserId);
      const outcome = await deps.awards.issueAward({
        actor: input.actor,
        ip: input.ip,
        issuerId: request.issuerId,
        badgeClassId: request.badgeClassId,
        recipientEmail: requester?.email ?? request.requesterEmail,
        evidence: request.links.map((url) => ({ url })),
        narrative: request.text,
        idempotencyKey: `request:${request._id}`,
        awardId: request.awardId,
        endorsements: endorsements.map((e) => ({
          id: e._id,
          credential: JSON.parse(e.ob3.credential) as Record<string, unknown>,
        })),
        lang: requester?.language,
      });
      await repo.setStatus(request._id, 'approved', decision.at);
      if (inserted) {
        await audit.record({
          action: 'request.approved',
          actor: input.actor,
          target: { type: 'request', id: request._id },
          issuerId: request.issuerId,
          ip: input.ip,
          details: {
            badge: badgeClass.name,
            award: outcome.award._id,
            endorsements: endorsements.length,
          },
        });
      }
      return { outcome, alreadyApproved: !inserted || !outcome.created };
    },

    /** "À compléter": back to the mediator with a comment. */
    async returnForChanges(input: {
      actor: RequestActor;
      ip: string;
      issuerId: string;
      requestId: string;
      revision?: unknown;
      comment: unknown;
    }): Promise<{ request: BadgeRequestDoc; mailSent: boolean }> {
      return closeRevision({ ...input, kind: 'returned', message: input.comment });
    },

    /** "Refusée", with a reason. */
    async reject(input: {
      actor: RequestActor;
      ip: string;
      issuerId: string;
      requestId: string;
      revision?: unknown;
      reason: unknown;
    }): Promise<{ request: BadgeRequestDoc; mailSent: boolean }> {
      return closeRevision({ ...input, kind: 'rejected', message: input.reason });
    },

    /**
     * A coordinator or a peer recommends an open request whose badge needs a quorum. When the
     * quorum becomes complete, the coordinators are told they can approve it.
     */
    async endorse(input: {
      actor: RequestActor;
      ip: string;
      requestId: string;
      comment: unknown;
    }): Promise<{ created: boolean; quorum: QuorumProgress }> {
      const request = await load(input.requestId);
      const badgeClass = await badgeOf(request);
      const rights = rightsOf(input.actor, request, badgeClass);
      if (rights.isRequester) {
        throw new ValidationError([{ field: 'comment', messageKey: 'endorsements.refused.own' }]);
      }
      if (!rights.isPeer) {
        if (!rights.canReview) throw new NotFoundError();
        throw new ForbiddenError({ messageKey: 'endorsements.refused.closed' });
      }
      const before = (await progressOf(request, badgeClass)).quorum;
      const requester = await users.findById(request.requesterUserId);
      const result = await deps.endorsements.endorseReservedAward({
        actor: input.actor as Endorser,
        ip: input.ip,
        issuerId: request.issuerId,
        badgeClassId: request.badgeClassId,
        awardId: request.awardId,
        requestId: request._id,
        comment: input.comment,
        requester: {
          email: requester?.email ?? request.requesterEmail,
          userId: request.requesterUserId,
          lang: requester && isLanguage(requester.language) ? requester.language : 'fr',
        },
        requestUrl: requestUrl(request._id),
      });
      const after = (await progressOf(request, badgeClass)).quorum;
      if (result.created && !before.reached && after.reached && request.status === 'submitted') {
        const issuer = await issuers.findById(request.issuerId);
        if (issuer) await notifyReviewers(request, badgeClass, issuer, 'request-quorum-reached');
      }
      return { created: result.created, quorum: after };
    },

    /** The file of a request, for the requester and the coordinators only. */
    async file(actor: Principal, requestId: string): Promise<RequestFileDoc> {
      const request = await load(requestId);
      const badgeClass = await badgeOf(request);
      const rights = rightsOf(actor, request, badgeClass);
      if (!rights.canSeeFile || !request.file) throw new NotFoundError();
      const file = await repo.findFile(request.file.id);
      if (!file || file.requestId !== request._id) throw new NotFoundError();
      return file;
    },

    /** One page of the coordinators' queue. */
    async queue(input: {
      actor: Principal;
      issuerId: string;
      status?: string;
      badgeClassId?: string;
      person?: string;
      page?: number;
    }) {
      authorize(input.actor, 'request.review', { issuerId: input.issuerId });
      const status = (['submitted', 'returned', 'approved', 'rejected'] as const).find(
        (s) => s === input.status,
      );
      const page = Math.max(1, Math.min(1000, Math.floor(input.page ?? 1) || 1));
      const person = searchText(input.person ?? '').slice(0, 100);
      const { rows, total } = await repo.page(
        {
          issuerId: input.issuerId,
          status,
          badgeClassId: input.badgeClassId || undefined,
          person: person || undefined,
        },
        page,
        QUEUE_PAGE_SIZE,
      );
      return { rows, total, page, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)) };
    },

    /** The person's own requests, newest first. */
    mine: (actor: Principal) => repo.ofRequester(actor.id),

    /**
     * Open requests of the person's issuers that wait for their recommendation: the badge
     * needs a quorum still missing someone of their role, they did not ask for it and have not
     * recommended it yet. Bounded (50 open requests read).
     */
    async awaitingRecommendation(actor: Principal) {
      const issuerIds = Object.keys(actor.roles);
      const open = (await repo.openIn(issuerIds, 50)).filter((r) => r.requesterUserId !== actor.id);
      const result: {
        request: BadgeRequestDoc;
        badgeClass: BadgeClassDoc;
        quorum: QuorumProgress;
      }[] = [];
      const classes = new Map<string, BadgeClassDoc | null>();
      for (const request of open) {
        if (!classes.has(request.badgeClassId)) {
          classes.set(request.badgeClassId, await badgeClasses.findById(request.badgeClassId));
        }
        const badgeClass = classes.get(request.badgeClassId);
        if (!badgeClass || !hasQuorum(badgeClass)) continue;
        const role = endorserRole(roleOf(actor, request.issuerId));
        if (!role) continue;
        const { endorsements, quorum } = await progressOf(request, badgeClass);
        if (endorsements.some((e) => e.endorserUserId === actor.id)) continue;
        const stillNeeded =
          role === 'coordinator' ? quorum.missing.coordinators : quorum.missing.peers;
        if (stillNeeded === 0) continue;
        result.push({ request, badgeClass, quorum });
        if (result.length >= 20) break;
      }
      return result;
    },

    /** Sets (or removes, with zeros) the quorum of a badge class. */
    async setQuorum(input: {
      actor: Principal & { email?: string };
      ip: string;
      issuerId: string;
      badgeClassId: string;
      coordinators: unknown;
      peers: unknown;
    }): Promise<BadgeClassQuorum | null> {
      authorize(input.actor, 'badgeClass.setQuorum', { issuerId: input.issuerId });
      const badgeClass = await badgeClasses.findById(input.badgeClassId);
      if (!badgeClass || badgeClass.issuerId !== input.issuerId) throw new NotFoundError();
      const errors: FieldError[] = [];
      const read = (value: unknown, field: string): number => {
        const text = str(value).trim() || '0';
        const n = Number(text);
        if (!/^\d{1,2}$/.test(text) || n > QUORUM_MAX) {
          errors.push({
            field,
            messageKey: 'quorum.errors.number',
            params: { max: QUORUM_MAX },
          });
          return 0;
        }
        return n;
      };
      const coordinators = read(input.coordinators, 'coordinators');
      const peers = read(input.peers, 'peers');
      if (!errors.length && coordinators + peers > QUORUM_MAX) {
        errors.push({
          field: 'coordinators',
          messageKey: 'quorum.errors.total',
          params: { max: QUORUM_MAX },
        });
      }
      if (errors.length) throw new ValidationError(errors);
      const quorum = coordinators + peers > 0 ? { coordinators, peers } : null;
      await repo.setQuorum(badgeClass._id, quorum);
      await audit.record({
        action: 'badgeClass.quorumChanged',
        actor: input.actor,
        target: { type: 'badgeClass', id: badgeClass._id },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { badge: badgeClass.name, coordinators, peers },
      });
      return quorum;
    },
  };

  async function closeRevision(input: {
    actor: RequestActor;
    ip: string;
    issuerId: string;
    requestId: string;
    revision?: unknown;
    kind: 'returned' | 'rejected';
    message: unknown;
  }): Promise<{ request: BadgeRequestDoc; mailSent: boolean }> {
    authorize(input.actor, 'request.review', { issuerId: input.issuerId });
    const request = await load(input.requestId);
    if (request.issuerId !== input.issuerId) throw new NotFoundError();
    checkOpen(request, input.revision);
    // Not 'comment': the same page has the recommendation form's comment field.
    const field = input.kind === 'returned' ? 'returnComment' : 'reason';
    const message = readMessage(
      input.message,
      field,
      input.kind === 'returned'
        ? 'requests.errors.commentRequired'
        : 'requests.errors.reasonRequired',
    );
    const { decision, inserted } = await decide({
      actor: input.actor,
      request,
      kind: input.kind,
      message,
    });
    if (!inserted) {
      if (decision.kind === input.kind) return { request: await load(request._id), mailSent: true };
      throw new ConflictError({ messageKey: 'requests.errors.alreadyDecided' });
    }
    await repo.setStatus(request._id, input.kind, decision.at);
    const badgeClass = await badgeOf(request);
    await audit.record({
      action: input.kind === 'returned' ? 'request.returned' : 'request.rejected',
      actor: input.actor,
      target: { type: 'request', id: request._id },
      issuerId: request.issuerId,
      ip: input.ip,
      details: {
        badge: badgeClass.name,
        [input.kind === 'returned' ? 'comment' : 'reason']: message,
      },
    });
    const mailSent = await notifyRequester(
      request,
      input.kind === 'returned' ? 'request-returned' : 'request-rejected',
      {
        reviewerName: input.actor.name,
        badgeName: badgeClass.name,
        ...(input.kind === 'returned' ? { comment: message } : { reason: message }),
      },
    );
    return { request: { ...request, status: input.kind as RequestStatus }, mailSent };
  }
}
export type RequestsUseCases = ReturnType<typeof requestsUseCases>;

/** Reads the request pages need beside the requests: badges and issuers by id. */
export function requestPageReads(deps: {
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
}) {
  return {
    badgeClass: (id: string) => deps.badgeClasses.findById(id),
    badgesOfIssuer: (issuerId: string) => deps.badgeClasses.listByIssuer(issuerId),
    issuer: (id: string) => deps.issuers.findById(id),
  };
}
export type RequestPageReads = ReturnType<typeof requestPageReads>;
