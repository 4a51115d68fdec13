import { BadgeError } from '../errors.js';
import {
  BADGE_KEYWORDS,
  SVG_BADGE_ELEMENTS,
  isCompactJws,
  type UnbakedBadge,
} from './badge-keyword.js';
import { parseSvg } from './parse-svg.js';

/**
 * Reads the badge baked into an SVG (OB 2.0 `openbadges:assertion` or OB 3.0
 * `openbadges:credential`). The payload is the JWS/JWT of `verify` when it holds one, else the
 * JSON text inside the element, else `verify` itself (an OB 2.0 hosted assertion URL).
 * Parsing is safe: see parseSvg (no entities, no DOCTYPE internal subset, nothing fetched).
 */
export function unbakeSvg(svg: string): UnbakedBadge {
  const { root } = parseSvg(svg);
  const found = BADGE_KEYWORDS.flatMap((keyword) => {
    const { namespace, localName } = SVG_BADGE_ELEMENTS[keyword];
    return Array.from(root.getElementsByTagNameNS(namespace, localName)).map((element) => ({
      keyword,
      element,
    }));
  });
  if (found.length === 0) throw new BadgeError('not_baked', 'no badge element in this SVG');
  if (found.length > 1) {
    throw new BadgeError('duplicate_chunk', `this SVG holds ${found.length} badge elements`);
  }
  const { keyword, element } = found[0]!;
  const verify = element.getAttribute('verify')?.trim() ?? '';
  const content = (element.textContent ?? '').trim();
  const text = isCompactJws(verify) ? verify : content || verify;
  if (text === '') throw new BadgeError('not_baked', 'the badge element is empty');
  return { keyword, text };
}
