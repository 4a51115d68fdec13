import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  FetchError,
  StepId,
  createOb2Verifier,
  bakedCredential,
  classifyBadgeText,
  isVerifiableCredential,
  normaliseEmail,
  verdictOf,
  verifyOb3Credential,
  type BadgeSummary,
  type FetchResult,
  type Fetcher,
  type VerificationReport,
  type VerificationStep,
} from '../../core/index.js';
import type { Config } from '../../libraries/config/config.js';
import { AppError } from '../../libraries/errors/app-error.js';
import { createSafeFetcher, type LookupFunction } from '../../libraries/http/safe-fetch.js';
import type { Logger } from '../../libraries/logger/logger.js';
import { createVerificationFetcher, type VerificationFetcher } from './compose-fetcher.js';
import {
  inspectSvg,
  sniffContent,
  type ContentRefusal,
  type SniffedContent,
} from './inspect-content.js';
import { createOwnDocumentsCache } from './own-documents-cache.js';
import { ownUrls } from './own-urls.js';
import { ResultCache } from './result-cache.js';
import { VerificationMessage } from './verification-messages.js';

/** How the badge reached us. */
export type VerificationWay = 'url' | 'text' | 'file';

export type VerificationInput =
  { way: 'url'; url: string } | { way: 'text'; text: string } | { way: 'file'; bytes: Uint8Array };

/** Where the badge was found, for the "format" line and the technical details. */
export interface VerificationSource {
  way: VerificationWay;
  /** What held the badge: an image, JSON, a compact JWS/JWT, a web page, or nothing readable. */
  container: 'png' | 'svg' | 'json' | 'jws' | 'html' | 'unknown';
  /** The address given (way = url). */
  url?: string;
}

/** The badge as the verifiers read it, plus the revocation date when we know it. */
export type VerifiedBadge = BadgeSummary & { revokedAt?: string };

export interface VerificationOutcome {
  report: VerificationReport & { badge?: VerifiedBadge };
  source: VerificationSource;
  /** Served from the short cache (other platforms' badges only); checkedAt is the original time. */
  cached: boolean;
  /** One of this platform's badges (read from our own documents): always checked live. */
  own: boolean;
  /** The name the holder of one of our badges chose to show (from our records). */
  holderName?: string;
}

/**
 * This platform's own badges, plugged in by the awards component (one dependency): their
 * documents come from the database instead of HTTP, their issuers are known, their revocation
 * date and reason are shown.
 */
export interface OwnBadges {
  /**
   * Answers any URL under PUBLIC_URL (and the https URL our did:web ids resolve to) exactly as
   * HTTP would: same bodies, same statuses (410 for a revoked hosted assertion, 404 unknown).
   */
  documents: Fetcher;
  /** Whether an issuer id (URL or did:web) is an issuer of this platform (in its database). */
  isKnownIssuer?: (issuerId: string) => boolean | Promise<boolean>;
  /**
   * The status of `keyId` when it is a stored key of `issuerId`, one of our issuers; undefined
   * otherwise. "Structure de cette plateforme" needs it, and a compromised key is named.
   */
  issuerKeyStatus?: (
    issuerId: string,
    keyId: string,
  ) => Promise<'active' | 'retired' | 'compromised' | undefined>;
  /**
   * A number that changes whenever our badges may verify differently (a revocation, a key
   * rotation). When given, results of our own badges are reused while it stays the same:
   * the signature of the same bytes does not change, and revocation and dates are re-checked
   * (epoch, expiry) at every request.
   */
  changeEpoch?: () => Promise<number>;
  /** The name the holder of one of our badges (assertion or credential id) chose to show. */
  holderNameOf?: (badgeId: string) => Promise<string | undefined>;
  /** When and why one of our badges (assertion or credential id) was revoked. */
  revocationOf?: (
    badgeId: string,
  ) => Promise<{ revokedAt?: Date | string; reason?: string } | undefined>;
}

export interface VerificationServiceDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  ownBadges?: OwnBadges;
  /** HTTP fetcher for other platforms; default: the SSRF-safe fetcher with the config's allow-list. */
  externalFetcher?: Fetcher;
  /** DNS for the default fetcher (tests give names to internal addresses). */
  dnsLookup?: LookupFunction;
}

export interface VerifyOptions {
  /** Checked against the hashed recipient; never stored, logged or used as such in a cache key. */
  expectedEmail?: string;
}

export interface VerificationService {
  verify(input: VerificationInput, options?: VerifyOptions): Promise<VerificationOutcome>;
  /** Sniffs an upload before verification; a refusal is an input error (see VerificationInputError). */
  inspectUpload(bytes: Uint8Array): SniffedContent;
  /** For tests and the lead's metrics. */
  readonly cacheSize: number;
  clearCache(): void;
  close(): Promise<void>;
}

/** An input we refuse to read at all (unsafe or not a badge file): a 415 or 422 for the caller. */
export class VerificationInputError extends AppError {
  constructor(
    readonly reason: ContentRefusal,
    field: string,
    detail: string,
  ) {
    super(reason === 'unsupported_file' ? 415 : 422, `verify_${reason}`, {
      messageKey: VerificationMessage.refused(reason),
      fieldErrors: [{ field, messageKey: VerificationMessage.refused(reason) }],
      cause: new Error(detail),
    });
  }
}

const MB = 1024 * 1024;
const ALTERNATE_TYPES = new Set([
  'application/ld+json',
  'application/json',
  'application/vc+ld+json',
  'application/vc+jwt',
  'application/vc',
]);

type Json = Record<string, unknown>;

/** Text as one of the forms a badge takes (the core's recognition, kept under this name). */
export const classifyText = classifyBadgeText;

/** An http(s) URL we may fetch, or undefined (other schemes, credentials, garbage). */
export function parseHttpUrl(value: string): string | undefined {
  const text = value.trim();
  if (!/^https?:\/\//i.test(text) || /\s/.test(text)) return undefined;
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (u.username || u.password || !u.hostname) return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

/** The badge link a web page announces (`<link rel="alternate" type="application/ld+json">`). */
function alternateLink(html: string, base: string): string | undefined {
  for (const m of html.slice(0, 256 * 1024).matchAll(/<link\b[^>]*>/gi)) {
    const attrs = Object.fromEntries(
      [...m[0].matchAll(/([a-zA-Z-]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g)].map((a) => [
        a[1]!.toLowerCase(),
        (a[3] ?? a[4] ?? a[5] ?? '').replace(/&amp;/g, '&'),
      ]),
    );
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
    if (!rel.includes('alternate') || !ALTERNATE_TYPES.has(type) || !attrs.href) continue;
    try {
      const url = new URL(attrs.href, base).href;
      if (parseHttpUrl(url)) return url;
    } catch {
      // a broken href is no link
    }
  }
  return undefined;
}

function toIso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A report that stops before any verifier could run. */
function failedReport(
  now: Date,
  message: string,
  params: VerificationStep['params'],
  detail: string,
): VerificationReport {
  const steps: VerificationStep[] = [
    {
      id: StepId.format,
      ok: false,
      level: 'error',
      message,
      ...(params ? { params } : {}),
      detail,
    },
  ];
  return {
    verdict: 'not_verified',
    steps,
    badge: { format: 'unknown' },
    checkedAt: now.toISOString(),
  };
}

/**
 * The story of "verify a badge": recognise the input (URL, pasted text, uploaded image —
 * by content, never by name), hand it to the OB 2.0 or OB 3.0 verifier with a fetcher that
 * reads our own documents from the database and everyone else's through the SSRF-safe HTTP
 * fetcher, add what only the platform knows (revocation date, known issuers), and keep other
 * platforms' results for a few minutes.
 */
export function createVerificationService(deps: VerificationServiceDeps): VerificationService {
  const { config, logger, clock } = deps;
  const own = ownUrls(config.PUBLIC_URL);
  const safe = deps.externalFetcher
    ? undefined
    : createSafeFetcher({
        allowHosts: config.VERIFY_ALLOW_HOSTS,
        ...(deps.dnsLookup ? { lookup: deps.dnsLookup } : {}),
        // The address people paste may be a baked image: allow images' size for it.
        maxBytes: { any: 5 * MB },
      });
  const external: Fetcher = deps.externalFetcher ?? safe!;
  // Without the awards component (tests of the verifier alone), no issuer is ours: an id under
  // our host name proves nothing by itself.
  const knownIssuer = deps.ownBadges?.isKnownIssuer ?? (() => false);
  const keyStatus = deps.ownBadges?.issuerKeyStatus;
  // Our own documents and answers about our records, kept while the change epoch stands (only
  // when there is one: without it nothing tells us when they change).
  const ownDocuments =
    deps.ownBadges?.changeEpoch && createOwnDocumentsCache({ documents: deps.ownBadges.documents });
  const ob2 = createOb2Verifier({ fetch: external, policy: { expired: 'warning' } });
  const cache = new ResultCache<VerificationOutcome>(
    config.VERIFY_CACHE_SECONDS * 1000,
    config.VERIFY_CACHE_ENTRIES,
    clock,
  );
  // Our own badges: results reused while nothing was revoked or rotated, and not past expiry.
  // Same size bound as the other cache; the time to live is a safety net for edited profiles.
  const ownCache = new ResultCache<{ outcome: VerificationOutcome; epoch: number }>(
    OWN_RESULT_TTL_MS,
    config.VERIFY_CACHE_ENTRIES,
    clock,
  );
  // Cache keys carry a keyed hash of the expected email, never the email or a plain hash of it.
  const emailKey = randomBytes(32);

  function cacheKey(input: VerificationInput, email: string | undefined): string {
    const h = createHash('sha256').update(input.way).update('\0');
    if (input.way === 'url') h.update(input.url);
    else if (input.way === 'text') h.update(input.text);
    else h.update(input.bytes);
    const e = email
      ? createHmac('sha256', emailKey).update(normaliseEmail(email)).digest('hex')
      : '';
    return `${h.digest('hex')}:${e}`;
  }

  class Run {
    readonly fetcher: VerificationFetcher;
    readonly source: VerificationSource;
    /** A transport failure (timeout, unreachable): not worth caching. */
    transient = false;
    /**
     * Our key registry, read once per key for this verification: the compromised-key check and
     * the issuer check both ask, as the fetcher reads each document once.
     */
    readonly issuerKeyStatus: KeyStatusOf | undefined;
    readonly isKnownIssuer: (issuerId: string) => boolean | Promise<boolean>;

    constructor(
      readonly input: VerificationInput,
      readonly now: Date,
      readonly email: string | undefined,
      epoch: number | undefined,
    ) {
      const cache = epoch === undefined ? undefined : ownDocuments;
      const ownFetch = cache ? cache.fetcherFor(epoch!) : deps.ownBadges?.documents;
      this.fetcher = createVerificationFetcher({
        own,
        ...(ownFetch ? { ownDocuments: ownFetch } : {}),
        external,
      });
      // A known issuer stays known (only a yes is kept: issuers are created without a change of
      // epoch); a stored key's status changes only with the epoch (rotation, compromise).
      this.isKnownIssuer = cache
        ? (issuerId) =>
            cache.remember(
              epoch!,
              `issuer\n${issuerId}`,
              async () => knownIssuer(issuerId),
              (yes) => yes,
            )
        : knownIssuer;
      const status =
        keyStatus && cache
          ? (issuerId: string, keyId: string) =>
              cache.remember(
                epoch!,
                `key\n${issuerId}\n${keyId}`,
                () => keyStatus(issuerId, keyId),
                (found) => found !== undefined,
              )
          : keyStatus;
      this.issuerKeyStatus = status && memoizeKeyStatus(status);
      this.source = {
        way: input.way,
        container: 'unknown',
        ...(input.way === 'url' ? { url: input.url } : {}),
      };
    }

    fail(message: string, params: VerificationStep['params'], detail: string) {
      return failedReport(this.now, message, params, detail);
    }

    notBadge(detail: string): VerificationReport {
      const message =
        this.input.way === 'url'
          ? VerificationMessage.notBadgeUrl
          : this.input.way === 'file'
            ? VerificationMessage.notBadgeFile
            : VerificationMessage.notBadgeText;
      return this.fail(message, undefined, detail);
    }

    ob2(input: string | Uint8Array): Promise<VerificationReport> {
      return ob2.verify(input, {
        fetch: this.fetcher.fetch,
        now: this.now,
        isKnownIssuer: this.isKnownIssuer,
        ...(this.issuerKeyStatus ? { issuerKeyStatus: this.issuerKeyStatus } : {}),
        ...(this.email ? { expectedEmail: this.email } : {}),
      });
    }

    async ob3(input: string | Json): Promise<VerificationReport> {
      const report = await verifyOb3Credential(input, {
        fetch: this.fetcher.fetch,
        now: this.now,
        isKnownIssuer: this.isKnownIssuer,
        ...(this.issuerKeyStatus ? { issuerKeyStatus: this.issuerKeyStatus } : {}),
        policy: { expired: 'warning' },
        ...(this.email ? { expectedEmail: this.email } : {}),
      });
      // Say, as the OB 2.0 verifier does, that the recipient was not checked.
      if (!this.email && report.steps.length > 1) {
        report.steps.push({
          id: StepId.recipient,
          ok: true,
          level: 'info',
          message: VerificationMessage.recipientNotChecked,
        });
      }
      return report;
    }

    /** A baked image (bytes for PNG, text for SVG): OB 3.0 credentials are unbaked here. */
    async baked(
      container: 'png' | 'svg',
      content: Uint8Array | string,
      ob2Input: string | Uint8Array,
    ) {
      this.source.container = container;
      // Not baked, two badges, compressed: the OB 2.0 verifier words each case.
      const credential = bakedCredential(container, content);
      return credential === undefined ? this.ob2(ob2Input) : this.ob3(credential);
    }

    async text(text: string, depth: number): Promise<VerificationReport> {
      const kind = classifyText(text);
      switch (kind.kind) {
        case 'svg': {
          const svg = inspectSvg(text);
          if (svg.kind === 'refused') {
            return this.fail(VerificationMessage.refused(svg.reason), undefined, svg.detail);
          }
          return this.baked('svg', text, text);
        }
        case 'json':
          this.source.container = 'json';
          return isVerifiableCredential(kind.doc) ? this.ob3(kind.doc) : this.ob2(text);
        case 'jws':
          this.source.container = 'jws';
          return kind.family === 'ob3' ? this.ob3(text.trim()) : this.ob2(text.trim());
        case 'url':
          if (depth > 0) return this.notBadge('a URL inside a URL');
          return this.url(kind.url, depth + 1);
        default:
          return this.notBadge(`${kind.kind} text that is no badge`);
      }
    }

    async url(url: string, depth: number): Promise<VerificationReport> {
      let result: FetchResult;
      try {
        result = await this.fetcher.fetch(url, { kind: 'any' });
      } catch (e) {
        if (!(e instanceof FetchError)) throw e;
        this.transient = ['timeout', 'network'].includes(e.code);
        return this.fail(VerificationMessage.fetch(e.code), undefined, `${e.code}: ${e.message}`);
      }
      // 410 Gone: a revoked hosted assertion still describes itself; its verifier reports it.
      if ((result.status < 200 || result.status >= 300) && result.status !== 410) {
        this.transient = result.status >= 500;
        return this.fail(
          VerificationMessage.httpStatus,
          { status: result.status },
          `HTTP ${result.status} from ${url}`,
        );
      }
      const content = sniffContent(result.body);
      switch (content.kind) {
        case 'refused':
          return this.fail(VerificationMessage.refused(content.reason), undefined, content.detail);
        case 'png':
          // The OB 2.0 verifier fetches the URL again: the per-verification fetcher answers.
          return this.baked('png', content.bytes, url);
        case 'svg':
          return this.baked('svg', content.text, url);
        case 'text': {
          const kind = classifyText(content.text);
          if (kind.kind === 'html') {
            this.source.container = 'html';
            const link = depth < 2 ? alternateLink(content.text, result.url) : undefined;
            if (link && link !== url) return this.url(link, depth + 1);
            return this.notBadge('a web page without a badge link');
          }
          if (kind.kind === 'json' && !isVerifiableCredential(kind.doc)) {
            this.source.container = 'json';
            return this.ob2(url);
          }
          if (kind.kind === 'jws' && kind.family === 'ob2') {
            this.source.container = 'jws';
            return this.ob2(url);
          }
          return this.text(content.text, depth);
        }
      }
    }

    async execute(): Promise<VerificationReport> {
      const input = this.input;
      if (input.way === 'url') return this.url(input.url, 0);
      if (input.way === 'text') return this.text(input.text, 0);
      const content = sniffContent(input.bytes);
      switch (content.kind) {
        case 'refused':
          throw new VerificationInputError(content.reason, 'file', content.detail);
        case 'png':
          return this.baked('png', content.bytes, content.bytes);
        case 'svg':
          return this.baked('svg', content.text, content.text);
        case 'text':
          return this.text(content.text, 0);
      }
    }
  }

  /** What only the platform knows about its own revoked badges: when, and why. */
  async function addRevocation(report: VerificationOutcome['report']): Promise<void> {
    const badge = report.badge;
    if (!badge?.revoked || !badge.id || !own.isOwnUrl(badge.id) || !deps.ownBadges?.revocationOf) {
      return;
    }
    const found = await deps.ownBadges.revocationOf(badge.id);
    if (!found) return;
    const revokedAt = toIso(found.revokedAt);
    if (revokedAt) badge.revokedAt = revokedAt;
    if (!badge.revocationReason && found.reason) badge.revocationReason = found.reason;
    for (const step of report.steps) {
      if (step.id !== StepId.status || step.message !== 'verify.steps.status.revoked') continue;
      step.params = {
        ...step.params,
        ...(revokedAt ? { date: revokedAt } : {}),
        ...(badge.revocationReason ? { reason: badge.revocationReason } : {}),
      };
    }
  }

  async function verify(
    input: VerificationInput,
    options: VerifyOptions = {},
  ): Promise<VerificationOutcome> {
    const email = options.expectedEmail?.trim() || undefined;
    const key = cacheKey(input, email);
    const hit = cache.get(key);
    if (hit) return { ...hit, cached: true };
    const epoch = await deps.ownBadges?.changeEpoch?.();
    if (epoch !== undefined) {
      const own = ownCache.get(key);
      if (own && own.epoch === epoch && !pastExpiry(own.outcome.report, clock())) {
        // Revocation and dates are as live as a full run: checked now, so not "cached".
        return {
          ...own.outcome,
          report: { ...own.outcome.report, checkedAt: clock().toISOString() },
        };
      }
    }

    const started = Date.now();
    const run = new Run(input, clock(), email, epoch);
    let report: VerificationOutcome['report'];
    try {
      report = await run.execute();
    } catch (e) {
      if (e instanceof VerificationInputError) throw e;
      logger.error({ err: e }, 'verification failed unexpectedly');
      report = run.fail(VerificationMessage.unexpected, undefined, 'unexpected error');
    }
    report.verdict = verdictOf(report.steps);
    await addRevocation(report);
    const issuerId = report.badge?.issuer?.id;
    const isOwn = run.fetcher.usedOwn || (issuerId !== undefined && own.isOwnIssuerId(issuerId));
    const outcome: VerificationOutcome = { report, source: run.source, cached: false, own: isOwn };
    // Our records name the holder only of a badge that is ours and passed the checks: issued
    // by one of our issuers (so bound to its keys), not merely carrying one of our URLs as id.
    const badgeId = report.badge?.id;
    const ourIssuer = issuerId !== undefined && own.isOwnIssuerId(issuerId);
    if (ourIssuer && badgeId && own.isOwnUrl(badgeId) && report.verdict !== 'not_verified') {
      const holderName = await deps.ownBadges?.holderNameOf?.(badgeId);
      if (holderName) outcome.holderName = holderName;
    }
    if (!isOwn && !run.transient) cache.set(key, outcome);
    if (isOwn && epoch !== undefined && !run.transient && report.verdict !== 'not_verified') {
      ownCache.set(key, { outcome, epoch });
    }
    // Never the input or the email: what kind of badge, the verdict, and how long it took.
    logger.info(
      {
        verification: {
          way: input.way,
          container: run.source.container,
          format: report.badge?.format,
          verdict: report.verdict,
          own: isOwn,
          documents: run.fetcher.urls.length,
          ms: Date.now() - started,
        },
      },
      'badge verified',
    );
    return outcome;
  }

  return {
    verify,
    inspectUpload: sniffContent,
    get cacheSize() {
      return cache.size;
    },
    clearCache: () => {
      cache.clear();
      ownCache.clear();
      ownDocuments?.clear();
    },
    close: async () => {
      await safe?.close();
    },
  };
}

/** Reused results of our own badges are dropped after this, even if nothing changed. */
const OWN_RESULT_TTL_MS = 10 * 60 * 1000;

/** A badge that expired since its result was stored must be verified again ("Attention"). */
function pastExpiry(report: VerificationOutcome['report'], now: Date): boolean {
  const expires = report.badge?.expires;
  return expires !== undefined && new Date(expires).getTime() <= now.getTime();
}

type KeyStatusOf = NonNullable<OwnBadges['issuerKeyStatus']>;

function memoizeKeyStatus(status: KeyStatusOf): KeyStatusOf {
  const seen = new Map<string, ReturnType<KeyStatusOf>>();
  return (issuerId, keyId) => {
    const key = `${issuerId}\n${keyId}`;
    let pending = seen.get(key);
    if (!pending) seen.set(key, (pending = status(issuerId, keyId)));
    return pending;
  };
}
