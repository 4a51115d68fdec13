import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import type { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import type { PublicUrls } from '../awards/public-urls.js';
import { endorsementItem } from '../endorsements/endorsement-item.js';
import { ENDORSEMENT_COMMENT_MAX } from '../endorsements/endorsements.use-case.js';
import { statusLabel } from './request-status.js';
import {
  REQUEST_LIMITS,
  hasQuorum,
  type RequestActor,
  type RequestPageReads,
  type RequestsUseCases,
} from './requests.use-case.js';

export function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export function links(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

export const formKey = () => randomBytes(16).toString('base64url');
export const enc = encodeURIComponent;

export interface FormValues {
  badgeClassId: string;
  links: string[];
  text: string;
  formKey: string;
  removeFile: boolean;
}

export interface RequestsControllerDeps {
  requests: RequestsUseCases;
  reads: RequestPageReads;
  urls: PublicUrls;
}

/** What the request pages share: the translator, the person, and the page of one request. */
export function requestPage(deps: RequestsControllerDeps) {
  const { requests, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;
  const actor = (req: Request) => req.user! as RequestActor;

  async function renderShow(
    req: Request,
    res: Response,
    requestId: string,
    options: { status?: number; errors?: ValidationError; values?: Record<string, string> } = {},
  ): Promise<void> {
    const user = actor(req);
    const found = await requests.get(user, requestId);
    const { request, badgeClass, issuer, rights, decisions, quorum, endorsements } = found;
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('requests.show.title', { badge: badgeClass.name });
    const open = request.status === 'submitted';
    const mine = endorsements.some((e) => e.endorserUserId === user.id);
    const history = [
      ...request.submissions.map((s) => ({
        at: s.at,
        text: tr(s.revision === 1 ? 'requests.history.sent' : 'requests.history.resent', {
          name: request.requesterName,
        }),
      })),
      ...decisions.map((d) => ({
        at: d.at,
        text: tr(`requests.history.${d.kind}`, { name: d.byName }),
        message: d.message || undefined,
      })),
      ...endorsements.map((e) => ({
        at: e.createdAt,
        text: tr('requests.history.endorsed', { name: e.endorserName }),
      })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
    const lastDecision = decisions.at(-1);
    res.status(options.status ?? 200).render('requests/show', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: rights.canReview ? 'issuers' : 'myBadges',
      title,
      back: rights.canReview
        ? { url: `/structures/${enc(issuer._id)}/demandes`, label: tr('requests.show.backQueue') }
        : { url: '/mes-badges', label: tr('requests.show.backMine') },
      request: {
        id: request._id,
        revision: request.revision,
        status: request.status,
        statusLabel: statusLabel(tr, request.status),
        requesterName: request.requesterName,
        requesterEmail: rights.canReview ? request.requesterEmail : undefined,
        createdAt: request.createdAt,
        updatedAt: request.updatedAt,
        links: request.links,
        text: request.text,
        file: rights.canSeeFile ? request.file : undefined,
        fileUrl: `/demandes/${enc(request._id)}/fichier`,
        awardUrl: request.status === 'approved' ? `/assertions/${enc(request.awardId)}` : undefined,
      },
      badge: {
        name: badgeClass.name,
        page: `/badges/${enc(badgeClass._id)}`,
        image: urls.badgeClassImage(badgeClass._id, 'svg'),
        criteria: badgeClass.criteria.narrative,
      },
      issuer: { id: issuer._id, name: issuer.name },
      rights,
      lastDecision: lastDecision && {
        kind: lastDecision.kind,
        message: lastDecision.message,
        by: lastDecision.byName,
        at: lastDecision.at,
      },
      quorum: hasQuorum(badgeClass)
        ? {
            ...quorum,
            total: quorum.required.coordinators + quorum.required.peers,
            got:
              Math.min(quorum.coordinators.length, quorum.required.coordinators) +
              Math.min(quorum.peers.length, quorum.required.peers),
            list: endorsements.map((e) => endorsementItem(e, tr)),
          }
        : undefined,
      endorsements:
        !hasQuorum(badgeClass) && endorsements.length
          ? endorsements.map((e) => endorsementItem(e, tr))
          : undefined,
      canEndorse: rights.isPeer && open && !mine,
      alreadyEndorsed: mine,
      canDecide: rights.canReview && open,
      canApprove: rights.canReview && open && (!hasQuorum(badgeClass) || quorum.reached),
      history,
      values: options.values ?? {},
      commentMax: ENDORSEMENT_COMMENT_MAX,
      messageMax: REQUEST_LIMITS.message,
      errors,
    });
  }

  return { t, actor, renderShow };
}
