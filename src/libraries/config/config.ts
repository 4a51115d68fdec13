import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  AA_NORMAL_TEXT,
  contrastRatio,
  formatRatio,
  mix,
  parseHexColor,
} from '../brand/contrast.js';
import { projectRoot, publicDir } from '../paths.js';

/**
 * The one typed configuration of the app. Only this module reads the environment; everything
 * else receives the frozen `Config` object. Every key has a default where a default is safe.
 */

const port = z.coerce
  .number({ message: 'expected a port number between 0 and 65535' })
  .int({ message: 'expected a port number between 0 and 65535' })
  .min(0, { message: 'expected a port number between 0 and 65535' })
  .max(65535, { message: 'expected a port number between 0 and 65535' });

const httpUrl = z
  .string()
  .url({ message: 'expected an absolute http(s) URL such as https://badges.example.org' })
  .refine((v) => /^https?:\/\//.test(v), { message: 'expected an http:// or https:// URL' })
  .transform((v) => v.replace(/\/+$/, ''));

const hostPortList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.every((hp) => /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(hp)), {
    message: 'expected a comma-separated list of host:port pairs',
  });

const hexColor = z
  .string()
  .trim()
  .refine((v) => parseHexColor(v) !== undefined, {
    message: 'expected a colour as #rrggbb (or #rgb), such as #1f4e8c',
  })
  // Always #rrggbb, lower case: messages and the stylesheet show one spelling.
  .transform((v) => {
    const rgb = parseHexColor(v)!;
    return mix(rgb, rgb, 0);
  });

/** "Label|https://…" pairs separated by ";" or new lines (a URL may hold commas). */
const footerLinks = z
  .string()
  .transform((v) =>
    v
      .split(/[;\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const [label = '', url = ''] = pair.split('|').map((s) => s.trim());
        return { label, url };
      }),
  )
  .refine((links) => links.every((l) => l.label && /^https?:\/\/[^\s|]+$/.test(l.url)), {
    message: 'expected "Label|https://…" pairs separated by ";"',
  })
  .refine((links) => links.length <= 6, { message: 'expected at most 6 links' });

/** Footer background (--soft in site.css): links must read on it as on white. */
export const FOOTER_BACKGROUND = '#f3f4f7';

export const configSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'], {
        message: 'expected development, production or test',
      })
      .default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    PUBLIC_URL: httpUrl.optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, { message: 'expected a mongodb:// or mongodb+srv:// URI' })
      .optional(),
    FERRETDB_BIN: z.string().min(1).optional(),
    FERRETDB_CACHE_DIR: z.string().min(1).default('./.cache/ferretdb'),
    DB_CONNECT_ATTEMPTS: z.coerce
      .number({ message: 'expected a whole number of attempts' })
      .int()
      .min(1)
      .default(20),
    DB_CONNECT_INTERVAL_MS: z.coerce
      .number({ message: 'expected a number of milliseconds' })
      .int()
      .min(0)
      .default(2000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    TRUST_PROXY: z
      .string()
      .default('false')
      .refine((v) => /^(true|false|\d+|[\w.:/, -]+)$/.test(v), {
        message: 'expected false, true, a hop count or a list of addresses',
      }),
    VERIFY_ALLOW_HOSTS: hostPortList.default([]),
    MASTER_KEY: z
      .string()
      .refine(
        (v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32,
        {
          message:
            'expected 32 random bytes in base64 (openssl rand -base64 32) or hex (openssl rand -hex 32)',
        },
      )
      .optional(),
    MASTER_KEY_FILE: z.string().min(1).optional(),
    /** Threads signing awards; empty: one per core (os.availableParallelism()); 0: none. */
    SIGNING_THREADS: z.coerce
      .number({ message: 'expected a whole number of threads (0: sign in the main thread)' })
      .int({ message: 'expected a whole number of threads (0: sign in the main thread)' })
      .min(0, { message: 'expected a whole number of threads (0: sign in the main thread)' })
      .max(64, { message: 'expected at most 64 threads' })
      .optional(),
    /**
     * Heap of each signing thread (MiB). A thread keeps about 30 MiB alive (contexts, badge
     * templates, keys); without a bound, the two threads took 90–160 MiB more at the peak.
     */
    SIGNING_THREAD_HEAP_MB: z.coerce
      .number({ message: 'expected a whole number of MiB (at least 48)' })
      .int({ message: 'expected a whole number of MiB (at least 48)' })
      .min(48, { message: 'expected a whole number of MiB (at least 48)' })
      .max(4096, { message: 'expected at most 4096 MiB' })
      .default(64),

    // Sessions and sign-in
    /** Signs session cookies and derives the CSRF key. A comma-separated list rotates keys (first signs). */
    SESSION_SECRET: z.string().optional(),
    SESSION_IDLE_DAYS: positiveNumber('a number of days').default(14),
    SESSION_MAX_DAYS: positiveNumber('a number of days').default(30),
    SESSION_CLEANUP_MINUTES: positiveNumber('a number of minutes').default(15),
    /** Wrong passwords in LOCKOUT_WINDOW_MINUTES before an account is locked. */
    LOCKOUT_THRESHOLD: positiveInt('a whole number of attempts').default(10),
    LOCKOUT_WINDOW_MINUTES: positiveNumber('a number of minutes').default(1440),
    /** First lock; each further series of LOCKOUT_THRESHOLD failures doubles it (max 24 h). */
    LOCKOUT_MINUTES: positiveNumber('a number of minutes').default(15),
    RATE_LIMIT_WINDOW_MINUTES: positiveNumber('a number of minutes').default(15),
    RATE_LIMIT_SIGN_IN_PER_IP: positiveInt('a whole number of requests').default(50),
    RATE_LIMIT_SIGN_IN_PER_EMAIL: positiveInt('a whole number of requests').default(20),
    RATE_LIMIT_RESET_PER_IP: positiveInt('a whole number of requests').default(10),
    RATE_LIMIT_RESET_PER_EMAIL: positiveInt('a whole number of requests').default(3),
    RATE_LIMIT_TOKEN_PER_IP: positiveInt('a whole number of requests').default(30),
    RATE_LIMIT_INVITE_PER_USER: positiveInt('a whole number of requests').default(30),
    /** Multipart form submissions (files) per person (or address) and window, every upload route. */
    RATE_LIMIT_UPLOAD_PER_USER: positiveInt('a whole number of requests').default(60),
    INVITATION_DAYS: positiveNumber('a number of days').default(7),
    RESET_TOKEN_HOURS: positiveNumber('a number of hours').default(2),
    EMAIL_CHANGE_HOURS: positiveNumber('a number of hours').default(24),
    SET_PASSWORD_HOURS: positiveNumber('a number of hours').default(72),
    /** A public profile address given up stays reserved to its owner this long (no reuse). */
    PROFILE_SLUG_RESERVE_DAYS: positiveNumber('a number of days').default(90),
    /** Bearer token of GET /metrics (Prometheus); unset: the route answers 404. */
    METRICS_TOKEN: z.string().min(16, { message: 'expected at least 16 characters' }).optional(),
    /** argon2id cost (OWASP minimum by default: 19 MiB, 2 passes, 1 lane). */
    ARGON2_MEMORY_KIB: positiveInt('a number of KiB').min(8192).default(19456),
    ARGON2_TIME_COST: positiveInt('a number of passes').default(2),
    ARGON2_PARALLELISM: positiveInt('a number of lanes').default(1),
    /**
     * Password hashes computed at once. Each holds one of libuv's threads (4 unless
     * UV_THREADPOOL_SIZE says otherwise) for tens of milliseconds; the others stay free for
     * files and compression, so a wave of sign-ins does not stall every page.
     */
    ARGON2_CONCURRENCY: positiveInt('a number of hashes').default(2),

    // Mail
    /** smtp:// or smtps:// URL with credentials; unset: messages go to $DATA_DIR/outbox/. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, { message: 'expected an smtp:// or smtps:// URL' })
      .optional(),
    MAIL_FROM: z.string().min(3).default('Coop Badges <ne-pas-repondre@localhost>'),

    // Public verification (page /verifier and API /api/v1/verify)
    /** How long a result for another platform's badge is reused (0: never). Ours: never cached. */
    VERIFY_CACHE_SECONDS: z.coerce
      .number({ message: 'expected a number of seconds' })
      .int({ message: 'expected a whole number of seconds' })
      .min(0, { message: 'expected a number of seconds (0 turns the cache off)' })
      .default(300),
    /** Results kept at most in that cache (the oldest go first). */
    VERIFY_CACHE_ENTRIES: positiveInt('a whole number of results').default(1000),
    /** Largest badge image (PNG or SVG) accepted by upload, in megabytes. */
    VERIFY_MAX_UPLOAD_MB: positiveNumber('a number of megabytes')
      .max(50, {
        message: 'expected at most 50 megabytes',
      })
      .default(5),
    /** Verifications per client address and RATE_LIMIT_VERIFY_WINDOW_MINUTES (page and API together). */
    RATE_LIMIT_VERIFY_PER_IP: positiveInt('a whole number of requests').default(30),
    RATE_LIMIT_VERIFY_WINDOW_MINUTES: positiveNumber('a number of minutes').default(1),
    /** PNG previews of badge templates per client address and minute. */
    RATE_LIMIT_PREVIEW_PER_IP: positiveInt('a whole number of requests').default(30),

    // Legal notice and privacy page (/mentions-legales, /confidentialite): who runs this
    // installation. The defaults are placeholders for the city of Roubaix: set them.
    OPERATOR_NAME: z.string().min(1).default('Ville de Roubaix'),
    OPERATOR_ADDRESS: z.string().min(1).default("Hôtel de ville, 17 Grand'Place, 59100 Roubaix"),
    /** Where people write about their personal data (a DPO or a service mailbox). */
    OPERATOR_EMAIL: z
      .string()
      .email({ message: 'expected an email address' })
      .default('donnees-personnelles@example.org'),
    OPERATOR_DIRECTOR: z.string().min(1).default('Le maire de Roubaix (à préciser)'),
    OPERATOR_HOST: z
      .string()
      .min(1)
      .default("Hébergeur à préciser : nom, adresse et téléphone de l'hébergeur"),

    // Branding: what the installation looks like (defaults neutral; see README "Branding").
    /** The name in the header and page titles, e.g. "Badges numériques de Roubaix". */
    BRAND_NAME: z.string().trim().min(1).max(80).default('Coop Badges'),
    /** A logo file under public/ (served as /static/<file>), e.g. brand/logo.svg, beside the name. */
    BRAND_LOGO_FILE: z
      .string()
      .trim()
      .regex(/^[\w-][\w.-]*(\/[\w-][\w.-]*)*\.(svg|png|webp)$/i, {
        message: 'expected a .svg, .png or .webp file under public/, such as brand/logo.svg',
      })
      .optional(),
    /** Header and button background. */
    BRAND_PRIMARY_COLOR: hexColor.default('#1f4e8c'),
    /** Text on the primary colour (header links, buttons). */
    BRAND_ON_PRIMARY_COLOR: hexColor.default('#ffffff'),
    /** Links and link-like text on white and on the light grey footer. */
    BRAND_LINK_COLOR: hexColor.default('#1f4e8c'),
    /** Extra footer links: "Label|https://…;Label|https://…" (at most 6). */
    BRAND_FOOTER_LINKS: footerLinks.default([]),

    // Retention (enforced by the periodic clean-up, shown on /confidentialite)
    /** Used or expired one-time links (invitations not accepted, resets, confirmations). */
    RETENTION_LINK_DAYS: positiveInt('a whole number of days').default(30),
    /** Evidence files of refused badge requests, after the refusal. */
    RETENTION_REFUSED_EVIDENCE_DAYS: positiveInt('a whole number of days').default(90),
    /** Pseudonymous audit entries of a deleted account, after the deletion. */
    RETENTION_DELETED_AUDIT_MONTHS: positiveInt('a whole number of months').default(12),
    /** Validity of the confirmation link of an account deletion. */
    ACCOUNT_DELETION_HOURS: positiveNumber('a number of hours').default(24),
  })
  .superRefine((c, ctx) => {
    for (const problem of brandContrastProblems(c)) {
      ctx.addIssue({
        code: 'custom',
        path: [problem.variable],
        params: { sentence: true },
        message: problem.message,
      });
    }
    if (c.BRAND_LOGO_FILE && !fs.existsSync(path.join(publicDir, c.BRAND_LOGO_FILE))) {
      ctx.addIssue({
        code: 'custom',
        path: ['BRAND_LOGO_FILE'],
        params: { sentence: true },
        message: `names a file that does not exist: ${path.join(publicDir, c.BRAND_LOGO_FILE)}`,
      });
    }
    if (c.NODE_ENV === 'production' && !c.MASTER_KEY && !c.MASTER_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['MASTER_KEY'],
        params: { sentence: true },
        message:
          "is required in production: it encrypts the issuers' signing keys (MASTER_KEY=$(openssl rand -base64 32), or MASTER_KEY_FILE=path); keep a copy",
      });
    }
    if (c.NODE_ENV === 'production' && c.VERIFY_ALLOW_HOSTS.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['VERIFY_ALLOW_HOSTS'],
        params: { sentence: true },
        message: 'must be empty in production (it exists only for tests on loopback)',
      });
    }
    if (c.NODE_ENV === 'production') {
      const secrets = splitSecrets(c.SESSION_SECRET);
      if (secrets.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          params: { sentence: true },
          message:
            'is required in production: set it to a long random value, for example the output of `openssl rand -base64 48`',
        });
      } else if (secrets.some((s) => s.length < 32)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SESSION_SECRET'],
          params: { sentence: true },
          message: 'must be at least 32 characters long (try `openssl rand -base64 48`)',
        });
      }
    }
  });

/**
 * Every text/background pair of the brand palette below WCAG 2.1 AA (4.5:1): the start is
 * refused rather than a city shipping pages some of its people cannot read.
 */
export function brandContrastProblems(c: {
  BRAND_PRIMARY_COLOR: string;
  BRAND_ON_PRIMARY_COLOR: string;
  BRAND_LINK_COLOR: string;
}): { variable: string; message: string }[] {
  const pairs = [
    {
      variable: 'BRAND_ON_PRIMARY_COLOR',
      text: c.BRAND_ON_PRIMARY_COLOR,
      background: c.BRAND_PRIMARY_COLOR,
      on: 'BRAND_PRIMARY_COLOR',
      where: 'header and button text',
    },
    {
      variable: 'BRAND_LINK_COLOR',
      text: c.BRAND_LINK_COLOR,
      background: '#ffffff',
      on: 'white',
      where: 'links on the page',
    },
    {
      variable: 'BRAND_LINK_COLOR',
      text: c.BRAND_LINK_COLOR,
      background: FOOTER_BACKGROUND,
      on: 'the footer grey',
      where: 'footer links',
    },
  ];
  return pairs.flatMap((p) => {
    const text = parseHexColor(p.text);
    const background = parseHexColor(p.background);
    if (!text || !background) return [];
    const ratio = contrastRatio(text, background);
    if (ratio >= AA_NORMAL_TEXT) return [];
    return [
      {
        variable: p.variable,
        message: `${p.text} on ${p.on} (${p.background}) has a contrast of ${formatRatio(ratio)}, below the ${AA_NORMAL_TEXT}:1 WCAG 2.1 AA requires for ${p.where}: choose a ${p.variable === 'BRAND_LINK_COLOR' ? 'darker link colour' : 'text colour further from the primary colour'}`,
      },
    ];
  });
}

function positiveNumber(what: string) {
  return z.coerce.number({ message: `expected ${what}` }).positive({ message: `expected ${what}` });
}

function positiveInt(what: string) {
  return z.coerce
    .number({ message: `expected ${what}` })
    .int({ message: `expected ${what}` })
    .positive({ message: `expected ${what}` });
}

/** SESSION_SECRET may list several secrets separated by commas (the first signs, all verify). */
export function splitSecrets(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

type Raw = z.infer<typeof configSchema>;

export interface Config extends Omit<Raw, 'PUBLIC_URL' | 'TRUST_PROXY'> {
  PUBLIC_URL: string;
  TRUST_PROXY: boolean | number | string;
  /** DATA_DIR resolved against the project root. */
  dataDir: string;
  ferretdbCacheDir: string;
  isProduction: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`Invalid configuration: ${variable} ${expected}`);
    this.name = 'ConfigError';
  }
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Validates an environment (process.env by default) into a frozen Config, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set" so that `.env` files with blank lines keep defaults.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in configSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'configuration');
    const got = cleaned[variable];
    // Cross-field rules (custom issues) read as a sentence; type errors say what was expected.
    const shown = got !== undefined && !/KEY|SECRET|TOKEN/.test(variable) ? ` (got "${got}")` : '';
    throw new ConfigError(
      variable,
      issue.code === 'custom' && (issue as { params?: { sentence?: boolean } }).params?.sentence
        ? issue.message
        : `is invalid: ${issue.message}${shown}`,
    );
  }
  const raw = parsed.data;
  const config: Config = {
    ...raw,
    PUBLIC_URL: raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`,
    TRUST_PROXY: parseTrustProxy(raw.TRUST_PROXY),
    dataDir: path.resolve(projectRoot, raw.DATA_DIR),
    ferretdbCacheDir: path.resolve(projectRoot, raw.FERRETDB_CACHE_DIR),
    isProduction: raw.NODE_ENV === 'production',
  };
  return Object.freeze(config);
}
