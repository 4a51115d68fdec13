import type { Request, RequestHandler, Response } from 'express';
import { can } from '../../libraries/authz/authorization.js';
import { NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import { QUORUM_MAX } from './requests.use-case.js';
import { param, str } from '../../libraries/http/params.js';

import { body, enc, requestPage, type RequestsControllerDeps } from './request-page.js';

/** The recommendations a badge requires before a decision (its quorum). */
export function requestQuorumController(deps: RequestsControllerDeps) {
  const { requests, reads, urls } = deps;
  const { t, actor } = requestPage(deps);

  async function renderQuorum(
    req: Request,
    res: Response,
    values: { coordinators: string; peers: string },
    options: { status?: number; errors?: ValidationError } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const badgeClass = await reads.badgeClass(param(req, 'badgeClassId'));
    if (!badgeClass || badgeClass.issuerId !== issuerId) throw new NotFoundError();
    const issuer = await reads.issuer(issuerId);
    if (!issuer) throw new NotFoundError();
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('quorum.title', { badge: badgeClass.name });
    res.status(options.status ?? 200).render('requests/quorum', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      title,
      issuer: { id: issuer._id, name: issuer.name },
      badge: {
        id: badgeClass._id,
        name: badgeClass.name,
        image: urls.badgeClassImage(badgeClass._id, 'svg'),
      },
      current: badgeClass.quorum,
      values,
      max: QUORUM_MAX,
      action: `/structures/${enc(issuerId)}/badges/${enc(badgeClass._id)}/recommandations-requises`,
      canIssue: can(req.user, 'award.issue', { issuerId }),
      errors,
    });
  }

  const showQuorum: RequestHandler = async (req, res) => {
    const badgeClass = await reads.badgeClass(param(req, 'badgeClassId'));
    await renderQuorum(req, res, {
      coordinators: String(badgeClass?.quorum?.coordinators ?? 0),
      peers: String(badgeClass?.quorum?.peers ?? 0),
    });
  };

  const setQuorum: RequestHandler = async (req, res) => {
    const b = body(req);
    const values = { coordinators: str(b.coordinators), peers: str(b.peers) };
    const issuerId = param(req, 'issuerId');
    let quorum;
    try {
      quorum = await requests.setQuorum({
        actor: actor(req),
        ip: req.ip ?? '',
        issuerId,
        badgeClassId: param(req, 'badgeClassId'),
        ...values,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderQuorum(req, res, values, { status: 422, errors: err });
    }
    flash(req, {
      kind: 'ok',
      key: quorum ? 'quorum.saved' : 'quorum.removed',
      params: quorum ? { ...quorum } : {},
    });
    res.redirect(303, `/structures/${enc(issuerId)}/tableau-de-bord#par-badge`);
  };

  return { showQuorum, setQuorum };
}
