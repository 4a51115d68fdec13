/**
 * Calendar months of instants in a time zone (the issuer's, or Europe/Paris for the city).
 * Formats are made once per zone: making an Intl.DateTimeFormat costs far more than using one,
 * and every award page (its LinkedIn link) and every award of the open data asks.
 */
const yearMonthFormats = new Map<string, Intl.DateTimeFormat>();
function yearMonthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = yearMonthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' });
    yearMonthFormats.set(timeZone, format);
  }
  return format;
}

/** Year and month (1 = January … 12 = December) of an instant in a time zone. */
export function yearMonthOf(
  date: Date,
  timeZone = 'Europe/Paris',
): { year: number; month: number } {
  const parts = yearMonthFormat(timeZone).formatToParts(date);
  const read = (type: 'year' | 'month') => Number(parts.find((p) => p.type === type)?.value);
  return { year: read('year'), month: read('month') };
}
