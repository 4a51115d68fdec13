import { pngBaker, svgBaker, type BadgeKeyword } from '../../core/index.js';
import { ob2BadgeClass } from './award-documents.js';
import type { BakedVariant } from './public-urls.js';

import { CACHE, MEDIA, SVG_HEADERS, doc, jsonDoc, type PublicDocument } from './public-document.js';
import {
  fileStem,
  type ClassImage,
  type PublicDocumentsContext,
} from './public-documents.context.js';

/**
 * Bakers prepared once per class image (read and re-encoded once; each award only adds its
 * chunk or element): a baked download costs a copy, not a re-render. Keyed by the cached
 * image itself, so a changed image gets new bakers and an evicted one takes its bakers along.
 */
const preparedBakers = new WeakMap<
  ClassImage,
  Map<string, (text: string) => Uint8Array | string>
>();
function bakerFor(image: ClassImage, ext: 'png' | 'svg', keyword: BadgeKeyword) {
  let bakers = preparedBakers.get(image);
  if (!bakers) preparedBakers.set(image, (bakers = new Map()));
  let baker = bakers.get(`${ext}:${keyword}`);
  if (!baker) {
    baker = ext === 'png' ? pngBaker(image.png, keyword) : svgBaker(image.svg, keyword);
    bakers.set(`${ext}:${keyword}`, baker);
  }
  return baker;
}

/** Badge classes, their images, and every form of an award (hosted, signed, baked). */
export function badgePublicDocuments(ctx: PublicDocumentsContext) {
  const {
    urls,
    badgeClasses,
    awards,
    classImage,
    awardWithRevocation,
    endorsementIdsOf,
    hostedAssertion,
  } = ctx;
  return {
    /** OB 2.0 BadgeClass (JSON-LD). */
    async badgeClass(id: string): Promise<PublicDocument | null> {
      const badgeClass = await badgeClasses.findById(id);
      if (!badgeClass) return null;
      const endorsementIds = await endorsementIdsOf('badgeClass', id);
      return jsonDoc(ob2BadgeClass(badgeClass, urls, endorsementIds), MEDIA.ldJson, CACHE.stable);
    },

    async badgeClassImage(id: string, ext: 'png' | 'svg'): Promise<PublicDocument | null> {
      const badgeClass = await badgeClasses.findById(id);
      if (!badgeClass) return null;
      const image = await classImage(badgeClass);
      const name = `${fileStem(badgeClass.name)}.${ext}`;
      return ext === 'png'
        ? doc(image.png, MEDIA.png, CACHE.image, {
            headers: { 'Content-Disposition': `inline; filename="${name}"` },
          })
        : doc(image.svg, MEDIA.svg, CACHE.image, {
            headers: { ...SVG_HEADERS, 'Content-Disposition': `inline; filename="${name}"` },
          });
    },

    /** OB 2.0 hosted Assertion: 200, or 410 Gone with `revoked: true` and the reason. */
    async assertion(id: string): Promise<PublicDocument | null> {
      const found = await awardWithRevocation(id);
      return found ? await hostedAssertion(found.award, found.revocation) : null;
    },

    /** OB 2.0 signed form: the compact JWS (RS256). */
    async assertionJws(id: string): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob2.jws, MEDIA.text, CACHE.live) : null;
    },

    /** OB 3.0 OpenBadgeCredential with its Data Integrity proof, as issued. */
    async credential(id: string): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob3.credential, MEDIA.vcLdJson, CACHE.live) : null;
    },

    /** OB 3.0 VC-JWT; `text/plain` when the client asks for text. */
    async credentialJwt(id: string, asText = false): Promise<PublicDocument | null> {
      const award = await awards.findById(id);
      return award ? doc(award.ob3.jwt, asText ? MEDIA.text : MEDIA.vcJwt, CACHE.live) : null;
    },

    /**
     * A baked image, generated from the badge class image: OB 2.0 hosted (`badge.*`, the
     * assertion JSON) or signed (`badge-signe.*`, the JWS); OB 3.0 JWT (`credential.*`) or
     * JSON with its proof (`credential-json.*`).
     */
    async baked(id: string, variant: BakedVariant): Promise<PublicDocument | null> {
      const found = await awardWithRevocation(id);
      if (!found) return null;
      const { award, revocation } = found;
      const badgeClass = await badgeClasses.findById(award.badgeClassId);
      if (!badgeClass) return null;
      const image = await classImage(badgeClass);
      const [form, ext] = variant.split('.') as [string, 'png' | 'svg'];
      const keyword: BadgeKeyword = form.startsWith('credential')
        ? 'openbadgecredential'
        : 'openbadges';
      const text =
        form === 'badge'
          ? (await hostedAssertion(award, revocation)).body.toString('utf8')
          : form === 'badge-signe'
            ? award.ob2.jws
            : form === 'credential'
              ? award.ob3.jwt
              : award.ob3.credential;
      const name = `${fileStem(badgeClass.name)}-${variant}`;
      const baked = bakerFor(image, ext, keyword)(text);
      if (ext === 'png') {
        return doc(Buffer.from(baked as Uint8Array), MEDIA.png, CACHE.live, {
          headers: { 'Content-Disposition': `inline; filename="${name}"` },
        });
      }
      return doc(baked as string, MEDIA.svg, CACHE.live, {
        headers: { ...SVG_HEADERS, 'Content-Disposition': `inline; filename="${name}"` },
      });
    },
  };
}
