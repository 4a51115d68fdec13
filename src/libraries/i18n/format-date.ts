/**
 * Dates as people read them, in Paris time: "3 mars 2027" ("1er" for the first of the month
 * in French), optionally with the time. Formatters are built once per language and style:
 * building an Intl.DateTimeFormat costs far more than using one.
 */
export type DateStyle = 'date' | 'datetime' | 'time';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: string, style: DateStyle): Intl.DateTimeFormat {
  const key = `${lang}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
      ...(style === 'time' ? {} : { dateStyle: 'long' }),
      ...(style === 'date' ? {} : { timeStyle: 'short' }),
      timeZone: 'Europe/Paris',
    });
    formatters.set(key, f);
  }
  return f;
}

export function formatDate(date: Date, lang: string, style: DateStyle = 'date'): string {
  const text = formatter(lang, style).format(date);
  return lang === 'fr' && style !== 'time' ? text.replace(/^1 /, '1er ') : text;
}
