import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DocumentTable } from './badge-world.js';

/**
 * The attacker's side of the loopback world: web sites on distinct loopback origins
 * (127.0.0.1 for issuers, 127.0.0.2 for the attacker), over HTTP or HTTPS (a did:web always
 * resolves over https), answering from a DocumentTable, with redirects.
 */
export interface Site {
  table: DocumentTable;
  /** e.g. http://127.0.0.2:41234 */
  origin: string;
  /** host:port, for VERIFY_ALLOW_HOSTS */
  hostPort: string;
  /** did:web of this host (port percent-encoded), with extra path segments. */
  did(...segments: string[]): string;
  /** Answers `path` with a 302 to `location`. */
  redirect(path: string, location: string): void;
  requests: string[];
  close(): Promise<void>;
}

export interface SelfSignedCert {
  key: string;
  cert: string;
  /** DER of the certificate, base64 (for an `x5c` header). */
  der: string;
}

/** One self-signed P-256 certificate for every HTTPS site (and the attacker's x5c/x5u JWTs). */
export function selfSignedCert(): SelfSignedCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-adv-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.2',
        '-addext',
        'subjectAltName=IP:127.0.0.1,IP:127.0.0.2',
      ],
      { stdio: 'ignore' },
    );
    const cert = fs.readFileSync(certFile, 'utf8');
    const der = cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    return { key: fs.readFileSync(keyFile, 'utf8'), cert, der };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function serveSite(options: {
  ip: '127.0.0.1' | '127.0.0.2';
  tls?: SelfSignedCert;
  table?: DocumentTable;
}): Promise<Site> {
  const table = options.table ?? new DocumentTable();
  const redirects = new Map<string, string>();
  const requests: string[] = [];
  let origin = '';
  const handler: http.RequestListener = (req, res) => {
    const url = `${origin}${req.url ?? '/'}`;
    requests.push(url);
    const location = redirects.get(url);
    if (location) {
      res.writeHead(302, { location });
      res.end();
      return;
    }
    const found = table.answer(url);
    res.writeHead(found.status, { 'content-type': found.contentType });
    res.end(Buffer.from(found.body));
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, options.ip, resolve));
  const port = (server.address() as AddressInfo).port;
  const hostPort = `${options.ip}:${port}`;
  origin = `${options.tls ? 'https' : 'http'}://${hostPort}`;
  return {
    table,
    origin,
    hostPort,
    did: (...segments) => ['did:web', encodeURIComponent(hostPort), ...segments].join(':'),
    redirect: (p, location) => redirects.set(`${origin}${p}`, location),
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A fetch for @digitalcredentials/verifier-core (it fetches with the global fetch): answers the
 * sites' tables in memory (HTTPS included, no certificate involved) and sends our app's URLs,
 * in their https did:web form too, to the app over plain HTTP. Nothing leaves loopback.
 */
export function oracleFetch(sites: Site[], appOrigin: string, realFetch: typeof fetch) {
  const appHost = new URL(appOrigin).host;
  return (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const u = new URL(url);
    if (u.host === appHost) return realFetch(`${appOrigin}${u.pathname}${u.search}`);
    const site = sites.find((s) => s.origin === u.origin);
    if (!site) return new Response('not found', { status: 404 });
    const found = site.table.answer(url);
    return new Response(Buffer.from(found.body), {
      status: found.status,
      headers: { 'content-type': found.contentType },
    });
  }) as typeof fetch;
}

/**
 * Makes every TLS connection to these loopback host:port pairs trust `cert` (the app's fetcher
 * connects through tls.connect). Jest gives a test a copy of process.env, so
 * NODE_TLS_REJECT_UNAUTHORIZED would not reach Node's TLS; this also keeps verification on for
 * every other host. Returns the undo.
 */
export function trustCertificateFor(hostPorts: string[], cert: string): () => void {
  const original = tls.connect;
  const hosts = new Set(hostPorts);
  tls.connect = ((...args: unknown[]) => {
    const options = args.find((a) => typeof a === 'object' && a !== null) as
      tls.ConnectionOptions | undefined;
    if (options && hosts.has(`${options.host}:${options.port}`)) options.ca = cert;
    return (original as (...a: unknown[]) => tls.TLSSocket)(...args);
  }) as typeof tls.connect;
  return () => {
    tls.connect = original;
  };
}
