import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

/**
 * Fonts for rendering badge PNGs. The templates name Liberation Sans first (metric-compatible
 * with Arial and Helvetica, so a browser showing the SVG lays text out like the PNG), then
 * DejaVu Sans. resvg can scan every system font on each render, which costs time; we look for
 * these few files once and hand them over, and only fall back to the full scan when none is
 * installed (text then renders in whatever sans-serif font the system has).
 *
 * Titles are measured with a table of Liberation Sans widths plus a margin (see
 * glyph-widths.ts); when the font that will actually render is wider, `widthFactor` says by
 * how much, and the layout narrows its boxes accordingly so that text never leaves them.
 */

/** The font-family list every template uses (resvg and browsers both resolve it). */
export const FONT_FAMILY = 'Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif';

const WANTED: { file: string; family: string; widthFactor: number }[] = [
  { file: 'LiberationSans-Bold.ttf', family: 'Liberation Sans', widthFactor: 1 },
  { file: 'LiberationSans-Regular.ttf', family: 'Liberation Sans', widthFactor: 1 },
  { file: 'arialbd.ttf', family: 'Arial', widthFactor: 1 },
  { file: 'arial.ttf', family: 'Arial', widthFactor: 1 },
  // DejaVu Sans is wider, and covers Greek, Cyrillic and symbols the others lack.
  { file: 'DejaVuSans-Bold.ttf', family: 'DejaVu Sans', widthFactor: 1.12 },
  { file: 'DejaVuSans.ttf', family: 'DejaVu Sans', widthFactor: 1.12 },
];

/** Unknown system fonts: assume somewhat wider than DejaVu Sans. */
const UNKNOWN_FONT_WIDTH_FACTOR = 1.2;
function fontDirectories(): string[] {
  const home = os.homedir();
  return [
    '/usr/share/fonts',
    '/usr/local/share/fonts',
    path.join(home, '.local/share/fonts'),
    path.join(home, '.fonts'),
    '/Library/Fonts',
    '/System/Library/Fonts/Supplemental',
    'C:\\Windows\\Fonts',
  ];
}

function findFiles(dirs: string[], names: Set<string>): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 4) visit(full, depth + 1);
      else if (names.has(e.name) && !found.has(e.name)) found.set(e.name, full);
    }
  };
  for (const dir of dirs) visit(dir, 0);
  return found;
}

export interface FontSetup {
  options: NonNullable<ResvgRenderOptions['font']>;
  /** The files used, or an empty list when resvg scans the system fonts itself. */
  files: string[];
  /** The family that renders the badge text, or "system" when unknown. */
  family: string;
  /** How much wider than the width table that family runs. */
  widthFactor: number;
}

let cached: FontSetup | undefined;

export function resolveFonts(dirs: string[] = fontDirectories()): FontSetup {
  const found = findFiles(dirs, new Set(WANTED.map((w) => w.file)));
  const present = WANTED.filter((w) => found.has(w.file));
  if (present.length === 0) {
    return {
      options: { loadSystemFonts: true },
      files: [],
      family: 'system',
      widthFactor: UNKNOWN_FONT_WIDTH_FACTOR,
    };
  }
  const { family, widthFactor } = present[0]!;
  return {
    options: {
      loadSystemFonts: false,
      fontFiles: present.map((w) => found.get(w.file)!),
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
    files: present.map((w) => found.get(w.file)!),
    family,
    widthFactor,
  };
}

/** The font setup of this machine, looked up once. */
export function systemFonts(): FontSetup {
  cached ??= resolveFonts();
  return cached;
}
