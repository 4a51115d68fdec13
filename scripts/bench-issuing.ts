/**
 * What one award costs: node --import tsx scripts/bench-issuing.ts [awards]
 *
 * Starts a temporary FerretDB (like `npm run conformance`), prepares one issuing context (keys
 * decrypted and imported once, one document loader) and issues `awards` badges through the
 * real use case, sequentially then 4 at a time. Then times each part alone: the three
 * signatures, the database writes and reads, the email. Prints medians per award (ms).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentialJwtClaims, signCredentialDataIntegrity } from '../src/core/index.js';
import { readBadgeClassForm } from '../src/components/achievements/achievements.use-case.js';
import { ob2Assertion, ob3Credential } from '../src/components/awards/award-documents.js';
import { newAwardId } from '../src/components/awards/awards.use-case.js';
import { loadConfig } from '../src/libraries/config/config.js';
import { connectDatabase } from '../src/libraries/db/connection.js';
import { startFerretdb } from '../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../src/libraries/db/ferretdb-binary.js';
import { ensureIndexes } from '../src/libraries/db/indexes.js';
import { createLogger } from '../src/libraries/logger/logger.js';
import { createMailer } from '../src/libraries/mail/mailer.js';
import { sendTemplatedEmail } from '../src/libraries/mail/render-email.js';
import { projectRoot } from '../src/libraries/paths.js';
import { createApp } from '../src/web/app.js';

const N = Number(process.argv[2] ?? 300);
const ACTOR = { id: 'bench', email: 'bench@localhost', isAdmin: true, roles: {} };

function median(ms: number[]): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(label: string, runs: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  const total = ms.reduce((a, b) => a + b, 0);
  console.log(
    `${label.padEnd(52)} median ${median(ms).toFixed(2).padStart(6)} ms   mean ${(total / runs).toFixed(2).padStart(6)} ms`,
  );
  return median(ms);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-bench-'));
const binary = await ensureFerretdbBinary({
  cacheDir: path.resolve(projectRoot, '.cache/ferretdb'),
});
const ferret = await startFerretdb({ binary, dataDir: path.join(work, 'ferretdb') });
const db = await connectDatabase({
  uri: ferret.uri,
  dbName: 'bench',
  attempts: 20,
  intervalMs: 200,
});
try {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(work, 'data'),
    PUBLIC_URL: 'https://badges.example.org',
  });
  const logger = createLogger({ level: 'warn' }, process.stderr);
  // The development outbox: each email is two small files (SMTP is a network round trip).
  const app = createApp({ config, logger, db, mailer: createMailer({ config, logger }) });
  await ensureIndexes(db);
  const s = app.services;
  await s.issuerRepo.insert({
    _id: 'roubaix',
    name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
    url: 'https://www.ville-roubaix.fr',
    email: 'coop@ville-roubaix.fr',
    description: '',
    createdAt: new Date(),
    createdBy: 'bench',
  });
  const badge = await s.achievements.createBadgeClass({
    actor: ACTOR,
    issuerId: 'roubaix',
    ip: '',
    values: readBadgeClassForm({
      name: 'Accompagner une démarche en ligne',
      description: 'Accompagne une personne dans une démarche administrative en ligne.',
      criteriaNarrative: 'A accompagné trois personnes.',
      template: 'medal',
      alignments: ['crcn:2.1', 'remn:CCP1'],
      tags: 'inclusion numérique',
    }),
  });
  const contextStart = performance.now();
  const ctx = await s.awards.createIssuingContext({
    actor: ACTOR,
    ip: '',
    issuerId: 'roubaix',
    badgeClassId: badge._id,
  });
  console.log(
    `issuing context (first: keys created, decrypted, imported): ${(performance.now() - contextStart).toFixed(0)} ms`,
  );
  const again = performance.now();
  await s.awards.createIssuingContext({
    actor: ACTOR,
    ip: '',
    issuerId: 'roubaix',
    badgeClassId: badge._id,
  });
  console.log(
    `issuing context (again: 4 reads, keys cached): ${(performance.now() - again).toFixed(1)} ms`,
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
  parts.ob2 = await time('OB 2.0 assertion built + RS256 JWS', N, () =>
    ctx.jws.sign(JSON.stringify(ob2Assertion(base, urls, { keyId: ctx.jws.keyId }))),
  );
  const credential = ob3Credential(base, ctx.issuer, ctx.badgeClass, slot, urls);
  parts.build3 = await time('OB 3.0 credential built', N, async () =>
    ob3Credential(base, ctx.issuer, ctx.badgeClass, slot, urls),
  );
  parts.di = await time('Data Integrity eddsa-rdfc-2022 proof', N, () =>
    signCredentialDataIntegrity(credential, ctx.di, {
      created: new Date(),
      documentLoader: s.documentLoader,
    }),
  );
  parts.jwt = await time('VC-JWT RS256', N, () =>
    ctx.jws.sign(JSON.stringify({ ...credential, ...credentialJwtClaims(credential) }), {
      kid: urls.jwk('roubaix', ctx.jws.keyId),
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
    s.awardsRepo.insert({ ...base, _id: newAwardId(), idempotencyKey: `roubaix:${newAwardId()}` }),
  );
  parts.audit = await time('audit record (insert)', N, () =>
    s.audit.record({
      action: 'award.issued',
      actor: ACTOR,
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
  app.mailer.close();
} finally {
  await db.close();
  await ferret.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
