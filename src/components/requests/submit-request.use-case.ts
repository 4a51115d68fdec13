import { randomBytes } from 'node:crypto';
import { authorize, can, type Principal } from '../../libraries/authz/authorization.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../libraries/errors/app-error.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import { newAwardId } from '../awards/awards.use-case.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { BadgeRequestDoc, RequestFileDoc } from './request.model.js';
import { searchText } from './requests.repository.js';
import { normaliseEmail } from '../accounts/email-address.js';
import { str } from '../../libraries/http/params.js';
import { endorserRole } from '../endorsements/endorsements.use-case.js';
import {
  roleOf,
  type RequestActor,
  type RequestFormInput,
  type RequestsContext,
} from './requests.context.js';

/** Asking for a badge: the catalogue, submitting, reading, resubmitting, the file, one's own requests. */
export function submitRequestUseCases(ctx: RequestsContext) {
  const {
    clock,
    audit,
    repo,
    badgeClasses,
    issuers,
    rightsOf,
    readForm,
    storeFile,
    notifyReviewers,
    notifyPeers,
    load,
    badgeOf,
    progressOf,
  } = ctx;
  return {
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

    /** Which of these badge classes the person already holds (a valid award to their address). */
    heldBy: (actor: RequestActor, badgeClassIds: string[]) =>
      repo.heldBadgeClassIds(normaliseEmail(actor.email), badgeClassIds, clock()),

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
      const held = await repo.heldBadgeClassIds(
        normaliseEmail(input.actor.email),
        [badgeClass._id],
        clock(),
      );
      if (held.has(badgeClass._id)) {
        form.errors.unshift({
          field: 'badgeClassId',
          messageKey: 'requestForm.errors.alreadyHeld',
          params: { badge: badgeClass.name },
        });
      }
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
      await notifyPeers(request, badgeClass, issuer, { resubmitted: false });
      return { request, created: true };
    },

    /** A request and what this person may do with it (404 for others). */
    async get(actor: Principal, requestId: string) {
      const request = await load(requestId);
      const badgeClass = await badgeOf(request);
      const rights = rightsOf(actor, request, badgeClass);
      if (!rights.isRequester && !rights.canReview && !rights.isPeer) {
        // A person of the structure may know the request exists: say why it stays closed.
        if (endorserRole(roleOf(actor, request.issuerId))) {
          const open = request.status === 'submitted' || request.status === 'returned';
          throw new ForbiddenError({
            messageKey: open ? 'peerRequests.refused.noPeerQuorum' : 'peerRequests.refused.closed',
          });
        }
        throw new NotFoundError();
      }
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
        await notifyPeers(updated, badgeClass, issuer, { resubmitted: true });
      }
      return updated;
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

    /** The person's own requests, newest first. */
    mine: (actor: Principal) => repo.ofRequester(actor.id),
  };
}
