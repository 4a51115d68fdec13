/**
 * Monthly open-data statistics (pure): from per-event facts to published rows, with the
 * disclosure control of ./disclosure.ts. No personal data leaves this module: recipients are
 * only counted.
 */
import { yearMonthOf } from '../calendar.js';
import { DISCLOSURE_THRESHOLD, protect, type SumRelation } from './disclosure.js';

/** The counts of one row, in the column order of the schema. */
export const MEASURES = [
  'badges_delivres',
  'beneficiaires_distincts',
  'badges_revoques',
  'recommandations',
  'demandes_recues',
  'demandes_traitees',
] as const;
export type Measure = (typeof MEASURES)[number];

/** The measure that has published totals (per month, per competency, overall). */
export const TOTALLED_MEASURE: Measure = 'badges_delivres';

export interface IssuerInfo {
  id: string;
  name: string;
  /** "YYYY-MM": nothing earlier is published. */
  fromMonth: string;
  communeCode?: string | undefined;
  mediationPlaceId?: string | undefined;
}

export interface BadgeInfo {
  id: string;
  issuerId: string;
  name: string;
  competencies: { framework: string; code: string; name: string }[];
  themes: string[];
}

/** One event, already placed in its month ("YYYY-MM"). */
export type Fact =
  | { kind: 'issued'; month: string; badgeId: string; recipient: string }
  | { kind: 'revoked'; month: string; badgeId: string }
  | { kind: 'recommended'; month: string; badgeId: string }
  | { kind: 'requestReceived'; month: string; badgeId: string }
  | { kind: 'requestDecided'; month: string; badgeId: string };

export interface StatisticsRow {
  mois: string;
  emetteur_id: string;
  emetteur_nom: string;
  code_insee: string;
  lieu_mediation_id: string;
  badge_id: string;
  badge_nom: string;
  referentiel: string;
  competence_code: string;
  competence_nom: string;
  thematiques: string;
  /** null: not published (statistical secrecy). */
  counts: Record<Measure, number | null>;
  secret_statistique: boolean;
}

export interface PublishedTotal {
  key: string;
  label: string;
  /** null: not published. */
  value: number | null;
}

export interface MonthlyStatistics {
  rows: StatisticsRow[];
  byMonth: PublishedTotal[];
  byCompetency: PublishedTotal[];
  total: number | null;
}

/** "YYYY-MM" of a date in a time zone (Europe/Paris for the city's months). */
export function monthOf(date: Date, timeZone = 'Europe/Paris'): string {
  const { year, month } = yearMonthOf(date, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function competencyKey(c: { framework: string; code: string }): string {
  return `${c.framework} ${c.code}`;
}

/**
 * Builds the published rows and totals. Only months strictly before `currentMonth` (complete
 * months) and not before each issuer's `fromMonth` are kept.
 */
export function buildMonthlyStatistics(input: {
  issuers: IssuerInfo[];
  badges: BadgeInfo[];
  facts: Fact[];
  currentMonth: string;
  threshold?: number;
}): MonthlyStatistics {
  const threshold = input.threshold ?? DISCLOSURE_THRESHOLD;
  const issuers = new Map(input.issuers.map((i) => [i.id, i]));
  const badges = new Map(input.badges.map((b) => [b.id, b]));

  // Base cells: one per month × badge (the badge names its issuer).
  interface Base {
    month: string;
    badge: BadgeInfo;
    issuer: IssuerInfo;
    counts: Record<Measure, number>;
    recipients: Set<string>;
  }
  const base = new Map<string, Base>();
  for (const f of input.facts) {
    const badge = badges.get(f.badgeId);
    const issuer = badge && issuers.get(badge.issuerId);
    if (!badge || !issuer) continue;
    if (f.month >= input.currentMonth || f.month < issuer.fromMonth) continue;
    const key = `${f.month}\u0000${badge.id}`;
    let b = base.get(key);
    if (!b) {
      b = {
        month: f.month,
        badge,
        issuer,
        counts: Object.fromEntries(MEASURES.map((m) => [m, 0])) as Record<Measure, number>,
        recipients: new Set(),
      };
      base.set(key, b);
    }
    switch (f.kind) {
      case 'issued':
        b.counts.badges_delivres++;
        b.recipients.add(f.recipient);
        break;
      case 'revoked':
        b.counts.badges_revoques++;
        break;
      case 'recommended':
        b.counts.recommandations++;
        break;
      case 'requestReceived':
        b.counts.demandes_recues++;
        break;
      case 'requestDecided':
        b.counts.demandes_traitees++;
        break;
    }
  }
  const cells = [...base.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.issuer.name.localeCompare(b.issuer.name, 'fr') ||
      a.badge.name.localeCompare(b.badge.name, 'fr') ||
      a.badge.id.localeCompare(b.badge.id),
  );
  for (const c of cells) c.counts.beneficiaires_distincts = c.recipients.size;

  // Published totals of the totalled measure: per month, per competency, overall.
  const relations: SumRelation[] = [];
  const months = [...new Set(cells.map((c) => c.month))].sort();
  for (const m of months) {
    relations.push({
      id: `month:${m}`,
      members: cells.flatMap((c, i) => (c.month === m ? [i] : [])),
    });
  }
  const competencies = new Map<string, { framework: string; code: string; name: string }>();
  for (const c of cells)
    for (const comp of c.badge.competencies) competencies.set(competencyKey(comp), comp);
  const compKeys = [...competencies.keys()].sort((a, b) => a.localeCompare(b, 'fr'));
  for (const k of compKeys) {
    relations.push({
      id: `competency:${k}`,
      members: cells.flatMap((c, i) =>
        c.badge.competencies.some((comp) => competencyKey(comp) === k) ? [i] : [],
      ),
    });
  }
  relations.push({ id: 'total', members: cells.map((_, i) => i) });

  const totalled = protect({
    cells: cells.map((c) => c.counts[TOTALLED_MEASURE]),
    relations,
    threshold,
  });

  const rows: StatisticsRow[] = [];
  cells.forEach((c, i) => {
    const counts = {} as Record<Measure, number | null>;
    for (const m of MEASURES) {
      const published =
        m === TOTALLED_MEASURE ? totalled.cellPublished[i] === true : c.counts[m] >= threshold;
      counts[m] = published ? c.counts[m] : null;
    }
    // Distinct recipients bound the badges issued from below: hidden together.
    if (counts.badges_delivres === null) counts.beneficiaires_distincts = null;
    const secret = MEASURES.some((m) => counts[m] === null);
    const comps = c.badge.competencies.length
      ? c.badge.competencies
      : [{ framework: '', code: '', name: '' }];
    for (const comp of comps) {
      rows.push({
        mois: c.month,
        emetteur_id: c.issuer.id,
        emetteur_nom: c.issuer.name,
        code_insee: c.issuer.communeCode ?? '',
        lieu_mediation_id: c.issuer.mediationPlaceId ?? '',
        badge_id: c.badge.id,
        badge_nom: c.badge.name,
        referentiel: comp.framework,
        competence_code: comp.code,
        competence_nom: comp.name,
        thematiques: c.badge.themes.join('|'),
        counts: { ...counts },
        secret_statistique: secret,
      });
    }
  });

  const shown = (id: string) =>
    totalled.totalPublished.get(id) ? (totalled.totals.get(id) ?? 0) : null;
  return {
    rows,
    byMonth: months.map((m) => ({ key: m, label: m, value: shown(`month:${m}`) })),
    byCompetency: compKeys.map((k) => ({
      key: k,
      label: `${k} — ${competencies.get(k)?.name ?? ''}`,
      value: shown(`competency:${k}`),
    })),
    total: shown('total'),
  };
}

/** CSV columns, in order (the schema's fields). */
export const CSV_COLUMNS = [
  'mois',
  'emetteur_id',
  'emetteur_nom',
  'code_insee',
  'lieu_mediation_id',
  'badge_id',
  'badge_nom',
  'referentiel',
  'competence_code',
  'competence_nom',
  'thematiques',
  ...MEASURES,
  'secret_statistique',
] as const;

function csvCell(v: string): string {
  // RFC 4180 quoting; a leading formula sign is neutralised for spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 CSV, comma-separated, CRLF line ends (RFC 4180), header first. */
export function toCsv(rows: readonly StatisticsRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvCell(cellText(r, c))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cellText(r: StatisticsRow, c: (typeof CSV_COLUMNS)[number]): string {
  if ((MEASURES as readonly string[]).includes(c)) {
    const v = r.counts[c as Measure];
    return v === null ? '' : String(v);
  }
  if (c === 'secret_statistique') return r.secret_statistique ? 'true' : 'false';
  return r[c as Exclude<(typeof CSV_COLUMNS)[number], Measure | 'secret_statistique'>];
}

/** The same rows as JSON objects (keys = CSV columns; null for a suppressed count). */
export function toJsonRows(rows: readonly StatisticsRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of CSV_COLUMNS) {
      if ((MEASURES as readonly string[]).includes(c)) o[c] = r.counts[c as Measure];
      else if (c === 'secret_statistique') o[c] = r.secret_statistique;
      else o[c] = cellText(r, c);
    }
    return o;
  });
}
