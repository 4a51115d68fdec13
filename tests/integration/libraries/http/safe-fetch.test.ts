import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { FetchError, jsonBody } from '../../../../src/core/verification/fetcher.js';
import { request } from 'undici';
import {
  createGuardedAgent,
  createSafeFetcher,
  isBlockedAddressError,
  type LookupFunction,
  type ResolvedAddress,
  type SafeFetcher,
} from '../../../../src/libraries/http/safe-fetch.js';
import { projectRoot } from '../../../../src/libraries/paths.js';

/**
 * The SSRF suite. A loopback "issuer" is on the allow-list and plays a foreign issuer (and an
 * attacker's redirector); a loopback "canary" is NOT on the allow-list and records every TCP
 * connection it receives: after the hostile URLs it must have received none.
 */

const MB = 1024 * 1024;

interface Canary {
  server: http.Server;
  server6: http.Server | undefined;
  port: number;
  port6: number;
  connections: number;
  requests: string[];
}

async function listen(server: http.Server, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function startCanary(): Promise<Canary> {
  const canary: Canary = {
    server: http.createServer(),
    server6: undefined,
    port: 0,
    port6: 0,
    connections: 0,
    requests: [],
  };
  const record = (server: http.Server) => {
    server.on('connection', () => canary.connections++);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      canary.requests.push(`${req.headers.host} ${req.url}`);
      res.end('secret');
    });
  };
  record(canary.server);
  canary.port = await listen(canary.server, '127.0.0.1');
  // The same port on ::1 when free, so [::1]:port forms would land here too.
  const server6 = http.createServer();
  record(server6);
  canary.port6 = await listen(server6, '::1', canary.port).catch(() => listen(server6, '::1'));
  canary.server6 = server6;
  return canary;
}

/** A foreign issuer on loopback (allow-listed), with routes for every behaviour under test. */
function issuerHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://issuer');
  const p = url.pathname;
  const json = (status: number, value: unknown, type = 'application/ld+json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(value));
  };
  let m: RegExpExecArray | null;
  if (p === '/assertion.json') return json(200, { type: 'Assertion', id: 'urn:uuid:1' });
  if (p === '/headers') return json(200, req.headers, 'application/json');
  if (p === '/missing') return json(404, { error: 'not here' });
  if ((m = /^\/chain\/(\d+)$/.exec(p))) {
    const n = Number(m[1]);
    if (n === 0) return json(200, { done: true });
    res.writeHead(302, { location: `/chain/${n - 1}` });
    return void res.end();
  }
  if ((m = /^\/status\/(\d+)$/.exec(p))) {
    res.writeHead(Number(m[1]), { location: '/assertion.json' });
    return void res.end('moved');
  }
  if (p === '/relative') {
    res.writeHead(301, { location: 'assertion.json' });
    return void res.end();
  }
  if (p === '/to') {
    res.writeHead(Number(url.searchParams.get('status') ?? 302), {
      location: url.searchParams.get('u') ?? '/',
    });
    return void res.end();
  }
  if (p === '/set-cookie') {
    res.writeHead(302, { location: '/headers', 'set-cookie': 'session=abc; Path=/' });
    return void res.end();
  }
  if (p === '/bytes') {
    // Streamed without Content-Length, in 64 KB chunks.
    const total = Number(url.searchParams.get('n'));
    res.writeHead(200, { 'content-type': url.searchParams.get('type') ?? 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        if (!res.write(part)) return void res.once('drain', write);
      }
      res.end();
    };
    return write();
  }
  if (p === '/endless') {
    // Never ends: only a limit enforced while streaming stops it.
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const write = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', write);
    };
    return write();
  }
  if (p === '/declared-huge') {
    // Announces 2 MB, sends a little, then stalls: must be refused from the header alone.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * MB) });
    return void res.write('{"a":');
  }
  if (p === '/gzip-bomb') {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * MB, 0x20));
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(bomb.length),
    });
    return void res.end(bomb);
  }
  if (p === '/slow') return; // never answers
  if (p === '/slow-body') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.write('{"partial":');
  }
  if ((m = /^\/slow-hop\/(\d+)$/.exec(p))) {
    const n = Number(m[1]);
    setTimeout(() => {
      if (n === 0) return json(200, { done: true });
      res.writeHead(302, { location: `/slow-hop/${n - 1}` });
      res.end();
    }, 150);
    return;
  }
  json(404, { error: 'no route' });
}

async function refusal(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error('the fetch was not refused');
}

describe('createSafeFetcher', () => {
  let canary: Canary;
  let issuer: http.Server;
  let issuerPort: number;
  let fetcher: SafeFetcher;
  const lookups: string[] = [];

  // Test DNS: names an attacker could register, resolving to internal addresses.
  const zone: Record<string, string[]> = {
    'issuer.test': ['127.0.0.1'],
    '127.0.0.1.nip.io': ['127.0.0.1'],
    'internal.example.org': ['10.0.0.5'],
    'mixed.example.org': ['93.184.215.14', '127.0.0.1'],
    'v6-loopback.example.org': ['::1'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
    'metadata.example.org': ['169.254.169.254'],
    'nat64.example.org': ['64:ff9b::7f00:1'],
  };
  const lookup: LookupFunction = async (hostname) => {
    lookups.push(hostname);
    const found = zone[hostname];
    if (!found)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found.map((address): ResolvedAddress => ({ address }));
  };

  // Placeholders are plain words so they survive URL-encoding inside (nested) redirect targets.
  const fill = (s: string) =>
    s
      .replaceAll('ISSUER', `127.0.0.1:${issuerPort}`)
      .replaceAll('CANARY6_PORT', String(canary.port6))
      .replaceAll('CANARY_PORT', String(canary.port));

  beforeAll(async () => {
    canary = await startCanary();
    issuer = http.createServer(issuerHandler);
    issuerPort = await listen(issuer, '127.0.0.1');
    fetcher = createSafeFetcher({
      allowHosts: [`127.0.0.1:${issuerPort}`, `issuer.test:${issuerPort}`],
      lookup,
    });
  });

  afterAll(async () => {
    await fetcher.close();
    await close(issuer);
    await close(canary.server);
    await close(canary.server6);
  });

  describe('hostile URLs', () => {
    const rows: string[] = [];
    // For the table: redirect hops shown as arrows, placeholders as {names}.
    const display = (u: string): string => {
      const m = /^http:\/\/ISSUER\/to\?status=(\d+)&u=(.*)$/.exec(u);
      if (m) return `{issuer} —${m[1]}→ ${display(decodeURIComponent(m[2]!))}`;
      const shown = u
        .replaceAll('ISSUER', '{issuer}')
        .replaceAll('CANARY6_PORT', '{canary6}')
        .replaceAll('CANARY_PORT', '{canary}');
      return `\`${shown.replaceAll('|', '%7C')}\``;
    };
    const redirect = (target: string, status = 302) =>
      `http://ISSUER/to?status=${status}&u=${encodeURIComponent(target)}`;

    // [what it is, URL (placeholders filled at run time), expected refusal code]
    const hostile: [string, string, string][] = [
      ['loopback', 'http://127.0.0.1:CANARY_PORT/', 'blocked_address'],
      ['loopback, other address of 127/8', 'http://127.0.0.2:CANARY_PORT/', 'blocked_address'],
      ['loopback, decimal', 'http://2130706433:CANARY_PORT/', 'blocked_address'],
      ['loopback, octal', 'http://0177.0.0.1:CANARY_PORT/', 'blocked_address'],
      ['loopback, octal whole', 'http://017700000001:CANARY_PORT/', 'blocked_address'],
      ['loopback, hex short', 'http://0x7f.1:CANARY_PORT/', 'blocked_address'],
      ['loopback, hex whole', 'http://0x7f000001:CANARY_PORT/', 'blocked_address'],
      ['loopback, short form', 'http://127.1:CANARY_PORT/', 'blocked_address'],
      ['loopback, percent-encoded', 'http://%31%32%37.0.0.1:CANARY_PORT/', 'blocked_address'],
      ['loopback, trailing dot', 'http://127.0.0.1.:CANARY_PORT/', 'blocked_address'],
      ['localhost', 'http://localhost:CANARY_PORT/', 'blocked_address'],
      ['localhost, upper case + dot', 'http://LOCALHOST.:CANARY_PORT/', 'blocked_address'],
      ['*.localhost', 'http://api.localhost:CANARY_PORT/', 'blocked_address'],
      [
        'unspecified 0.0.0.0 (reaches localhost on Linux)',
        'http://0.0.0.0:CANARY_PORT/',
        'blocked_address',
      ],
      ['unspecified, "0"', 'http://0:CANARY_PORT/', 'blocked_address'],
      ['IPv6 loopback', 'http://[::1]:CANARY6_PORT/', 'blocked_address'],
      ['IPv6 unspecified', 'http://[::]:CANARY6_PORT/', 'blocked_address'],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:CANARY_PORT/', 'blocked_address'],
      ['IPv4-mapped IPv6 loopback, hex', 'http://[::ffff:7f00:1]:CANARY_PORT/', 'blocked_address'],
      ['IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]:CANARY_PORT/', 'blocked_address'],
      ['NAT64 of loopback', 'http://[64:ff9b::7f00:1]:CANARY_PORT/', 'blocked_address'],
      ['NAT64 of 10.0.0.1', 'http://[64:ff9b::a00:1]/', 'blocked_address'],
      ['6to4 of loopback', 'http://[2002:7f00:1::1]/', 'blocked_address'],
      [
        'Teredo (client 127.0.0.1)',
        'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/',
        'blocked_address',
      ],
      ['IPv6 link-local', 'http://[fe80::1]/', 'blocked_address'],
      ['IPv6 unique-local', 'http://[fc00::1]/', 'blocked_address'],
      ['IPv6 unique-local (AWS metadata)', 'http://[fd00:ec2::254]/', 'blocked_address'],
      ['IPv6 multicast', 'http://[ff02::1]/', 'blocked_address'],
      ['IPv6 documentation', 'http://[2001:db8::1]/', 'blocked_address'],
      ['private 10/8', 'http://10.0.0.1/', 'blocked_address'],
      ['private 172.16/12 (low)', 'http://172.16.0.1/', 'blocked_address'],
      ['private 172.16/12 (high)', 'http://172.31.255.254/', 'blocked_address'],
      ['private 192.168/16', 'http://192.168.1.1/', 'blocked_address'],
      ['CGNAT 100.64/10', 'http://100.64.0.1/', 'blocked_address'],
      ['link-local, cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'blocked_address'],
      ['multicast', 'http://224.0.0.1/', 'blocked_address'],
      ['broadcast', 'http://255.255.255.255/', 'blocked_address'],
      ['reserved 240/4', 'http://240.0.0.1/', 'blocked_address'],
      ['documentation TEST-NET-1', 'http://192.0.2.1/', 'blocked_address'],
      ['benchmarking 198.18/15', 'http://198.18.0.1/', 'blocked_address'],
      ['single-label name', 'http://metadata/computeMetadata/v1/', 'blocked_address'],
      ['.internal name', 'http://metadata.google.internal/', 'blocked_address'],
      ['name resolving to loopback', 'http://127.0.0.1.nip.io:CANARY_PORT/', 'blocked_address'],
      ['name resolving to 10.0.0.5', 'http://internal.example.org/', 'blocked_address'],
      [
        'name resolving to public AND loopback',
        'http://mixed.example.org:CANARY_PORT/',
        'blocked_address',
      ],
      ['name resolving to ::1', 'http://v6-loopback.example.org:CANARY6_PORT/', 'blocked_address'],
      [
        'name resolving to ::ffff:127.0.0.1',
        'http://mapped.example.org:CANARY_PORT/',
        'blocked_address',
      ],
      [
        'name resolving to NAT64 of loopback',
        'http://nat64.example.org:CANARY_PORT/',
        'blocked_address',
      ],
      ['name resolving to 169.254.169.254', 'http://metadata.example.org/', 'blocked_address'],
      ['userinfo trick', 'http://example.org@127.0.0.1:CANARY_PORT/', 'bad_scheme'],
      ['userinfo naming the allowed host', 'http://ISSUER@127.0.0.1:CANARY_PORT/', 'bad_scheme'],
      ['fragment trick', 'http://127.0.0.1:CANARY_PORT#@ISSUER/', 'blocked_address'],
      ['allowed host, other port', 'https://127.0.0.1:CANARY_PORT/', 'blocked_address'],
      [
        'https, name resolving to loopback',
        'https://127.0.0.1.nip.io:CANARY_PORT/',
        'blocked_address',
      ],
      ['file:', 'file:///etc/passwd', 'bad_scheme'],
      ['data:', 'data:application/json,{"type":"Assertion"}', 'bad_scheme'],
      ['ftp:', 'ftp://127.0.0.1:CANARY_PORT/', 'bad_scheme'],
      ['gopher:', 'gopher://127.0.0.1:CANARY_PORT/_GET%20/', 'bad_scheme'],
      ['javascript:', 'javascript:alert(1)', 'bad_scheme'],
      ['not a URL', 'http://[::1', 'bad_scheme'],
      ['redirect 302 → loopback', redirect('http://127.0.0.1:CANARY_PORT/'), 'blocked_address'],
      [
        'redirect 301 → loopback decimal',
        redirect('http://2130706433:CANARY_PORT/', 301),
        'blocked_address',
      ],
      ['redirect 303 → [::1]', redirect('http://[::1]:CANARY6_PORT/', 303), 'blocked_address'],
      [
        'redirect 307 → [::ffff:7f00:1]',
        redirect('http://[::ffff:7f00:1]:CANARY_PORT/', 307),
        'blocked_address',
      ],
      ['redirect 308 → 0.0.0.0', redirect('http://0.0.0.0:CANARY_PORT/', 308), 'blocked_address'],
      ['redirect → localhost', redirect('http://localhost:CANARY_PORT/'), 'blocked_address'],
      [
        'redirect → protocol-relative loopback',
        redirect('//127.0.0.1:CANARY_PORT/'),
        'blocked_address',
      ],
      [
        'redirect → cloud metadata',
        redirect('http://169.254.169.254/latest/meta-data/'),
        'blocked_address',
      ],
      ['redirect → 10.0.0.1', redirect('http://10.0.0.1/'), 'blocked_address'],
      [
        'redirect → name resolving to loopback',
        redirect('http://127.0.0.1.nip.io:CANARY_PORT/'),
        'blocked_address',
      ],
      [
        'redirect → redirect → loopback',
        redirect(redirect('http://127.0.0.1:CANARY_PORT/')),
        'blocked_address',
      ],
      ['redirect → file:', redirect('file:///etc/passwd'), 'bad_scheme'],
      ['redirect → gopher:', redirect('gopher://127.0.0.1:CANARY_PORT/_GET%20/'), 'bad_scheme'],
      [
        'redirect → userinfo trick',
        redirect('http://example.org@127.0.0.1:CANARY_PORT/'),
        'bad_scheme',
      ],
    ];

    afterAll(() => {
      const header = [
        '| # | What | URL | Refused with | Canary connections after |',
        '|---|------|-----|--------------|--------------------------|',
      ];
      const file = path.join(projectRoot, 'test-results', 'ssrf-hostile-urls.md');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, [...header, ...rows].join('\n') + '\n');
    });

    it('When the suite starts, then it holds at least 30 hostile URLs', () => {
      expect(hostile.length).toBeGreaterThanOrEqual(30);
    });

    it.each(hostile)(
      'When the URL is %s (%s), then it is refused with %s',
      async (what, template, code) => {
        const url = fill(template);
        const err = await refusal(fetcher(url, { kind: 'json' }));
        rows.push(
          `| ${rows.length + 1} | ${what} | ${display(template)} | \`${err.code}\` | ${canary.connections} |`,
        );
        expect(err.code).toBe(code);
        expect(err.url).toBe(url);
        // Nothing about the internal network in what users may see.
        expect(err.message).not.toMatch(
          /\d+\.\d+\.\d+\.\d+|\[|::|localhost|loopback|example\.org/i,
        );
        expect(canary.connections).toBe(0);
      },
    );

    it('When every hostile URL has been tried, then the canary received no connection at all', () => {
      expect(canary.connections).toBe(0);
      expect(canary.requests).toEqual([]);
    });

    it('When a name resolves to a forbidden address, then DNS was asked once, at connection time', async () => {
      lookups.length = 0;
      await refusal(fetcher(`http://127.0.0.1.nip.io:${canary.port}/`));
      expect(lookups).toEqual(['127.0.0.1.nip.io']);
      expect(canary.connections).toBe(0);
    });
  });

  describe('the connection-time guard alone (no URL checks in front)', () => {
    let agent: ReturnType<typeof createGuardedAgent>;
    beforeAll(() => {
      agent = createGuardedAgent({ allowHosts: [`127.0.0.1:${issuerPort}`], lookup });
    });
    afterAll(async () => {
      await agent.close();
    });

    it.each([
      'http://127.0.0.1:CANARY_PORT/',
      'http://0.0.0.0:CANARY_PORT/',
      'http://[::1]:CANARY6_PORT/',
      'http://[::ffff:7f00:1]:CANARY_PORT/',
      'http://localhost:CANARY_PORT/',
      'http://127.0.0.1.nip.io:CANARY_PORT/',
      'https://127.0.0.1.nip.io:CANARY_PORT/',
      'http://mixed.example.org:CANARY_PORT/',
      'http://mapped.example.org:CANARY_PORT/',
      'http://v6-loopback.example.org:CANARY6_PORT/',
    ])('When undici itself is asked for %s, then the connector refuses it', async (template) => {
      let error: unknown;
      try {
        await request(fill(template), { dispatcher: agent });
      } catch (err) {
        error = err;
      }
      expect(isBlockedAddressError(error)).toBe(true);
      expect(canary.connections).toBe(0);
    });

    it('When undici is asked for the allowed host, then the connector lets it through', async () => {
      const res = await request(`http://127.0.0.1:${issuerPort}/assertion.json`, {
        dispatcher: agent,
      });
      expect(res.statusCode).toBe(200);
      await res.body.json();
    });
  });

  describe('an allowed foreign issuer on loopback', () => {
    it('When the issuer serves JSON, then it is fetched with the JSON Accept header and our User-Agent', async () => {
      const r = await fetcher(`http://127.0.0.1:${issuerPort}/assertion.json`, { kind: 'json' });
      expect(r.status).toBe(200);
      expect(r.contentType).toBe('application/ld+json');
      expect(jsonBody(r)).toEqual({ type: 'Assertion', id: 'urn:uuid:1' });
      expect(r.url).toBe(`http://127.0.0.1:${issuerPort}/assertion.json`);
      expect(r.redirects).toEqual([]);

      const h = jsonBody(await fetcher(`http://127.0.0.1:${issuerPort}/headers`, { kind: 'json' }));
      expect(h).toMatchObject({
        accept: 'application/ld+json, application/json;q=0.9, */*;q=0.1',
        'user-agent': expect.stringContaining('CoopBadges'),
      });
    });

    it('When the kind is image, then the Accept header asks for images', async () => {
      const h = jsonBody(
        await fetcher(`http://127.0.0.1:${issuerPort}/headers`, { kind: 'image' }),
      );
      expect((h as Record<string, string>).accept).toMatch(/^image\/png/);
    });

    it('When the issuer answers 404, then the status is returned, not thrown', async () => {
      const r = await fetcher(`http://127.0.0.1:${issuerPort}/missing`);
      expect(r.status).toBe(404);
      expect(jsonBody(r)).toEqual({ error: 'not here' });
    });

    it('When an allow-listed name is used, then it connects to the address the injected DNS gave', async () => {
      lookups.length = 0;
      const r = await fetcher(`http://issuer.test:${issuerPort}/assertion.json`, { kind: 'json' });
      expect(r.status).toBe(200);
      expect(lookups).toEqual(['issuer.test']);
    });

    it('When a name does not resolve, then the refusal is a network error', async () => {
      expect((await refusal(fetcher('http://nowhere.example.net/'))).code).toBe('network');
    });

    it.each([301, 302, 303, 307, 308])(
      'When the issuer redirects with %i, then the target is fetched and the chain reported',
      async (status) => {
        const start = `http://127.0.0.1:${issuerPort}/status/${status}`;
        const r = await fetcher(start, { kind: 'json' });
        expect(r.status).toBe(200);
        expect(r.url).toBe(`http://127.0.0.1:${issuerPort}/assertion.json`);
        expect(r.redirects).toEqual([start]);
      },
    );

    it('When the redirect is relative, then it resolves against the current URL', async () => {
      const r = await fetcher(`http://127.0.0.1:${issuerPort}/relative`);
      expect(r.url).toBe(`http://127.0.0.1:${issuerPort}/assertion.json`);
    });

    it('When there are 5 redirects, then the document is fetched', async () => {
      const r = await fetcher(`http://127.0.0.1:${issuerPort}/chain/5`, { kind: 'json' });
      expect(jsonBody(r)).toEqual({ done: true });
      expect(r.redirects).toHaveLength(5);
      expect(r.redirects?.[0]).toBe(`http://127.0.0.1:${issuerPort}/chain/5`);
    });

    it('When there are 6 redirects, then it is refused with too_many_redirects', async () => {
      const err = await refusal(fetcher(`http://127.0.0.1:${issuerPort}/chain/6`));
      expect(err.code).toBe('too_many_redirects');
    });

    it('When the issuer sets a cookie and redirects, then no cookie is sent back', async () => {
      const h = jsonBody(await fetcher(`http://127.0.0.1:${issuerPort}/set-cookie`));
      expect(h).not.toHaveProperty('cookie');
      expect(h).not.toHaveProperty('authorization');
    });
  });

  describe('size limits', () => {
    const at = (p: string) => `http://127.0.0.1:${issuerPort}${p}`;

    it('When a JSON body is exactly 1 MB, then it is accepted', async () => {
      const r = await fetcher(at(`/bytes?n=${MB}`), { kind: 'json' });
      expect(r.body.byteLength).toBe(MB);
    });

    it('When a streamed JSON body exceeds 1 MB, then it is refused with too_large', async () => {
      const err = await refusal(fetcher(at(`/bytes?n=${MB + 1}`), { kind: 'json' }));
      expect(err.code).toBe('too_large');
    });

    it('When the body never ends, then reading stops at the limit with too_large', async () => {
      expect((await refusal(fetcher(at('/endless'), { kind: 'any' }))).code).toBe('too_large');
    });

    it('When Content-Length announces more than the limit, then it is refused from the header', async () => {
      // The server sends only a few bytes and then stalls: only the header can end this fetch.
      const err = await refusal(fetcher(at('/declared-huge'), { kind: 'json' }));
      expect(err.code).toBe('too_large');
    });

    it('When a small gzip body inflates beyond the limit, then it is refused with too_large', async () => {
      expect((await refusal(fetcher(at('/gzip-bomb'), { kind: 'json' }))).code).toBe('too_large');
    });

    it('When a 2 MB image is fetched, then it is accepted as an image and refused as JSON', async () => {
      const url = at(`/bytes?n=${2 * MB}&type=image%2Fpng`);
      const r = await fetcher(url, { kind: 'image' });
      expect(r.body.byteLength).toBe(2 * MB);
      expect(r.contentType).toBe('image/png');
      expect((await refusal(fetcher(url, { kind: 'json' }))).code).toBe('too_large');
    });

    it('When an image exceeds 5 MB, then it is refused with too_large', async () => {
      const url = at(`/bytes?n=${5 * MB + 1}&type=image%2Fpng`);
      expect((await refusal(fetcher(url, { kind: 'image' }))).code).toBe('too_large');
    });
  });

  describe('time limits', () => {
    let quick: SafeFetcher;
    const at = (p: string) => `http://127.0.0.1:${issuerPort}${p}`;
    beforeAll(() => {
      quick = createSafeFetcher({
        allowHosts: [`127.0.0.1:${issuerPort}`],
        timeoutMs: 300,
        totalTimeoutMs: 2000,
        lookup,
      });
    });
    afterAll(async () => {
      await quick.close();
    });

    it('When the server never answers, then it is refused with timeout', async () => {
      expect((await refusal(quick(at('/slow')))).code).toBe('timeout');
    });

    it('When the body stalls, then it is refused with timeout', async () => {
      expect((await refusal(quick(at('/slow-body')))).code).toBe('timeout');
    });

    it('When each redirect is quick but the chain is slow, then the total limit refuses it', async () => {
      const chain = createSafeFetcher({
        allowHosts: [`127.0.0.1:${issuerPort}`],
        timeoutMs: 2000,
        totalTimeoutMs: 400,
        lookup,
      });
      try {
        expect((await refusal(chain(at('/slow-hop/5')))).code).toBe('timeout');
      } finally {
        await chain.close();
      }
    });
  });

  describe('options', () => {
    it('When an allow-list entry is not host:port, then the factory throws', () => {
      expect(() => createSafeFetcher({ allowHosts: ['127.0.0.1'] })).toThrow(/host:port/);
    });

    it('When the allow-list spells IPv6 loopback oddly, then that host and port pass, not others', async () => {
      const v6 = http.createServer((_req, res) => res.end('{"v6":true}'));
      const port = await listen(v6, '::1');
      const f = createSafeFetcher({ allowHosts: [`[0:0::1]:${port}`], lookup });
      try {
        const r = await f(`http://[::1]:${port}/`);
        expect(jsonBody(r)).toEqual({ v6: true });
        expect((await refusal(f(`http://[::1]:${canary.port6}/`))).code).toBe('blocked_address');
        expect((await refusal(f(`http://127.0.0.1:${port}/`))).code).toBe('blocked_address');
      } finally {
        await f.close();
        await close(v6);
      }
    });
  });
});
