import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { BadgeError } from '../errors.js';

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/**
 * Parses an SVG without ever resolving anything: no entity declarations, no DOCTYPE internal
 * subset (the only place entities can be declared), any parse error is fatal. A bare external
 * DOCTYPE (`<!DOCTYPE svg PUBLIC "…" "…svg11.dtd">`, common in exported SVGs and in 1EdTech's
 * fixtures) is tolerated because xmldom never loads it.
 */
export function parseSvg(svg: string): { doc: Document; root: Element } {
  if (typeof svg !== 'string' || svg.trim() === '') {
    throw new BadgeError('invalid_svg', 'not an SVG document');
  }
  if (/<!ENTITY/i.test(svg)) {
    throw new BadgeError('invalid_svg', 'SVG with entity declarations is refused');
  }
  const doctype = /<!DOCTYPE/i.exec(svg);
  if (doctype) {
    const end = svg.indexOf('>', doctype.index);
    if (end < 0 || svg.slice(doctype.index, end).includes('[')) {
      throw new BadgeError('invalid_svg', 'SVG with a DOCTYPE internal subset is refused');
    }
  }
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(svg, 'image/svg+xml');
  } catch (cause) {
    throw new BadgeError('invalid_svg', `not a well-formed SVG: ${(cause as Error).message}`, {
      cause,
    });
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || (root.namespaceURI ?? SVG_NAMESPACE) !== SVG_NAMESPACE) {
    throw new BadgeError('invalid_svg', 'the root element is not <svg>');
  }
  return { doc, root };
}
