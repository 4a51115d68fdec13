import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import { ConflictError, NotFoundError } from '../../libraries/errors/app-error.js';
import type { IssueOutcome } from '../awards/awards.use-case.js';
import type { BadgeRequestDoc, RequestStatus } from './request.model.js';
import { searchText } from './requests.repository.js';
import { QUEUE_PAGE_SIZE, type RequestActor, type RequestsContext } from './requests.context.js';

/** Reviewing requests: the queue, approving, returning for changes, rejecting. */
export function reviewRequestUseCases(ctx: RequestsContext) {
  const {
    audit,
    repo,
    users,
    notifyRequester,
    load,
    badgeOf,
    progressOf,
    readMessage,
    checkOpen,
    decide,
  } = ctx;
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

  return {
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
      const outcome = await ctx.awards.issueAward({
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
  };
}
