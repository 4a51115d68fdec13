import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import type { ProfileImportedBadge } from '../imports/imports.use-case.js';
import { formatDate } from '../../libraries/i18n/format-date.js';
import { param } from '../../libraries/http/params.js';
import { renderFormErrors } from '../../libraries/web/forms.js';
import { flash } from '../accounts/accounts.middleware.js';
import type { PublicUrls } from '../awards/public-urls.js';
import { statusLabel } from '../requests/request-status.js';
import { verificationViewModel } from '../verification/verification-view-model.js';
import {
  PROFILE_LIMITS,
  type BackpackActor,
  type BackpackItem,
  type BackpackUseCases,
} from './backpack.use-case.js';

const enc = encodeURIComponent;

/**
 * A badge from another platform shown on the public profile (the "imports" component fills
 * this list; empty until then). Same fields as the profile's own badges.
 */
export function backpackController(deps: {
  backpack: BackpackUseCases;
  urls: PublicUrls;
  publicUrl: string;
  /**
   * Imported badges the person chose to show on their public profile (extension point for
   * src/components/imports). Default: none.
   */
  importedBadges?: (userId: string) => Promise<ProfileImportedBadge[]>;
}) {
  const { backpack, urls } = deps;
  const t = (res: Response) => res.locals.t as TFunction;
  const lang = (res: Response) => String(res.locals.lang ?? 'fr');
  const actor = (req: Request) => req.user! as BackpackActor;

  /** "Valide jusqu'au …", "A expiré le …", "Révoqué le … Motif : …". */
  function statusView(item: BackpackItem, res: Response) {
    const tr = t(res);
    const l = lang(res);
    const s = item.status;
    if (s.kind === 'revoked') {
      return {
        kind: s.kind,
        tone: 'bad',
        label: String(
          s.at
            ? tr('backpack.status.revokedOn', { date: formatDate(s.at, l) })
            : tr('backpack.status.revoked'),
        ),
        reason: s.reason ? String(tr('backpack.status.reason', { reason: s.reason })) : undefined,
      };
    }
    if (s.kind === 'expired') {
      return {
        kind: s.kind,
        tone: 'warn',
        label: String(tr('backpack.status.expiredOn', { date: formatDate(s.at, l) })),
      };
    }
    return {
      kind: s.kind,
      tone: 'ok',
      label: String(
        item.award.expires
          ? tr('backpack.status.validUntil', { date: formatDate(item.award.expires, l) })
          : tr('backpack.status.valid'),
      ),
    };
  }

  function itemView(item: BackpackItem, res: Response, groupKey = '') {
    const id = item.award._id;
    return {
      id,
      // Unique per group: a badge aligned on two competencies is listed twice.
      domId: `${groupKey.replace(/[^A-Za-z0-9_-]/g, '-')}-${id}`,
      url: `/assertions/${enc(id)}`,
      name: item.badgeClass?.name ?? item.award.badgeClassId,
      image: urls.badgeClassImage(item.award.badgeClassId, 'svg'),
      issuer: item.issuerName,
      issuedOn: item.award.issuedOn,
      status: statusView(item, res),
      accepted: item.accepted,
      hidden: item.hidden,
      canAccept: item.status.kind !== 'revoked',
      displayName: item.displayName,
      showsShort: item.displayName !== undefined,
      acceptAction: `/mes-badges/${enc(id)}/accepter`,
      hideAction: `/mes-badges/${enc(id)}/masquer`,
      showAction: `/mes-badges/${enc(id)}/afficher`,
    };
  }

  const myBadges: RequestHandler = async (req, res) => {
    const user = actor(req);
    const tr = t(res);
    const data = await backpack.myBadges(user);
    const toComplete = data.requests.filter((r) => r.request.status === 'returned').length;
    // A badge on several competencies is listed under each; its forms only under the first.
    const seen = new Set<string>();
    const firstTime = (id: string) => !seen.has(id) && Boolean(seen.add(id));
    res.render('backpack/my-badges', {
      pageTitle: tr('backpack.title'),
      navCurrent: 'myBadges',
      countLabel: tr('backpack.count', { count: data.count }),
      toAcceptLabel: data.toAccept ? tr('backpack.toAccept', { count: data.toAccept }) : undefined,
      groups: data.groups.map((g) => ({
        id: `competence-${g.key.replace(/[^A-Za-z0-9_-]/g, '-') || 'autres'}`,
        title: g.key
          ? tr('backpack.group.title', { framework: g.framework, code: g.code, name: g.name })
          : tr('backpack.group.other'),
        url: g.url,
        countLabel: tr('backpack.count', { count: g.items.length }),
        items: g.items.map((i) => ({
          ...itemView(i, res, g.key || 'autres'),
          repeat: !firstTime(i.award._id),
          nameShort: data.nameChoices.short,
          nameFull: data.nameChoices.full,
          choice:
            i.displayName === undefined
              ? 'none'
              : i.displayName === data.nameChoices.full &&
                  data.nameChoices.full !== data.nameChoices.short
                ? 'full'
                : 'short',
        })),
      })),
      hidden: data.hidden.map((i) => itemView(i, res, 'masque')),
      hiddenLabel: tr('backpack.hidden.title', { count: data.hidden.length }),
      canRequest: data.canRequest,
      toComplete,
      toCompleteLabel: tr('myBadges.toComplete', { count: toComplete }),
      requests: data.requests.map(({ request, badgeName }) => ({
        url: `/demandes/${enc(request._id)}`,
        badgeName,
        status: request.status,
        statusLabel: statusLabel(tr, request.status),
        returned: request.status === 'returned',
        updatedAt: request.updatedAt,
      })),
      awaiting: data.awaiting.map(({ request, badgeClass }) => ({
        url: `/demandes/${enc(request._id)}#recommandations`,
        requesterName: request.requesterName,
        badgeName: badgeClass.name,
      })),
    });
  };

  const accept: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { displayName } = await backpack.accept(actor(req), param(req, 'awardId'), body.showName);
    flash(
      req,
      displayName
        ? { kind: 'ok', key: 'backpack.flash.acceptedNamed', params: { name: displayName } }
        : { kind: 'ok', key: 'backpack.flash.accepted' },
    );
    res.redirect(303, '/mes-badges');
  };

  const hide: RequestHandler = async (req, res) => {
    await backpack.setHidden(actor(req), param(req, 'awardId'), true);
    flash(req, { kind: 'ok', key: 'backpack.flash.hidden' });
    res.redirect(303, '/mes-badges');
  };

  const show: RequestHandler = async (req, res) => {
    await backpack.setHidden(actor(req), param(req, 'awardId'), false);
    flash(req, { kind: 'ok', key: 'backpack.flash.shown' });
    res.redirect(303, '/mes-badges');
  };

  // ------------------------------------------------------------------ the public profile

  async function settingsLocals(req: Request, res: Response, values?: Record<string, unknown>) {
    const tr = t(res);
    const user = actor(req);
    const data = await backpack.profileSettings(user);
    const p = data.profile;
    const chosen = new Set(
      values ? ([] as unknown[]).concat(values.awardIds ?? []).map(String) : p.awardIds,
    );
    const v = {
      enabled: values ? values.enabled === 'oui' : p.enabled,
      slug: values ? String(values.slug ?? '') : (p.slug ?? data.suggestions[0] ?? ''),
      bio: values ? String(values.bio ?? '') : (p.bio ?? ''),
      allowIndexing: values ? values.allowIndexing === 'oui' : p.allowIndexing,
      nameStyle: values ? (values.nameStyle === 'full' ? 'full' : 'short') : p.nameStyle,
    };
    return {
      pageTitle: tr('profile.settings.title'),
      navCurrent: 'myBadges',
      active: p.enabled,
      address: p.enabled && p.slug ? `${deps.publicUrl}/profils/${p.slug}` : undefined,
      values: v,
      isShort: v.nameStyle !== 'full',
      prefix: `${deps.publicUrl}/profils/`,
      suggestions: data.suggestions,
      reserveHint: tr('profile.settings.offHint', { count: data.reserveDays }),
      slugHint: tr('profile.settings.slugHint', {
        min: PROFILE_LIMITS.slugMin,
        max: PROFILE_LIMITS.slugMax,
      }),
      bioHint: tr('profile.settings.bioHint', { max: PROFILE_LIMITS.bio }),
      bioMax: PROFILE_LIMITS.bio,
      nameShort: data.nameChoices.short,
      nameFull: data.nameChoices.full,
      badges: data.items.map((i) => ({
        ...itemView(i, res, 'profil'),
        checked: chosen.has(i.award._id),
      })),
    };
  }

  const showSettings: RequestHandler = async (req, res) => {
    res.render('backpack/profile-settings', await settingsLocals(req, res));
  };

  const saveSettings: RequestHandler = async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const profile = await backpack.saveProfile(actor(req), body);
      flash(
        req,
        profile.enabled
          ? {
              kind: 'ok',
              key: 'profile.flash.on',
              params: { url: `${deps.publicUrl}/profils/${profile.slug}` },
            }
          : { kind: 'ok', key: 'profile.flash.saved' },
      );
      res.redirect(303, '/mon-profil-public');
    } catch (err) {
      renderFormErrors(res, err, 'backpack/profile-settings', await settingsLocals(req, res, body));
    }
  };

  const disable: RequestHandler = async (req, res) => {
    await backpack.disableProfile(actor(req));
    flash(req, { kind: 'ok', key: 'profile.flash.off' });
    res.redirect(303, '/mon-profil-public');
  };

  const publicProfile: RequestHandler = async (req, res) => {
    const tr = t(res);
    const data = await backpack.publicProfile(param(req, 'slug'));
    const badges = data.badges.map((b) => {
      const result = verificationViewModel(b.outcome, {
        t: tr,
        lang: lang(res),
        publicUrl: deps.publicUrl,
        embedded: true,
      });
      const status = statusView(b, res);
      return {
        name: b.badgeClass?.name ?? b.award.badgeClassId,
        image: urls.badgeClassImage(b.award.badgeClassId, 'svg'),
        url: `/assertions/${enc(b.award._id)}`,
        issuer: b.issuerName,
        issuedOn: b.award.issuedOn,
        tone: result.tone,
        verdictLabel: result.verdictLabel,
        status,
        // The status line already says "revoked" or "expired" and why: the verifier's own
        // sentence for it would say it twice. Other reasons (a signature, a key) still show.
        reasons: status.kind === 'valid' ? result.reasons : [],
      };
    });
    const imported = ((await deps.importedBadges?.(data.userId)) ?? []).map((b) => ({
      name: b.title,
      issuerName: b.issuer,
      image: b.imageUrl,
      statusLabel: tr(`verify.verdict.${b.verdict}`),
      tone: b.verdict === 'verified' ? 'ok' : b.verdict === 'warning' ? 'warn' : 'bad',
    }));
    const url = `${deps.publicUrl}/profils/${data.slug}`;
    const title = tr('profile.public.title', { name: data.name });
    const description =
      data.bio?.replace(/\s+/g, ' ').slice(0, 200) ??
      tr('profile.public.ogDescription', { name: data.name, count: badges.length });
    res.setHeader('Cache-Control', 'no-cache');
    res.vary('Accept-Language');
    res.render('backpack/public-profile', {
      pageTitle: title,
      robots: data.allowIndexing ? undefined : 'noindex',
      metaTags: [
        { property: 'og:type', content: 'profile' },
        { property: 'og:title', content: title },
        { property: 'og:description', content: description },
        { property: 'og:url', content: url },
        ...(data.badges[0]
          ? [
              {
                property: 'og:image',
                content: urls.badgeClassImage(data.badges[0].award.badgeClassId, 'png'),
              },
            ]
          : []),
      ],
      name: data.name,
      bio: data.bio,
      badges,
      countLabel: tr('backpack.count', { count: badges.length }),
      importedBadges: imported,
    });
  };

  return { myBadges, accept, hide, show, showSettings, saveSettings, disable, publicProfile };
}
export type BackpackController = ReturnType<typeof backpackController>;
