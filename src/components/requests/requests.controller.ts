import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { can } from '../../libraries/authz/authorization.js';
import { ConflictError, NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { DashboardUseCases } from '../dashboard/dashboard.use-case.js';
import { endorsementItem } from '../endorsements/endorsement-item.js';
import { ENDORSEMENT_COMMENT_MAX } from '../endorsements/endorsements.use-case.js';
import { REQUEST_FILE_MAX_BYTES, contentDisposition } from './request-file.js';
import { statusLabel } from './request-status.js';
import {
  QUORUM_MAX,
  REQUEST_LIMITS,
  hasQuorum,
  type BadgeRequestDoc,
  type RequestActor,
  type RequestPageReads,
  type RequestStatus,
  type RequestsUseCases,
  type UploadedFile,
} from './requests.use-case.js';
import { param, str } from '../../libraries/http/params.js';

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function links(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

const formKey = () => randomBytes(16).toString('base64url');
const enc = encodeURIComponent;

interface FormValues {
  badgeClassId: string;
  links: string[];
  text: string;
  formKey: string;
  removeFile: boolean;
}

export function requestsController(deps: {
  requests: RequestsUseCases;
  dashboard: DashboardUseCases;
  reads: RequestPageReads;
  urls: PublicUrls;
}) {
  const { requests, reads, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;
  const actor = (req: Request) => req.user! as RequestActor;

  // ---------------------------------------------------------------- the mediator's space

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
          selected: b._id === values.badgeClassId,
        })),
      })),
      single: catalogue.length === 1 && catalogue[0]!.badges.length === 1,
      chosen: chosen && {
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

  // ---------------------------------------------------------------- one request

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

  const show: RequestHandler = (req, res) => renderShow(req, res, param(req, 'requestId'));

  const showEdit: RequestHandler = async (req, res) => {
    const found = await requests.get(actor(req), param(req, 'requestId'));
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

  // ---------------------------------------------------------------- coordinators

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

  // ---------------------------------------------------------------- quorum settings

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

  return {
    showNew,
    create,
    show,
    showEdit,
    resubmit,
    file,
    endorse,
    queue,
    approve,
    returnForChanges,
    reject,
    showQuorum,
    setQuorum,
  };
}
export type RequestsController = ReturnType<typeof requestsController>;
