import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { can } from '../../libraries/authz/authorization.js';
import { NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { BadgeClassDoc } from '../achievements/achievements.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { EndorsementDocuments } from './endorsement-documents.js';
import { endorsementItem } from './endorsement-item.js';
import {
  ENDORSEMENT_COMMENT_MAX,
  endorserRole,
  MAX_ENDORSEMENTS_PER_TARGET,
  type AwardDoc,
  type EndorsementPageReads,
  type EndorsementsUseCases,
} from './endorsements.use-case.js';
import { param } from '../../libraries/http/params.js';

/** Same headers as the other pages that share a URL with a document. */
function pageHeaders(res: Response): void {
  res.vary('Accept');
  res.vary('Accept-Language');
  res.vary('Cookie');
  if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-cache');
}

export function endorsementsController(deps: {
  endorsements: EndorsementsUseCases;
  documents: EndorsementDocuments;
  urls: PublicUrls;
  reads: EndorsementPageReads;
}) {
  const { endorsements, documents, urls, reads } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  /** The recommendation's page (its OB 2.0 document: the public URL map). */
  const show: RequestHandler = async (req, res) => {
    const id = param(req, 'endorsementId');
    const e = await documents.published(id);
    if (!e) throw new NotFoundError();
    const [issuer, badgeClass] = await Promise.all([
      reads.issuer(e.issuerId),
      reads.badgeClass(e.badgeClassId),
    ]);
    if (!issuer || !badgeClass) throw new NotFoundError();
    const tr = t(res);
    pageHeaders(res);
    res.render('endorsements/show', {
      pageTitle: tr('endorsements.page.title', { name: e.endorserName }),
      endorsement: endorsementItem(e, tr, issuer.name),
      badge: {
        name: badgeClass.name,
        image: urls.badgeClassImage(badgeClass._id, 'svg'),
        page: urls.badgeClass(badgeClass._id),
      },
      issuer: { name: issuer.name, page: urls.issuerPage(issuer._id) },
      target:
        e.target.kind === 'award'
          ? { award: true, url: urls.assertion(e.target.id) }
          : { award: false, url: urls.badgeClass(e.target.id) },
      technical: [
        { label: tr('endorsements.page.tech.hosted'), url: urls.endorsement(e._id), ld: true },
        { label: tr('endorsements.page.tech.jws'), url: urls.endorsementJws(e._id) },
        { label: tr('endorsements.page.tech.credential'), url: urls.endorsementCredential(e._id) },
        {
          label: tr('endorsements.page.tech.profile'),
          url: urls.person(e.issuerId, e.endorserProfileId),
          ld: true,
        },
      ],
    });
  };

  /** The page of a person who recommends (their OB 2.0 Profile: the public URL map). */
  const person: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const personId = param(req, 'personId');
    const found = await documents.profileOf(issuerId, personId);
    if (!found) throw new NotFoundError();
    const membership = await reads.membership(issuerId, found.user._id);
    const role = endorserRole(membership?.role);
    const tr = t(res);
    pageHeaders(res);
    res.render('endorsements/person', {
      pageTitle: found.user.name,
      person: {
        name: found.user.name,
        role: role ? tr(`endorsements.roles.${role}`) : undefined,
      },
      issuer: { name: found.issuer.name, page: urls.issuerPage(issuerId) },
      technical: [
        {
          label: tr('endorsements.person.tech.profile'),
          url: urls.person(issuerId, personId),
          ld: true,
        },
        {
          label: tr('endorsements.person.tech.did', { did: urls.personDid(issuerId, personId) }),
          url: urls.personDidDocument(issuerId, personId),
        },
      ],
    });
  };

  // ---------------------------------------------------------------- recommending

  interface Target {
    kind: 'award' | 'badgeClass';
    id: string;
    badgeName: string;
    image: string;
    back: string;
    issuerName: string;
    count: number;
  }

  async function awardTarget(id: string): Promise<{ target: Target; award: AwardDoc }> {
    const award = await reads.award(id);
    if (!award) throw new NotFoundError();
    const [badgeClass, issuer] = await Promise.all([
      reads.badgeClass(award.badgeClassId),
      reads.issuer(award.issuerId),
    ]);
    if (!badgeClass || !issuer) throw new NotFoundError();
    const existing = await endorsements.listForTarget({ kind: 'award', id });
    return {
      award,
      target: {
        kind: 'award',
        id,
        badgeName: badgeClass.name,
        image: urls.badgeClassImage(badgeClass._id, 'svg'),
        back: `/assertions/${encodeURIComponent(id)}`,
        issuerName: issuer.name,
        count: existing.length,
      },
    };
  }

  async function badgeTarget(id: string): Promise<Target> {
    const badgeClass = await reads.badgeClass(id);
    if (!badgeClass) throw new NotFoundError();
    const issuer = await reads.issuer(badgeClass.issuerId);
    if (!issuer) throw new NotFoundError();
    const existing = await endorsements.listForTarget({ kind: 'badgeClass', id });
    return {
      kind: 'badgeClass',
      id,
      badgeName: badgeClass.name,
      image: urls.badgeClassImage(badgeClass._id, 'svg'),
      back: `/badges/${encodeURIComponent(id)}`,
      issuerName: issuer.name,
      count: existing.length,
    };
  }

  function renderForm(
    res: Response,
    target: Target,
    options: { comment?: string; errors?: ValidationError; status?: number } = {},
  ): void {
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr(
      target.kind === 'award' ? 'endorsements.form.titleAward' : 'endorsements.form.titleBadge',
      { badge: target.badgeName },
    );
    res.status(options.status ?? 200).render('endorsements/form', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      title,
      target,
      action:
        target.kind === 'award'
          ? `/assertions/${encodeURIComponent(target.id)}/recommander`
          : `/badges/${encodeURIComponent(target.id)}/recommander`,
      intro: tr(
        target.kind === 'award' ? 'endorsements.form.introAward' : 'endorsements.form.introBadge',
        { issuer: target.issuerName },
      ),
      comment: options.comment ?? '',
      max: ENDORSEMENT_COMMENT_MAX,
      errors,
    });
  }

  const showAwardForm: RequestHandler = async (req, res) => {
    const { target, award } = await awardTarget(param(req, 'assertionId'));
    const refusal = endorsements.awardRefusal(
      req.user,
      award,
      await endorsements.listForTarget({ kind: 'award', id: award._id }),
    );
    if (refusal) {
      flash(req, {
        kind: 'warn',
        key: `endorsements.refused.${refusal}`,
        params: { max: MAX_ENDORSEMENTS_PER_TARGET },
      });
      return res.redirect(303, target.back);
    }
    renderForm(res, target);
  };

  const endorseAward: RequestHandler = async (req, res) => {
    const id = param(req, 'assertionId');
    const comment = String((req.body as Record<string, unknown> | undefined)?.comment ?? '');
    let result;
    try {
      result = await endorsements.endorseAward({
        actor: req.user!,
        ip: req.ip ?? '',
        awardId: id,
        comment,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { target } = await awardTarget(id);
      return renderForm(res, target, { comment, errors: err, status: 422 });
    }
    flash(req, {
      kind: 'ok',
      key: result.created ? 'endorsements.done' : 'endorsements.refused.already',
    });
    res.redirect(303, `/assertions/${encodeURIComponent(id)}#recommandations`);
  };

  const showBadgeForm: RequestHandler = async (req, res) => {
    const target = await badgeTarget(param(req, 'badgeClassId'));
    const badgeClass = await reads.badgeClass(target.id);
    // Only people of the issuer recommend its badges (the use case says so again on POST).
    endorsements.roleIn(req.user!, badgeClass!.issuerId);
    renderForm(res, target);
  };

  const endorseBadge: RequestHandler = async (req, res) => {
    const id = param(req, 'badgeClassId');
    const comment = String((req.body as Record<string, unknown> | undefined)?.comment ?? '');
    let result;
    try {
      result = await endorsements.endorseBadgeClass({
        actor: req.user!,
        ip: req.ip ?? '',
        badgeClassId: id,
        comment,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderForm(res, await badgeTarget(id), { comment, errors: err, status: 422 });
    }
    flash(req, {
      kind: 'ok',
      key: result.created ? 'endorsements.doneBadge' : 'endorsements.refused.already',
    });
    res.redirect(303, `/badges/${encodeURIComponent(id)}#recommandations`);
  };

  // ---------------------------------------------------------------- on other pages

  /** The recommendations block of an award page (and the link to recommend it). */
  async function awardExtras(req: Request, res: Response, award: AwardDoc) {
    const tr = t(res);
    const list = await endorsements.listShown({ kind: 'award', id: award._id });
    const refusal = endorsements.awardRefusal(req.user, award, list);
    return {
      endorsements: list.map((e) => endorsementItem(e, tr)),
      endorseUrl: refusal ? undefined : `/assertions/${encodeURIComponent(award._id)}/recommander`,
      already: refusal === 'already',
    };
  }

  /**
   * The recommendations block of a badge page, and the ways to recommend or request it
   * (`badgeClass`: the page has just read it).
   */
  async function badgeClassExtras(req: Request, res: Response, badgeClass: BadgeClassDoc) {
    const tr = t(res);
    const badgeClassId = badgeClass._id;
    const list = await endorsements.listShown({ kind: 'badgeClass', id: badgeClassId });
    const user = req.user;
    const role =
      user && Object.hasOwn(user.roles, badgeClass.issuerId)
        ? user.roles[badgeClass.issuerId]
        : undefined;
    const member = !!endorserRole(role);
    const mine = user ? list.some((e) => e.endorserUserId === user.id) : false;
    return {
      endorsements: list.map((e) => endorsementItem(e, tr)),
      endorseUrl:
        member && !mine && list.length < MAX_ENDORSEMENTS_PER_TARGET
          ? `/badges/${encodeURIComponent(badgeClassId)}/recommander`
          : undefined,
      already: mine,
      requestUrl:
        user &&
        badgeClass.status === 'active' &&
        can(user, 'request.create', { issuerId: badgeClass.issuerId }) &&
        role !== undefined
          ? `/demandes/nouvelle?badge=${encodeURIComponent(badgeClassId)}`
          : undefined,
      quorum: badgeClass.quorum,
    };
  }

  return {
    show,
    person,
    showAwardForm,
    endorseAward,
    showBadgeForm,
    endorseBadge,
    awardExtras,
    badgeClassExtras,
  };
}
export type EndorsementsController = ReturnType<typeof endorsementsController>;
