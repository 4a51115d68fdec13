/**
 * A load generator run as a separate process (so it does not share the server's event loop):
 * POSTs JSON bodies to one loopback URL over keep-alive connections for a fixed time.
 * argv: url, duration ms, concurrency, and optionally `distinct-email` (each request then carries
 * its own expected email, so the server can reuse no earlier result); stdin: JSON array of bodies
 * (cycled).
 * Prints one JSON line {requests, ok, errors, seconds, verdicts}.
 */
import { Agent, request } from 'undici';

const [url = '', durationArg = '5000', concurrencyArg = '16', mode = ''] = process.argv.slice(2);
const duration = Number(durationArg);
const concurrency = Number(concurrencyArg);
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(url)) {
  console.error('load-client only targets loopback (http://127.0.0.1:PORT/…)');
  process.exit(2);
}
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>[];
const bodies = parsed.map((b) => JSON.stringify(b));
let sent = 0;
function nextBody(): string {
  const i = sent++;
  if (mode !== 'distinct-email') return bodies[i % bodies.length]!;
  return JSON.stringify({ ...parsed[i % parsed.length], email: `verif-${i}@exemple.fr` });
}

const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000, pipelining: 1 });
let requests = 0;
let ok = 0;
let errors = 0;
const verdicts: Record<string, number> = {};
const end = performance.now() + duration;

async function worker(): Promise<void> {
  while (performance.now() < end) {
    const body = nextBody();
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
      });
      const json = (await res.body.json()) as { verdict?: string };
      requests++;
      if (res.statusCode === 200) ok++;
      const v = json.verdict ?? `http_${res.statusCode}`;
      verdicts[v] = (verdicts[v] ?? 0) + 1;
    } catch {
      errors++;
    }
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - start) / 1000;
await dispatcher.close();
console.log(JSON.stringify({ requests, ok, errors, seconds, verdicts }));
