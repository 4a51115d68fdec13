import type { CheckContext } from '../engine.js';
import type { Fetcher } from '../fetcher.js';
import type { BadgeFormat, BadgeSummary, StepId, StepLevel, VerificationStep } from '../report.js';
import { StepId as Step } from '../report.js';
import type { DecodedOb2Input, Ob2Input } from './decode-ob2-input.js';
import type { Ob2Class } from './ob2-class-rules.js';
import { Ob2DocumentsFetcher } from './ob2-documents-fetcher.js';
import { Ob2KeyCache } from './ob2-key-cache.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { isOb2ContextUrl, isValidType, scopeOf, type TermScope } from './ob2-term-scope.js';
import { isObject, listOf } from './ob2-values.js';
import { documentName, validateOb2Node, type Ob2Problem } from './validate-ob2-node.js';

export interface Ob2VerificationPolicy {
  /**
   * An expired badge: 'warning' (the product shows "Attention", default) or 'error'
   * (1EdTech's expected verdicts treat it as invalid).
   */
  expired: 'warning' | 'error';
}

export interface VerifyOb2Options {
  fetch: Fetcher;
  now: Date;
  /** When given, the recipient identity is checked against this email. */
  expectedEmail?: string;
  policy?: Partial<Ob2VerificationPolicy>;
  /** When given and false for the badge's issuer: a warning "issuer not known to this platform". */
  isKnownIssuer?: (issuerId: string) => boolean | Promise<boolean>;
  /**
   * The status of `keyId` when it is a stored key of `issuerId`, one of this platform's issuers
   * (undefined otherwise). This platform's key registry is the issuer's own source of keys: a
   * retired key still speaks for it (its OB 2.0 profile can name only one key, see
   * docs/verification.md); a compromised one never does.
   */
  issuerKeyStatus?: (
    issuerId: string,
    keyId: string,
  ) => Promise<'active' | 'retired' | 'compromised' | undefined>;
  /**
   * Also accept OB 2.0 documents that are not awarded badges (BadgeClass, Issuer, …) and report
   * whether they are well formed, as the reference validator does. Off by default: a page that
   * verifies badges must not call an issuer profile "verified".
   */
  allowNonAssertion?: boolean;
  /** Imported public keys, shared across verifications (see createOb2Verifier). */
  keyCache?: Ob2KeyCache;
}

export type Json = Record<string, unknown>;

export interface Ob2Issuer {
  node: Json;
  /** Fetched from the URL equal to its own id: only then may its id be trusted. */
  authoritative: boolean;
}

/**
 * What the input turned out to be (check-input): a hosted or signed assertion, a SignedBadge
 * given without its JWS, a hosted assertion answering 410 Gone that no longer describes itself
 * as one, or another OB 2.0 document.
 */
export type Ob2Path = 'hosted' | 'signed' | 'signed-without-jws' | 'gone' | 'document';

/** The state the OB 2.0 checks share, and the helpers that record their findings. */
export class Ob2Context implements CheckContext {
  readonly steps: VerificationStep[] = [];
  readonly docs: Ob2DocumentsFetcher;
  readonly keyCache: Ob2KeyCache;
  readonly expiredLevel: 'warning' | 'error';
  documentsChecked = 0;
  format: BadgeFormat = 'unknown';
  objectType: string | undefined;
  path: Ob2Path | undefined;
  /** The decoded input (check-input), then its top-level document and class. */
  decoded: Exclude<DecodedOb2Input, { kind: 'url' } | { kind: 'failed' }> | undefined;
  doc: Json = {};
  cls: Ob2Class | undefined;
  /** The URL that answered 410 Gone with the document, when the input was fetched. */
  gone: string | undefined;
  assertion: Json | undefined;
  /** The hosted copy was read from the assertion id (check-hosted). */
  hostedOk = false;
  badge: Json | undefined;
  issuer: Ob2Issuer | undefined;
  revoked: { reason?: string } | undefined;
  endorsements: NonNullable<BadgeSummary['endorsements']> = [];
  /** Technical note for the hosted check (a provided copy that differs from the hosted one). */
  note: string | undefined;

  constructor(
    readonly input: Ob2Input,
    readonly options: VerifyOb2Options,
  ) {
    this.docs = new Ob2DocumentsFetcher(options.fetch);
    this.keyCache = options.keyCache ?? new Ob2KeyCache();
    this.expiredLevel = options.policy?.expired ?? 'warning';
  }

  /** The badge is an awarded one (hosted or signed) whose checks go on past its format. */
  get isAward(): boolean {
    return this.path === 'hosted' || this.path === 'signed';
  }

  step(
    id: StepId,
    level: StepLevel,
    message: Ob2MessageKey,
    params: Record<string, string | number | boolean> = {},
    detail?: string,
  ) {
    // ok: the check passed; a warning (expired, unknown issuer) is a check that did not.
    const step: VerificationStep = { id, ok: level === 'info', level, message };
    if (Object.keys(params).length > 0) step.params = params;
    if (detail) step.detail = detail;
    this.steps.push(step);
  }

  addProblems(problems: readonly Ob2Problem[]) {
    for (const p of problems) {
      const id = p.message === Ob2Message.issuerNotHttp ? Step.issuer : Step.schema;
      this.step(id, p.level, p.message, p.params, p.detail);
    }
  }

  validateDocument(doc: Json, cls: Ob2Class, topLevel: boolean, scope?: TermScope): Ob2Problem[] {
    this.documentsChecked++;
    const context = topLevel ? checkContext(doc, documentName(cls)) : [];
    return [...context, ...validateOb2Node(doc, cls, scope)];
  }

  /** A document of a class we do not know: its context and type must still be sound. */
  validateUnknownDocument(doc: Json): Ob2Problem[] {
    this.documentsChecked++;
    const problems = checkContext(doc, 'document');
    const types = listOf(doc.type);
    const scope = scopeOf(doc['@context']);
    if (types.length === 0 || !types.every((t) => isValidType(t, scope))) {
      problems.push({
        level: 'error',
        message: Ob2Message.schemaTypeInvalid,
        params: { document: String(this.objectType ?? 'document') },
        detail: `type ${JSON.stringify(doc.type)} is neither an Open Badges class nor an absolute IRI`,
      });
    }
    return problems;
  }

  checkFetchedId(doc: Json, url: string, cls: Ob2Class) {
    if (doc.id !== url) {
      this.step(
        Step.schema,
        'warning',
        Ob2Message.schemaIdMismatch,
        { document: documentName(cls), url, id: String(doc.id) },
        `fetched ${url} but the document declares id ${String(doc.id)}`,
      );
    }
  }
}

function checkContext(doc: Json, document: string): Ob2Problem[] {
  const context = doc['@context'];
  if (context === undefined) {
    return [
      {
        level: 'warning',
        message: Ob2Message.schemaContextMissing,
        params: { document },
        detail: `${document} has no @context`,
      },
    ];
  }
  const first = listOf(context)[0];
  if (isObject(first) || isOb2ContextUrl(first)) return [];
  return [
    {
      level: 'error',
      message: Ob2Message.schemaContextInvalid,
      params: { document },
      detail: `${document} @context ${JSON.stringify(first)} is not https://w3id.org/openbadges/v2`,
    },
  ];
}
