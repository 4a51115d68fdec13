/**
 * The npm audit policy (docs/security.md, "Dépendances"), as a pure decision over an
 * `npm audit --json` report: high and critical advisories in production dependencies fail,
 * unless a checked-in exception (audit-exceptions.json) names them and has not expired.
 */

export interface AuditException {
  /** The advisory: its GHSA id (`GHSA-xxxx-xxxx-xxxx`) or npm's numeric advisory id. */
  id: string;
  package: string;
  reason: string;
  /** Last day (YYYY-MM-DD, UTC) the exception applies; after it, the advisory fails again. */
  expires: string;
}

interface Advisory {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
}

interface Vulnerability {
  name: string;
  severity?: string;
  via?: (Advisory | string)[];
  nodes?: string[];
}

export interface AuditReport {
  vulnerabilities?: Record<string, Vulnerability>;
  error?: { code?: string; summary?: string; detail?: string };
  message?: string;
  statusCode?: number;
}

export interface Finding {
  id: string;
  package: string;
  severity: string;
  title: string;
}

export type AuditDecision =
  | { kind: 'unavailable'; reason: string }
  | {
      kind: 'checked';
      /** High or critical, production, not excepted: CI fails. */
      failures: Finding[];
      /** High or critical, production, under a valid exception. */
      excepted: (Finding & { reason: string; expires: string })[];
      /** Exceptions past their date (their advisory, if still reported, is in failures). */
      expired: AuditException[];
      /** Advisories that do not fail: lower severity, or only in development dependencies. */
      ignored: number;
    };

const FAILING = new Set(['high', 'critical']);

/** The GHSA id of an advisory (from its URL), else its numeric id. */
function advisoryId(a: Advisory): string {
  const ghsa = /GHSA-[\w-]+/.exec(a.url ?? '')?.[0];
  return ghsa ?? String(a.source ?? '');
}

/**
 * The registry did not answer the audit endpoint (405 on this machine's registry, ENOAUDIT,
 * a network error): the advisory source is unavailable, which is not a finding.
 */
export function unavailableReason(report: AuditReport): string | undefined {
  if (report.vulnerabilities) return undefined;
  if (typeof report.statusCode === 'number') return report.message ?? `HTTP ${report.statusCode}`;
  if (report.error) {
    const e = report.error;
    return [e.code, e.summary].filter(Boolean).join(': ') || 'audit endpoint error';
  }
  return report.message ?? 'no vulnerabilities section in the report';
}

export function decideAudit(input: {
  report: AuditReport;
  exceptions: AuditException[];
  /** Lockfile paths (`node_modules/x`) installed only for development. */
  devOnly: Set<string>;
  /** Today, YYYY-MM-DD (UTC). */
  today: string;
}): AuditDecision {
  const reason = unavailableReason(input.report);
  if (reason !== undefined) return { kind: 'unavailable', reason };
  const valid = input.exceptions.filter((e) => e.expires >= input.today);
  const expired = input.exceptions.filter((e) => e.expires < input.today);
  const failures: Finding[] = [];
  const excepted: (Finding & { reason: string; expires: string })[] = [];
  let ignored = 0;
  for (const v of Object.values(input.report.vulnerabilities ?? {})) {
    const production = (v.nodes ?? []).some((n) => !input.devOnly.has(n));
    for (const via of v.via ?? []) {
      // A string names another vulnerable package: its advisory is counted there.
      if (typeof via === 'string') continue;
      const severity = via.severity ?? v.severity ?? 'unknown';
      if (!production || !FAILING.has(severity)) {
        ignored++;
        continue;
      }
      const finding: Finding = {
        id: advisoryId(via),
        package: via.name ?? v.name,
        severity,
        title: via.title ?? '',
      };
      const exception = valid.find((e) => e.id === finding.id && e.package === finding.package);
      if (exception) {
        excepted.push({ ...finding, reason: exception.reason, expires: exception.expires });
      } else failures.push(finding);
    }
  }
  return { kind: 'checked', failures, excepted, expired, ignored };
}

/** Lockfile v2/v3: the package paths marked `dev: true` (absent from a production install). */
export function devOnlyPaths(lockfile: {
  packages?: Record<string, { dev?: boolean }>;
}): Set<string> {
  return new Set(
    Object.entries(lockfile.packages ?? {})
      .filter(([, p]) => p.dev === true)
      .map(([path]) => path),
  );
}

/** Checks the shape of audit-exceptions.json; throws with the entry at fault. */
export function parseExceptions(value: unknown): AuditException[] {
  if (!Array.isArray(value)) throw new Error('audit-exceptions.json must be a JSON array');
  return value.map((e: Record<string, unknown>, i) => {
    for (const k of ['id', 'package', 'reason', 'expires'] as const) {
      if (typeof e?.[k] !== 'string' || !e[k]) {
        throw new Error(`audit-exceptions.json entry ${i}: "${k}" is required (a string)`);
      }
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.expires as string)) {
      throw new Error(`audit-exceptions.json entry ${i}: "expires" must be YYYY-MM-DD`);
    }
    return e as unknown as AuditException;
  });
}
