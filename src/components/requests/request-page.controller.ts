import type { RequestHandler } from 'express';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { flash } from '../accounts/accounts.middleware.js';
import { contentDisposition } from './request-file.js';
import { param, str } from '../../libraries/http/params.js';

import { body, enc, requestPage, type RequestsControllerDeps } from './request-page.js';

/** One request: its page, its file, and recommending it. */
export function requestPageController(deps: RequestsControllerDeps) {
  const { requests } = deps;
  const { actor } = requestPage(deps);
  const { renderShow } = requestPage(deps);

  const show: RequestHandler = (req, res) => renderShow(req, res, param(req, 'requestId'));

  const file: RequestHandler = async (req, res) => {
    const found = await requests.file(actor(req), param(req, 'requestId'));
    res.setHeader('Content-Type', found.contentType);
    res.setHeader('Content-Disposition', contentDisposition(found.name));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(found.data);
  };

  const endorse: RequestHandler = async (req, res) => {
    const requestId = param(req, 'requestId');
    const comment = str(body(req).comment);
    let result;
    try {
      result = await requests.endorse({ actor: actor(req), ip: req.ip ?? '', requestId, comment });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderShow(req, res, requestId, { status: 422, errors: err, values: { comment } });
    }
    flash(req, {
      kind: 'ok',
      key: !result.created
        ? 'endorsements.refused.already'
        : result.quorum.reached
          ? 'requests.endorsedQuorum'
          : 'requests.endorsed',
    });
    res.redirect(303, `/demandes/${enc(requestId)}#recommandations`);
  };

  return { show, file, endorse };
}
