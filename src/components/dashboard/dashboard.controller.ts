import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { Actor } from '../awards/awards.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import { statusLabel } from '../requests/request-status.js';
import { BULK_REVOKE_MAX, type DashboardUseCases } from './dashboard.use-case.js';
import { param, str } from '../../libraries/http/params.js';

const enc = encodeURIComponent;

function pageLinks(base: string, values: Record<string, string>, page: number, pages: number) {
  const link = (p: number) => `${base}?${new URLSearchParams({ ...values, page: String(p) })}`;
  return {
    page,
    pages,
    prev: page > 1 ? link(page - 1) : undefined,
    next: page < pages ? link(page + 1) : undefined,
  };
}

/** The coordinators' overview, the mediator directory, the awards of a badge and bulk revocation. */
export function dashboardController(deps: { dashboard: DashboardUseCases; urls: PublicUrls }) {
  const { dashboard, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  const overview: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const tr = t(res);
    const before = str(req.query.avant);
    const o = await dashboard.overview(req.user!, issuerId, before ? { before } : {});
    const base = `/structures/${enc(issuerId)}`;
    res.render('dashboard/overview', {
      pageTitle: tr('dashboard.title', { issuer: o.issuer.name }),
      navCurrent: 'issuers',
      issuer: { id: o.issuer._id, name: o.issuer.name, page: base },
      // Labels agree with their number ("1 badge révoqué", "0 demande en attente").
      stats: [
        { value: o.totals.issued - o.totals.revoked, key: 'activeAwards' },
        { value: o.totals.revoked, key: 'revokedAwards' },
        { value: o.requests.pending, key: 'pendingRequests', url: `${base}/demandes` },
        { value: o.requests.returned, key: 'returnedRequests' },
      ].map(({ value, key, url }) => ({
        value,
        label: tr(`dashboard.${key}`, { count: value }),
        url,
      })),
      byBadge: o.byBadge.map((r) => ({
        name: r.badge.name,
        archived: r.badge.status === 'archived',
        issued: r.issued,
        revoked: r.revoked,
        active: r.active,
        awardsUrl: `${base}/badges/${enc(r.badge._id)}/attributions`,
        quorumUrl: `${base}/badges/${enc(r.badge._id)}/recommandations-requises`,
        quorum:
          r.badge.quorum && r.badge.quorum.coordinators + r.badge.quorum.peers > 0
            ? r.badge.quorum
            : undefined,
      })),
      byCompetency: o.byCompetency,
      requests: {
        pending: o.requests.pending,
        returned: o.requests.returned,
        queueUrl: `${base}/demandes`,
        oldest: o.requests.oldest.map((r) => ({
          url: `/demandes/${enc(r._id)}`,
          requesterName: r.requesterName,
          badgeName: o.badgeNames.get(r.badgeClassId) ?? r.badgeClassId,
          updatedAt: r.updatedAt,
          statusLabel: statusLabel(tr, r.status),
        })),
      },
      activity: o.activity.events.map((e) => ({
        at: e.at,
        action: tr(`audit.actions.${e.action}`, { defaultValue: e.action }),
        actor: e.actorLabel,
        // Older file runs recorded the badge's id: shown by its name all the same.
        badge:
          typeof e.details.badge === 'string'
            ? (o.badgeNames.get(e.details.badge) ?? e.details.badge)
            : undefined,
      })),
      activityNext: o.activity.next
        ? `${base}/tableau-de-bord?${new URLSearchParams({ avant: o.activity.next })}#activite`
        : undefined,
      directoryUrl: `${base}/mediateurs`,
    });
  };

  const directory: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const tr = t(res);
    const d = await dashboard.directory(req.user!, issuerId, {
      q: str(req.query.q),
      badge: str(req.query.badge),
      competency: str(req.query.competence),
      page: Number(str(req.query.page)) || 1,
    });
    const values = { q: d.values.q, badge: d.values.badge, competence: d.values.competency };
    res.render('dashboard/directory', {
      pageTitle: tr('directory.title', { issuer: d.issuer.name }),
      navCurrent: 'issuers',
      issuer: { id: d.issuer._id, name: d.issuer.name },
      values,
      badges: d.badges.map((b) => ({
        id: b._id,
        name: b.name,
        selected: b._id === d.values.badge,
      })),
      competencies: d.competencies.map((c) => ({
        key: c.key,
        label: `${c.framework} ${c.code} — ${c.name}`,
        selected: c.key === d.values.competency,
      })),
      rows: d.rows.map((r) => ({
        name: r.name,
        email: r.email,
        role: tr(`roles.${r.role}`),
        awards: r.awards.map((a) => ({ name: a.name, url: `/assertions/${enc(a.id)}` })),
      })),
      total: d.total,
      countLabel: tr('directory.count', { count: d.total }),
      ...pageLinks(`/structures/${enc(issuerId)}/mediateurs`, values, d.page, d.pages),
    });
  };

  async function renderAwards(
    req: Request,
    res: Response,
    options: { status?: number; errors?: ValidationError; reason?: string; chosen?: string[] } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const badgeClassId = param(req, 'badgeClassId');
    const tr = t(res);
    const values = { statut: str(req.query.statut) || 'actifs', email: str(req.query.email) };
    const a = await dashboard.awardsOfBadge(req.user!, issuerId, badgeClassId, {
      status: values.statut,
      email: values.email,
      page: Number(str(req.query.page)) || 1,
    });
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('bulkRevoke.title', { badge: a.badgeClass.name });
    const base = `/structures/${enc(issuerId)}/badges/${enc(badgeClassId)}`;
    const chosen = new Set(options.chosen ?? []);
    res.status(options.status ?? 200).render('dashboard/awards', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      title,
      issuer: { id: a.issuer._id, name: a.issuer.name },
      badge: { name: a.badgeClass.name, page: urls.badgeClass(a.badgeClass._id) },
      values,
      statuses: ['actifs', 'revoques', 'tous'].map((s) => ({
        value: s,
        label: tr(`bulkRevoke.status.${s}`),
        selected: s === a.status,
      })),
      rows: a.rows.map((r) => ({
        id: r._id,
        url: `/assertions/${enc(r._id)}`,
        email: r.recipient.email,
        issuedOn: r.issuedOn,
        revoked: r.revoked,
        revokedAt: r.revokedAt,
        reason: r.revocationReason,
        checked: chosen.has(r._id),
      })),
      anyActive: a.rows.some((r) => !r.revoked),
      total: a.total,
      countLabel: tr('bulkRevoke.count', { count: a.total }),
      action: `${base}/revoquer`,
      reason: options.reason ?? '',
      max: BULK_REVOKE_MAX,
      errors,
      ...pageLinks(`${base}/attributions`, values, a.page, a.pages),
    });
  }

  const awards: RequestHandler = (req, res) => renderAwards(req, res);

  function chosenIds(v: unknown): string[] {
    return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
  }

  /**
   * Bulk revocation in two steps without JavaScript: the list's form posts the chosen awards
   * and the reason; this page asks to confirm; the confirmation (`confirmer=oui`) revokes.
   */
  const revokeMany: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const badgeClassId = param(req, 'badgeClassId');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = { awardIds: body.awardIds, reason: body.reason };
    const tr = t(res);
    const base = `/structures/${enc(issuerId)}/badges/${enc(badgeClassId)}`;
    try {
      if (str(body.confirmer) !== 'oui') {
        const { awards: chosen, reason } = await dashboard.prepareRevocation(
          req.user!,
          issuerId,
          input,
        );
        const title = tr('bulkRevoke.confirmTitle', { count: chosen.length });
        return res.render('dashboard/revoke-confirm', {
          pageTitle: title,
          navCurrent: 'issuers',
          title,
          reason,
          action: `${base}/revoquer`,
          back: `${base}/attributions`,
          confirmLabel: tr('bulkRevoke.confirm', { count: chosen.length }),
          awards: chosen.map((a) => ({
            id: a._id,
            email: a.recipient.email,
            issuedOn: a.issuedOn,
          })),
        });
      }
      const result = await dashboard.revokeMany(req.user! as Actor, req.ip ?? '', issuerId, input);
      flash(req, {
        kind: result.mailFailed ? 'warn' : 'ok',
        key: result.mailFailed ? 'bulkRevoke.doneMailFailed' : 'bulkRevoke.done',
        params: { count: result.revoked, already: result.already, failed: result.mailFailed },
      });
      res.redirect(303, `${base}/attributions?statut=revoques`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderAwards(req, res, {
        status: 422,
        errors: err,
        reason: str(body.reason),
        chosen: chosenIds(body.awardIds),
      });
    }
  };

  return { overview, directory, awards, revokeMany };
}
export type DashboardController = ReturnType<typeof dashboardController>;
