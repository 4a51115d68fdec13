/**
 * Verification throughput for this platform's own signed badges (OB 2.0 compact JWS, RS256):
 *  - over HTTP: POST /api/v1/verify {"input": "<JWS>"} from a separate load process on loopback.
 *    The app reuses the result of one of its own badges while nothing was revoked or rotated
 *    (a change epoch read from the database at most once a second) and the badge has not
 *    expired, as it does in production when a page or an employer verifies the same badge again;
 *  - the same, each request with its own expected email, so no result is reused and every
 *    request runs the full verification (format, issuer, key, signature, revocation, dates,
 *    recipient), its documents served from the app's in-memory copy of our public documents
 *    (kept under the change epoch, see docs/verification.md);
 *  - in process: the WHOLE core verification (`verifyBadge`, every step) of the same badges,
 *    their documents in memory (read once through the app's internal fetcher) and the key
 *    imported once, so the HTTP figures compare like for like; and, for reference, jose's raw
 *    compactVerify of the same JWS (`signature_only_per_s`).
 * Prints `verify: http_per_s=… inprocess_per_s=… ratio=… signature_only_per_s=…`
 * (ratio = http / in-process) and `verify-without-reuse: http_per_s=… ratio=…`.
 */
import os from 'node:os';
import { compactVerify, importSPKI } from 'jose';
import { Ob2KeyCache } from '../../src/core/verification/ob2/ob2-key-cache.js';
import { verifyBadge } from '../../src/core/verification/verify-badge.js';
import type { FetchResult, Fetcher } from '../../src/core/verification/fetcher.js';
import { BENCH_ACTOR, runJsonChild, startBenchApp } from './harness.js';

const BADGES = 200;

function runLoad(
  url: string,
  bodies: unknown[],
  durationMs: number,
  concurrency: number,
  mode = '',
) {
  return runJsonChild<{
    requests: number;
    ok: number;
    errors: number;
    seconds: number;
    verdicts: Record<string, number>;
  }>('scripts/bench/load-client.ts', [url, String(durationMs), String(concurrency), mode], bodies);
}

export async function run(options: { seconds?: number; concurrency?: number } = {}): Promise<void> {
  const seconds = options.seconds ?? 8;
  const concurrency = options.concurrency ?? 16;
  // The per-IP limit protects the public API; a benchmark from one address must not hit it.
  const bench = await startBenchApp({ RATE_LIMIT_VERIFY_PER_IP: '100000000' });
  try {
    const jws: string[] = [];
    for (let i = 0; i < BADGES; i++) {
      const { award } = await bench.app.services.awards.issueAward({
        actor: BENCH_ACTOR,
        ip: '127.0.0.1',
        issuerId: 'roubaix',
        badgeClassId: bench.badge._id,
        recipientEmail: `mediateur-${i}@exemple.fr`,
      });
      jws.push(award.ob2.jws);
    }
    const key = await bench.app.services.keys.activePublicKey('roubaix', 'RSA');

    // In process, for reference: the raw jose check of the same badges.
    const publicKey = await importSPKI(key.publicKeyPem, 'RS256');
    for (const j of jws.slice(0, 50)) await compactVerify(j, publicKey); // warm-up
    let rawCount = 0;
    const rawStarted = performance.now();
    while (performance.now() - rawStarted < (seconds * 1000) / 2) {
      await compactVerify(jws[rawCount % jws.length]!, publicKey);
      rawCount++;
    }
    const signatureOnly = rawCount / ((performance.now() - rawStarted) / 1000);

    // In process: the whole core verification, documents in memory (the same bytes the app
    // serves), our issuer and its key known, as the app answers them.
    const documents = new Map<string, FetchResult>();
    const recording: Fetcher = async (url, options) => {
      let found = documents.get(url);
      if (!found) {
        found = await bench.app.services.internalFetcher(url, options);
        documents.set(url, found);
      }
      return found;
    };
    const inMemory: Fetcher = async (url) => {
      const found = documents.get(url);
      if (!found) throw new Error(`bench: ${url} was not read during the warm-up`);
      return found;
    };
    const keyCache = new Ob2KeyCache();
    const core = (input: string, fetch: Fetcher) =>
      verifyBadge(input, {
        fetch,
        now: new Date(),
        keyCache,
        policy: { expired: 'warning' },
        isKnownIssuer: () => true,
        issuerKeyStatus: async () => 'active',
      });
    for (const j of jws) {
      const report = await core(j, recording); // warm-up, and every badge verifies
      if (report.verdict !== 'verified') throw new Error(`bench: in-process ${report.verdict}`);
    }
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await core(jws[count % jws.length]!, inMemory);
      count++;
    }
    const inprocess = count / ((performance.now() - started) / 1000);

    // Over HTTP: warm up, then measure.
    const url = `${bench.url}/api/v1/verify`;
    const bodies = jws.map((input) => ({ input }));
    // Warm-up: every badge verified once (the reuse line measures badges verified again), however
    // slow a shared machine makes the first pass.
    for (let warm = 1500; (await runLoad(url, bodies, warm, concurrency)).requests < BADGES;) {
      warm *= 2;
    }
    const load = await runLoad(url, bodies, seconds * 1000, concurrency);
    const http = load.ok / load.seconds;
    console.log(
      `  ${BADGES} badges; HTTP: ${load.requests} requests in ${load.seconds.toFixed(1)} s with ${concurrency} connections ` +
        `(${load.errors} transport errors, verdicts ${JSON.stringify(load.verdicts)}, load average ${os.loadavg()[0]!.toFixed(1)}); in process: ${count} whole verifications (${documents.size} documents), ${rawCount} signature checks`,
    );
    // The same badges again, each request with its own expected email: nothing can be reused,
    // every request runs the whole verification (documents from the database, signature check).
    const cold = await runLoad(url, bodies, seconds * 1000, concurrency, 'distinct-email');
    const coldHttp = cold.ok / cold.seconds;
    console.log(
      `  without reuse: ${cold.requests} requests (${cold.errors} transport errors, verdicts ${JSON.stringify(cold.verdicts)})`,
    );
    console.log(
      `verify: http_per_s=${http.toFixed(0)} inprocess_per_s=${inprocess.toFixed(0)} ratio=${(http / inprocess).toFixed(2)} signature_only_per_s=${signatureOnly.toFixed(0)}`,
    );
    console.log(
      `verify-without-reuse: http_per_s=${coldHttp.toFixed(0)} ratio=${(coldHttp / inprocess).toFixed(2)}`,
    );
  } finally {
    await bench.close();
  }
}
