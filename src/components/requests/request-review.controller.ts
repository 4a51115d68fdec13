import type { Request, RequestHandler } from 'express';
import { ConflictError, NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { flash } from '../accounts/accounts.middleware.js';
import { statusLabel } from './request-status.js';
import {
  hasQuorum,
  type BadgeRequestDoc,
  type RequestStatus,
  type RequestsUseCases,
} from './requests.use-case.js';
import { param, str } from '../../libraries/http/params.js';

import { body, enc, requestPage, type RequestsControllerDeps } from './request-page.js';

/** Coordinators: the queue and the decisions (approve, return for changes, reject). */
export function requestReviewController(deps: RequestsControllerDeps) {
  const { requests, reads } = deps;
  const { t, actor } = requestPage(deps);
  const { renderShow } = requestPage(deps);

  const queue: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const q = req.query;
    const values = {
      statut: str(q.statut) || 'submitted',
      badge: str(q.badge),
      personne: str(q.personne),
    };
    const tr = t(res);
    const issuer = await reads.issuer(issuerId);
    if (!issuer) throw new NotFoundError();
    const badges = await reads.badgesOfIssuer(issuerId);
    const names = new Map(badges.map((b) => [b._id, b]));
    const page = await requests.queue({
      actor: actor(req),
      issuerId,
      status: values.statut === 'toutes' ? undefined : values.statut,
      badgeClassId: values.badge,
      person: values.personne,
      page: Number(str(q.page)) || 1,
    });
    const progress = await Promise.all(
      page.rows.map(async (r) => {
        const b = names.get(r.badgeClassId);
        if (!b || !hasQuorum(b) || r.status !== 'submitted') return undefined;
        return (await requests.progressOf(r, b)).quorum;
      }),
    );
    const link = (p: number) =>
      `/structures/${enc(issuerId)}/demandes?${new URLSearchParams({ ...values, page: String(p) }).toString()}`;
    res.render('requests/queue', {
      pageTitle: tr('requests.queue.title'),
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      values,
      statuses: ['submitted', 'returned', 'approved', 'rejected', 'toutes'].map((s) => ({
        value: s,
        label: s === 'toutes' ? tr('requests.queue.all') : statusLabel(tr, s as RequestStatus),
        selected: s === values.statut,
      })),
      badges: badges.map((b) => ({ id: b._id, name: b.name, selected: b._id === values.badge })),
      rows: page.rows.map((r: BadgeRequestDoc, i) => ({
        url: `/demandes/${enc(r._id)}`,
        requesterName: r.requesterName,
        badgeName: names.get(r.badgeClassId)?.name ?? r.badgeClassId,
        status: r.status,
        statusLabel: statusLabel(tr, r.status),
        updatedAt: r.updatedAt,
        revision: r.revision,
        quorum: progress[i] && {
          got:
            Math.min(progress[i].coordinators.length, progress[i].required.coordinators) +
            Math.min(progress[i].peers.length, progress[i].required.peers),
          total: progress[i].required.coordinators + progress[i].required.peers,
          reached: progress[i].reached,
        },
      })),
      total: page.total,
      countLabel: tr('requests.queue.count', { count: page.total }),
      page: page.page,
      pages: page.pages,
      prev: page.page > 1 ? link(page.page - 1) : undefined,
      next: page.page < page.pages ? link(page.page + 1) : undefined,
    });
  };

  function decision(
    run: (req: Request) => Promise<unknown>,
    done: (
      req: Request,
      result: unknown,
    ) => { key: string; params?: Record<string, string | number>; to?: string },
  ): RequestHandler {
    return async (req, res) => {
      const requestId = param(req, 'requestId');
      let result;
      try {
        result = await run(req);
      } catch (err) {
        if (err instanceof ConflictError) {
          flash(req, {
            kind: 'warn',
            key: err.messageKey,
            params: err.params as Record<string, string | number>,
          });
          return res.redirect(303, `/demandes/${enc(requestId)}`);
        }
        if (!(err instanceof ValidationError)) throw err;
        const b = body(req);
        return renderShow(req, res, requestId, {
          status: 422,
          errors: err,
          values: { returnComment: str(b.returnComment), reason: str(b.reason) },
        });
      }
      const message = done(req, result);
      flash(req, {
        kind: 'ok',
        key: message.key,
        ...(message.params ? { params: message.params } : {}),
      });
      res.redirect(303, message.to ?? `/demandes/${enc(requestId)}`);
    };
  }

  const common = (req: Request) => ({
    actor: actor(req),
    ip: req.ip ?? '',
    issuerId: param(req, 'issuerId'),
    requestId: param(req, 'requestId'),
    revision: body(req).revision,
  });

  const approve = decision(
    (req) => requests.approve(common(req)),
    (_req, result) => {
      const r = result as Awaited<ReturnType<RequestsUseCases['approve']>>;
      return {
        key: r.alreadyApproved ? 'requests.alreadyApproved' : 'requests.approved',
        params: { email: r.outcome.award.recipient.email },
        to: `/assertions/${enc(r.outcome.award._id)}`,
      };
    },
  );

  const returnForChanges = decision(
    (req) => requests.returnForChanges({ ...common(req), comment: body(req).returnComment }),
    (_req, result) => ({
      key:
        (result as { mailSent: boolean }).mailSent === false
          ? 'requests.returnedMailFailed'
          : 'requests.returned',
    }),
  );

  const reject = decision(
    (req) => requests.reject({ ...common(req), reason: body(req).reason }),
    (_req, result) => ({
      key:
        (result as { mailSent: boolean }).mailSent === false
          ? 'requests.rejectedMailFailed'
          : 'requests.rejected',
    }),
  );

  return { queue, approve, returnForChanges, reject };
}
