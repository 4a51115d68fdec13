import type { HelperOptions } from 'handlebars';

// Built once per language: an Intl formatter costs far more to make than to use.
const formatters = {
  fr: new Intl.NumberFormat('fr-FR'),
  en: new Intl.NumberFormat('en-GB'),
};

/** {{formatNumber n}}: a number with the separators of the response's language. */
export function formatNumber(value: unknown, options: HelperOptions): string {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'fr';
  return formatters[lang === 'en' ? 'en' : 'fr'].format(n);
}
