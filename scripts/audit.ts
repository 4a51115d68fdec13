/**
 * `npm run audit`: `npm audit --omit=dev --json`, then the policy of scripts/lib/audit-policy.ts
 * with audit-exceptions.json. Exit codes: 0 passed; 1 a high or critical advisory in a
 * production dependency (not excepted); 2 the check itself could not run (bad exception
 * file); 3 the advisory source is unavailable (the registry refused the audit endpoint).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/libraries/paths.js';
import {
  decideAudit,
  devOnlyPaths,
  parseExceptions,
  type AuditReport,
} from './lib/audit-policy.js';

export const EXIT = { passed: 0, failed: 1, error: 2, unavailable: 3 } as const;

function main(): number {
  let exceptions;
  try {
    const file = path.join(projectRoot, 'audit-exceptions.json');
    exceptions = parseExceptions(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    console.error(`audit: ${(err as Error).message}`);
    return EXIT.error;
  }
  const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['audit', '--omit=dev', '--json'], {
    cwd: projectRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let report: AuditReport;
  try {
    report = JSON.parse(run.stdout || '{}') as AuditReport;
  } catch {
    report = { message: (run.stderr || run.stdout || 'no output').trim().split('\n')[0] };
  }
  const decision = decideAudit({
    report,
    exceptions,
    devOnly: devOnlyPaths(lock),
    today: new Date().toISOString().slice(0, 10),
  });
  if (decision.kind === 'unavailable') {
    console.error(`audit: advisory source unavailable (${decision.reason}); nothing was checked`);
    return EXIT.unavailable;
  }
  for (const e of decision.expired) {
    console.error(`audit: exception ${e.id} (${e.package}) expired on ${e.expires}`);
  }
  for (const x of decision.excepted) {
    console.log(
      `audit: excepted ${x.severity} ${x.id} in ${x.package} until ${x.expires}: ${x.reason}`,
    );
  }
  for (const f of decision.failures) {
    console.error(`audit: ${f.severity} ${f.id} in ${f.package}: ${f.title}`);
  }
  console.log(
    `audit: failures=${decision.failures.length} excepted=${decision.excepted.length} ignored=${decision.ignored}`,
  );
  return decision.failures.length ? EXIT.failed : EXIT.passed;
}

process.exitCode = main();
