import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

/** Parses an SVG strictly: any XML warning or error fails the test. */
export function parseSvg(svg: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(svg, 'image/svg+xml');
}

export function elements(doc: Document, name: string): Element[] {
  return Array.from(doc.getElementsByTagName(name));
}

/** The visible lines of the badge title: the <tspan>s of the title <text>. */
export function titleLines(doc: Document): string[] {
  return elements(doc, 'tspan').map((t) => t.textContent ?? '');
}
