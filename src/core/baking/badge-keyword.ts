/**
 * Where a badge hides in an image. PNG: an iTXt chunk whose keyword names the spec version.
 * SVG: an element in a namespace bound to the `openbadges` prefix.
 */
export type BadgeKeyword = 'openbadges' | 'openbadgecredential';

export const BADGE_KEYWORDS: readonly BadgeKeyword[] = ['openbadges', 'openbadgecredential'];

export const SVG_BADGE_ELEMENTS: Readonly<
  Record<BadgeKeyword, { namespace: string; localName: string }>
> = {
  // OB 2.0: <openbadges:assertion verify="…"> in xmlns:openbadges="http://openbadges.org"
  openbadges: { namespace: 'http://openbadges.org', localName: 'assertion' },
  // OB 3.0: <openbadges:credential> in xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"
  openbadgecredential: {
    namespace: 'https://purl.imsglobal.org/ob/v3p0',
    localName: 'credential',
  },
};

/** A compact JWS / JWT (three base64url parts): carried in `verify`, not as element text. */
export function isCompactJws(text: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text.trim());
}

export interface BakeOptions {
  keyword: BadgeKeyword;
  /** The payload: a compact JWS/JWT (signed) or the assertion/credential JSON (hosted). */
  text: string;
}

export interface UnbakedBadge {
  keyword: BadgeKeyword;
  text: string;
}
