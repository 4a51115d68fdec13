import { renderAsync } from '@resvg/resvg-js';
import QRCode from 'qrcode';
import { buildLinkedInAddToProfileUrl, shortCredentialId } from '../../core/index.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { AwardDoc } from './award.model.js';
import type { AwardsRepository } from './awards.repository.js';
import { CACHE, MEDIA, SVG_HEADERS, doc, type PublicDocument } from './public-documents.js';
import type { PublicUrls } from './public-urls.js';

/**
 * Sharing one award: what a mediator shows an employer, a partner or the city — the link, a
 * LinkedIn "Add to profile" link, a QR code that opens the award page and a printable
 * attestation. Everything here is derived from the award's public page URL.
 */

/** Size of the PNG QR code: sharp when printed at 4 cm, small enough for an email. */
const QR_PNG_WIDTH = 480;
/** Quiet zone in modules, as the QR code standard asks (4). */
const QR_MARGIN = 4;

/**
 * The PNG is the SVG rasterised by resvg (native, already used for badge images): qrcode's own
 * PNG writer is pure JavaScript and takes seconds of CPU for a 480-pixel image.
 */
export async function qrPng(url: string): Promise<Buffer> {
  const image = await renderAsync(await qrSvg(url), {
    fitTo: { mode: 'width', value: QR_PNG_WIDTH },
    // Crisp square modules, no anti-aliased grey edges for scanners to guess at.
    shapeRendering: 0,
    logLevel: 'off',
  });
  return Buffer.from(image.asPng());
}

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: QR_MARGIN, errorCorrectionLevel: 'M' });
}

/** The printable attestation of an award (sharing.routes.ts), beside its page. */
export const attestationPath = (urls: PublicUrls, awardId: string) =>
  `${urls.assertion(awardId)}/attestation`;
export const attestationPdfPath = (urls: PublicUrls, awardId: string) =>
  `${urls.assertion(awardId)}/attestation.pdf`;

/** What the award page, the attestation and its PDF need to know about one award. */
export interface ShareableAward {
  award: AwardDoc;
  badge: BadgeClassDoc;
  issuer: IssuerDoc;
  /** The public award page: what the link, the QR code and LinkedIn's certUrl open. */
  url: string;
  /** Short human-readable id (LinkedIn's credential ID, printed on the attestation). */
  certId: string;
  revoked: boolean;
  expired: boolean;
}

/** The LinkedIn link of an award; the caller offers it only when the award verifies. */
export function linkedInUrlOf(s: ShareableAward): string {
  return buildLinkedInAddToProfileUrl({
    name: s.badge.name,
    organizationName: s.issuer.name,
    organizationId: s.issuer.linkedinOrganizationId,
    issuedOn: s.award.issuedOn,
    expires: s.award.expires,
    certUrl: s.url,
    certId: s.certId,
  });
}

/** The skill in one line: the first sentence of the badge's description, else its name. */
export function skillLine(badge: { name: string; description: string }): string {
  const first =
    badge.description
      .trim()
      .split(/\n|(?<=[.!?])\s/)[0]
      ?.trim() ?? '';
  const line = first || badge.name;
  return line.length > 160 ? `${line.slice(0, 159).trimEnd()}…` : line;
}

export function sharingUseCases(deps: {
  urls: PublicUrls;
  clock: () => Date;
  awards: AwardsRepository;
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
}) {
  const { urls, awards } = deps;

  /** What sharing shows of records already read (the award page has them: no second read). */
  function describe(parts: {
    award: AwardDoc;
    badge: BadgeClassDoc;
    issuer: IssuerDoc;
    revoked: boolean;
  }): ShareableAward {
    const { award } = parts;
    return {
      ...parts,
      url: urls.assertion(award._id),
      certId: shortCredentialId(award._id),
      expired: award.expires !== undefined && award.expires.getTime() < deps.clock().getTime(),
    };
  }

  /** An award with what sharing shows; null when there is no such award (404). */
  async function shareable(awardId: string): Promise<ShareableAward | null> {
    const [award, revocation] = await Promise.all([
      awards.findById(awardId),
      awards.findRevocation(awardId),
    ]);
    if (!award) return null;
    const [badge, issuer] = await Promise.all([
      deps.badgeClasses.findById(award.badgeClassId),
      deps.issuers.findById(award.issuerId),
    ]);
    if (!badge || !issuer) return null;
    return describe({ award, badge, issuer, revoked: Boolean(revocation ?? award.revoked) });
  }

  return {
    shareable,
    describe,

    /**
     * The QR code of an award's page, as a public document (public URL map): the same for
     * everyone and for ever (the page URL never changes), so caches may keep it.
     */
    async qr(awardId: string, format: 'png' | 'svg'): Promise<PublicDocument | null> {
      const award = await awards.findById(awardId);
      if (!award) return null;
      const url = urls.assertion(award._id);
      const name = `qr-code-${shortCredentialId(award._id)}.${format}`;
      const disposition = { 'Content-Disposition': `inline; filename="${name}"` };
      return format === 'png'
        ? doc(await qrPng(url), MEDIA.png, CACHE.image, { headers: disposition })
        : doc(await qrSvg(url), MEDIA.svg, CACHE.image, {
            headers: { ...SVG_HEADERS, ...disposition },
          });
    },
  };
}
export type SharingUseCases = ReturnType<typeof sharingUseCases>;
