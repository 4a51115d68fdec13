/**
 * Verification throughput for this platform's own signed badges (OB 2.0 compact JWS, RS256):
 *  - over HTTP: POST /api/v1/verify {"input": "<JWS>"} from a separate load process on loopback.
 *    The app reuses the result of one of its own badges while nothing was revoked or rotated
 *    (a change epoch read from the database at most once a second) and the badge has not
 *    expired, as it does in production when a page or an employer verifies the same badge again;
 *  - the same, each request with its own expected email, so nothing is reused and every request
 *    runs the full verification (format, issuer, key, signature, revocation, dates, recipient)
 *    with every document read from the database;
 *  - in process: jose's compactVerify of the same JWS with the issuer's public key (imported
 *    once), the raw signature check.
 * Prints `verify: http_per_s=… inprocess_per_s=… ratio=…` (ratio = http / in-process) and
 * `verify-without-reuse: http_per_s=… ratio=…`.
 */
import { spawn } from 'node:child_process';
import { compactVerify, importSPKI } from 'jose';
import { projectRoot } from '../../src/libraries/paths.js';
import { BENCH_ACTOR, startBenchApp } from './harness.js';

const BADGES = 200;

function runLoad(
  url: string,
  bodies: unknown[],
  durationMs: number,
  concurrency: number,
  mode = '',
) {
  return new Promise<{
    requests: number;
    ok: number;
    errors: number;
    seconds: number;
    verdicts: Record<string, number>;
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/bench/load-client.ts',
        url,
        String(durationMs),
        String(concurrency),
        mode,
      ],
      { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()))
        : reject(new Error(`load client exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(bodies));
  });
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

    // In process: the raw jose check of the same badges.
    const publicKey = await importSPKI(key.publicKeyPem, 'RS256');
    for (const j of jws.slice(0, 50)) await compactVerify(j, publicKey); // warm-up
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await compactVerify(jws[count % jws.length]!, publicKey);
      count++;
    }
    const inprocess = count / ((performance.now() - started) / 1000);

    // Over HTTP: warm up, then measure.
    const url = `${bench.url}/api/v1/verify`;
    const bodies = jws.map((input) => ({ input }));
    await runLoad(url, bodies, 1500, concurrency);
    const load = await runLoad(url, bodies, seconds * 1000, concurrency);
    const http = load.ok / load.seconds;
    console.log(
      `  ${BADGES} badges; HTTP: ${load.requests} requests in ${load.seconds.toFixed(1)} s with ${concurrency} connections ` +
        `(${load.errors} transport errors, verdicts ${JSON.stringify(load.verdicts)}); in process: ${count} checks`,
    );
    // The same badges again, each request with its own expected email: nothing can be reused,
    // every request runs the whole verification (documents from the database, signature check).
    const cold = await runLoad(url, bodies, seconds * 1000, concurrency, 'distinct-email');
    const coldHttp = cold.ok / cold.seconds;
    console.log(
      `  without reuse: ${cold.requests} requests (${cold.errors} transport errors, verdicts ${JSON.stringify(cold.verdicts)})`,
    );
    console.log(
      `verify: http_per_s=${http.toFixed(0)} inprocess_per_s=${inprocess.toFixed(0)} ratio=${(http / inprocess).toFixed(2)}`,
    );
    console.log(
      `verify-without-reuse: http_per_s=${coldHttp.toFixed(0)} ratio=${(coldHttp / inprocess).toFixed(2)}`,
    );
  } finally {
    await bench.close();
  }
}
