import type { HelperOptions } from 'handlebars';
import { formatDate as format } from '../../libraries/i18n/format-date.js';

/** {{formatDate date}} or {{formatDate date style="datetime"}}: in the response's language. */
export function formatDate(value: unknown, options: HelperOptions): string {
  if (value === undefined || value === null || value === '') return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return '';
  const lang = (options.data?.root as { lang?: string } | undefined)?.lang ?? 'fr';
  const style = (options.hash as { style?: string } | undefined)?.style;
  return format(date, lang, style === 'datetime' ? 'datetime' : 'date');
}
