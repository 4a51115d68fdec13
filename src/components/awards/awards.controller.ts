import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { can } from '../../libraries/authz/authorization.js';
import { NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { AchievementsUseCases } from '../achievements/achievements.use-case.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import type { KeyService } from '../keys/keys.use-case.js';
import type { AwardsUseCases } from './awards.use-case.js';
import type { PublicUrls } from './public-urls.js';
import { param, str } from '../../libraries/http/params.js';

export interface IssueFormValues {
  badgeClassId: string;
  /** A member of the issuer picked from the list ('' : the email typed below). */
  memberId: string;
  recipientEmail: string;
  /** Evidence links, one per line. */
  evidence: string;
  /** Evidence described in words (what was done, where, when). */
  evidenceText: string;
  narrative: string;
  lang: string;
  idempotencyKey: string;
}

/** Coordinators' pages: the issuer's page, the issuing form, revoking, rotating keys. */
export function awardsController(deps: {
  awards: AwardsUseCases;
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  keys: KeyService;
  urls: PublicUrls;
}) {
  const { awards, achievements, issuers, keys, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  const issuerPage: RequestHandler = async (req, res) => {
    const user = req.user!;
    const issuerId = param(req, 'issuerId');
    const issuer = await issuers.getIssuer(issuerId);
    const [all, badges, recent] = await Promise.all([
      achievements.listForIssuer(issuerId),
      achievements.issuable(issuerId),
      awards.recentForIssuer(issuerId, 20),
    ]);
    // Awards may be of earlier versions or archived badges: every version names its award.
    const names = new Map(all.map((b) => [b._id, b.name]));
    const canRotate = can(user, 'issuer.rotateKeys', { issuerId });
    res.render('awards/issuer', {
      pageTitle: issuer.name,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name, publicUrl: urls.issuer(issuer._id) },
      canCreateBadge: can(user, 'badgeClass.create', { issuerId }),
      canIssue: can(user, 'award.issue', { issuerId }),
      canManageMembers: can(user, 'issuer.viewMembers', { issuerId }),
      canEdit: can(user, 'issuer.edit', { issuerId }),
      canRotate,
      badges: badges.map((b) => ({
        id: b._id,
        name: b.name,
        image: urls.badgeClassImage(b._id, 'svg'),
        createdAt: b.createdAt,
      })),
      awards: recent.map((a) => ({
        id: a._id,
        badgeName: names.get(a.badgeClassId) ?? a.badgeClassId,
        email: a.recipient.email,
        issuedOn: a.issuedOn,
        revoked: a.revoked,
      })),
      keys: canRotate
        ? (await keys.listPublicKeys(issuerId)).map((k) => ({
            id: k._id,
            type: k.type === 'RSA' ? 'RSA 2048' : 'Ed25519',
            use: t(res)(k.type === 'RSA' ? 'issuerPage.keys.useRsa' : 'issuerPage.keys.useEd'),
            active: k.status === 'active',
            compromised: k.status === 'compromised',
            createdAt: k.createdAt,
            retiredAt: k.retiredAt,
            compromisedAt: k.compromisedAt,
            // A compromised key is published nowhere: no link to a document that answers 410.
            url: k.status === 'compromised' ? undefined : urls.key(issuerId, k._id),
          }))
        : [],
    });
  };

  async function renderIssueForm(
    req: Request,
    res: Response,
    values: IssueFormValues,
    options: { status?: number; errors?: ValidationError } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    // Read at once: under load each round trip to the database waits its turn.
    const [issuer, badges, members] = await Promise.all([
      issuers.getIssuer(issuerId),
      achievements.issuable(issuerId),
      can(req.user, 'issuer.viewMembers', { issuerId })
        ? issuers.members(req.user!, issuerId)
        : Promise.resolve([]),
    ]);
    const tr = t(res);
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('awards.issue.title');
    const chosen = badges.find((b) => b._id === values.badgeClassId);
    res.status(options.status ?? 200).render('awards/issue', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      canCreateBadge: can(req.user, 'badgeClass.create', { issuerId }),
      badges: badges.map((b) => ({
        id: b._id,
        name: b.name,
        selected: b._id === values.badgeClassId,
      })),
      chosen: chosen && {
        name: chosen.name,
        image: urls.badgeClassImage(chosen._id, 'svg'),
        evidenceRequired: chosen.evidenceRequired,
      },
      // Mediators first (they receive badges), then the staff, each by name.
      members: [
        ...members.filter((m) => m.role === 'member'),
        ...members.filter((m) => m.role !== 'member'),
      ].map((m) => ({
        id: m.userId,
        label: `${m.name} (${m.email})`,
        selected: m.userId === values.memberId,
      })),
      values,
      langs: ['fr', 'en'].map((l) => ({
        value: l,
        label: tr(`languages.${l}`),
        checked: (values.lang || 'fr') === l,
      })),
      errors,
    });
  }

  const showIssue: RequestHandler = (req, res) =>
    renderIssueForm(req, res, {
      badgeClassId: str(req.query.badge),
      memberId: str(req.query.membre),
      recipientEmail: '',
      evidence: '',
      evidenceText: '',
      narrative: '',
      lang: 'fr',
      // One key per displayed form: submitting it twice issues once.
      idempotencyKey: randomBytes(16).toString('base64url'),
    });

  const issue: RequestHandler = async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const issuerId = param(req, 'issuerId');
    const values: IssueFormValues = {
      badgeClassId: str(b.badgeClassId),
      memberId: str(b.memberId),
      recipientEmail: str(b.recipientEmail),
      evidence: str(b.evidence),
      evidenceText: str(b.evidenceText),
      narrative: str(b.narrative),
      lang: str(b.lang) === 'en' ? 'en' : 'fr',
      idempotencyKey: /^[A-Za-z0-9_-]{16,64}$/.test(str(b.idempotencyKey))
        ? str(b.idempotencyKey)
        : randomBytes(16).toString('base64url'),
    };
    let outcome;
    try {
      // A member picked from the list: their account's address, whatever was typed.
      let recipientEmail = values.recipientEmail;
      if (values.memberId) {
        const member = (await issuers.members(req.user!, issuerId)).find(
          (m) => m.userId === values.memberId,
        );
        if (!member) {
          throw new ValidationError([{ field: 'memberId', messageKey: 'awards.errors.member' }]);
        }
        recipientEmail = member.email;
      }
      const evidence = [
        ...values.evidence
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
          .map((url) => ({ url })),
        ...(values.evidenceText.trim() ? [{ narrative: values.evidenceText.trim() }] : []),
      ];
      outcome = await awards.issueAward({
        actor: req.user!,
        ip: req.ip ?? '',
        issuerId,
        badgeClassId: values.badgeClassId,
        recipientEmail,
        evidence,
        narrative: values.narrative,
        lang: values.lang,
        idempotencyKey: values.idempotencyKey,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderIssueForm(req, res, values, { status: 422, errors: err });
    }
    const email = outcome.award.recipient.email;
    if (!outcome.created) flash(req, { kind: 'ok', key: 'awards.issue.alreadyIssued' });
    else if (outcome.mailSent === false)
      flash(req, { kind: 'warn', key: 'awards.issue.doneMailFailed', params: { email } });
    else flash(req, { kind: 'ok', key: 'awards.issue.done', params: { email } });
    res.redirect(303, `/assertions/${encodeURIComponent(outcome.award._id)}`);
  };

  const awardPage = (awardId: string) => `/assertions/${encodeURIComponent(awardId)}`;

  /**
   * Revocation is final, so the award page only links here: this page says what will happen
   * and asks for the reason; its form (POST, below) revokes. Errors come back to this page.
   */
  async function renderRevokeConfirm(
    req: Request,
    res: Response,
    options: { status?: number; errors?: ValidationError; reason?: string } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const award = await awards.getAward(param(req, 'assertionId'));
    if (award.issuerId !== issuerId) throw new NotFoundError();
    if (award.revoked) {
      flash(req, { kind: 'ok', key: 'awards.revoke.already' });
      return res.redirect(303, awardPage(award._id));
    }
    const badge = await achievements.getBadgeClass(award.badgeClassId);
    const tr = t(res);
    res.status(options.status ?? 200).render('awards/revoke-confirm', {
      pageTitle: tr('awards.revoke.confirmTitle', { badge: badge.name }),
      badgeName: badge.name,
      email: award.recipient.email,
      issuedOn: award.issuedOn,
      back: awardPage(award._id),
      action: `/structures/${encodeURIComponent(issuerId)}/assertions/${encodeURIComponent(award._id)}/revoquer`,
      reason: options.reason ?? '',
      errors: options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined,
    });
  }

  const confirmRevoke: RequestHandler = (req, res) => renderRevokeConfirm(req, res);

  const revoke: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const awardId = param(req, 'assertionId');
    const reason = str((req.body as Record<string, unknown> | undefined)?.reason);
    let result;
    try {
      result = await awards.revokeAward({
        actor: req.user!,
        ip: req.ip ?? '',
        issuerId,
        awardId,
        reason,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderRevokeConfirm(req, res, { status: 422, errors: err, reason });
    }
    flash(req, {
      kind: 'ok',
      key: result.revoked ? 'awards.revoke.done' : 'awards.revoke.already',
    });
    res.redirect(303, awardPage(awardId));
  };

  const rotateKeys: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const result = await awards.rotateIssuerKeys({ actor: req.user!, ip: req.ip ?? '', issuerId });
    flash(req, { kind: 'ok', key: 'issuerPage.keys.rotated', params: { count: result.resigned } });
    res.redirect(303, `/structures/${encodeURIComponent(issuerId)}#cles`);
  };

  return { issuerPage, showIssue, issue, confirmRevoke, revoke, rotateKeys };
}
