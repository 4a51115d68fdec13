/**
 * Colour arithmetic for badge images: coordinators pick any two colours, and the renderer
 * derives shades and picks text colours that keep WCAG contrast (4.5:1 for text), so a badge
 * stays readable whatever was picked.
 */

export const HEX_COLOR = /^#[0-9a-f]{6}$/i;

type Rgb = [number, number, number];

function toRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Mixes `hex` with `other`: amount 0 gives `hex`, 1 gives `other`. */
export function mix(hex: string, other: string, amount: number): string {
  const a = toRgb(hex);
  const b = toRgb(other);
  return toHex([0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * amount) as Rgb);
}

/** WCAG 2.1 relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.1 contrast ratio, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const WHITE = '#ffffff';
export const INK = '#1b1b1f';

/**
 * White or near-black, whichever reads better on `background`; pure black for the mid-greys
 * where neither reaches 4.5:1 (one of black or white always does).
 */
export function textOn(background: string): string {
  const white = contrast(WHITE, background);
  const ink = contrast(INK, background);
  if (white >= ink && white >= 4.5) return WHITE;
  if (ink >= 4.5) return INK;
  return white >= contrast('#000000', background) ? WHITE : '#000000';
}

/** `hex` itself if it reads on `background` at `ratio`, else `hex` darkened just enough (or ink). */
export function readableOn(hex: string, background: string, ratio = 4.5): string {
  for (let amount = 0; amount <= 1; amount += 0.05) {
    const candidate = mix(hex, '#000000', amount);
    if (contrast(candidate, background) >= ratio) return candidate;
  }
  return INK;
}

export interface BadgePalette {
  primary: string;
  primaryDark: string;
  primaryLight: string;
  secondary: string;
  secondaryDark: string;
  secondaryLight: string;
  /** The light panel behind the title. */
  panel: string;
  /** Text and pictogram colour on the primary and secondary colours. */
  onPrimary: string;
  onSecondary: string;
  /** Title colour on the panel: the primary colour when it reads well, else a darker shade. */
  title: string;
  /** Small text colour on the panel. */
  muted: string;
}

export function paletteFor(primary: string, secondary: string): BadgePalette {
  const p = primary.toLowerCase();
  const s = secondary.toLowerCase();
  const panel = mix(p, WHITE, 0.94);
  return {
    primary: p,
    primaryDark: mix(p, '#000000', 0.3),
    primaryLight: mix(p, WHITE, 0.35),
    secondary: s,
    secondaryDark: mix(s, '#000000', 0.3),
    secondaryLight: mix(s, WHITE, 0.35),
    panel,
    onPrimary: textOn(p),
    onSecondary: textOn(s),
    title: readableOn(mix(p, '#000000', 0.15), panel, 7),
    muted: readableOn(mix(p, INK, 0.5), panel, 4.5),
  };
}
