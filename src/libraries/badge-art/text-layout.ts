import { boldWidths, regularWidths } from './glyph-widths.js';

/**
 * Server-side text layout for badge images. SVG has no automatic line wrapping, so titles are
 * broken into lines here with a width estimate from a per-character table (see
 * glyph-widths.ts), and shrunk until they fit their box.
 */

export type Weight = 'regular' | 'bold';

/** Width of characters missing from the table: Latin-looking text stays safe, CJK gets 1 em. */
function fallbackWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  return cp >= 0x2e80 ? 1000 : 720;
}

/** Estimated advance width of `text`, in ems. */
export function measureText(text: string, weight: Weight = 'bold'): number {
  const table = weight === 'bold' ? boldWidths : regularWidths;
  let total = 0;
  for (const ch of text) total += table[ch] ?? fallbackWidth(ch);
  return total / 1000;
}

/** Splits a word that is wider than `maxEm` into pieces that fit, hyphenating between letters. */
function breakWord(word: string, maxEm: number, weight: Weight): string[] {
  const pieces: string[] = [];
  let rest = [...word];
  while (rest.length > 0 && measureText(rest.join(''), weight) > maxEm) {
    let n = rest.length - 1;
    const hyphen = measureText('-', weight);
    while (n > 1 && measureText(rest.slice(0, n).join(''), weight) + hyphen > maxEm) n--;
    // Prefer a break right after punctuation (URLs, "</text>") in the last third of the piece.
    let cut = n;
    for (let i = n; i > Math.floor((n * 2) / 3); i--) {
      if (/[^\p{L}\p{N}]/u.test(rest[i - 1]!)) {
        cut = i;
        break;
      }
    }
    const head = rest.slice(0, cut);
    const betweenLetters = /\p{L}/u.test(head[head.length - 1]!) && /\p{L}/u.test(rest[cut]!);
    pieces.push(head.join('') + (betweenLetters ? '-' : ''));
    rest = rest.slice(cut);
  }
  if (rest.length) pieces.push(rest.join(''));
  return pieces;
}

/**
 * The units a line may break between: words, except that French typography keeps « with the
 * next word and :, ;, !, ?, » with the previous one (they stand after a space that must not
 * break a line).
 */
export function breakUnits(text: string): string[] {
  const units: string[] = [];
  for (const word of text.split(' ').filter(Boolean)) {
    const last = units[units.length - 1];
    if (last !== undefined && (/^[:;!?»]/.test(word) || /(^|\s)«$/.test(last))) {
      units[units.length - 1] = `${last} ${word}`;
    } else {
      units.push(word);
    }
  }
  return units;
}

/** Greedy line filling: as many words per line as fit in `maxEm`. */
export function wrapText(text: string, maxEm: number, weight: Weight = 'bold'): string[] {
  const words = breakUnits(text);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (measureText(candidate, weight) <= maxEm) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    if (measureText(word, weight) <= maxEm) {
      line = word;
    } else {
      const pieces = breakWord(word, maxEm, weight);
      lines.push(...pieces.slice(0, -1));
      line = pieces[pieces.length - 1] ?? '';
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Wraps into the fewest lines greedy filling gives, then narrows the measure as far as the
 * line count allows, so lines come out even ("Accompagner une / démarche en ligne" rather than
 * "Accompagner une démarche en / ligne").
 */
function balancedWrap(text: string, maxEm: number, weight: Weight): string[] {
  const greedy = wrapText(text, maxEm, weight);
  if (greedy.length < 2) return greedy;
  let lo = 0;
  let hi = maxEm;
  let best = greedy;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    const lines = wrapText(text, mid, weight);
    if (lines.length <= greedy.length && !lines.some((l) => l.endsWith('-'))) {
      best = lines;
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return best;
}

export interface TextBox {
  /** Centre of the text block. */
  cx: number;
  cy: number;
  width: number;
  height: number;
  maxLines: number;
  maxFontSize: number;
  minFontSize: number;
  /** Distance between baselines, in font sizes. */
  lineHeight: number;
}

export interface TitleLayout {
  fontSize: number;
  lines: { text: string; x: number; y: number }[];
  /** The text did not fit even at the smallest size and was cut with an ellipsis. */
  truncated: boolean;
}

/** Cap height of the template fonts, as a fraction of the font size (Arial ≈ 0.716). */
const CAP_HEIGHT = 0.72;
const ELLIPSIS = '…';

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Cuts `text` and adds an ellipsis so that it fits `maxEm`. */
export function truncateToFit(text: string, maxEm: number, weight: Weight = 'bold'): string {
  if (measureText(text, weight) <= maxEm) return text;
  const chars = [...text];
  while (chars.length > 0 && measureText(chars.join('').trimEnd() + ELLIPSIS, weight) > maxEm) {
    chars.pop();
  }
  return chars.join('').trimEnd() + ELLIPSIS;
}

/**
 * Lays out a title in a box: the largest font size (in steps of 1 unit) at which the title
 * fits in at most `maxLines` lines both across and down. At the smallest size, what still does
 * not fit is cut with an ellipsis: the text never leaves its box.
 */
export function layoutTitle(text: string, box: TextBox, weight: Weight = 'bold'): TitleLayout {
  // Shrinking comes before cutting a word: a word is only hyphenated at the smallest size.
  const longestWord = Math.max(...breakUnits(text).map((w) => measureText(w, weight)));
  for (let size = box.maxFontSize; size >= box.minFontSize; size--) {
    const maxEm = box.width / size;
    if (longestWord > maxEm) continue;
    const lines = wrapText(text, maxEm, weight);
    const blockHeight = (lines.length - 1) * box.lineHeight * size + CAP_HEIGHT * size;
    if (lines.length <= box.maxLines && blockHeight <= box.height) {
      // Balancing keeps the line count, so what fits greedy still fits.
      return place(balancedWrap(text, maxEm, weight), size, box);
    }
  }
  const size = box.minFontSize;
  const maxEm = box.width / size;
  const fitsDown = Math.max(
    1,
    Math.floor((box.height - CAP_HEIGHT * size) / (box.lineHeight * size)) + 1,
  );
  const maxLines = Math.min(box.maxLines, fitsDown);
  const lines = wrapText(text, maxEm, weight);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    const rest = lines.slice(maxLines - 1).join(' ');
    kept[maxLines - 1] = truncateToFit(rest, maxEm, weight);
    return place(kept, size, box, true);
  }
  return place(lines, size, box);
}

function place(lines: string[], size: number, box: TextBox, truncated = false): TitleLayout {
  const blockHeight = (lines.length - 1) * box.lineHeight * size + CAP_HEIGHT * size;
  const firstBaseline = box.cy - blockHeight / 2 + CAP_HEIGHT * size;
  return {
    fontSize: size,
    truncated,
    lines: lines.map((line, i) => ({
      text: line,
      x: box.cx,
      y: round1(firstBaseline + i * box.lineHeight * size),
    })),
  };
}

export interface LineBox {
  cx: number;
  /** Baseline. */
  y: number;
  width: number;
  maxFontSize: number;
  minFontSize: number;
}

export interface LineLayout {
  text: string;
  fontSize: number;
  x: number;
  y: number;
}

/** One line of text shrunk to fit `box.width`, then cut with an ellipsis at the smallest size. */
export function layoutLine(text: string, box: LineBox, weight: Weight = 'bold'): LineLayout {
  const em = measureText(text, weight);
  const size = Math.max(box.minFontSize, Math.min(box.maxFontSize, Math.floor(box.width / em)));
  return {
    text: truncateToFit(text, box.width / size, weight),
    fontSize: size,
    x: box.cx,
    y: box.y,
  };
}
