import { authorize, type Principal } from '../../libraries/authz/authorization.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { isLanguage } from '../../libraries/i18n/i18n.js';
import type { BadgeClassDoc, BadgeClassQuorum } from '../achievements/badge-class.model.js';
import { endorserRole, type Endorser } from '../endorsements/endorsements.use-case.js';
import type { BadgeRequestDoc } from './request.model.js';
import { str } from '../../libraries/http/params.js';
import {
  QUORUM_MAX,
  hasQuorum,
  type QuorumProgress,
  type RequestActor,
  type RequestsContext,
  roleOf,
} from './requests.context.js';

/** Recommendations before a decision: recommending, what awaits one, the quorum of a badge. */
export function requestQuorumUseCases(ctx: RequestsContext) {
  const {
    audit,
    repo,
    badgeClasses,
    issuers,
    users,
    requestUrl,
    rightsOf,
    notifyReviewers,
    load,
    badgeOf,
    progressOf,
  } = ctx;
  return {
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
        if (!rights.canReview && !endorserRole(roleOf(input.actor, request.issuerId))) {
          throw new NotFoundError();
        }
        if (!rights.canReview && request.status !== 'submitted' && request.status !== 'returned') {
          throw new ForbiddenError({ messageKey: 'peerRequests.refused.closed' });
        }
        if (!rights.canReview) {
          throw new ForbiddenError({ messageKey: 'peerRequests.refused.noPeerQuorum' });
        }
        throw new ForbiddenError({ messageKey: 'endorsements.refused.closed' });
      }
      const before = (await progressOf(request, badgeClass)).quorum;
      const requester = await users.findById(request.requesterUserId);
      const result = await ctx.endorsements.endorseReservedAward({
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
}
