import { parseCsvLines, type CsvRecord } from '../../libraries/csv/parse-csv-lines.js';

/** The most rows one file may hold (a whole cohort of the cooperative, with room). */
export const BULK_MAX_ROWS = 10_000;
/** Upload size cap: 10,000 rows with links and comments fit easily. */
export const BULK_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The columns, by the name shown to coordinators (French), with the headers accepted for
 * each (lower case, accents as typed by spreadsheet users).
 */
export const BULK_COLUMNS = {
  email: ['email', 'e-mail', 'courriel', 'adresse e-mail', 'adresse email', 'mail'],
  preuves: ['preuves', 'preuve', 'liens', 'evidence'],
  description: ['description des preuves', 'description_preuves', 'description'],
  commentaire: ['commentaire', 'narrative', 'commentaires'],
  langue: ['langue', 'lang', 'language'],
} as const;
export type BulkColumn = keyof typeof BULK_COLUMNS;

export interface BulkCsvRow {
  /** Line of the file where the row starts, blank lines and multi-line cells counted. */
  line: number;
  cells: Record<BulkColumn, string>;
}

export type BulkCsvResult =
  | { ok: true; rows: BulkCsvRow[] }
  | { ok: false; messageKey: string; params?: Record<string, string | number> };

/**
 * Reads a coordinator's CSV (comma or semicolon, as spreadsheets save it; UTF-8 with or
 * without BOM). Only the file as a whole is judged here: each row is checked later.
 */
export function parseBulkCsv(text: string): BulkCsvResult {
  let records: CsvRecord[];
  try {
    records = parseCsvLines(text, {
      bom: true,
      delimiter: [';', ',', '\t'],
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
    });
  } catch (err) {
    return {
      ok: false,
      messageKey: 'bulk.errors.unreadable',
      params: { reason: (err as Error).message.slice(0, 200) },
    };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, messageKey: 'bulk.errors.empty' };
  const names = header.cells.map((h) => h.trim().toLowerCase());
  const position = {} as Record<BulkColumn, number>;
  for (const [column, accepted] of Object.entries(BULK_COLUMNS) as [
    BulkColumn,
    readonly string[],
  ][]) {
    position[column] = names.findIndex((n) => accepted.includes(n));
  }
  if (position.email < 0) {
    return {
      ok: false,
      messageKey: 'bulk.errors.noEmailColumn',
      params: { found: names.join(', ') },
    };
  }
  const rows = data
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ cells, line }) => {
      const get = (c: BulkColumn) => (position[c] >= 0 ? (cells[position[c]] ?? '').trim() : '');
      return {
        line,
        cells: {
          email: get('email'),
          preuves: get('preuves'),
          description: get('description'),
          commentaire: get('commentaire'),
          langue: get('langue'),
        },
      };
    });
  if (rows.length === 0) return { ok: false, messageKey: 'bulk.errors.empty' };
  if (rows.length > BULK_MAX_ROWS) {
    return {
      ok: false,
      messageKey: 'bulk.errors.tooManyRows',
      params: { max: BULK_MAX_ROWS, count: rows.length },
    };
  }
  return { ok: true, rows };
}
