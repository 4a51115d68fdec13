import fs from 'node:fs';
import path from 'node:path';
import {
  decideAudit,
  devOnlyPaths,
  parseExceptions,
  type AuditException,
  type AuditReport,
} from '../../../scripts/lib/audit-policy.js';
import { projectRoot } from '../../../src/libraries/paths.js';

/** Recorded `npm audit --omit=dev --json` outputs (npm 10, report version 2). */
const fixture = (name: string): AuditReport =>
  JSON.parse(
    fs.readFileSync(
      path.join(projectRoot, 'tests/unit/scripts/fixtures/npm-audit', `${name}.json`),
      'utf8',
    ),
  ) as AuditReport;

const TODAY = '2027-03-01';
const undiciException: AuditException = {
  id: 'GHSA-9qxr-qj54-h672',
  package: 'undici',
  reason: 'We never pass the integrity option to fetch.',
  expires: '2027-04-30',
};
const decide = (report: AuditReport, exceptions: AuditException[] = [], devOnly: string[] = []) =>
  decideAudit({ report, exceptions, devOnly: new Set(devOnly), today: TODAY });

describe('npm audit policy', () => {
  it('When a production dependency has a high advisory, then it fails, named once (not again for the package that pulls it in)', () => {
    const d = decide(fixture('high'));
    expect(d).toMatchObject({
      kind: 'checked',
      failures: [{ id: 'GHSA-9qxr-qj54-h672', package: 'undici', severity: 'high' }],
    });
  });

  it('When that advisory has a valid exception, then it passes and is listed with its reason', () => {
    const d = decide(fixture('high'), [undiciException]);
    expect(d).toMatchObject({ kind: 'checked', failures: [] });
    expect(d.kind === 'checked' && d.excepted).toEqual([
      expect.objectContaining({ id: 'GHSA-9qxr-qj54-h672', reason: undiciException.reason }),
    ]);
  });

  it('When the exception has expired, then the advisory fails again and the exception is reported', () => {
    const d = decide(fixture('high'), [{ ...undiciException, expires: '2027-02-28' }]);
    expect(d.kind === 'checked' && d.failures.map((f) => f.id)).toEqual(['GHSA-9qxr-qj54-h672']);
    expect(d.kind === 'checked' && d.expired.map((e) => e.id)).toEqual(['GHSA-9qxr-qj54-h672']);
    // Its last day still counts.
    expect(decide(fixture('high'), [{ ...undiciException, expires: TODAY }])).toMatchObject({
      failures: [],
    });
  });

  it('When an exception names the advisory but another package, then it does not apply', () => {
    const d = decide(fixture('high'), [{ ...undiciException, package: 'jsonld' }]);
    expect(d.kind === 'checked' && d.failures).toHaveLength(1);
  });

  it('When the advisory is moderate, then it passes', () => {
    expect(decide(fixture('moderate'))).toMatchObject({ failures: [], ignored: 1 });
  });

  it('When a critical advisory is in a development-only package, then it passes', () => {
    expect(decide(fixture('dev-only-critical'), [], ['node_modules/braces'])).toMatchObject({
      failures: [],
      ignored: 1,
    });
    // The same package in production fails.
    expect(decide(fixture('dev-only-critical')).kind === 'checked').toBe(true);
    expect(decide(fixture('dev-only-critical'))).toMatchObject({
      failures: [{ package: 'braces', severity: 'critical' }],
    });
  });

  it('When there is no advisory, then it passes', () => {
    expect(decide(fixture('clean'))).toEqual({
      kind: 'checked',
      failures: [],
      excepted: [],
      expired: [],
      ignored: 0,
    });
  });

  it('When the registry refuses the audit endpoint (405 here, ENOAUDIT elsewhere), then the source is unavailable, not passed', () => {
    expect(decide(fixture('unavailable-405'))).toEqual({
      kind: 'unavailable',
      reason:
        '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
    expect(decide(fixture('enoaudit'))).toMatchObject({
      kind: 'unavailable',
      reason: expect.stringContaining('ENOAUDIT'),
    });
  });

  it('The lockfile tells development-only packages apart', () => {
    const dev = devOnlyPaths({
      packages: {
        '': {},
        'node_modules/jest': { dev: true },
        'node_modules/undici': {},
      },
    });
    expect([...dev]).toEqual(['node_modules/jest']);
  });

  it('The checked-in exception list is valid, and each entry says why and until when', () => {
    const list = parseExceptions(
      JSON.parse(fs.readFileSync(path.join(projectRoot, 'audit-exceptions.json'), 'utf8')),
    );
    for (const e of list) expect(e.reason.length).toBeGreaterThan(10);
    expect(() => parseExceptions([{ id: 'GHSA-x', package: 'p', reason: 'r' }])).toThrow(
      /"expires" is required/,
    );
    expect(() =>
      parseExceptions([{ id: 'GHSA-x', package: 'p', reason: 'r', expires: '30/04/2027' }]),
    ).toThrow(/YYYY-MM-DD/);
  });
});
