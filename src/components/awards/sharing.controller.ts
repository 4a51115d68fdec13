import type { RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { GoneError, NotFoundError } from '../../libraries/errors/app-error.js';
import { param } from '../../libraries/http/params.js';
import { formatDate } from '../../libraries/i18n/format-date.js';
import { renderAttestationPdf, type AttestationText } from './attestation-pdf.js';
import type { PublicDocuments } from './public-documents.js';
import type { PublicUrls } from './public-urls.js';
import {
  attestationPdfPath,
  qrPng,
  skillLine,
  type ShareableAward,
  type SharingUseCases,
} from './sharing.use-case.js';

/** The attestation's sentences (FALC: one idea per sentence), in the reader's language. */
export function attestationSentences(s: ShareableAward, t: TFunction, lang: string): string[] {
  const date = (d: Date) => formatDate(d, lang);
  return [
    String(t('share.attestation.skill', { skill: skillLine(s.badge) })),
    String(t('share.attestation.who', { issuer: s.issuer.name })),
    String(t('share.attestation.when', { date: date(s.award.issuedOn) })),
    String(
      s.award.expires
        ? t(s.expired ? 'share.attestation.expired' : 'share.attestation.until', {
            date: date(s.award.expires),
          })
        : t('share.attestation.noExpiry'),
    ),
  ];
}

/** The printable attestation of an award: an A4 page (HTML, print stylesheet) and its PDF. */
export function sharingController(deps: {
  sharing: SharingUseCases;
  documents: PublicDocuments;
  urls: PublicUrls;
}) {
  const { sharing, urls } = deps;
  const tOf = (res: Response) => res.locals.t as TFunction;
  const langOf = (res: Response) => (res.locals.lang === 'en' ? 'en' : 'fr');

  const attestation: RequestHandler = async (req, res) => {
    const s = await sharing.shareable(param(req, 'assertionId'));
    if (!s) throw new NotFoundError();
    const t = tOf(res);
    res.vary('Accept-Language');
    res.vary('Cookie');
    res.setHeader('Cache-Control', 'no-cache');
    res.status(s.revoked ? 410 : 200).render('awards/attestation', {
      pageTitle: t('share.attestation.pageTitle', { badge: s.badge.name }),
      headExtra: '<link rel="stylesheet" href="/static/css/attestation.css">',
      revoked: s.revoked,
      badge: {
        name: s.badge.name,
        image: urls.badgeClassImage(s.badge._id, 'svg'),
      },
      sentences: s.revoked ? [] : attestationSentences(s, t, langOf(res)),
      certId: s.certId,
      url: s.url,
      qrSvg: urls.awardQr(s.award._id, 'svg'),
      pdf: attestationPdfPath(urls, s.award._id),
      pdfFile: `attestation-${s.certId}.pdf`,
    });
  };

  const attestationPdf: RequestHandler = async (req, res) => {
    const s = await sharing.shareable(param(req, 'assertionId'));
    if (!s) throw new NotFoundError();
    // A revoked badge is attested by nothing: no document that could be shown as proof.
    if (s.revoked) throw new GoneError();
    const t = tOf(res);
    const lang = langOf(res);
    const badgeImage = await deps.documents.badgeClassImage(s.badge._id, 'png');
    if (!badgeImage) throw new NotFoundError();
    const text: AttestationText = {
      title: String(t('share.attestation.kicker')),
      badgeName: s.badge.name,
      sentences: attestationSentences(s, t, lang),
      idLine: String(t('share.attestation.certId', { id: s.certId })),
      checkLine: String(t('share.attestation.check')),
      url: s.url,
      lang,
    };
    const pdf = await renderAttestationPdf(text, {
      badgePng: badgeImage.body,
      qrPng: await qrPng(s.url),
    });
    res.vary('Accept-Language');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="attestation-${s.certId}.pdf"`);
    res.send(pdf);
  };

  return { attestation, attestationPdf };
}
