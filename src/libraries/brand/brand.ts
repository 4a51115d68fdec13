import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';
import { mix, parseHexColor, relativeLuminance, type Rgb } from './contrast.js';

/** What the layout shows of the installation's brand (name, logo, extra footer links). */
export interface BrandView {
  name: string;
  logoUrl?: string;
  footerLinks: { label: string; url: string }[];
}

type BrandConfig = Pick<
  Config,
  | 'BRAND_NAME'
  | 'BRAND_LOGO_FILE'
  | 'BRAND_PRIMARY_COLOR'
  | 'BRAND_ON_PRIMARY_COLOR'
  | 'BRAND_LINK_COLOR'
  | 'BRAND_FOOTER_LINKS'
>;

export function brandView(config: BrandConfig): BrandView {
  return {
    name: config.BRAND_NAME,
    ...(config.BRAND_LOGO_FILE ? { logoUrl: `/static/${config.BRAND_LOGO_FILE}` } : {}),
    footerLinks: config.BRAND_FOOTER_LINKS.map((l) => ({ ...l })),
  };
}

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/**
 * The palette as CSS custom properties, served as a stylesheet (the CSP forbids inline styles).
 * Hover shades move away from the text colour, so they keep at least the checked contrast.
 */
export function brandStylesheet(config: BrandConfig): { css: string; etag: string } {
  const primary = parseHexColor(config.BRAND_PRIMARY_COLOR)!;
  const onPrimary = parseHexColor(config.BRAND_ON_PRIMARY_COLOR)!;
  const link = parseHexColor(config.BRAND_LINK_COLOR)!;
  const textIsLighter = relativeLuminance(onPrimary) > relativeLuminance(primary);
  const css =
    [
      '/* Generated from the BRAND_* settings: the installation palette (checked for WCAG AA at start). */',
      ':root {',
      `  --brand: ${config.BRAND_PRIMARY_COLOR};`,
      `  --brand-dark: ${mix(primary, textIsLighter ? BLACK : WHITE, 0.25)};`,
      `  --on-brand: ${config.BRAND_ON_PRIMARY_COLOR};`,
      `  --link: ${config.BRAND_LINK_COLOR};`,
      `  --link-hover: ${mix(link, BLACK, 0.25)};`,
      '}',
    ].join('\n') + '\n';
  const etag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 22)}"`;
  return { css, etag };
}
