/**
 * The verification report (after DCC verifier-core): a badge that fails verification is a
 * result, not an exception. Messages are i18n keys (`verify.steps.<id>.<outcome>`) rendered in
 * plain French by the web layer, with `params` for interpolation.
 */
export type Verdict = 'verified' | 'warning' | 'not_verified';

/** Step ids are constants so pages, API and tests agree on them. */
export const StepId = {
  format: 'format',
  signature: 'signature',
  issuer: 'issuer',
  status: 'status',
  validity: 'validity',
  recipient: 'recipient',
  schema: 'schema',
  endorsements: 'endorsements',
} as const;
export type StepId = (typeof StepId)[keyof typeof StepId];

/**
 * error: the badge must not be trusted (bad signature, revoked, tampered, unreadable).
 * warning: valid signature but something to note (expired, issuer unknown to this platform,
 * a check that could not be completed). info: a passed check.
 */
export type StepLevel = 'info' | 'warning' | 'error';

export interface VerificationStep {
  id: StepId;
  ok: boolean;
  level: StepLevel;
  /** i18n key of the plain-language line. */
  message: string;
  params?: Record<string, string | number | boolean>;
  /** Technical detail for the "Détails techniques" section (English, may name JWS, hashes…). */
  detail?: string;
}

export type BadgeFormat =
  'ob2-hosted' | 'ob2-signed' | 'ob3-jwt' | 'ob3-data-integrity' | 'ob3-unsigned' | 'unknown';

/** What a verifier could read of the badge, whatever the verdict (for display). */
export interface BadgeSummary {
  format: BadgeFormat;
  /** When the verified document is not an awarded badge (an OB 2.0 BadgeClass, Issuer…). */
  objectType?: string;
  /** Assertion or credential id (URL or URN). */
  id?: string;
  name?: string;
  description?: string;
  image?: string;
  criteria?: { narrative?: string; url?: string };
  alignments?: {
    targetName: string;
    targetUrl?: string;
    targetDescription?: string;
    targetFramework?: string;
    targetCode?: string;
  }[];
  tags?: string[];
  issuer?: { id?: string; name?: string; url?: string; email?: string };
  issuedOn?: string;
  expires?: string;
  revoked?: boolean;
  revocationReason?: string;
  evidence?: { url?: string; narrative?: string; name?: string }[];
  endorsements?: { issuerName?: string; issuerId?: string; comment?: string; issuedOn?: string }[];
  /**
   * `name`: the holder's name when the credential carries it unhashed (an OB 3.0
   * IdentityObject of identityType "name", beside the hashed email), as the holder chose.
   */
  recipient?: { hashed: boolean; type?: string; name?: string };
}

export interface VerificationReport {
  verdict: Verdict;
  steps: VerificationStep[];
  badge?: BadgeSummary;
  /** The document that was verified (assertion or credential JSON), for technical details. */
  document?: unknown;
  checkedAt: string;
  /**
   * Ids of the checks not run because an earlier one found the badge unusable (unreadable, not
   * a badge): absent when every check ran. Not a step, so the page and the API do not list it.
   */
  skipped?: string[];
}

/** The verdict that follows from the steps: any error → not_verified; any warning → warning. */
export function verdictOf(steps: readonly VerificationStep[]): Verdict {
  if (steps.length === 0 || steps.some((s) => s.level === 'error')) return 'not_verified';
  if (steps.some((s) => s.level === 'warning')) return 'warning';
  return 'verified';
}
