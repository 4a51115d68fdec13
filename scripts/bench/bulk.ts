/**
 * Issuing from a CSV file: `npm run bench -- bulk` (BULK_ROWS=… to change the 10,000 rows).
 * A real app on a temporary FerretDB: the file is uploaded and checked (preview), confirmed and
 * issued by the background run (signed OB 2.0 JWS, OB 3.0 Data Integrity proof and VC-JWT,
 * database writes, one email each to the development outbox), then every award is baked as
 * an OB 2.0 signed PNG and an OB 3.0 SVG. Then the same 10,000 badges are only signed, for the
 * ratio. Prints the parts and the summary line
 * `bulk: rows=… seconds=… sign_only_seconds=… peak_rss_mb=…` (seconds: confirm → last baked).
 */
import {
  bakePng,
  bakeSvg,
  credentialJwtClaims,
  signCredentialDataIntegrity,
} from '../../src/core/index.js';
import { ob2Assertion, ob3Credential } from '../../src/components/awards/award-documents.js';
import { awardModel } from '../../src/components/awards/award.model.js';
import { newAwardId } from '../../src/components/awards/awards.use-case.js';
import { BENCH_ACTOR, startBenchApp } from './harness.js';

export async function run(): Promise<void> {
  const rows = Number(process.env.BULK_ROWS ?? 10_000);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const bench = await startBenchApp();
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
    let baked = 0;
    let bakedBytes = 0;
    for await (const award of awardModel(bench.db)
      .find({ badgeClassId: badge._id }, { ob2: 1, ob3: 1 })
      .lean()
      .cursor({ batchSize: 500 })) {
      const ob2 = bakePng(png, { keyword: 'openbadges', text: award.ob2.jws });
      const ob3 = bakeSvg(svg, { keyword: 'openbadgecredential', text: award.ob3.jwt });
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
    start = performance.now();
    for (let i = 0; i < rows; i++) {
      const base = {
        _id: newAwardId(),
        issuerId: 'roubaix',
        badgeClassId: badge._id,
        recipient: { email: `personne${i}@example.org`, salt: 'x', identityHash: 'sha256$00' },
        evidence: [{ url: `https://exemple.org/atelier/${i}` }],
        narrative: `Atelier ${i}`,
        issuedOn,
      };
      await ctx.jws.sign(JSON.stringify(ob2Assertion(base, s.urls, { keyId: ctx.jws.keyId })));
      const credential = ob3Credential(
        base,
        ctx.issuer,
        ctx.badgeClass,
        { listNo: 1, index: i },
        s.urls,
      );
      await signCredentialDataIntegrity(credential, ctx.di, {
        created: issuedOn,
        documentLoader: s.documentLoader,
      });
      await ctx.jws.sign(JSON.stringify({ ...credential, ...credentialJwtClaims(credential) }), {
        kid: s.urls.jwk('roubaix', ctx.jws.keyId),
        typ: 'JWT',
      });
    }
    const signOnly = secs(start);
    console.log(
      `  signing only (JWS + Data Integrity + VC-JWT) of ${rows} badges: ${signOnly.toFixed(2)} s`,
    );
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    console.log(
      `bulk: rows=${rows} seconds=${(issueSeconds + bakeSeconds).toFixed(1)} ` +
        `sign_only_seconds=${signOnly.toFixed(1)} peak_rss_mb=${Math.round(peakRss / 1048576)} ` +
        `preview_seconds=${previewSeconds.toFixed(1)} issue_seconds=${issueSeconds.toFixed(1)} ` +
        `bake_seconds=${bakeSeconds.toFixed(1)} ratio=${((issueSeconds + bakeSeconds) / signOnly).toFixed(2)}`,
    );
  } finally {
    clearInterval(sampler);
    await bench.close();
  }
}
