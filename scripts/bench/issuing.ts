/**
 * What one award costs: `npm run bench -- issuing` (ISSUING_AWARDS=… to change the 300 awards).
 * A real app on a temporary FerretDB (development outbox): one issuing context is prepared
 * (keys decrypted and imported once, one document loader) and `awards` badges are issued
 * through the real use case, sequentially then 4 at a time. Then each part is timed alone: the
 * three signatures, the database writes and reads, the email. Prints medians per award (ms)
 * and the summary line `issuing: awards=… award_ms=… award_4_at_a_time_ms=… signatures_ms=…
 * database_ms=… email_ms=…`.
 */
import os from 'node:os';
import { credentialJwtClaims, signCredentialDataIntegrity } from '../../src/core/index.js';
import { ob2Assertion, ob3Credential } from '../../src/components/awards/award-documents.js';
import { newAwardId } from '../../src/components/awards/awards.use-case.js';
import { sendTemplatedEmail } from '../../src/libraries/mail/render-email.js';
import { BENCH_ACTOR, startBenchApp } from './harness.js';
import { median } from './stats.js';

async function time(label: string, runs: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  const total = ms.reduce((a, b) => a + b, 0);
  console.log(
    `  ${label.padEnd(52)} median ${median(ms).toFixed(2).padStart(6)} ms   mean ${(total / runs).toFixed(2).padStart(6)} ms`,
  );
  return median(ms);
}

export async function run(): Promise<void> {
  const N = Number(process.env.ISSUING_AWARDS ?? 300);
  const bench = await startBenchApp();
  try {
    const { app, badge, db, logger } = bench;
    const s = app.services;
    const issuingContext = () =>
      s.awards.createIssuingContext({
        actor: BENCH_ACTOR,
        ip: '127.0.0.1',
        issuerId: 'roubaix',
        badgeClassId: badge._id,
      });
    const contextStart = performance.now();
    const ctx = await issuingContext();
    console.log(
      `issuing context (first: keys created, decrypted, imported): ${(performance.now() - contextStart).toFixed(0)} ms`,
    );
    const again = performance.now();
    await issuingContext();
    console.log(
      `issuing context (again: 2 key reads, keys cached): ${(performance.now() - again).toFixed(1)} ms`,
    );
    const request = (i: number) => ({
      recipientEmail: `mediateur-${i}@example.org`,
      evidence: 'https://exemple.org/preuve',
      narrative: 'Atelier CAF.',
    });
    // Warm-up: JIT, JSON-LD contexts, canonicalisation caches.
    for (let i = 0; i < 20; i++) await s.awards.issueWithContext(ctx, request(100000 + i));

    console.log(
      `\n${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${N} awards\n`,
    );
    const whole = await time('one award, whole use case (sequential)', N, (i) =>
      s.awards.issueWithContext(ctx, request(i)),
    );
    const concurrent = performance.now();
    for (let batch = 0; batch < N; batch += 4) {
      await Promise.all(
        [0, 1, 2, 3].map((k) => s.awards.issueWithContext(ctx, request(200000 + batch + k))),
      );
    }
    const perAward = (performance.now() - concurrent) / N;
    console.log(
      `${'one award, 4 at a time (wall clock per award)'.padEnd(52)} mean   ${perAward.toFixed(2).padStart(6)} ms`,
    );

    console.log('\nparts:');
    const urls = s.urls;
    const sample = await s.awards.issueWithContext(ctx, request(999999));
    const base = sample.award;
    const slot = { listNo: base.ob3.statusListNo, index: base.ob3.statusListIndex };
    const parts: Record<string, number> = {};
    // The parts alone sign here, in this thread, with the same keys the threads use.
    const jws = await s.keys.jwsSigner('roubaix');
    const did = urls.issuerDid('roubaix');
    const signer = await s.keys.dataIntegritySigner('roubaix', (k) => `${did}#${k._id}`);
    const di = { verificationMethod: signer.id, signer };
    parts.ob2 = await time('OB 2.0 assertion built + RS256 JWS', N, () =>
      jws.sign(JSON.stringify(ob2Assertion(base, urls, { keyId: jws.keyId }))),
    );
    const credential = ob3Credential(base, ctx.issuer, ctx.badgeClass, slot, urls);
    parts.build3 = await time('OB 3.0 credential built', N, async () =>
      ob3Credential(base, ctx.issuer, ctx.badgeClass, slot, urls),
    );
    parts.di = await time('Data Integrity eddsa-rdfc-2022 proof', N, () =>
      signCredentialDataIntegrity(credential, di, {
        created: new Date(),
        documentLoader: s.documentLoader,
      }),
    );
    parts.jwt = await time('VC-JWT RS256', N, () =>
      jws.sign(JSON.stringify({ ...credential, ...credentialJwtClaims(credential) }), {
        kid: urls.jwk('roubaix', jws.keyId),
        typ: 'JWT',
      }),
    );
    parts.slot = await time('status list slot (insert)', N, (i) =>
      s.awardsRepo.claimSlot({
        issuerId: 'bench',
        listNo: 1,
        index: i,
        assertionId: 'x',
        at: new Date(),
      }),
    );
    parts.insert = await time('award insert (unique _id + idempotency index)', N, () =>
      s.awardsRepo.insert({
        ...base,
        _id: newAwardId(),
        idempotencyKey: `roubaix:${newAwardId()}`,
      }),
    );
    parts.audit = await time('audit record (insert)', N, () =>
      s.audit.record({
        action: 'award.issued',
        actor: BENCH_ACTOR,
        target: { type: 'award', id: 'x' },
        issuerId: 'roubaix',
        details: {},
      }),
    );
    parts.user = await time('recipient account lookup (users by email)', N, (i) =>
      s.users.findByEmail(`mediateur-${i}@example.org`),
    );
    parts.mail = await time('email rendered (fr) and written to the outbox', N, (i) =>
      sendTemplatedEmail(
        { mailer: app.mailer, logger },
        {
          to: `m${i}@example.org`,
          lang: 'fr',
          template: 'award-issued',
          data: {
            siteUrl: urls.base,
            issuerName: ctx.issuer.name,
            badgeName: badge.name,
            url: urls.assertion(base._id),
          },
        },
      ),
    );
    const count = await db.collection('assertions').countDocuments();
    console.log(`\nassertions in the database at the end: ${count}`);
    console.log(
      `signatures ${(parts.ob2! + parts.di! + parts.jwt!).toFixed(1)} ms + database ${(parts.slot! + parts.insert! + parts.audit! + parts.user!).toFixed(1)} ms + email ${parts.mail!.toFixed(1)} ms ≈ ${whole.toFixed(1)} ms measured`,
    );
    console.log(
      `10,000 awards at this rate: ${((whole * 10000) / 1000).toFixed(0)} s sequential, ${((perAward * 10000) / 1000).toFixed(0)} s 4 at a time (one process)`,
    );
    console.log(
      `issuing: awards=${N} award_ms=${whole.toFixed(2)} award_4_at_a_time_ms=${perAward.toFixed(2)} ` +
        `signatures_ms=${(parts.ob2! + parts.di! + parts.jwt!).toFixed(2)} ` +
        `database_ms=${(parts.slot! + parts.insert! + parts.audit! + parts.user!).toFixed(2)} ` +
        `email_ms=${parts.mail!.toFixed(2)}`,
    );
  } finally {
    await bench.close();
  }
}
