import type { Request, RequestHandler, Response } from 'express';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import { REQUEST_FILE_MAX_BYTES } from './request-file.js';
import {
  REQUEST_LIMITS,
  hasQuorum,
  type RequestsUseCases,
  type UploadedFile,
} from './requests.use-case.js';
import { param, str } from '../../libraries/http/params.js';

import {
  body,
  enc,
  formKey,
  links,
  requestPage,
  type FormValues,
  type RequestsControllerDeps,
} from './request-page.js';

/** Asking for a badge, and completing a request returned "à compléter". */
export function requestFormController(deps: RequestsControllerDeps) {
  const { requests, urls } = deps;
  const { t, actor } = requestPage(deps);

  async function renderForm(
    req: Request,
    res: Response,
    values: FormValues,
    options: {
      status?: number;
      errors?: ValidationError;
      request?: Awaited<ReturnType<RequestsUseCases['get']>>;
    } = {},
  ): Promise<void> {
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const editing = options.request;
    const title = editing
      ? tr('requests.form.editTitle', { badge: editing.badgeClass.name })
      : tr('requests.form.title');
    const catalogue = editing ? [] : await requests.catalogueFor(actor(req));
    // Badges already held are shown but cannot be chosen (asking again makes no sense).
    const held = await requests.heldBy(
      actor(req),
      catalogue.flatMap((c) => c.badges.map((b) => b._id)),
    );
    const lastReturn = editing?.decisions.filter((d) => d.kind === 'returned').at(-1);
    const chosen = editing
      ? editing.badgeClass
      : catalogue.flatMap((c) => c.badges).find((b) => b._id === values.badgeClassId);
    res.status(options.status ?? 200).render('requests/form', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'myBadges',
      title,
      editing: !!editing,
      action: editing ? `/demandes/${enc(editing.request._id)}/modifier` : '/demandes',
      back: editing ? `/demandes/${enc(editing.request._id)}` : '/mes-badges',
      groups: catalogue.map((c) => ({
        label: c.issuer.name,
        badges: c.badges.map((b) => ({
          id: b._id,
          name: b.name,
          held: held.has(b._id),
          evidenceRequired: b.evidenceRequired,
          selected: b._id === values.badgeClassId && !held.has(b._id),
        })),
      })),
      single: catalogue.length === 1 && catalogue[0]!.badges.length === 1,
      chosen: chosen && {
        held: held.has(chosen._id),
        name: chosen.name,
        image: urls.badgeClassImage(chosen._id, 'svg'),
        criteria: chosen.criteria.narrative,
        evidenceRequired: chosen.evidenceRequired,
        quorum: hasQuorum(chosen) ? chosen.quorum : undefined,
      },
      comment: lastReturn ? { text: lastReturn.message, by: lastReturn.byName } : undefined,
      file: editing?.request.file,
      links: [0, 1, 2].map((i) => ({
        id: `link-${i + 1}`,
        n: i + 1,
        value: values.links[i] ?? '',
        errs: errors?.byField[`link-${i + 1}`],
      })),
      extraLinks: values.links.slice(3),
      values,
      maxFileMb: REQUEST_FILE_MAX_BYTES / (1024 * 1024),
      maxText: REQUEST_LIMITS.text,
      errors,
    });
  }

  const showNew: RequestHandler = (req, res) =>
    renderForm(req, res, {
      badgeClassId: str(req.query.badge),
      links: [],
      text: '',
      formKey: formKey(),
      removeFile: false,
    });

  function readValues(req: Request): FormValues {
    const b = body(req);
    return {
      badgeClassId: str(b.badgeClassId),
      links: links(b.links),
      text: str(b.text),
      formKey: /^[A-Za-z0-9_-]{16,64}$/.test(str(b.formKey)) ? str(b.formKey) : formKey(),
      removeFile: str(b.removeFile) === 'oui',
    };
  }

  const create: RequestHandler = async (req, res) => {
    const values = readValues(req);
    let result;
    try {
      result = await requests.submit({
        actor: actor(req),
        ip: req.ip ?? '',
        badgeClassId: values.badgeClassId,
        links: values.links,
        text: values.text,
        file: (req as Request & { file?: UploadedFile }).file,
        formKey: values.formKey,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(req, res, values, { status: 422, errors: err });
    }
    flash(req, { kind: 'ok', key: result.created ? 'requests.sent' : 'requests.alreadySent' });
    res.redirect(303, `/demandes/${enc(result.request._id)}`);
  };

  const showEdit: RequestHandler = async (req, res) => {
    // Only the requester edits: others learn nothing here, as when they send the form.
    const found = await requests.get(actor(req), param(req, 'requestId')).catch((err: unknown) => {
      throw err instanceof ForbiddenError ? new NotFoundError() : err;
    });
    if (!found.rights.isRequester) throw new NotFoundError();
    if (!found.rights.canEdit) return res.redirect(303, `/demandes/${enc(found.request._id)}`);
    await renderForm(
      req,
      res,
      {
        badgeClassId: found.badgeClass._id,
        links: found.request.links,
        text: found.request.text,
        formKey: formKey(),
        removeFile: false,
      },
      { request: found },
    );
  };

  const resubmit: RequestHandler = async (req, res) => {
    const requestId = param(req, 'requestId');
    const values = readValues(req);
    try {
      await requests.resubmit({
        actor: actor(req),
        ip: req.ip ?? '',
        requestId,
        links: values.links,
        text: values.text,
        file: (req as Request & { file?: UploadedFile }).file,
        removeFile: values.removeFile ? 'oui' : '',
      });
    } catch (err) {
      if (err instanceof ConflictError) {
        flash(req, { kind: 'warn', key: err.messageKey });
        return res.redirect(303, `/demandes/${enc(requestId)}`);
      }
      if (!(err instanceof ValidationError)) throw err;
      const found = await requests.get(actor(req), requestId);
      return renderForm(req, res, values, { status: 422, errors: err, request: found });
    }
    flash(req, { kind: 'ok', key: 'requests.resent' });
    res.redirect(303, `/demandes/${enc(requestId)}`);
  };

  return { showNew, create, showEdit, resubmit };
}
