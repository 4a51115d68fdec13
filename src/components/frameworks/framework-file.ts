import { parseCsvLines, type CsvRecord } from '../../libraries/csv/parse-csv-lines.js';
import type { FieldError } from '../../libraries/errors/app-error.js';
import type { Domain, Framework } from './frameworks.model.js';

/** A framework file an admin imports (CSV or JSON), read and validated line by line. */

export interface FrameworkMeta {
  id: string;
  name: string;
  lang: string;
  url?: string;
  source?: string;
}

export type ImportResult =
  { ok: true; framework: Omit<Framework, 'origin'> } | { ok: false; errors: FieldError[] };

const LIMITS = { competencies: 500, label: 300, code: 30 };

function validateMeta(meta: FrameworkMeta, errors: FieldError[]): void {
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(meta.id)) {
    errors.push({ field: 'id', messageKey: 'frameworks.import.errors.id' });
  }
  if (!meta.name.trim() || meta.name.length > 200) {
    errors.push({ field: 'name', messageKey: 'frameworks.import.errors.name' });
  }
  if (!['fr', 'en'].includes(meta.lang))
    errors.push({ field: 'lang', messageKey: 'frameworks.import.errors.lang' });
  if (meta.url && !/^https?:\/\/\S+$/.test(meta.url)) {
    errors.push({ field: 'url', messageKey: 'frameworks.import.errors.url' });
  }
}

interface Row {
  line: number;
  domainCode: string;
  domainLabel: string;
  code: string;
  label: string;
}

function buildDomains(rows: Row[], errors: FieldError[], source: 'csv' | 'json'): Domain[] {
  const domains = new Map<string, Domain>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    // JSON has no lines: messages then say "competency no. N" (i18next context `json`).
    const at = source === 'json' ? { line: row.line, context: 'json' } : { line: row.line };
    if (!row.domainCode || !row.domainLabel) {
      errors.push({
        field: 'file',
        messageKey: 'frameworks.import.errors.domainMissing',
        params: at,
      });
      continue;
    }
    if (!row.code || row.code.length > LIMITS.code) {
      errors.push({
        field: 'file',
        messageKey: 'frameworks.import.errors.codeMissing',
        params: at,
      });
      continue;
    }
    if (!row.label || row.label.length > LIMITS.label) {
      errors.push({
        field: 'file',
        messageKey: 'frameworks.import.errors.labelMissing',
        params: { ...at, max: LIMITS.label },
      });
      continue;
    }
    const first = seen.get(row.code);
    if (first !== undefined) {
      errors.push({
        field: 'file',
        messageKey: 'frameworks.import.errors.duplicateCode',
        params: { ...at, code: row.code, first },
      });
      continue;
    }
    seen.set(row.code, row.line);
    let domain = domains.get(row.domainCode);
    if (!domain) {
      domain = { code: row.domainCode, label: row.domainLabel, competencies: [] };
      domains.set(row.domainCode, domain);
    }
    domain.competencies.push({ code: row.code, label: row.label });
  }
  if (seen.size === 0 && errors.length === 0)
    errors.push({ field: 'file', messageKey: 'frameworks.import.errors.empty' });
  if (seen.size > LIMITS.competencies) {
    errors.push({
      field: 'file',
      messageKey: 'frameworks.import.errors.tooMany',
      params: { max: LIMITS.competencies },
    });
  }
  return [...domains.values()];
}

const CSV_COLUMNS = ['domaine_code', 'domaine_libelle', 'competence_code', 'competence_libelle'];

/**
 * CSV: one competency per line with the columns domaine_code, domaine_libelle,
 * competence_code, competence_libelle (comma or semicolon, as spreadsheets export them).
 */
export function parseFrameworkCsv(text: string, meta: FrameworkMeta): ImportResult {
  const errors: FieldError[] = [];
  validateMeta(meta, errors);
  let records: CsvRecord[];
  try {
    records = parseCsvLines(text, {
      bom: true,
      delimiter: [',', ';'],
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (err) {
    return {
      ok: false,
      errors: [
        ...errors,
        {
          field: 'file',
          messageKey: 'frameworks.import.errors.csv',
          params: { reason: (err as Error).message },
        },
      ],
    };
  }
  const [first, ...data] = records;
  const header = first ? first.cells.map((h) => h.trim().toLowerCase()) : [];
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      errors: [
        ...errors,
        {
          field: 'file',
          messageKey: 'frameworks.import.errors.columns',
          params: { columns: missing.join(', ') },
        },
      ],
    };
  }
  const cell = (cells: string[], column: string) => cells[header.indexOf(column)] ?? '';
  // The line where each row starts in the file, blank lines and multi-line cells counted.
  const rows: Row[] = data.map(({ cells, line }) => ({
    line,
    domainCode: cell(cells, 'domaine_code'),
    domainLabel: cell(cells, 'domaine_libelle'),
    code: cell(cells, 'competence_code'),
    label: cell(cells, 'competence_libelle'),
  }));
  const domains = buildDomains(rows, errors, 'csv');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, framework: { ...clean(meta), domains } };
}

/** JSON: the shape of resources/frameworks.json entries (domains with [code, label] pairs or objects). */
export function parseFrameworkJson(text: string, meta: FrameworkMeta): ImportResult {
  const errors: FieldError[] = [];
  validateMeta(meta, errors);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      ok: false,
      errors: [...errors, { field: 'file', messageKey: 'frameworks.import.errors.json' }],
    };
  }
  const domainsIn = (data as { domains?: unknown }).domains;
  if (!Array.isArray(domainsIn)) {
    return {
      ok: false,
      errors: [...errors, { field: 'file', messageKey: 'frameworks.import.errors.jsonShape' }],
    };
  }
  const rows: Row[] = [];
  domainsIn.forEach((d: unknown) => {
    const domain = d as { code?: unknown; label?: unknown; competencies?: unknown };
    const comps = Array.isArray(domain.competencies) ? domain.competencies : [];
    comps.forEach((c: unknown) => {
      const [code, label] = Array.isArray(c)
        ? [c[0], c[1]]
        : [(c as { code?: unknown }).code, (c as { label?: unknown }).label];
      rows.push({
        line: rows.length + 1,
        domainCode: String(domain.code ?? '').trim(),
        domainLabel: String(domain.label ?? '').trim(),
        code: String(code ?? '').trim(),
        label: String(label ?? '').trim(),
      });
    });
  });
  const domains = buildDomains(rows, errors, 'json');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, framework: { ...clean(meta), domains } };
}

function clean(meta: FrameworkMeta): FrameworkMeta {
  return {
    id: meta.id,
    name: meta.name.trim(),
    lang: meta.lang,
    ...(meta.url ? { url: meta.url } : {}),
    ...(meta.source ? { source: meta.source.trim() } : {}),
  };
}
