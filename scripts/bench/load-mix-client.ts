/**
 * Mixed load from a separate process (it must not share the server's event loop): each of
 * `concurrency` virtual users loops over a weighted mix of what people do on the platform —
 * employers verifying badges through the API, visitors reading public pages and hosted
 * documents, people signing in, coordinators issuing a badge through the form — for a fixed time.
 * stdin: JSON {url, seconds, concurrency, jws[], assertionIds[], badgeClassId, issuerId,
 * coordinator:{email,password}, emailPrefix, only?}. Prints one JSON line with counts, latencies and
 * the ids of the badges issued. Only loopback is ever targeted.
 */
import { Agent, request } from 'undici';
import { percentile } from './stats.js';

interface Plan {
  url: string;
  seconds: number;
  concurrency: number;
  jws: string[];
  assertionIds: string[];
  badgeClassId: string;
  issuerId: string;
  coordinator: { email: string; password: string };
  emailPrefix: string;
  /** One action of the mix alone (its own cost), e.g. 'award-page'. */
  only?: string;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Plan;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(plan.url)) {
  console.error('load-mix-client only targets loopback (http://127.0.0.1:PORT)');
  process.exit(2);
}

const dispatcher = new Agent({
  connections: plan.concurrency * 2,
  keepAliveTimeout: 30_000,
  pipelining: 1,
});
const latencies: number[] = [];
const byAction: Record<string, number> = {};
/** Each kind of request's own latencies (a sign-in or an issue step is one request each). */
const latenciesByKind = new Map<string, number[]>();
const unexpected: Record<string, number> = {};
let errors = 0;
let issuedCount = 0;
let sent = 0;

/** A visitor's cookies (session, CSRF, language), as a browser keeps them. */
class Session {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(setCookie: string | string[] | undefined): void {
    for (const line of ([] as string[]).concat(setCookie ?? [])) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

/** One timed request; a transport error or an unexpected status counts as an error. */
async function call(
  action: string,
  path: string,
  options: {
    method?: 'GET' | 'POST';
    session?: Session;
    json?: unknown;
    form?: Record<string, string>;
    accept?: string;
    expect: number[];
  },
): Promise<{ status: number; text: string } | undefined> {
  const headers: Record<string, string> = { accept: options.accept ?? 'text/html' };
  if (options.session) headers.cookie = options.session.header();
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const started = performance.now();
  try {
    const res = await request(`${plan.url}${path}`, {
      method: options.method ?? 'GET',
      dispatcher,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.body.text();
    const took = performance.now() - started;
    latencies.push(took);
    byAction[action] = (byAction[action] ?? 0) + 1;
    const kind = `${action} ${options.method ?? 'GET'}`;
    if (!latenciesByKind.has(kind)) latenciesByKind.set(kind, []);
    latenciesByKind.get(kind)!.push(took);
    options.session?.keep(res.headers['set-cookie']);
    if (!options.expect.includes(res.statusCode)) {
      errors++;
      const key = `${action} ${res.statusCode}`;
      unexpected[key] = (unexpected[key] ?? 0) + 1;
    }
    return { status: res.statusCode, text };
  } catch {
    errors++;
    return undefined;
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

async function signIn(session: Session): Promise<boolean> {
  const page = await call('sign-in', '/connexion', { session, expect: [200] });
  if (!page) return false;
  const res = await call('sign-in', '/connexion', {
    method: 'POST',
    session,
    form: { _csrf: csrfOf(page.text), ...plan.coordinator },
    expect: [303],
  });
  return res?.status === 303;
}

async function issueOne(session: Session): Promise<void> {
  const form = `/structures/${plan.issuerId}/delivrer`;
  const page = await call('issue', form, { session, expect: [200] });
  if (!page) return;
  const res = await call('issue', form, {
    method: 'POST',
    session,
    form: {
      _csrf: csrfOf(page.text),
      badgeClassId: plan.badgeClassId,
      recipientEmail: `${plan.emailPrefix}-${sent++}@exemple.fr`,
    },
    expect: [303],
  });
  if (res?.status === 303) issuedCount++;
}

/** The mix: weight, name (for `--only`), what one virtual user does. */
const mix: [number, string, (user: { session: Session }) => Promise<unknown>][] = [
  [
    30,
    'verify',
    () =>
      call('verify', '/api/v1/verify', {
        method: 'POST',
        json: { input: pick(plan.jws) },
        accept: 'application/json',
        expect: [200],
      }),
  ],
  [
    10,
    'static-page',
    () =>
      call('page', pick(['/', '/verifier', '/referentiels', '/modeles-de-badges']), {
        expect: [200],
      }),
  ],
  [
    15,
    'award-page',
    () => call('page', `/assertions/${pick(plan.assertionIds)}`, { expect: [200] }),
  ],
  [10, 'badge-page', () => call('page', `/badges/${plan.badgeClassId}`, { expect: [200] })],
  [
    15,
    'document',
    () =>
      call('document', `/assertions/${pick(plan.assertionIds)}`, {
        accept: 'application/json',
        expect: [200],
      }),
  ],
  [10, 'sign-in', () => signIn(new Session())],
  [10, 'issue', ({ session }) => issueOne(session)],
];
const actions = mix
  .filter(([, name]) => !plan.only || name === plan.only)
  .map(([weight, , fn]) => [weight, fn] as const);
if (actions.length === 0) {
  console.error(`load-mix-client: no action named ${plan.only}`);
  process.exit(2);
}
const totalWeight = actions.reduce((s, [w]) => s + w, 0);
function nextAction() {
  let r = Math.random() * totalWeight;
  for (const [w, fn] of actions) if ((r -= w) < 0) return fn;
  return actions[0]![1];
}

const end = performance.now() + plan.seconds * 1000;
async function user(): Promise<void> {
  const session = new Session();
  await signIn(session);
  while (performance.now() < end) await nextAction()({ session });
}

const started = performance.now();
await Promise.all(Array.from({ length: plan.concurrency }, user));
const seconds = (performance.now() - started) / 1000;
await dispatcher.close();
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    seconds,
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    byAction,
    byKind: Object.fromEntries(
      [...latenciesByKind].map(([kind, list]) => [
        kind,
        {
          n: list.length,
          p50_ms: Math.round(percentile(list, 0.5)),
          p99_ms: Math.round(percentile(list, 0.99)),
        },
      ]),
    ),
    unexpected,
    issued: issuedCount,
  }),
);
