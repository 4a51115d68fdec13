import type { HelperOptions } from 'handlebars';

/** {{formatNumber n}}: a number with the separators of the response's language. */
export function formatNumber(value: unknown, options: HelperOptions): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'fr';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'fr-FR').format(n);
}
