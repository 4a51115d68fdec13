import { XMLSerializer } from '@xmldom/xmldom';
import { BadgeError } from '../errors.js';
import {
  BADGE_KEYWORDS,
  SVG_BADGE_ELEMENTS,
  isCompactJws,
  type BakeOptions,
} from './badge-keyword.js';
import { parseSvg } from './parse-svg.js';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/**
 * Bakes a badge into an SVG, as the first child of <svg>:
 * - OB 2.0: `xmlns:openbadges="http://openbadges.org"` and `<openbadges:assertion verify="…">`;
 *   signed: `verify` = the JWS; hosted: `verify` = the assertion URL (its `id`, or `verify`
 *   given here) and the JSON in CDATA.
 * - OB 3.0: `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"` and
 *   `<openbadges:credential verify="JWT"/>`, or the credential JSON in CDATA.
 * An earlier badge element of the same kind is replaced.
 */
export function bakeSvg(svg: string, options: BakeOptions & { verify?: string }): string {
  if (!BADGE_KEYWORDS.includes(options.keyword)) {
    throw new BadgeError('invalid_input', `unknown badge keyword ${String(options.keyword)}`);
  }
  const text = typeof options.text === 'string' ? options.text.trim() : '';
  if (text === '')
    throw new BadgeError('invalid_input', 'nothing to bake: the badge text is empty');
  const { doc, root } = parseSvg(svg);
  const { namespace, localName } = SVG_BADGE_ELEMENTS[options.keyword];

  // Both badge kinds use the `openbadges` prefix: it cannot name two namespaces at once.
  const bound = root.getAttribute('xmlns:openbadges');
  if (bound && bound !== namespace && root.getElementsByTagNameNS(bound, '*').length > 0) {
    throw new BadgeError(
      'bake_conflict',
      `this SVG already carries a badge in ${bound}; bake into the unbaked image instead`,
    );
  }
  for (const old of Array.from(root.getElementsByTagNameNS(namespace, localName))) {
    old.parentNode?.removeChild(old);
  }
  root.setAttributeNS(XMLNS, 'xmlns:openbadges', namespace);

  const element = doc.createElementNS(namespace, `openbadges:${localName}`);
  if (isCompactJws(text)) {
    element.setAttribute('verify', text);
  } else {
    const verify = options.verify ?? (options.keyword === 'openbadges' ? idOf(text) : undefined);
    if (verify !== undefined) element.setAttribute('verify', verify);
    // "]]>" cannot sit inside one CDATA section: end the section after "]]", start the next
    // with ">"; readers concatenate the sections back into the original text.
    const parts = text.split(']]>');
    parts.forEach((part, i) => {
      const section = (i > 0 ? '>' : '') + part + (i < parts.length - 1 ? ']]' : '');
      element.appendChild(doc.createCDATASection(section));
    });
  }
  root.insertBefore(element, root.firstChild);
  return new XMLSerializer().serializeToString(doc);
}

function idOf(json: string): string | undefined {
  try {
    const id = (JSON.parse(json) as { id?: unknown }).id;
    return typeof id === 'string' && /^https?:\/\//.test(id) ? id : undefined;
  } catch {
    throw new BadgeError('invalid_input', 'the badge text is neither a JWS nor JSON');
  }
}
