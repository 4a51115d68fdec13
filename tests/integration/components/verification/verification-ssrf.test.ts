/**
 * SSRF at the application level: hostile URLs given to the API (GET ?url=, POST input) and to
 * the page (POST form, GET ?url=) are all refused with a plain French message and none is
 * fetched. A loopback "canary" server, not on the allow-list, counts every TCP connection; an
 * allow-listed loopback "redirector" plays an attacker's site redirecting to internal
 * addresses; names are resolved by a test DNS that points them at internal addresses.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import type { LookupFunction } from '../../../../src/libraries/http/safe-fetch.js';
import { projectRoot } from '../../../../src/libraries/paths.js';
import { relaxedLimits } from '../../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import { pageText, pageVerdict, startCanary, submitPage } from '../../../helpers/verification.js';

type Refusal = 'report' | 'input';

describe('verification refuses hostile URLs (SSRF)', () => {
  let t: TestApp;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let redirector: http.Server;
  let redirectorPort: number;
  const redirectorRequests: string[] = [];
  const lookups: string[] = [];
  const rows: string[] = [];

  const zone: Record<string, string[]> = {
    'internal.example.org': ['10.0.0.5'],
    'loopback.example.org': ['127.0.0.1'],
    'mixed.example.org': ['93.184.215.14', '127.0.0.1'],
    'v6-loopback.example.org': ['::1'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
    'metadata.example.org': ['169.254.169.254'],
  };
  const lookup: LookupFunction = async (hostname) => {
    lookups.push(hostname);
    const found = zone[hostname];
    if (!found) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address }));
  };

  const fill = (s: string) =>
    s
      .replaceAll('REDIRECTOR', `127.0.0.1:${redirectorPort}`)
      .replaceAll('CANARY', `127.0.0.1:${canary.port}`)
      .replaceAll('CPORT', String(canary.port));
  const redirect = (target: string, status = 302) =>
    `http://REDIRECTOR/to?status=${status}&u=${encodeURIComponent(target)}`;

  // [what, URL template, how it is refused]
  const hostile: [string, string, Refusal][] = [
    ['loopback', 'http://CANARY/', 'report'],
    ['loopback, https', 'https://CANARY/', 'report'],
    ['loopback 127.0.0.2', 'http://127.0.0.2:CPORT/', 'report'],
    ['loopback, decimal', 'http://2130706433:CPORT/', 'report'],
    ['loopback, octal', 'http://0177.0.0.1:CPORT/', 'report'],
    ['loopback, hex', 'http://0x7f000001:CPORT/', 'report'],
    ['loopback, short form', 'http://127.1:CPORT/', 'report'],
    ['localhost', 'http://localhost:CPORT/', 'report'],
    ['*.localhost', 'http://badges.localhost:CPORT/', 'report'],
    ['unspecified 0.0.0.0', 'http://0.0.0.0:CPORT/', 'report'],
    ['IPv6 loopback', 'http://[::1]:CPORT/', 'report'],
    ['IPv6 unspecified', 'http://[::]:CPORT/', 'report'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:CPORT/', 'report'],
    ['IPv4-mapped IPv6, hex', 'http://[::ffff:7f00:1]:CPORT/', 'report'],
    ['NAT64 of loopback', 'http://[64:ff9b::7f00:1]:CPORT/', 'report'],
    ['IPv6 link-local', 'http://[fe80::1]/', 'report'],
    ['IPv6 unique-local', 'http://[fd00:ec2::254]/', 'report'],
    ['private 10/8', 'http://10.0.0.1/', 'report'],
    ['private 172.16/12', 'http://172.16.0.1/', 'report'],
    ['private 192.168/16', 'http://192.168.1.1/', 'report'],
    ['CGNAT 100.64/10', 'http://100.64.0.1/', 'report'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'report'],
    ['multicast', 'http://224.0.0.1/', 'report'],
    ['broadcast', 'http://255.255.255.255/', 'report'],
    ['single-label name', 'http://metadata/computeMetadata/v1/', 'report'],
    ['.internal name', 'http://metadata.google.internal/', 'report'],
    ['name → 10.0.0.5', 'http://internal.example.org/', 'report'],
    ['name → 127.0.0.1', 'http://loopback.example.org:CPORT/', 'report'],
    ['name → public and loopback', 'http://mixed.example.org:CPORT/', 'report'],
    ['name → ::1', 'http://v6-loopback.example.org:CPORT/', 'report'],
    ['name → ::ffff:127.0.0.1', 'http://mapped.example.org:CPORT/', 'report'],
    ['name → 169.254.169.254', 'http://metadata.example.org/', 'report'],
    ['redirect 302 → loopback', redirect('http://CANARY/'), 'report'],
    ['redirect 301 → decimal loopback', redirect('http://2130706433:CPORT/', 301), 'report'],
    ['redirect 307 → [::1]', redirect('http://[::1]:CPORT/', 307), 'report'],
    ['redirect 308 → 0.0.0.0', redirect('http://0.0.0.0:CPORT/', 308), 'report'],
    ['redirect → cloud metadata', redirect('http://169.254.169.254/latest/meta-data/'), 'report'],
    ['redirect → name → loopback', redirect('http://loopback.example.org:CPORT/'), 'report'],
    ['redirect → redirect → loopback', redirect(redirect('http://CANARY/')), 'report'],
    ['redirect → file:', redirect('file:///etc/passwd'), 'report'],
    ['redirect → gopher:', redirect('gopher://CANARY/_GET%20/'), 'report'],
    ['userinfo trick', 'http://example.org@CANARY/', 'input'],
    ['file:', 'file:///etc/passwd', 'input'],
    ['gopher:', 'gopher://CANARY/_GET%20/', 'input'],
    ['ftp:', 'ftp://CANARY/', 'input'],
    ['data:', 'data:application/json,{"type":"Assertion"}', 'input'],
    ['javascript:', 'javascript:alert(1)', 'input'],
  ];

  beforeAll(async () => {
    canary = await startCanary();
    redirector = http.createServer((req, res) => {
      redirectorRequests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://redirector');
      res.writeHead(Number(url.searchParams.get('status') ?? 302), {
        location: url.searchParams.get('u') ?? '/',
      });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorPort = (redirector.address() as AddressInfo).port;
    t = await createTestApp({
      dnsLookup: lookup,
      env: { ...relaxedLimits, VERIFY_ALLOW_HOSTS: `127.0.0.1:${redirectorPort}` },
    });
  });

  afterAll(async () => {
    const file = path.join(projectRoot, 'test-results', 'verification-ssrf.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      [
        `${hostile.length} hostile URLs × 4 ways in (API GET, API POST, page POST, page GET) = ${hostile.length * 4} requests; canary connections: ${canary.connections()}.`,
        '',
        '| # | What | Refused as | Plain message (page) |',
        '|---|------|------------|----------------------|',
        ...rows,
      ].join('\n') + '\n',
    );
    await t?.close();
    redirector.closeAllConnections();
    await new Promise<void>((resolve) => redirector.close(() => resolve()));
    await canary?.close();
  });

  it('When the suite starts, then it holds at least 30 hostile URLs', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
  });

  /** The plain sentence shown, which must not name any internal address or host. */
  function expectPlain(message: string, what: string) {
    expect([what, message]).not.toEqual([what, '']);
    expect([
      what,
      /\d+\.\d+\.\d+\.\d+|\[|::|localhost|loopback|internal|metadata/i.test(message),
    ]).toEqual([what, false]);
  }

  it.each(hostile)(
    'When %s (%s) is given to the API and the page, then it is refused and not fetched',
    async (what, template, refusal) => {
      const url = fill(template);
      // API, GET ?url=
      const get = await request(t.app).get('/api/v1/verify').query({ url });
      // API, POST {input}
      const post = await request(t.app).post('/api/v1/verify').send({ input: url });
      for (const [label, res] of [
        ['GET', get],
        ['POST', post],
      ] as const) {
        if (refusal === 'input') {
          expect([what, label, res.status]).toEqual([what, label, 422]);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expectPlain(res.body.errors[0].message, `${what} API ${label}`);
        } else {
          expect([what, label, res.status, res.body.verdict]).toEqual([
            what,
            label,
            200,
            'not_verified',
          ]);
          expect(res.body.steps).toHaveLength(1);
          expect(res.body.steps[0].key).toMatch(/^verify\.fetch\.(blocked_address|bad_scheme)$/);
          expectPlain(res.body.steps[0].message, `${what} API ${label}`);
        }
      }
      // The page: the form (POST) and the shareable link (GET ?url=).
      const form = await submitPage(t.app, { way: 'url', url });
      const link = await request(t.app).get('/verifier').query({ url });
      let shown = '';
      for (const [label, res] of [
        ['form', form],
        ['link', link],
      ] as const) {
        const text = pageText(res.text);
        if (refusal === 'input') {
          expect([what, label, res.status]).toEqual([what, label, 422]);
          shown = /Il y a un problème (.*?) Vérifier un badge/.exec(text)?.[1] ?? '';
        } else {
          expect([what, label, pageVerdict(res)]).toEqual([what, label, 'not_verified']);
          shown =
            /Ce badge n'a pas pu être vérifié : (.*?) Vérification faite/.exec(text)?.[1] ?? '';
        }
        expectPlain(shown, `${what} page ${label}`);
      }
      rows.push(
        `| ${rows.length + 1} | ${what} | ${refusal === 'input' ? '422, error summary' : 'Non vérifié'} | ${shown} |`,
      );
      expect([what, canary.connections()]).toEqual([what, 0]);
    },
  );

  it('When every hostile URL has been tried, then the canary received no connection and only the redirector was contacted', () => {
    expect(canary.connections()).toBe(0);
    expect(redirectorRequests.every((u) => u.startsWith('/to?'))).toBe(true);
    expect(lookups.length).toBeGreaterThan(0);
  });
});
