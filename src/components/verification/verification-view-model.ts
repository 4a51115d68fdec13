import { formatDate } from '../../libraries/i18n/format-date.js';
import type { TFunction } from 'i18next';
import type { BadgeFormat, VerificationStep } from '../../core/index.js';
import type { VerificationOutcome, VerifiedBadge } from './verification.use-case.js';

/**
 * From a verification outcome to what people read: the verdict first, one plain sentence per
 * step, the badge, and the technical details. Used by the /verifier result page, by the API
 * (sentences in the request's language) and by the award page (the lead embeds the partial
 * `views/partials/verification-result.hbs` fed by `verificationViewModel`).
 */

export type StepStatus = 'ok' | 'warning' | 'error' | 'neutral';

export interface StepView {
  id: string;
  status: StepStatus;
  /** "Réussi", "À vérifier", "Échec", "Information" (for screen readers, next to the icon). */
  statusLabel: string;
  line: string;
}

export interface LinkView {
  text: string;
  href?: string;
}

export interface BadgeView {
  name?: string;
  description?: string;
  image?: string;
  criteria?: { narrative?: string; url?: string };
  alignments: { name: string; href?: string; framework?: string; description?: string }[];
  tags: string[];
  issuer?: { name: string; href?: string };
  issuedOn?: string;
  expires?: string;
  expired: boolean;
  revoked: boolean;
  revokedAt?: string;
  revocationReason?: string;
  evidence: { text: string; href?: string; narrative?: string }[];
  endorsements: { name: string; comment?: string; date?: string }[];
  /** "identifié par une adresse e-mail (masquée)" or undefined. */
  recipient?: string;
}

export interface VerificationResultView {
  verdict: VerificationOutcome['report']['verdict'];
  /** CSS modifier: ok | warn | bad. */
  tone: 'ok' | 'warn' | 'bad';
  verdictLabel: string;
  /** One sentence under the verdict. */
  lead: string;
  /** The lines that made the verdict (warnings or errors), first. */
  reasons: string[];
  /** « Name », délivré par Issuer le date. */
  summary?: string;
  checkedAt: string;
  /** "Vérifié le 3 mars 2027 à 14:05" (the time of the check, even from the cache). */
  checkedAtText: string;
  cached: boolean;
  steps: StepView[];
  badge?: BadgeView;
  technical: {
    format: string;
    source: string;
    id?: string;
    issuerId?: string;
    steps: { label: string; detail: string }[];
    document?: string;
  };
  /** "Délivré à Karim B.": the holder's name, as they chose to show it. */
  holder?: string;
  /** A GET URL that shows this result again, live (URL inputs only). */
  shareUrl?: string;
  /** The URL to check again with an email (URL inputs without an email check). */
  recipientCheckUrl?: string;
  embedded: boolean;
  /** False when the only step is the one reason already given under the verdict. */
  showChecks: boolean;
}

export interface ViewModelOptions {
  t: TFunction;
  lang: string;
  /** PUBLIC_URL, for the share link. */
  publicUrl: string;
  /** Shown inside a page that has its own h1 (an award page): the verdict is an h2. */
  embedded?: boolean;
  /**
   * The holder's name from this platform's records, when they chose to show it (our own
   * award pages, OB 2.0 included). Wins over the name a credential carries.
   */
  holderName?: string | undefined;
}

const REASON_ORDER = [
  'status',
  'signature',
  'validity',
  'recipient',
  'issuer',
  'format',
  'schema',
  'endorsements',
];
const DATE_PARAMS = new Set(['date', 'issuedOn', 'expires', 'from', 'until', 'revokedAt']);
const MAX_DOCUMENT_CHARS = 6000;
const MAX_DATA_IMAGE_CHARS = 200_000;
const SAFE_DATA_IMAGE = /^data:image\/(png|svg\+xml|jpeg|gif|webp)[;,]/i;

/** "3 mars 2027" (French "1er" for the first of the month), or the text as given. */
export function longDate(value: string | undefined, lang: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return formatDate(date, lang);
}

function shortTime(value: string, lang: string): string {
  return formatDate(new Date(value), lang, 'time');
}

/** Only http(s) links go into pages: a stranger's badge may hold javascript: URLs. */
export function safeHref(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function safeImage(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (SAFE_DATA_IMAGE.test(value)) return value.length <= MAX_DATA_IMAGE_CHARS ? value : undefined;
  return safeHref(value);
}

function plainReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string') return undefined;
  const text = reason.trim().replace(/[.\s]+$/, '');
  return text === '' ? undefined : text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function contextOf(
  step: VerificationStep,
  params: Record<string, unknown>,
  outcome: VerificationOutcome,
): string | undefined {
  switch (step.message) {
    case 'verify.steps.format.ob2_hosted':
    case 'verify.steps.format.ob2_signed':
      return params.container === 'png' || params.container === 'svg'
        ? String(params.container)
        : undefined;
    case 'verify.steps.format.recognised':
    case 'verify.steps.format.outdated_context':
      return outcome.source.container === 'png' || outcome.source.container === 'svg'
        ? outcome.source.container
        : undefined;
    case 'verify.steps.status.revoked':
      return params.date && params.reason
        ? 'date_reason'
        : params.date
          ? 'date'
          : params.reason
            ? 'reason'
            : undefined;
    case 'verify.steps.validity.valid':
      return params.expires ? 'until' : undefined;
    case 'verify.fetch.http_status':
      return params.status === 404 || params.status === 410 ? String(params.status) : undefined;
    default:
      return undefined;
  }
}

/** One plain sentence for a step, in the language of `t`. */
/**
 * Lines already written for a step object, by language and container: a reused result (our own
 * badges verified again) keeps its step objects, and translating them again is most of its cost.
 * Steps are never changed once a verification has returned.
 */
const writtenLines = new WeakMap<VerificationStep, Map<string, string>>();

export function stepLine(
  step: VerificationStep,
  outcome: VerificationOutcome,
  options: Pick<ViewModelOptions, 't' | 'lang'>,
): string {
  const memoKey = `${options.lang}\0${outcome.source.container ?? ''}`;
  let lines = writtenLines.get(step);
  const written = lines?.get(memoKey);
  if (written !== undefined) return written;
  const line = writeStepLine(step, outcome, options);
  if (!lines) writtenLines.set(step, (lines = new Map()));
  lines.set(memoKey, line);
  return line;
}

function writeStepLine(
  step: VerificationStep,
  outcome: VerificationOutcome,
  { t, lang }: Pick<ViewModelOptions, 't' | 'lang'>,
): string {
  const raw: Record<string, unknown> = { ...step.params };
  // OB 3.0 says validFrom/validUntil where OB 2.0 says issuedOn/expires: one sentence for both.
  if (step.message === 'verify.steps.validity.valid') {
    raw.issuedOn ??= raw.from;
    raw.expires ??= raw.until;
  }
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    params[k] = DATE_PARAMS.has(k) && typeof v === 'string' ? longDate(v, lang) : v;
  }
  if (typeof params.reason === 'string' || params.reason !== undefined) {
    const reason = plainReason(params.reason);
    if (reason) params.reason = reason;
    else delete params.reason;
  }
  if (typeof params.document === 'string') {
    // French needs the contracted article ("du badge", "de la clé"): a phrase per document.
    params.documentOf = t(`verify.documentsOf.${params.document}`, {
      defaultValue: t('verify.documentsOf.other'),
    });
    params.document = t(`verify.documents.${params.document}`, {
      defaultValue: t('verify.documents.other'),
    });
  }
  if (typeof params.name === 'string' && params.name.trim() === '') {
    params.name = t('verify.result.unnamedIssuer');
  }
  const context = contextOf(step, params, outcome);
  return String(
    t(step.message, {
      ...params,
      ...(context ? { context } : {}),
      defaultValue: t('verify.steps.fallback'),
    }),
  );
}

function statusOf(step: VerificationStep): StepStatus {
  if (step.level === 'error') return 'error';
  if (step.level === 'warning') return 'warning';
  return step.message === 'verify.steps.recipient.not_checked' ? 'neutral' : 'ok';
}

function formatLabel(format: BadgeFormat | undefined, t: TFunction): string {
  return String(t(`verify.technical.formats.${format ?? 'unknown'}`));
}

/**
 * The holder's name to show: from our records, or from a credential whose signature checked out
 * (a forged or altered document must not put a name on the page).
 */
function holderNameOf(outcome: VerificationOutcome, options: ViewModelOptions): string | undefined {
  const fromRecords = (options.holderName ?? outcome.holderName)?.trim();
  if (fromRecords) return fromRecords;
  const named = outcome.report.badge?.recipient?.name?.trim();
  if (!named) return undefined;
  // A valid signature by the attacker's own key is not enough: only a badge that passes every
  // check (issuer binding included) has the name it carries shown.
  const signed = outcome.report.steps.some((s) => s.id === 'signature' && s.ok);
  return signed && outcome.report.verdict === 'verified' ? named : undefined;
}

function badgeView(
  badge: VerifiedBadge | undefined,
  options: ViewModelOptions,
  now: string,
  holderName?: string,
): BadgeView | undefined {
  if (!badge || (!badge.name && !badge.issuer?.name && !badge.description)) return undefined;
  const { t, lang } = options;
  const issuerName = badge.issuer?.name ?? badge.issuer?.id;
  const expiresMs = badge.expires ? Date.parse(badge.expires) : NaN;
  return {
    ...(badge.name ? { name: badge.name } : {}),
    ...(badge.description ? { description: badge.description } : {}),
    ...(safeImage(badge.image) ? { image: safeImage(badge.image) } : {}),
    ...(badge.criteria && (badge.criteria.narrative || safeHref(badge.criteria.url))
      ? {
          criteria: {
            ...(badge.criteria.narrative ? { narrative: badge.criteria.narrative } : {}),
            ...(safeHref(badge.criteria.url) ? { url: safeHref(badge.criteria.url) } : {}),
          },
        }
      : {}),
    alignments: (badge.alignments ?? []).map((a) => ({
      name: a.targetName,
      ...(safeHref(a.targetUrl) ? { href: safeHref(a.targetUrl) } : {}),
      ...(a.targetFramework || a.targetCode
        ? { framework: [a.targetFramework, a.targetCode].filter(Boolean).join(' ') }
        : {}),
      ...(a.targetDescription ? { description: a.targetDescription } : {}),
    })),
    tags: badge.tags ?? [],
    ...(issuerName
      ? {
          issuer: {
            name: issuerName,
            ...(safeHref(badge.issuer?.url) ? { href: safeHref(badge.issuer?.url) } : {}),
          },
        }
      : {}),
    ...(badge.issuedOn ? { issuedOn: longDate(badge.issuedOn, lang) } : {}),
    ...(badge.expires ? { expires: longDate(badge.expires, lang) } : {}),
    expired: !Number.isNaN(expiresMs) && expiresMs < Date.parse(now),
    revoked: badge.revoked === true,
    ...(badge.revokedAt ? { revokedAt: longDate(badge.revokedAt, lang) } : {}),
    ...(plainReason(badge.revocationReason)
      ? { revocationReason: plainReason(badge.revocationReason) }
      : {}),
    evidence: (badge.evidence ?? []).map((e) => {
      const href = safeHref(e.url);
      return {
        text: e.name ?? (href ? href : String(t('verify.badge.evidenceItem'))),
        ...(href ? { href } : {}),
        ...(e.narrative && e.narrative !== e.name ? { narrative: e.narrative } : {}),
      };
    }),
    endorsements: (badge.endorsements ?? []).map((e) => ({
      name: e.issuerName ?? e.issuerId ?? String(t('verify.result.unnamedIssuer')),
      ...(e.comment
        ? { comment: String(t('verify.badge.endorsementComment', { comment: e.comment })) }
        : {}),
      ...(e.issuedOn ? { date: longDate(e.issuedOn, lang) } : {}),
    })),
    ...(holderName
      ? { recipient: holderName }
      : badge.recipient
        ? {
            recipient: String(
              t(
                badge.recipient.hashed
                  ? 'verify.badge.recipientHashed'
                  : badge.recipient.type === 'id'
                    ? 'verify.badge.recipientId'
                    : 'verify.badge.recipientPlain',
              ),
            ),
          }
        : {}),
  };
}

function documentText(document: unknown): string | undefined {
  if (document === undefined) return undefined;
  const text = JSON.stringify(document, null, 2);
  return text.length > MAX_DOCUMENT_CHARS ? `${text.slice(0, MAX_DOCUMENT_CHARS)}\n…` : text;
}

export function verificationViewModel(
  outcome: VerificationOutcome,
  options: ViewModelOptions,
): VerificationResultView {
  const { t, lang } = options;
  const { report, source } = outcome;
  const steps: StepView[] = report.steps.map((step) => {
    const status = statusOf(step);
    return {
      id: step.id,
      status,
      statusLabel: String(t(`verify.status.${status}`)),
      line: stepLine(step, outcome, options),
    };
  });
  const wanted = report.verdict === 'not_verified' ? 'error' : 'warning';
  // What matters most to an employer first: revoked, forged, expired, not the person's.
  const reasons = [
    ...new Set(
      report.verdict === 'verified'
        ? []
        : steps
            .filter((s) => s.status === wanted)
            .sort((a, b) => REASON_ORDER.indexOf(a.id) - REASON_ORDER.indexOf(b.id))
            .map((s) => s.line),
    ),
  ];
  const holderName = holderNameOf(outcome, options);
  const badge = badgeView(report.badge, options, report.checkedAt, holderName);
  const tone = report.verdict === 'verified' ? 'ok' : report.verdict === 'warning' ? 'warn' : 'bad';
  const lead =
    report.verdict === 'verified'
      ? t('verify.result.lead.verified')
      : report.verdict === 'warning'
        ? t('verify.result.lead.warning', { count: reasons.length })
        : badge?.name
          ? t('verify.result.lead.notVerified')
          : t('verify.result.lead.unreadable');
  let summary: string | undefined;
  if (badge?.name) {
    const key = badge.issuer
      ? badge.issuedOn
        ? 'verify.result.summary.full'
        : 'verify.result.summary.issuer'
      : 'verify.result.summary.name';
    summary = String(
      t(key, { name: badge.name, issuer: badge.issuer?.name, date: badge.issuedOn }),
    );
  }
  const url = source.way === 'url' ? source.url : undefined;
  const shareUrl = url ? `${options.publicUrl}/verifier?url=${encodeURIComponent(url)}` : undefined;
  const recipientChecked = report.steps.some(
    (s) => s.id === 'recipient' && s.message !== 'verify.steps.recipient.not_checked',
  );
  return {
    verdict: report.verdict,
    tone,
    verdictLabel: String(t(`verify.verdict.${report.verdict}`)),
    lead: String(lead),
    reasons,
    ...(summary ? { summary } : {}),
    checkedAt: report.checkedAt,
    checkedAtText: String(
      t('verify.result.checkedAt', {
        date: longDate(report.checkedAt, lang),
        time: shortTime(report.checkedAt, lang),
      }),
    ),
    cached: outcome.cached,
    steps,
    ...(badge ? { badge } : {}),
    technical: {
      format: formatLabel(report.badge?.format, t),
      source: String(t(`verify.technical.sources.${source.way}_${source.container}`)),
      ...(report.badge?.id ? { id: report.badge.id } : {}),
      ...(report.badge?.issuer?.id ? { issuerId: report.badge.issuer.id } : {}),
      steps: report.steps
        .filter((s) => s.detail)
        .map((s) => ({ label: `${s.id} · ${s.message}`, detail: s.detail! })),
      ...(documentText(report.document) ? { document: documentText(report.document) } : {}),
    },
    ...(holderName ? { holder: String(t('verify.result.holder', { name: holderName })) } : {}),
    ...(shareUrl ? { shareUrl } : {}),
    ...(url && !recipientChecked && report.badge?.recipient ? { recipientCheckUrl: url } : {}),
    embedded: options.embedded === true,
    showChecks: !(steps.length === 1 && reasons.length === 1),
  };
}

/** The API's answer: the report with sentences in the request's language. */
export function verificationApiResult(
  outcome: VerificationOutcome,
  options: Pick<ViewModelOptions, 't' | 'lang'>,
) {
  const { report, source } = outcome;
  return {
    verdict: report.verdict,
    steps: report.steps.map((step) => ({
      id: step.id,
      ok: step.ok,
      level: step.level,
      message: stepLine(step, outcome, options),
      key: step.message,
      ...(step.params ? { params: step.params } : {}),
    })),
    badge: report.badge ?? { format: 'unknown' },
    checkedAt: report.checkedAt,
    cached: outcome.cached,
    language: options.lang,
    source: { way: source.way, container: source.container },
  };
}
