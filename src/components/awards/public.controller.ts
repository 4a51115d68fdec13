import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { can } from '../../libraries/authz/authorization.js';
import { NotFoundError, type ValidationError } from '../../libraries/errors/app-error.js';
import { formErrors } from '../../libraries/web/forms.js';
import type { AchievementsUseCases, BadgeClassDoc } from '../achievements/achievements.use-case.js';
import { thematiqueLabel } from '../frameworks/frameworks.use-case.js';
import { param } from '../../libraries/http/params.js';
import type { AwardDoc, PublicPageReads } from './public-pages.use-case.js';
import { BAKED_VARIANTS, type BakedVariant, type PublicUrls } from './public-urls.js';
import {
  attestationPath,
  attestationPdfPath,
  linkedInUrlOf,
  type SharingUseCases,
} from './sharing.use-case.js';

/** Pages shared with documents change with language and Accept: caches must keep them apart. */
function pageHeaders(res: Response): void {
  res.vary('Accept');
  res.vary('Accept-Language');
  res.vary('Cookie');
  if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-cache');
}

const DOWNLOADS: { variant: BakedVariant; key: string }[] = BAKED_VARIANTS.map((variant) => ({
  variant,
  key: variant.replace(/[.-]/g, '_'),
}));

export function publicController(deps: {
  urls: PublicUrls;
  reads: PublicPageReads;
  achievements: AchievementsUseCases;
  /**
   * The live verification of an award, rendered for its page: the same checks an
   * employer runs on /verifier, read from the database, never cached.
   */
  verifyAward?: (assertionUrl: string, res: Response, award?: AwardDoc) => Promise<unknown>;
  /**
   * More for the award and badge pages from other components (recommendations, requests):
   * merged into the view's locals as `review`.
   */
  awardExtras?: (req: Request, res: Response, award: AwardDoc) => Promise<unknown>;
  /** Sharing an award (link, LinkedIn, QR code, attestation): the award page's "Partager". */
  sharing?: SharingUseCases;
  badgeClassExtras?: (req: Request, res: Response, badgeClass: BadgeClassDoc) => Promise<unknown>;
}) {
  const { urls, reads, achievements } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  const issuer: RequestHandler = async (req, res) => {
    const issuerId = param(req, 'issuerId');
    const found = await reads.issuer(issuerId);
    if (!found) throw new NotFoundError();
    const badges = (await achievements.listForIssuer(issuerId)).filter(
      (b) => b.status === 'active',
    );
    pageHeaders(res);
    res.render('awards/issuer-public', {
      pageTitle: found.name,
      issuer: {
        id: found._id,
        name: found.name,
        url: found.url,
        email: found.email,
        description: found.description,
        siret: found.siret,
        image: found.image ? `${urls.issuerImage(found._id)}?v=${found.image.etag}` : undefined,
      },
      badges: badges.map((b) => ({
        id: b._id,
        name: b.name,
        description: b.description,
        image: urls.badgeClassImage(b._id, 'svg'),
      })),
      technical: [
        { label: t(res)('issuerPublic.tech.profile'), url: urls.issuer(issuerId), ld: true },
        { label: t(res)('issuerPublic.tech.profileOb3'), url: urls.issuerProfileOb3(issuerId) },
        {
          label: t(res)('issuerPublic.tech.did', { did: urls.issuerDid(issuerId) }),
          url: urls.issuerDidDocument(issuerId),
        },
        { label: t(res)('issuerPublic.tech.jwks'), url: urls.jwks(issuerId) },
        { label: t(res)('issuerPublic.tech.revocations'), url: urls.revocationList(issuerId) },
      ],
      canManage: can(req.user, 'issuer.view', { issuerId }),
    });
  };

  /** Keywords as people read them: a thématique by its French label, never its identifier. */
  const readableTags = (tags: readonly string[]) => tags.map((tag) => thematiqueLabel(tag) ?? tag);

  const badgeClass: RequestHandler = async (req, res) => {
    const id = param(req, 'badgeClassId');
    const badge = await reads.badgeClass(id);
    if (!badge) throw new NotFoundError();
    const owner = await reads.issuer(badge.issuerId);
    if (!owner) throw new NotFoundError();
    pageHeaders(res);
    res.render('achievements/show', {
      pageTitle: badge.name,
      metaTags: [
        { property: 'og:title', content: badge.name },
        { property: 'og:description', content: badge.description },
        { property: 'og:image', content: urls.badgeClassImage(badge._id, 'png') },
        { property: 'og:url', content: urls.badgeClass(badge._id) },
      ],
      badge: {
        ...badge,
        level: badge.image.level,
        tags: readableTags(badge.tags),
        validity: badge.validityDays
          ? t(res)('badgePage.validityDays', { count: badge.validityDays })
          : undefined,
        image: urls.badgeClassImage(badge._id, 'svg'),
        png: urls.badgeClassImage(badge._id, 'png'),
        jsonLd: urls.badgeClass(badge._id),
      },
      issuer: { id: owner._id, name: owner.name, page: urls.issuerPage(owner._id) },
      canIssue: can(req.user, 'award.issue', { issuerId: owner._id }),
      review: await deps.badgeClassExtras?.(req, res, badge),
    });
  };

  async function renderAward(
    req: Request,
    res: Response,
    awardId: string,
    options: {
      status?: number;
      errors?: ValidationError;
      reason?: string;
    } = {},
  ): Promise<void> {
    const [award, revocation] = await Promise.all([
      reads.award(awardId),
      reads.revocation(awardId),
    ]);
    if (!award) throw new NotFoundError();
    const [badge, owner] = await Promise.all([
      reads.badgeClass(award.badgeClassId),
      reads.issuer(award.issuerId),
    ]);
    if (!badge || !owner) throw new NotFoundError();
    const revoked = revocation
      ? { at: revocation.revokedAt, reason: revocation.reason }
      : award.revoked
        ? { at: award.revokedAt, reason: award.revocationReason }
        : undefined;
    const tr = t(res);
    // At once: the live verification and the recommendations read different records.
    const [verification, review] = await Promise.all([
      deps.verifyAward?.(urls.assertion(award._id), res, award),
      deps.awardExtras?.(req, res, award),
    ]);
    const staff = can(req.user, 'award.viewPrivate', { issuerId: award.issuerId });
    const expired = award.expires !== undefined && award.expires.getTime() < Date.now();
    const errors = options.errors ? formErrors(tr, options.errors.fieldErrors) : undefined;
    const title = tr('awardPage.title', { badge: badge.name });
    pageHeaders(res);
    res.status(options.status ?? (revoked ? 410 : 200)).render('awards/award', {
      pageTitle: errors ? `${tr('forms.errorTitlePrefix')} ${title}` : title,
      metaTags: revoked
        ? []
        : [
            { property: 'og:title', content: title },
            {
              property: 'og:description',
              content: tr('awardPage.ogDescription', { issuer: owner.name }),
            },
            { property: 'og:image', content: urls.badgeClassImage(badge._id, 'png') },
            { property: 'og:url', content: urls.assertion(award._id) },
          ],
      award: {
        id: award._id,
        issuedOn: award.issuedOn,
        expires: award.expires,
        expired,
        narrative: award.narrative,
        evidence: award.evidence,
        recipientEmail: staff ? award.recipient.email : undefined,
      },
      revoked,
      badge: {
        id: badge._id,
        name: badge.name,
        description: badge.description,
        criteria: badge.criteria,
        alignments: badge.alignments,
        tags: readableTags(badge.tags),
        image: urls.badgeClassImage(badge._id, 'svg'),
        page: urls.badgeClass(badge._id),
      },
      issuer: { id: owner._id, name: owner.name, page: urls.issuerPage(owner._id) },
      downloads: revoked ? undefined : downloadsFor(award, tr),
      share: shareFor({ award, badge, issuer: owner, revoked: !!revoked }, verification),
      technical: [
        { label: tr('awardPage.tech.hosted'), url: urls.assertion(award._id), ld: true },
        { label: tr('awardPage.tech.jws'), url: urls.assertionJws(award._id) },
        { label: tr('awardPage.tech.credential'), url: urls.credential(award._id) },
        { label: tr('awardPage.tech.jwt'), url: urls.credentialJwt(award._id) },
      ],
      canRevoke: !revoked && can(req.user, 'award.revoke', { issuerId: award.issuerId }),
      staffLink: can(req.user, 'issuer.view', { issuerId: award.issuerId })
        ? `/structures/${encodeURIComponent(award.issuerId)}`
        : undefined,
      revokeAction: `/structures/${encodeURIComponent(award.issuerId)}/assertions/${encodeURIComponent(award._id)}/revoquer`,
      reason: options.reason ?? '',
      errors,
      verification,
      review,
    });
  }

  function downloadsFor(award: AwardDoc, tr: TFunction) {
    const all = DOWNLOADS.map(({ variant, key }) => ({
      url: urls.baked(award._id, variant),
      label: tr(`share.downloads.${key}`),
      hint: tr(`share.downloads.${key}_hint`),
      file: variant,
      ob3: variant.startsWith('credential'),
    }));
    // The OB 3.0 credential itself, as files for wallets that import a file.
    const files = [
      { key: 'credential_file', url: urls.credential(award._id), file: 'credential.json' },
      { key: 'jwt_file', url: urls.credentialJwt(award._id), file: 'credential.jwt' },
    ].map(({ key, url, file }) => ({
      url,
      file,
      label: tr(`share.downloads.${key}`),
      hint: tr(`share.downloads.${key}_hint`),
      ob3: true,
    }));
    return {
      // The one most people need: works with backpacks, shows revocation at once.
      main: all.find((d) => d.file === 'badge.png')!,
      ob2: all.filter((d) => !d.ob3),
      ob3: [...all.filter((d) => d.ob3), ...files],
    };
  }

  /**
   * The "Partager" section. LinkedIn is offered only when the live verification just shown on
   * the page says "verified": never for a revoked, expired or unverifiable badge.
   */
  function shareFor(parts: Parameters<SharingUseCases['describe']>[0], verification: unknown) {
    const awardId = parts.award._id;
    const s = parts.revoked ? undefined : deps.sharing?.describe(parts);
    if (!s) return undefined;
    const verdict = (verification as { verdict?: unknown } | undefined)?.verdict;
    const verified = verdict === 'verified' && !s.expired;
    return {
      url: s.url,
      certId: s.certId,
      linkedin: verified ? linkedInUrlOf(s) : undefined,
      linkedinWhyNot: verified
        ? undefined
        : `share.linkedin.whyNot_${s.expired ? 'expired' : 'unverified'}`,
      qrSvg: urls.awardQr(awardId, 'svg'),
      qrPng: urls.awardQr(awardId, 'png'),
      qrFile: `qr-code-${s.certId}`,
      attestation: attestationPath(urls, awardId),
      attestationPdf: attestationPdfPath(urls, awardId),
      attestationFile: `attestation-${s.certId}.pdf`,
      // "Ajouter à mon portefeuille" (src/components/wallet): for the recipient only.
      wallet: `${urls.assertion(awardId)}/portefeuille`,
    };
  }

  const assertion: RequestHandler = async (req, res) => {
    const id = param(req, 'assertionId');
    await renderAward(req, res, id);
  };

  return {
    issuer,
    badgeClass,
    assertion,
    renderAward,
  };
}
