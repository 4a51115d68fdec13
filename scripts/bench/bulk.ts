/**
 * Issuing from a CSV file: `npm run bench -- bulk` (BULK_ROWS=… to change the 10,000 rows).
 * A real app on a temporary FerretDB: the file is uploaded and checked (preview), confirmed and
 * issued by the background run (signed OB 2.0 JWS, OB 3.0 Data Integrity proof and VC-JWT,
 * database writes, one email each to the development outbox), then every award is baked as
 * an OB 2.0 signed PNG and an OB 3.0 SVG (the class image prepared once, each award's chunk or
 * element written into it). Then the same 10,000 badges are only signed (same signing threads),
 * for the ratio. Checks, outside the timings: 200 awards drawn at random verify through
 * POST /api/v1/verify, 10 pass the reference validator. Prints the parts and the summary line
 * `bulk: rows=… seconds=… sign_only_seconds=… peak_rss_mb=…` (seconds: confirm → last baked).
 */
import { pngBaker, svgBaker } from '../../src/core/index.js';
import { ob2Assertion, ob3Credential } from '../../src/components/awards/award-documents.js';
import { awardModel } from '../../src/components/awards/award.model.js';
import { newAwardId } from '../../src/components/awards/awards.use-case.js';
import { runReferenceValidator } from '../../tests/helpers/validator.js';
import { BENCH_ACTOR, startBenchApp } from './harness.js';

export async function run(): Promise<void> {
  const rows = Number(process.env.BULK_ROWS ?? 10_000);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  // The sampled checks below go through the verification API from one address.
  const bench = await startBenchApp({ RATE_LIMIT_VERIFY_PER_IP: '1000' });
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
    await s.bulk.confirm({
      actor: BENCH_ACTOR,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      runId: run._id,
    });
    await s.bulk.idle();
    const issueSeconds = secs(start);
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

    // Baked as a batch job would: the class image rendered once, the awards read in one pass,
    // the signed OB 2.0 JWS and the OB 3.0 VC-JWT each baked into their own image.
    const bakeStart = performance.now();
    const png = (await s.publicDocuments.badgeClassImage(badge._id, 'png'))!.body;
    const svg = (await s.publicDocuments.badgeClassImage(badge._id, 'svg'))!.body.toString('utf8');
    const bakePng = pngBaker(png, 'openbadges');
    const bakeSvg = svgBaker(svg, 'openbadgecredential');
    let baked = 0;
    let bakedBytes = 0;
    for await (const award of awardModel(bench.db)
      .find({ badgeClassId: badge._id }, { ob2: 1, ob3: 1 })
      .lean()
      .cursor({ batchSize: 500 })) {
      const ob2 = bakePng(award.ob2.jws);
      const ob3 = bakeSvg(award.ob3.jwt);
      bakedBytes += ob2.length + ob3.length;
      baked++;
    }
    if (baked !== rows) throw new Error(`baked ${baked} awards, expected ${rows}`);
    const bakeSeconds = secs(bakeStart);
    console.log(
      `  baked OB 2.0 PNG + OB 3.0 SVG of ${baked} awards (${Math.round(bakedBytes / 1048576)} MB): ${bakeSeconds.toFixed(2)} s`,
    );

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
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
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
      `bulk: rows=${rows} seconds=${(issueSeconds + bakeSeconds).toFixed(1)} ` +
        `sign_only_seconds=${signOnly.toFixed(1)} peak_rss_mb=${Math.round(peakRss / 1048576)} ` +
        `preview_seconds=${previewSeconds.toFixed(1)} issue_seconds=${issueSeconds.toFixed(1)} ` +
        `bake_seconds=${bakeSeconds.toFixed(1)} ratio=${((issueSeconds + bakeSeconds) / signOnly).toFixed(2)} ` +
        `verified=${verdicts.verified ?? 0}/${sample.length} validator=${validatorOk}/10`,
    );
  } finally {
    clearInterval(sampler);
    await bench.close();
  }
}
