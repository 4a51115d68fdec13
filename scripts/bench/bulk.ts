/**
 * Issuing from a CSV file: `npm run bench -- bulk` (BULK_ROWS=… to change the 10,000 rows).
 * A real app on a temporary FerretDB: the file is uploaded and checked (preview), confirmed and
 * issued by the background run (signed OB 2.0 JWS, OB 3.0 Data Integrity proof and VC-JWT,
 * status list slot, database writes, audit, one email each to the development outbox). Badges
 * are baked when downloaded, as the product does: 500 awards' signed PNG and OB 3.0 SVG are
 * fetched through HTTP. Then the same badges are only signed (same signing threads), for the
 * ratio. Checks, outside the timings: 200 awards drawn at random verify through
 * POST /api/v1/verify, 10 pass the reference validator. Prints the parts and the summary line
 * `bulk: rows=… seconds=… sign_only_seconds=… peak_rss_mb=…` (seconds: confirm → every award
 * issued and announced; cpu_ms_per_award: CPU time of the app, all its threads, and of the
 * embedded FerretDB over those seconds, per award: on a shared machine it moves less; then the
 * same split as app_cpu_ms_per_award and db_cpu_ms_per_award; peak_rss_mb: the whole process,
 * tsx included, until the downloads end;
 * next_preview_seconds and backpack_ms: with those awards stored, a 1,000-row file's preview, half
 * of whose people already hold the badge, and one person's "Mes badges" read).
 * BULK_MAIL=smtp sends the emails over SMTP to a loopback relay in its own process (as in
 * production) instead of the development outbox; the line then ends `mail=smtp`.
 */
import { ob2Assertion, ob3Credential } from '../../src/components/awards/award-documents.js';
import { awardModel } from '../../src/components/awards/award.model.js';
import { newAwardId } from '../../src/components/awards/awards.use-case.js';
import { backpackRepository } from '../../src/components/backpack/backpack.repository.js';
import { runReferenceValidator } from '../../tests/helpers/validator.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../src/libraries/paths.js';
import { appCpuMs, processCpuMs } from './cpu.js';
import { BENCH_ACTOR, startBenchApp } from './harness.js';
import { percentile } from './stats.js';

export async function run(): Promise<void> {
  const rows = Number(process.env.BULK_ROWS ?? 10_000);
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const smtp = process.env.BULK_MAIL === 'smtp' ? await startSink() : undefined;
  // The sampled checks below go through the verification API from one address.
  const bench = await startBenchApp({
    RATE_LIMIT_VERIFY_PER_IP: '1000',
    ...(smtp ? { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } : {}),
  }).catch(async (err: unknown) => {
    await smtp?.stop(); // else the relay's process outlives the bench
    throw err;
  });
  try {
    const { app, badge } = bench;
    const s = app.services;
    const lines = ['email;preuves;commentaire'];
    for (let i = 0; i < rows; i++) {
      lines.push(`personne${i}@example.org;https://exemple.org/atelier/${i};Atelier ${i}`);
    }
    const text = lines.join('\n');
    const secs = (start: number) => (performance.now() - start) / 1000;

    let start = performance.now();
    const run = await s.bulk.upload({
      actor: BENCH_ACTOR,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      badgeClassId: badge._id,
      fileName: 'bench.csv',
      text,
      lang: 'fr',
    });
    const previewSeconds = secs(start);
    console.log(
      `  upload and preview (${run.validRows} rows checked): ${previewSeconds.toFixed(2)} s`,
    );

    start = performance.now();
    const cpuStart = { app: appCpuMs(), db: processCpuMs(bench.databasePid) };
    await s.bulk.confirm({
      actor: BENCH_ACTOR,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      runId: run._id,
    });
    await s.bulk.idle();
    const issueSeconds = secs(start);
    const appCpuPerAward = (appCpuMs() - cpuStart.app) / rows;
    const dbCpuPerAward = (processCpuMs(bench.databasePid) - cpuStart.db) / rows;
    const cpuPerAward = appCpuPerAward + dbCpuPerAward;
    const done = await s.bulk.getRun('roubaix', run._id);
    console.log(
      `  issued in the background: ${JSON.stringify(done.progress)} in ${issueSeconds.toFixed(2)} s`,
    );

    // What the catalogue page pays to count awards per badge over this issuer's awards.
    start = performance.now();
    await s.awardsRepo.countByBadgeClass('roubaix');
    console.log(
      `  catalogue award counts over ${rows} awards: ${(performance.now() - start).toFixed(0)} ms`,
    );

    // What people meet once these awards are stored: the next file's preview (who already
    // holds the badge) and one person's badges ("Mes badges"), both by recipient address.
    start = performance.now();
    const nextFile = ['email;preuves;commentaire'];
    for (let i = 0; i < 1000; i++) {
      nextFile.push(`${i % 2 ? 'personne' : 'nouvelle'}${i}@example.org;;Session suivante`);
    }
    const nextRun = await s.bulk.upload({
      actor: BENCH_ACTOR,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      badgeClassId: badge._id,
      fileName: 'suivant.csv',
      text: nextFile.join('\n'),
      lang: 'fr',
    });
    const nextPreviewSeconds = secs(start);
    start = performance.now();
    const held = await backpackRepository(bench.db).awardsOf('personne7@example.org');
    const backpackMs = performance.now() - start;
    console.log(
      `  after ${rows} awards: preview of 1,000 more rows ${nextPreviewSeconds.toFixed(2)} s ` +
        `(${nextRun.heldRows ?? 0} of them already hold the badge); ` +
        `one person's badges ${backpackMs.toFixed(1)} ms (${held.length})`,
    );

    // Baked at download, as the product does (the class image is read once; each award only
    // adds its chunk or element): the signed OB 2.0 PNG and the OB 3.0 SVG of 500 awards
    // through HTTP, one after the other, bytes checked.
    const bakeIds = (
      await awardModel(bench.db).find({ badgeClassId: badge._id }, { _id: 1 }).limit(500).lean()
    ).map((a) => a._id);
    const downloadTimes: number[] = [];
    let bakedBytes = 0;
    for (const id of bakeIds) {
      for (const variant of ['badge-signe.png', 'credential.svg'] as const) {
        const t0 = performance.now();
        const res = await fetch(s.urls.baked(id, variant).replace(s.urls.base, bench.url));
        const body = Buffer.from(await res.arrayBuffer());
        downloadTimes.push(performance.now() - t0);
        if (res.status !== 200 || body.length < 1000) {
          throw new Error(`baked ${variant} of ${id}: ${res.status}`);
        }
        bakedBytes += body.length;
      }
    }
    const downloadMs = percentile(downloadTimes, 0.5);
    console.log(
      `  baked at download: ${downloadTimes.length} images (${Math.round(bakedBytes / 1024)} KB), ` +
        `p50 ${downloadMs.toFixed(1)} ms, p99 ${percentile(downloadTimes, 0.99).toFixed(1)} ms each`,
    );
    // The product's peak stops here: what follows is the bench's own comparison.
    const productPeakRss = peakRss;

    // The same badges, signed only: the floor the run is compared with.
    const ctx = await s.awards.createIssuingContext({
      actor: BENCH_ACTOR,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      badgeClassId: badge._id,
    });
    const issuedOn = new Date(Math.floor(Date.now() / 1000) * 1000);
    const signOne = (i: number) => {
      const base = {
        _id: newAwardId(),
        issuerId: 'roubaix',
        badgeClassId: badge._id,
        recipient: { email: `personne${i}@example.org`, salt: 'x', identityHash: 'sha256$00' },
        evidence: [{ url: `https://exemple.org/atelier/${i}` }],
        narrative: `Atelier ${i}`,
        issuedOn,
      };
      return ctx.forms.sign({
        ob2: JSON.stringify(ob2Assertion(base, s.urls, { keyId: ctx.forms.rsaKeyId })),
        credential: ob3Credential(
          base,
          ctx.issuer,
          ctx.badgeClass,
          { listNo: 1, index: i },
          s.urls,
        ),
        created: issuedOn.toISOString(),
      });
    };
    start = performance.now();
    // Batches as the run signs them, every signing thread at work.
    for (let i = 0; i < rows; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, rows - i) }, (_, k) => signOne(i + k)));
    }
    const signOnly = secs(start);
    console.log(
      `  signing only (JWS + Data Integrity + VC-JWT) of ${rows} badges: ${signOnly.toFixed(2)} s`,
    );
    const signOnlyPeakRss = Math.max(peakRss, process.memoryUsage.rss());
    clearInterval(sampler);

    // Every award must be a good badge: a random sample through the verification API, and a
    // smaller one through the reference validator (OB 2.0 signed, fetching from the app).
    const ids = (
      await awardModel(bench.db).find({ badgeClassId: badge._id }, { _id: 1 }).lean().exec()
    ).map((a) => a._id);
    const picked = new Set<string>();
    while (picked.size < Math.min(200, ids.length)) {
      picked.add(ids[Math.floor(Math.random() * ids.length)]!);
    }
    const sample = await awardModel(bench.db)
      .find({ _id: { $in: [...picked] } }, { ob2: 1, ob3: 1, recipient: 1 })
      .lean()
      .exec();
    const verdicts: Record<string, number> = {};
    for (const [i, award] of sample.entries()) {
      const input = i % 2 ? award.ob3.jwt : award.ob2.jws;
      const res = await fetch(`${bench.url}/api/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ input }),
      });
      const verdict = ((await res.json()) as { verdict?: string }).verdict ?? `http_${res.status}`;
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    }
    let validatorOk = 0;
    for (const award of sample.slice(0, 10) as unknown as {
      ob2: { jws: string };
      recipient: { email: string };
    }[]) {
      const report = await runReferenceValidator(award.ob2.jws, {
        recipient: award.recipient.email,
      });
      if (report.valid && report.errorCount === 0) validatorOk++;
    }
    console.log(
      `  checks: API verdicts of ${sample.length} awards ${JSON.stringify(verdicts)}; ` +
        `reference validator: ${validatorOk}/10 valid`,
    );
    console.log(
      `bulk: rows=${rows} seconds=${issueSeconds.toFixed(1)} ` +
        `sign_only_seconds=${signOnly.toFixed(1)} peak_rss_mb=${Math.round(productPeakRss / 1048576)} ` +
        `preview_seconds=${previewSeconds.toFixed(1)} next_preview_seconds=${nextPreviewSeconds.toFixed(1)} ` +
        `backpack_ms=${backpackMs.toFixed(1)} bake_download_ms=${downloadMs.toFixed(1)} ` +
        `ratio=${(issueSeconds / signOnly).toFixed(2)} cpu_ms_per_award=${cpuPerAward.toFixed(2)} ` +
        `app_cpu_ms_per_award=${appCpuPerAward.toFixed(2)} db_cpu_ms_per_award=${dbCpuPerAward.toFixed(2)} ` +
        `sign_only_peak_rss_mb=${Math.round(signOnlyPeakRss / 1048576)} ` +
        `verified=${verdicts.verified ?? 0}/${sample.length} validator=${validatorOk}/10` +
        (smtp ? ' mail=smtp' : ''),
    );
  } finally {
    clearInterval(sampler);
    await bench.close();
    if (smtp) console.log(`  SMTP relay: ${JSON.stringify(await smtp.stop())}`);
  }
}

/** The loopback relay of BULK_MAIL=smtp (scripts/bench/smtp-sink.ts), in its own process. */
async function startSink(): Promise<{ port: number; stop(): Promise<unknown> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/smtp-sink.ts'],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // It prints two JSON lines: its port when listening, its counts when stopped.
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextJson = async () => JSON.parse(String((await lines.next()).value)) as unknown;
  const { port } = (await nextJson()) as { port: number };
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      const counts = await nextJson();
      await once(child, 'exit');
      return counts;
    },
  };
}
