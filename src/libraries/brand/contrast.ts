/**
 * WCAG 2.1 contrast (success criterion 1.4.3): relative luminance of sRGB colours and the
 * ratio between two of them. Pure functions, used to refuse a brand palette that fails AA.
 */

/** Smallest contrast ratio WCAG 2.1 AA allows for body text. */
export const AA_NORMAL_TEXT = 4.5;

export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (case-insensitive) as 0–255 channels; undefined for anything else. */
export function parseHexColor(value: string): Rgb | undefined {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!m) return undefined;
  const hex =
    m[1]!.length === 3
      ? m[1]!
          .split('')
          .map((c) => c + c)
          .join('')
      : m[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

/** Relative luminance (WCAG 2.1 definition, with its 0.04045 threshold). */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast ratio between two colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (lighter! + 0.05) / (darker! + 0.05);
}

/** A ratio as people quote it: truncated, not rounded, so 4.499 never reads "4.50". */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** `#rrggbb` of a colour moved towards another by `amount` (0–1): hover shades. */
export function mix(from: Rgb, to: Rgb, amount: number): string {
  return `#${from
    .map((c, i) => Math.round(c + (to[i]! - c) * amount))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}
