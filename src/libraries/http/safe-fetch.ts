import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, fetch } from 'undici';
import {
  FetchError,
  type FetchErrorCode,
  type FetchKind,
  type FetchResult,
  type Fetcher,
} from '../../core/verification/fetcher.js';
import { forbiddenAddressReason, forbiddenHostnameReason } from './address-policy.js';

/**
 * The SSRF-safe HTTP fetcher behind "verify a badge by URL": anyone can make the server fetch a
 * URL, so every connection is checked on the address actually connected to (DNS is resolved
 * inside the connector and the socket connects to the checked answer, so a name cannot rebind
 * between check and connect), redirects are followed by hand and re-checked, and time and size
 * are capped. Error messages are plain and never name internal addresses; `cause` carries the
 * detail for logs only.
 */

export interface ResolvedAddress {
  address: string;
  /** 4 or 6; derived from the address when omitted. */
  family?: number;
}

/** Resolves a host name to every address it has (like `dns.lookup(name, { all: true })`). */
export type LookupFunction = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetcherOptions {
  /**
   * `host:port` pairs that may be contacted even on loopback or private addresses. Only for tests
   * serving foreign issuers on loopback (setting VERIFY_ALLOW_HOSTS, refused in production).
   */
  allowHosts?: readonly string[];
  /** DNS resolution; tests inject names. Default: `dns.lookup` with `all: true`. */
  lookup?: LookupFunction;
  /** Per request (connect, headers and body), in ms. Default 5000. */
  timeoutMs?: number;
  /** For the whole fetch including redirects, in ms. Default 15000. */
  totalTimeoutMs?: number;
  /** Redirects followed before refusing. Default 5. */
  maxRedirects?: number;
  /** Body size limits in bytes by kind. Default json 1 MB, image 5 MB, any 1 MB. */
  maxBytes?: Partial<Record<FetchKind, number>>;
  /** Default names Coop Badges. */
  userAgent?: string;
}

/** A Fetcher that owns a connection pool: `close()` it when the app stops. */
export type SafeFetcher = Fetcher & { close(): Promise<void> };

const MB = 1024 * 1024;
export const SAFE_FETCH_DEFAULTS = Object.freeze({
  timeoutMs: 5000,
  totalTimeoutMs: 15000,
  maxRedirects: 5,
  maxBytes: Object.freeze({ json: MB, image: 5 * MB, any: MB }),
  userAgent: 'CoopBadges-Verifier/1.0 (Coop Badges; Open Badges verification)',
});

const ACCEPT: Record<FetchKind, string> = {
  json: 'application/ld+json, application/json;q=0.9, */*;q=0.1',
  image: 'image/png, image/svg+xml;q=0.9, image/*;q=0.8, */*;q=0.1',
  any: 'application/ld+json, application/json;q=0.9, text/html;q=0.8, */*;q=0.5',
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// Shown to users (translated by code in the web layer): nothing about our network.
const MESSAGES: Record<FetchErrorCode, string> = {
  bad_scheme: 'Only http and https web addresses without a user name or password can be fetched.',
  blocked_address: 'This address leads to a private or reserved network and cannot be fetched.',
  too_large: 'The document is larger than the allowed size.',
  timeout: 'The server took too long to answer.',
  too_many_redirects: 'The address redirects too many times.',
  network: 'The server could not be reached.',
  not_found: 'The document was not found.',
};

/** Internal: why a connection was refused (logged through FetchError.cause, never shown). */
class BlockedAddressError extends Error {
  readonly code = 'COOP_BLOCKED_ADDRESS';
  constructor(
    readonly reason: string,
    readonly host: string,
  ) {
    super(`refused ${host}: ${reason}`);
    this.name = 'BlockedAddressError';
  }
}

function fail(code: FetchErrorCode, url: string, cause?: unknown): FetchError {
  return new FetchError(code, url, MESSAGES[code], cause === undefined ? undefined : { cause });
}

/** The canonical `host:port` key of an allow-list entry or a URL (WHATWG spelling). */
function hostPortKey(hostname: string, port: number): string {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const host = net.isIP(bare) === 6 ? `[${bare}]` : bare;
  const canonical = new URL(`http://${host}/`).hostname.replace(/\.$/, '');
  return `${canonical}:${port}`;
}

function parseAllowEntry(entry: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry.trim());
  if (!m) throw new TypeError(`allowHosts: expected host:port, got "${entry}"`);
  return hostPortKey(m[1]!, Number(m[2]));
}

function effectivePort(protocol: string, port: string): number {
  return Number(port) || (protocol === 'https:' ? 443 : 80);
}

function defaultLookup(hostname: string): Promise<readonly ResolvedAddress[]> {
  return dns.promises.lookup(hostname, { all: true });
}

/** Adapts a LookupFunction to the callback form net.connect calls, checking every answer. */
function connectLookup(resolve: LookupFunction, guard: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    const answer = (async () => {
      const found = (await resolve(hostname)).map((a) => ({
        address: a.address,
        family: a.family ?? net.isIP(a.address),
      }));
      if (guard) {
        // One forbidden answer taints the name: refuse rather than pick a "good" address.
        for (const a of found) {
          const reason = forbiddenAddressReason(a.address);
          if (reason) throw new BlockedAddressError(reason, hostname);
        }
      }
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const usable = found.filter(
        (a) => (a.family === 4 || a.family === 6) && (!family || a.family === family),
      );
      if (usable.length === 0) {
        throw Object.assign(new Error(`no usable address for ${hostname}`), { code: 'ENOTFOUND' });
      }
      return usable;
    })();
    // Call back outside the promise chain so an exception in net cannot be swallowed here.
    answer.then(
      (usable) =>
        process.nextTick(() =>
          options.all
            ? callback(null, usable)
            : callback(null, usable[0]!.address, usable[0]!.family),
        ),
      (err: NodeJS.ErrnoException) => process.nextTick(() => callback(err, '', 0)),
    );
  };
}

/** Why a URL host must not be contacted before any connection, or undefined. */
function hostReason(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return net.isIP(bare) ? forbiddenAddressReason(bare) : forbiddenHostnameReason(bare);
}

/**
 * The undici connector: allow-listed host:port pairs connect normally; everything else has its
 * literal address or name checked, DNS answers checked inside net.connect's lookup (so the
 * socket connects only to a checked address), and the peer address checked again once connected.
 */
function createConnector(
  allowed: ReadonlySet<string>,
  resolve: LookupFunction,
  connectTimeoutMs: number,
): buildConnector.connector {
  const common = { timeout: connectTimeoutMs, allowH2: false };
  const open = buildConnector({ ...common, lookup: connectLookup(resolve, false) });
  const guarded = buildConnector({ ...common, lookup: connectLookup(resolve, true) });
  return (opts, callback) => {
    if (allowed.has(hostPortKey(opts.hostname, effectivePort(opts.protocol, opts.port)))) {
      open(opts, callback);
      return;
    }
    const reason = hostReason(opts.hostname);
    if (reason) {
      callback(new BlockedAddressError(reason, opts.hostname), null);
      return;
    }
    guarded(opts, (...args) => {
      const [err, socket] = args;
      if (err) {
        callback(err, null);
        return;
      }
      const peer = socket!.remoteAddress;
      const peerReason = peer === undefined ? 'unknown peer' : forbiddenAddressReason(peer);
      if (peerReason) {
        socket!.destroy();
        callback(new BlockedAddressError(peerReason, opts.hostname), null);
        return;
      }
      callback(null, socket!);
    });
  };
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = err;
  while (e && chain.length < 10 && !chain.includes(e)) {
    chain.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return chain;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

function transportError(err: unknown, url: string, timedOut: boolean): FetchError {
  if (err instanceof FetchError) return err;
  const chain = causeChain(err);
  const blocked = chain.find((e) => e instanceof BlockedAddressError);
  if (blocked) return fail('blocked_address', url, blocked);
  if (timedOut) return fail('timeout', url, err);
  if (chain.some((e) => TIMEOUT_CODES.has(String((e as { code?: unknown }).code)))) {
    return fail('timeout', url, err);
  }
  return fail('network', url, err);
}

export interface GuardedAgentOptions {
  allowHosts?: readonly string[];
  lookup?: LookupFunction;
  /** Connect, headers and body timeouts, in ms. Default 5000. */
  timeoutMs?: number;
}

/**
 * The undici dispatcher behind the fetcher: every new connection is checked (see
 * createConnector). Exported so the connection-time guard can be tested on its own, without the
 * URL checks in front of it.
 */
export function createGuardedAgent(options: GuardedAgentOptions = {}): Agent {
  const timeoutMs = options.timeoutMs ?? SAFE_FETCH_DEFAULTS.timeoutMs;
  const allowed = new Set((options.allowHosts ?? []).map(parseAllowEntry));
  return new Agent({
    connect: createConnector(allowed, options.lookup ?? defaultLookup, timeoutMs),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    // Each verification is short; do not keep sockets to other issuers open for long.
    keepAliveTimeout: 1000,
    keepAliveMaxTimeout: 1000,
  });
}

/** Whether an error (or one of its causes) is a refusal by the connection-time guard. */
export function isBlockedAddressError(err: unknown): boolean {
  return causeChain(err).some((e) => e instanceof BlockedAddressError);
}

export function createSafeFetcher(options: SafeFetcherOptions = {}): SafeFetcher {
  const timeoutMs = options.timeoutMs ?? SAFE_FETCH_DEFAULTS.timeoutMs;
  const totalTimeoutMs = options.totalTimeoutMs ?? SAFE_FETCH_DEFAULTS.totalTimeoutMs;
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_DEFAULTS.maxRedirects;
  const maxBytes = { ...SAFE_FETCH_DEFAULTS.maxBytes, ...options.maxBytes };
  const userAgent = options.userAgent ?? SAFE_FETCH_DEFAULTS.userAgent;
  const allowed = new Set((options.allowHosts ?? []).map(parseAllowEntry));
  const agent = createGuardedAgent(options);

  /** Refuses a URL by its form before any connection: scheme, credentials, host. */
  function checkUrl(target: string, base: URL | undefined, original: string): URL {
    let u: URL;
    try {
      u = new URL(target, base);
    } catch (err) {
      throw fail('bad_scheme', original, err);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw fail('bad_scheme', original, new Error(`scheme ${u.protocol}`));
    }
    if (u.username !== '' || u.password !== '') {
      throw fail('bad_scheme', original, new Error('credentials in URL'));
    }
    if (!allowed.has(hostPortKey(u.hostname, effectivePort(u.protocol, u.port)))) {
      const reason = hostReason(u.hostname);
      if (reason) throw fail('blocked_address', original, new BlockedAddressError(reason, u.host));
    }
    return u;
  }

  type Hop = { kind: 'redirect'; location: string } | { kind: 'final'; result: FetchResult };

  async function requestOnce(
    target: URL,
    kind: FetchKind,
    deadline: number,
    original: string,
  ): Promise<Hop> {
    const remaining = Math.min(timeoutMs, deadline - Date.now());
    if (remaining <= 0) throw fail('timeout', original);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, remaining);
    try {
      const res = await fetch(target, {
        method: 'GET',
        headers: { accept: ACCEPT[kind], 'user-agent': userAgent },
        redirect: 'manual',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
        dispatcher: agent,
      });
      const location = res.headers.get('location');
      if (REDIRECT_STATUSES.has(res.status) && location !== null) {
        await res.body?.cancel().catch(() => undefined);
        return { kind: 'redirect', location };
      }
      const limit = maxBytes[kind];
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > limit) {
        controller.abort();
        throw fail('too_large', original, new Error(`declared ${declared} bytes > ${limit}`));
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limit) {
            // Stop reading at once: an endless body must not keep us busy.
            controller.abort();
            await reader.cancel().catch(() => undefined);
            throw fail('too_large', original, new Error(`more than ${limit} bytes`));
          }
          chunks.push(value);
        }
      }
      return {
        kind: 'final',
        result: {
          url: target.href,
          status: res.status,
          contentType: res.headers.get('content-type') ?? '',
          body: Buffer.concat(chunks),
        },
      };
    } catch (err) {
      throw transportError(err, original, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  const fetcher = async (url: string, opts?: { kind?: FetchKind }): Promise<FetchResult> => {
    const kind = opts?.kind ?? 'any';
    const deadline = Date.now() + totalTimeoutMs;
    const redirects: string[] = [];
    let current = checkUrl(url, undefined, url);
    for (;;) {
      const hop = await requestOnce(current, kind, deadline, url);
      if (hop.kind === 'final') return { ...hop.result, redirects };
      if (redirects.length >= maxRedirects) throw fail('too_many_redirects', url);
      redirects.push(current.href);
      // Every target is checked again: scheme, credentials and host here, address at connect.
      current = checkUrl(hop.location, current, url);
    }
  };

  return Object.assign(fetcher, { close: () => agent.close() });
}
