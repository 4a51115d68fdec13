import { createHash, randomBytes } from 'node:crypto';
import { can, type IssuerRole, type Principal } from '../../libraries/authz/authorization.js';
import {
  ConflictError,
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
import type { AwardsUseCases } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { EndorsementDoc } from '../endorsements/endorsement.model.js';
import { endorserRole, type EndorsementsUseCases } from '../endorsements/endorsements.use-case.js';
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
import { type RequestsRepository } from './requests.repository.js';
import { str } from '../../libraries/http/params.js';

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

export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function hasQuorum(badgeClass: Pick<BadgeClassDoc, 'quorum'>): boolean {
  return !!badgeClass.quorum && badgeClass.quorum.coordinators + badgeClass.quorum.peers > 0;
}

/** Whether a badge waits for recommendations of peers (members of its structure). */
export function needsPeers(badgeClass: Pick<BadgeClassDoc, 'quorum'>): boolean {
  return (badgeClass.quorum?.peers ?? 0) > 0;
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

export function roleOf(actor: Principal, issuerId: string): IssuerRole | undefined {
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

/**
 * What every requests story shares: dependencies, rights, the form reader, file storage,
 * notifications and the revision checks.
 */
export function requestsContext(deps: RequestsDeps) {
  const { clock, logger, urls, repo, badgeClasses, issuers, users } = deps;
  const requestUrl = (id: string) => `${urls.base}/demandes/${encodeURIComponent(id)}`;

  function rightsOf(actor: Principal, request: BadgeRequestDoc, badgeClass: BadgeClassDoc) {
    const isRequester = request.requesterUserId === actor.id;
    const canReview = can(actor, 'request.review', { issuerId: request.issuerId });
    const open = request.status === 'submitted' || request.status === 'returned';
    // Peers see an open request only when its badge needs their recommendations: members
    // when peers are required, coordinators when any recommendation is.
    const role = endorserRole(roleOf(actor, request.issuerId));
    const isPeer =
      !isRequester &&
      open &&
      (role === 'peer' ? needsPeers(badgeClass) : role === 'coordinator' && hasQuorum(badgeClass));
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
          field: 'fichier',
          messageKey: 'requests.errors.fileTooBig',
          params: { max: REQUEST_FILE_MAX_BYTES / (1024 * 1024) },
        });
      } else if (!sniffRequestFile(file.buffer)) {
        errors.push({ field: 'fichier', messageKey: 'requests.errors.fileType' });
      }
    }
    // A badge that requires evidence wants something checkable, a link or a file: the text
    // (always asked for) describes the work but proves nothing by itself.
    if (badgeClass?.evidenceRequired && links.length === 0 && !file && !keepsFile) {
      errors.push({ field: 'link-1', messageKey: 'requestForm.errors.evidenceRequired' });
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

  /**
   * Tells the peers (members) of the structure that a request waits for their recommendation,
   * when its badge needs peers and some are still missing; not the requester, nor those who
   * already recommended it.
   */
  async function notifyPeers(
    request: BadgeRequestDoc,
    badgeClass: BadgeClassDoc,
    issuer: IssuerDoc,
    extra: { resubmitted: boolean },
  ): Promise<void> {
    if (!needsPeers(badgeClass)) return;
    const { endorsements, quorum } = await progressOf(request, badgeClass);
    if (quorum.missing.peers === 0) return;
    const done = new Set(endorsements.map((e) => e.endorserUserId));
    const memberships = (await issuers.membershipsOfIssuer(request.issuerId)).filter(
      (m) => endorserRole(m.role) === 'peer' && m.userId !== request.requesterUserId,
    );
    const peers = await users.findByIds(
      memberships.map((m) => m.userId).filter((id) => !done.has(id)),
    );
    for (const peer of peers) {
      await sendTemplatedEmail(
        { mailer: deps.mailer, logger },
        {
          to: peer.email,
          lang: isLanguage(peer.language) ? peer.language : 'fr',
          template: 'request-awaits-recommendation',
          data: {
            siteUrl: urls.base,
            name: peer.name,
            requesterName: request.requesterName,
            badgeName: badgeClass.name,
            issuerName: issuer.name,
            url: `${requestUrl(request._id)}#recommandations`,
            peers: quorum.required.peers,
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
    ...deps,
    requestUrl,
    rightsOf,
    readForm,
    storeFile,
    reviewersOf,
    notifyReviewers,
    notifyPeers,
    notifyRequester,
    load,
    badgeOf,
    progressOf,
    readMessage,
    checkOpen,
    decide,
  };
}
export type RequestsContext = ReturnType<typeof requestsContext>;
