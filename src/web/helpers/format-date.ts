import type { HelperOptions } from 'handlebars';

/** {{formatDate date}}: a long date in the language of the response ("3 mars 2027"). */
export function formatDate(value: unknown, options: HelperOptions): string {
  if (value === undefined || value === null || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return '';
  const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'fr';
  const style = (options.hash as { style?: string } | undefined)?.style;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
    dateStyle: 'long',
    ...(style === 'datetime' ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Paris',
  }).format(date);
}
