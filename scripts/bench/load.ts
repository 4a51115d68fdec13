/**
 * Sustained mixed load on loopback: verification API, public pages and hosted documents,
 * sign-in, issuing through the form (see load-mix-client.ts for the mix), at 50 concurrent
 * users for 60 s, twice, from a separate process. Prints each run, then
 * `load: requests=… errors=… p50_ms=… p99_ms=… rss_start_mb=… rss_end_mb=… rss_end2_mb=…
 * rss_growth=… issued=… issued_verified=… cpu_ms_per_request=… app_cpu_ms_per_request=…
 * db_cpu_ms_per_request=…` (figures of the second run; rss_growth compares the end of the second
 * run with the end of the first: a leak grows it; CPU time of the app, all its threads, and of
 * the embedded FerretDB per request: on a shared machine it moves less than the latencies).
 * Afterwards every badge issued during the runs is verified. Options: `--seconds=N`, `--users=N`,
 * `--only=NAME` (one action of the mix alone, to read its own CPU cost: verify, static-page,
 * award-page, badge-page, document, sign-in, issue; each user still signs in once first).
 */
import { appCpuMs, processCpuMs } from './cpu.js';
import { BENCH_ACTOR, runJsonChild, startBenchApp } from './harness.js';

interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  p50_ms: number;
  p99_ms: number;
  byAction: Record<string, number>;
  byKind: Record<string, { n: number; p50_ms: number; p99_ms: number }>;
  unexpected: Record<string, number>;
  issued: number;
}

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
}

function runMix(plan: unknown): Promise<LoadResult> {
  return runJsonChild<LoadResult>('scripts/bench/load-mix-client.ts', [], plan);
}

const mb = () => process.memoryUsage().rss / 1024 / 1024;

export async function run(): Promise<void> {
  const seconds = option('seconds', 60);
  const users = option('users', 50);
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  // One address plays every user: the per-IP limits would otherwise answer 429 by design.
  const bench = await startBenchApp({
    RATE_LIMIT_VERIFY_PER_IP: '100000000',
    RATE_LIMIT_SIGN_IN_PER_IP: '100000000',
    RATE_LIMIT_SIGN_IN_PER_EMAIL: '100000000',
  });
  try {
    const { app } = bench;
    const password = 'une phrase de passe pour la charge';
    const coordinator = await app.services.accounts.createAccount({
      email: 'coordination@exemple.fr',
      name: 'Coordination',
      password,
      passwordConfirm: password,
      isAdmin: false,
      via: 'cli',
    });
    await app.services.issuerRepo.addMembership({
      issuerId: 'roubaix',
      userId: coordinator._id,
      role: 'coordinator',
      createdAt: new Date(),
    });
    const jws: string[] = [];
    const assertionIds: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { award } = await app.services.awards.issueAward({
        actor: BENCH_ACTOR,
        ip: '127.0.0.1',
        issuerId: 'roubaix',
        badgeClassId: bench.badge._id,
        recipientEmail: `mediateur-${i}@exemple.fr`,
      });
      jws.push(award.ob2.jws);
      assertionIds.push(award._id);
    }
    const plan = (run: string, s: number) => ({
      url: bench.url,
      seconds: s,
      concurrency: users,
      jws,
      assertionIds,
      badgeClassId: bench.badge._id,
      issuerId: 'roubaix',
      coordinator: { email: 'coordination@exemple.fr', password },
      emailPrefix: `charge-${run}`,
      ...(only ? { only } : {}),
    });
    await runMix(plan('chauffe', 3));
    global.gc?.();
    const rssStart = mb();
    const first = await runMix(plan('1', seconds));
    const rssEnd = mb();
    const cpu = { app: appCpuMs(), db: processCpuMs(bench.databasePid) };
    const second = await runMix(plan('2', seconds));
    const rssEnd2 = mb();
    const appCpu = (appCpuMs() - cpu.app) / second.requests;
    const dbCpu = (processCpuMs(bench.databasePid) - cpu.db) / second.requests;
    for (const [name, r] of [
      ['first', first],
      ['second', second],
    ] as const) {
      console.log(
        `  ${name} run: ${r.requests} requests in ${r.seconds.toFixed(1)} s, ${r.errors} errors ${JSON.stringify(r.unexpected)}, ` +
          `p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms, ${r.issued} badges issued; ${JSON.stringify(r.byAction)}`,
      );
      console.log(
        `    by request: ${Object.entries(r.byKind)
          .map(([k, v]) => `${k} n=${v.n} p50=${v.p50_ms} p99=${v.p99_ms}`)
          .join('; ')}`,
      );
    }

    // Every badge issued under load verifies (documents read as a verifier would).
    const ids = (
      (await bench.db
        .collection('assertions')
        .find({ 'recipient.email': { $regex: '^charge-' } }, { projection: { _id: 1 } })
        .toArray()) as unknown as { _id: string }[]
    ).map((d) => d._id);
    let verified = 0;
    for (const id of ids) {
      const outcome = await app.services.verification.verify({
        way: 'url',
        url: app.services.urls.assertion(id),
      });
      if (outcome.report.verdict === 'verified') verified++;
    }
    console.log(
      `load: requests=${second.requests} errors=${second.errors} p50_ms=${second.p50_ms.toFixed(1)} ` +
        `p99_ms=${second.p99_ms.toFixed(1)} rss_start_mb=${rssStart.toFixed(0)} rss_end_mb=${rssEnd.toFixed(0)} ` +
        `rss_end2_mb=${rssEnd2.toFixed(0)} rss_growth=${(rssEnd2 / rssEnd).toFixed(2)} ` +
        `first_errors=${first.errors} issued=${ids.length} issued_verified=${verified} ` +
        `cpu_ms_per_request=${(appCpu + dbCpu).toFixed(2)} app_cpu_ms_per_request=${appCpu.toFixed(2)} ` +
        `db_cpu_ms_per_request=${dbCpu.toFixed(2)}`,
    );
  } finally {
    await bench.close();
  }
}
