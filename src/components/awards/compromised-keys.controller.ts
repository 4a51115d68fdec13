import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { AchievementsUseCases } from '../achievements/achievements.use-case.js';
import type { PublicKeyInfo } from '../keys/keys.use-case.js';
import {
  COMPROMISE_REVOCATION_REASON,
  type CompromisedKeysUseCases,
} from './compromised-keys.use-case.js';
import type { PublicUrls } from './public-urls.js';
import { param, str } from '../../libraries/http/params.js';

const enc = encodeURIComponent;
const typeLabel = (k: PublicKeyInfo) => (k.type === 'RSA' ? 'RSA 2048' : 'Ed25519');

/** The owner's pages: the keys, declaring one compromised, issuing its badges again. */
export function compromisedKeysController(deps: {
  compromisedKeys: CompromisedKeysUseCases;
  achievements: Pick<AchievementsUseCases, 'listForIssuer'>;
  urls: PublicUrls;
}) {
  const { compromisedKeys, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;
  const keysPath = (issuerId: string) => `/structures/${enc(issuerId)}/cles`;
  const keyPath = (issuerId: string, keyId: string) => `${keysPath(issuerId)}/${enc(keyId)}`;

  const list: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const { issuer, keys } = await compromisedKeys.listKeys(req.user!, issuerId);
    const tr = t(res);
    res.render('keys/list', {
      pageTitle: `${tr('keys.list.title')} — ${issuer.name}`,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      keys: keys.map((k) => ({
        id: k._id,
        type: typeLabel(k),
        use: tr(k.type === 'RSA' ? 'issuerPage.keys.useRsa' : 'issuerPage.keys.useEd'),
        status: tr(`keys.status.${k.status}`),
        compromised: k.status === 'compromised',
        createdAt: k.createdAt,
        endedAt: k.compromisedAt ?? k.retiredAt,
        // A compromised key has no public document any more (its URL answers 410).
        url: k.status === 'compromised' ? undefined : urls.key(issuerId, k._id),
        declare: `${keyPath(issuerId, k._id)}/declarer-compromise`,
        affected: `${keyPath(issuerId, k._id)}/badges-concernes`,
      })),
    });
  };

  async function renderConfirm(
    req: Request,
    res: Response,
    options: { status?: number; errors?: ValidationError; reason?: string } = {},
  ): Promise<void> {
    const issuerId = param(req, 'issuerId');
    const keyId = param(req, 'keyId');
    const { issuer, key } = await compromisedKeys.getKey(req.user!, issuerId, keyId);
    const tr = t(res);
    const title = tr('keys.compromise.title');
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const affected =
      key.status === 'compromised'
        ? undefined
        : (await compromisedKeys.affected(req.user!, issuerId, keyId, 1)).total;
    res.status(options.status ?? 200).render('keys/compromise', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      navCurrent: 'issuers',
      issuer: { id: issuer._id, name: issuer.name },
      key: {
        id: key._id,
        type: typeLabel(key),
        createdAt: key.createdAt,
        active: key.status === 'active',
        compromised: key.status === 'compromised',
        compromisedAt: key.compromisedAt,
        compromiseReason: key.compromiseReason,
      },
      // Plurals are chosen here (i18next `_one/_other`), views only print the sentence.
      effectBadges:
        affected === undefined ? '' : tr('keys.compromise.effectBadges', { count: affected }),
      action: `${keyPath(issuerId, keyId)}/declarer-compromise`,
      affectedUrl: `${keyPath(issuerId, keyId)}/badges-concernes`,
      back: keysPath(issuerId),
      reason: options.reason ?? '',
      errors,
    });
  }

  const showCompromise: RequestHandler = (req, res) => renderConfirm(req, res);

  const compromise: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const keyId = param(req, 'keyId');
    const reason = str((req.body as Record<string, unknown> | undefined)?.reason);
    let result;
    try {
      result = await compromisedKeys.declareCompromised({
        actor: req.user!,
        ip: req.ip ?? '',
        issuerId,
        keyId,
        reason,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderConfirm(req, res, { status: 422, errors: err, reason });
    }
    if (result.already) {
      return res.redirect(303, `${keyPath(issuerId, keyId)}/declarer-compromise`);
    }
    flash(req, {
      kind: 'ok',
      key: result.replacement ? 'keys.compromise.doneReplacement' : 'keys.compromise.done',
    });
    res.redirect(303, `${keyPath(issuerId, keyId)}/badges-concernes`);
  };

  const affected: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const keyId = param(req, 'keyId');
    const page = Number(str(req.query.page)) || 1;
    const result = await compromisedKeys.affected(req.user!, issuerId, keyId, page);
    const tr = t(res);
    const names = new Map(
      (await deps.achievements.listForIssuer(issuerId)).map((b) => [b._id, b.name]),
    );
    const now = new Date();
    const base = `${keyPath(issuerId, keyId)}/badges-concernes`;
    res.render('keys/affected', {
      pageTitle: tr('keys.affected.title'),
      navCurrent: 'issuers',
      issuer: { id: result.issuer._id, name: result.issuer.name },
      key: {
        id: result.key._id,
        type: typeLabel(result.key),
        compromised: result.key.status === 'compromised',
        compromisedAt: result.key.compromisedAt,
      },
      total: result.total,
      pending: result.pending,
      countText: tr('keys.affected.count', { count: result.total }),
      pendingText: tr('keys.affected.pending', { count: result.pending }),
      awards: result.awards.map((a) => ({
        id: a.id,
        badgeName: names.get(a.badgeClassId) ?? a.badgeClassId,
        email: a.email,
        issuedOn: a.issuedOn,
        state: a.revoked
          ? tr('keys.affected.stateRevoked', { reason: a.revocationReason ?? '' })
          : a.expires && a.expires <= now
            ? tr('keys.affected.stateExpired')
            : tr('keys.affected.statePending'),
      })),
      pager: {
        page: result.page,
        pages: result.pages,
        prev: result.page > 1 ? `${base}?page=${result.page - 1}` : undefined,
        next: result.page < result.pages ? `${base}?page=${result.page + 1}` : undefined,
      },
      reissueUrl: `${keyPath(issuerId, keyId)}/delivrer-a-nouveau`,
      back: keysPath(issuerId),
    });
  };

  const showReissue: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const keyId = param(req, 'keyId');
    const result = await compromisedKeys.affected(req.user!, issuerId, keyId, 1);
    const tr = t(res);
    res.render('keys/reissue-confirm', {
      pageTitle: tr('keys.reissue.title', { count: result.pending }),
      navCurrent: 'issuers',
      issuer: { id: result.issuer._id, name: result.issuer.name },
      title: tr('keys.reissue.title', { count: result.pending }),
      compromised: result.key.status === 'compromised',
      reason: COMPROMISE_REVOCATION_REASON,
      action: `${keyPath(issuerId, keyId)}/delivrer-a-nouveau`,
      back: `${keyPath(issuerId, keyId)}/badges-concernes`,
    });
  };

  const reissue: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const keyId = param(req, 'keyId');
    const report = await compromisedKeys.reissueAffected({
      actor: req.user!,
      ip: req.ip ?? '',
      issuerId,
      keyId,
    });
    if (report.reissued === 0) flash(req, { kind: 'ok', key: 'keys.reissue.nothing' });
    else flash(req, { kind: 'ok', key: 'keys.reissue.done', params: { count: report.reissued } });
    if (report.mailFailed > 0) {
      flash(req, {
        kind: 'warn',
        key: 'keys.reissue.mailFailed',
        params: { count: report.mailFailed },
      });
    }
    res.redirect(303, `${keyPath(issuerId, keyId)}/badges-concernes`);
  };

  return { list, showCompromise, compromise, affected, showReissue, reissue };
}
