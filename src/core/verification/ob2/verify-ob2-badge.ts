import { compactVerify, decodeProtectedHeader } from 'jose';
import { identityMatches } from '../../identity/hash-identity.js';
import type { Fetcher } from '../fetcher.js';
import { keyListedBy, keyMaterialOf } from '../issuer-binding.js';
import {
  StepId,
  verdictOf,
  type BadgeFormat,
  type BadgeSummary,
  type StepLevel,
  type VerificationReport,
  type VerificationStep,
} from '../report.js';
import { checkHostedScope } from './check-hosted-scope.js';
import {
  decodeOb2Input,
  type DecodedOb2Input,
  type Ob2Container,
  type Ob2Input,
} from './decode-ob2-input.js';
import { CLASS_OF_TERM, type Ob2Class } from './ob2-class-rules.js';
import { Ob2DocumentsFetcher } from './ob2-documents-fetcher.js';
import { Ob2KeyCache } from './ob2-key-cache.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import {
  expandIri,
  isOb2ContextUrl,
  isValidType,
  ob2Iri,
  scopeOf,
  type TermScope,
} from './ob2-term-scope.js';
import { idOf, isObject, isUrl, listOf, parseDateTime } from './ob2-values.js';
import { summariseOb2Badge } from './summarise-ob2-badge.js';
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

export type { Ob2Input } from './decode-ob2-input.js';

const STEP_ORDER: readonly StepId[] = [
  StepId.format,
  StepId.schema,
  StepId.signature,
  StepId.issuer,
  StepId.status,
  StepId.validity,
  StepId.recipient,
  StepId.endorsements,
];
const MAX_ENDORSEMENTS = 10;
const HOSTED = ob2Iri('HostedBadge');
const SIGNED = ob2Iri('SignedBadge');

/**
 * Verifies an Open Badges 2.0 badge — hosted assertion URL, assertion JSON, compact JWS, or a
 * baked PNG/SVG — in the spirit of openbadges-validator-core: recognise the input, fetch the
 * assertion (hosted: again from its id), its BadgeClass and Issuer, check the documents'
 * shape, the hosted scope or the RS256 signature by a key the issuer lists, revocation, dates,
 * optionally the recipient, and endorsements. Never throws for a bad badge: the answer is a
 * report whose steps carry i18n keys (see Ob2Message).
 */
export async function verifyOb2Badge(
  input: Ob2Input,
  options: VerifyOb2Options,
): Promise<VerificationReport> {
  const run = new Ob2Verification(options);
  try {
    await run.execute(input);
  } catch (e) {
    run.step(StepId.format, 'error', Ob2Message.formatUnexpected, {}, `unexpected: ${String(e)}`);
  }
  return run.report();
}

interface Issuer {
  node: Record<string, unknown>;
  /** Fetched from the URL equal to its own id: only then may its id be trusted. */
  authoritative: boolean;
}

class Ob2Verification {
  private readonly steps: VerificationStep[] = [];
  private readonly docs: Ob2DocumentsFetcher;
  private readonly keyCache: Ob2KeyCache;
  private readonly expiredLevel: 'warning' | 'error';
  private documentsChecked = 0;
  private format: BadgeFormat = 'unknown';
  private objectType: string | undefined;
  private assertion: Record<string, unknown> | undefined;
  private badge: Record<string, unknown> | undefined;
  private issuer: Issuer | undefined;
  private revoked: { reason?: string } | undefined;
  private endorsements: NonNullable<BadgeSummary['endorsements']> = [];
  /** Technical note for the hosted check (a provided copy that differs from the hosted one). */
  private note: string | undefined;

  constructor(private readonly options: VerifyOb2Options) {
    this.docs = new Ob2DocumentsFetcher(options.fetch);
    this.keyCache = options.keyCache ?? new Ob2KeyCache();
    this.expiredLevel = options.policy?.expired ?? 'warning';
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

  report(): VerificationReport {
    if (!this.steps.some((s) => s.id === StepId.schema) && this.documentsChecked > 0) {
      this.step(StepId.schema, 'info', Ob2Message.schemaValid, {
        documents: this.documentsChecked,
      });
    }
    const steps = [...this.steps].sort(
      (a, b) => STEP_ORDER.indexOf(a.id) - STEP_ORDER.indexOf(b.id),
    );
    const badge = summariseOb2Badge({
      format: this.format,
      ...(this.format === 'unknown' && this.objectType ? { objectType: this.objectType } : {}),
      assertion: this.assertion,
      badge: this.badge,
      issuer: this.issuer?.node,
      endorsements: this.endorsements,
      ...(this.revoked ? { revoked: true, revocationReason: this.revoked.reason } : {}),
    });
    return {
      verdict: verdictOf(steps),
      steps,
      badge,
      ...(this.assertion ? { document: this.assertion } : {}),
      checkedAt: this.options.now.toISOString(),
    };
  }

  async execute(input: Ob2Input) {
    let decoded = decodeOb2Input(input);
    // A URL (typed, or baked by older tools) leads to JSON, a JWS or a baked image: follow it
    // at most twice.
    for (let hops = 0; decoded.kind === 'url' && hops < 2; hops++) {
      decoded = await this.fetchInput(decoded.url, decoded.container);
    }
    if (decoded.kind === 'url') {
      this.step(StepId.format, 'error', Ob2Message.formatUnreadable, {}, 'too many URL hops');
      return;
    }
    if (decoded.kind === 'failed') {
      this.step(StepId.format, 'error', decoded.message, decoded.params ?? {}, decoded.detail);
      return;
    }
    const doc = decoded.kind === 'jws' ? decoded.payload : decoded.doc;
    const cls = this.classify(doc);
    if (this.gone && cls !== 'Assertion') {
      this.reportGone(this.gone, doc);
      return;
    }
    if (cls !== 'Assertion') {
      await this.verifyDocument(doc, cls);
      return;
    }
    const verificationType = expandIri(
      String(listOf(isObject(doc.verification) ? doc.verification.type : undefined)[0] ?? ''),
      scopeOf(doc['@context']),
    );
    if (decoded.kind === 'jws') {
      await this.verifySigned(decoded.jws, doc, decoded.container);
    } else if (verificationType === SIGNED) {
      this.format = 'ob2-signed';
      this.assertion = doc;
      this.step(
        StepId.format,
        'error',
        Ob2Message.formatSignedWithoutSignature,
        {},
        'the assertion says SignedBadge but was given without its JWS',
      );
    } else {
      await this.verifyHosted(doc, decoded.container);
    }
  }

  /** The URL that answered 410 Gone with the document, when the input was fetched. */
  private gone: string | undefined;

  private async fetchInput(url: string, container?: Ob2Container): Promise<DecodedOb2Input> {
    const unavailable = (detail: string): DecodedOb2Input => ({
      kind: 'failed',
      message: Ob2Message.formatUnavailable,
      params: { url },
      detail,
    });
    try {
      const result = await this.docs.fetchRaw(url);
      // 410 Gone: a revoked hosted assertion still describes itself; the hosted check reports it.
      if ((result.status < 200 || result.status >= 300) && result.status !== 410) {
        return unavailable(`HTTP ${result.status}`);
      }
      if (result.status === 410) this.gone = url;
      return decodeOb2Input(result.body, container ?? 'url');
    } catch (e) {
      return unavailable(String(e));
    }
  }

  /**
   * A hosted assertion revoked the way the spec says (410 Gone, often with only `id`, `revoked`
   * and `revocationReason`): the badge was revoked by whoever hosts it, whatever else it lacks.
   */
  private reportGone(url: string, doc: Record<string, unknown>) {
    this.format = 'ob2-hosted';
    this.assertion = doc;
    this.revoked = { reason: str(doc.revocationReason) };
    this.step(StepId.format, 'info', Ob2Message.formatHosted, { container: 'url' });
    this.step(
      StepId.status,
      'error',
      Ob2Message.statusRevoked,
      reasonParams(this.revoked.reason),
      `${url} answers 410 Gone`,
    );
  }

  /** The OB 2.0 class of the top-level document, from its `type`; undefined for others. */
  private classify(doc: Record<string, unknown>): Ob2Class | undefined {
    const scope = scopeOf(doc['@context']);
    const types = listOf(doc.type);
    this.objectType = typeof types[0] === 'string' ? types[0] : undefined;
    for (const t of types) {
      if (typeof t !== 'string') continue;
      const iri = expandIri(t, scope);
      const term = Object.keys(CLASS_OF_TERM).find((name) => ob2Iri(name) === iri);
      if (term) return CLASS_OF_TERM[term];
    }
    return undefined;
  }

  // ---------------------------------------------------------------- hosted assertions

  private async verifyHosted(provided: Record<string, unknown>, container: string) {
    this.format = 'ob2-hosted';
    this.step(StepId.format, 'info', Ob2Message.formatHosted, { container });
    let assertion = provided;
    let hostedOk = false;
    const id = provided.id;
    if (typeof id !== 'string' || !isUrl(id)) {
      this.step(StepId.signature, 'error', Ob2Message.signatureHostedNotUrl, { id: String(id) });
    } else {
      // The hosted copy is the authority: a baked or pasted copy may be stale or tampered.
      const hosted = await this.docs.json(id);
      if (hosted.ok && !fromOwnOrigin(hosted.result, id)) {
        // A redirect to another origin: whoever answers there is not the badge's host.
        this.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedUnavailable,
          { url: id },
          `${id} redirects to another origin (${hosted.result.url})`,
        );
      } else if (hosted.ok && hosted.json.id === id) {
        assertion = hosted.json;
        hostedOk = true;
      } else if (hosted.ok) {
        this.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedIdMismatch,
          { url: id, id: String(hosted.json.id) },
          'the document served at the assertion id declares another id',
        );
      } else if (hosted.status === 410) {
        assertion = hosted.json?.id === id ? hosted.json : provided;
        this.revoked = { reason: str(hosted.json?.revocationReason) };
        this.step(
          StepId.status,
          'error',
          Ob2Message.statusRevoked,
          reasonParams(this.revoked.reason),
          `${id} answers 410 Gone`,
        );
      } else {
        this.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedUnavailable,
          { url: id },
          hosted.detail,
        );
      }
    }
    this.assertion = assertion;
    this.addProblems(this.validateDocument(assertion, 'Assertion', true));
    if (hostedOk && JSON.stringify(assertion) !== JSON.stringify(provided)) {
      this.note = 'the provided copy differs from the hosted assertion; the hosted one was checked';
    }

    const issuer = await this.resolveBadgeAndIssuer(assertion);
    if (hostedOk && issuer && !issuer.authoritative) {
      // The hosting rules (allowedOrigins…) would come from a profile the badge wrote itself.
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureHostedOutOfScope,
        { url: id as string, issuer: String(issuer.node.id) },
        'the issuer profile was not read from its own id, so nothing says where it hosts badges',
      );
    } else if (hostedOk && issuer) {
      const scope = checkHostedScope(id as string, issuer.node);
      if (scope.ok) {
        this.step(
          StepId.signature,
          'info',
          Ob2Message.signatureHostedValid,
          { url: id as string },
          [scope.detail, this.note].filter(Boolean).join('; '),
        );
      } else {
        this.step(StepId.signature, scope.level, scope.message, scope.params, scope.detail);
      }
    }
    await this.finishAssertion(assertion, issuer);
  }

  // ---------------------------------------------------------------- signed assertions

  private async verifySigned(jws: string, assertion: Record<string, unknown>, container: string) {
    this.format = 'ob2-signed';
    this.assertion = assertion;
    this.step(StepId.format, 'info', Ob2Message.formatSigned, { container });
    this.addProblems(this.validateDocument(assertion, 'Assertion', true));
    const verification = isObject(assertion.verification) ? assertion.verification : {};
    const type = expandIri(
      String(listOf(verification.type)[0] ?? ''),
      scopeOf(assertion['@context']),
    );
    const issuer = await this.resolveBadgeAndIssuer(assertion);
    if (type !== SIGNED) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureNotSignedBadge,
        {},
        `verification type is ${String(verification.type)}`,
      );
    } else {
      await this.checkSignature(jws, verification, issuer);
    }
    await this.finishAssertion(assertion, issuer);
  }

  private async checkSignature(
    jws: string,
    verification: Record<string, unknown>,
    issuer: Issuer | undefined,
  ) {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(jws).alg;
    } catch {
      alg = undefined;
    }
    if (alg !== 'RS256') {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureUnsupportedAlgorithm,
        { alg: String(alg) },
        'OB 2.0 signed badges are verified with RS256 only',
      );
      return;
    }
    const keyId = idOf(verification.creator);
    if (!keyId || !isUrl(keyId)) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyUnavailable,
        { key: String(keyId) },
        'verification.creator is not a key URL',
      );
      return;
    }
    const fetched = await this.docs.json(keyId);
    if (!fetched.ok) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyUnavailable,
        { key: keyId },
        fetched.detail,
      );
      return;
    }
    const key = fetched.json;
    this.addProblems(this.validateDocument(key, 'CryptographicKey', true));
    if (key.id !== undefined && key.id !== keyId) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyInvalid,
        { key: keyId },
        `the key document at ${keyId} declares id ${String(key.id)}`,
      );
      return;
    }
    if (!issuer) return; // the issuer step already says why; nothing to check the key against
    if (!(await this.keySpeaksForIssuer(keyId, key, issuer))) return;
    if (typeof key.publicKeyPem !== 'string') {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyInvalid,
        { key: keyId },
        'no publicKeyPem',
      );
      return;
    }
    let publicKey;
    try {
      publicKey = await this.keyCache.get(keyId, key.publicKeyPem);
    } catch (e) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyInvalid,
        { key: keyId },
        `not an RSA public key: ${String(e)}`,
      );
      return;
    }
    try {
      await compactVerify(jws, publicKey, { algorithms: ['RS256'] });
      this.step(StepId.signature, 'info', Ob2Message.signatureValid, { key: keyId });
    } catch (e) {
      this.step(StepId.signature, 'error', Ob2Message.signatureInvalid, { key: keyId }, String(e));
    }
  }

  /**
   * The issuer-binding rule (../issuer-binding.ts) for OB 2.0: the issuer profile read from its
   * own id lists the key in `publicKey` (with the same material when it embeds it). The key
   * document's `owner` back-link never suffices; another owner is reported as such.
   */
  private async keySpeaksForIssuer(
    keyId: string,
    key: Record<string, unknown>,
    issuer: Issuer,
  ): Promise<boolean> {
    const issuerId = String(issuer.node.id);
    const own = await this.options.issuerKeyStatus?.(issuerId, keyId);
    if (own === 'compromised') {
      this.step(
        StepId.issuer,
        'error',
        Ob2Message.issuerKeyCompromised,
        { name: str(issuer.node.name) ?? issuerId },
        `${keyId} was declared compromised by its issuer`,
      );
      return false;
    }
    if (key.owner !== undefined && key.owner !== issuerId) {
      this.step(
        StepId.signature,
        'error',
        Ob2Message.signatureKeyOwnerMismatch,
        { key: keyId, owner: String(key.owner), issuer: issuerId },
        'the signing key belongs to another issuer',
      );
      return false;
    }
    const material = keyMaterialOf(key);
    const listing = issuer.authoritative
      ? keyListedBy(issuer.node, keyId, material)
      : ({ listed: false, reason: 'absent' } as const);
    // This platform's registry is its issuers' own list of keys (a retired key still signs
    // for the badges it signed: the OB 2.0 profile names only the active one).
    if (listing.listed || own === 'active' || own === 'retired') return true;
    this.step(
      StepId.signature,
      'error',
      Ob2Message.signatureKeyNotListed,
      { key: keyId, issuer: issuerId },
      issuer.authoritative
        ? `issuer publicKey lists ${listOf(issuer.node.publicKey).map(idOf).join(', ') || 'no key'}` +
            (listing.listed ? '' : ` (${listing.reason})`)
        : 'the issuer profile was not read from its own id: its key list proves nothing',
    );
    return false;
  }

  // ---------------------------------------------------------------- shared assertion checks

  private async resolveBadgeAndIssuer(assertion: Record<string, unknown>) {
    const ref = assertion.badge;
    const scope = scopeOf(assertion['@context']);
    if (typeof ref === 'string') {
      const fetched = await this.docs.json(ref);
      if (!fetched.ok) {
        this.step(
          StepId.schema,
          'error',
          Ob2Message.schemaDocumentUnavailable,
          { document: 'BadgeClass', url: ref },
          fetched.detail,
        );
        return undefined;
      }
      this.badge = fetched.json;
      this.checkFetchedId(fetched.json, ref, 'BadgeClass');
      this.addProblems(this.validateDocument(fetched.json, 'BadgeClass', true));
    } else if (isObject(ref)) {
      this.badge = ref;
      this.addProblems(this.validateDocument(ref, 'BadgeClass', false, scope));
    } else {
      return undefined; // the schema step reports the missing badge
    }
    return this.resolveIssuer(this.badge.issuer, scopeOf(this.badge['@context'], scope));
  }

  private async resolveIssuer(ref: unknown, scope: TermScope): Promise<Issuer | undefined> {
    const issuer = await this.loadIssuer(ref, scope);
    if (!issuer) return undefined;
    this.issuer = issuer;
    const name = str(issuer.node.name) ?? '';
    this.step(StepId.issuer, 'info', Ob2Message.issuerIdentified, {
      name,
      id: String(issuer.node.id),
    });
    if (this.options.isKnownIssuer) {
      const id = String(issuer.node.id);
      const known = issuer.authoritative && (await this.options.isKnownIssuer(id));
      if (known) this.step(StepId.issuer, 'info', Ob2Message.issuerKnown, { name });
      else
        this.step(
          StepId.issuer,
          'warning',
          Ob2Message.issuerUnknown,
          { name, id },
          issuer.authoritative ? undefined : 'the issuer profile was not read from its own id',
        );
    }
    return issuer;
  }

  /** Fetches (or, embedded, confirms from its id) and validates an issuer profile. */
  private async loadIssuer(ref: unknown, scope: TermScope): Promise<Issuer | undefined> {
    if (typeof ref === 'string') {
      const fetched = await this.docs.json(ref);
      if (!fetched.ok) {
        this.step(
          StepId.issuer,
          'error',
          Ob2Message.issuerUnavailable,
          { url: ref },
          fetched.detail,
        );
        return undefined;
      }
      this.checkFetchedId(fetched.json, ref, 'Profile');
      this.addProblems(this.validateDocument(fetched.json, 'Profile', true));
      // The profile speaks for its id only when read from that id's own origin (an alias on the
      // same site is the site's word; a document elsewhere claiming the id is anyone's).
      const declared = typeof fetched.json.id === 'string' ? fetched.json.id : '';
      // A non-HTTP id (urn:uuid) claims nobody's site: the profile is then the site's that serves it.
      const authoritative =
        fromOwnOrigin(fetched.result, ref) &&
        (declared === ref || sameOrigin(declared, ref) || !/^https?:\/\//.test(declared));
      return { node: fetched.json, authoritative };
    }
    if (!isObject(ref)) return undefined;
    // An embedded issuer could claim anyone's id: prefer the profile served at that id.
    if (typeof ref.id === 'string' && isUrl(ref.id)) {
      const fetched = await this.docs.json(ref.id);
      if (fetched.ok && fetched.json.id === ref.id && fromOwnOrigin(fetched.result, ref.id)) {
        this.addProblems(this.validateDocument(fetched.json, 'Profile', true));
        return { node: fetched.json, authoritative: true };
      }
    }
    this.step(
      StepId.issuer,
      'warning',
      Ob2Message.issuerEmbeddedUnconfirmed,
      { id: String(ref.id) },
      'embedded issuer profile not served at its id',
    );
    this.addProblems(this.validateDocument(ref, 'Profile', false, scope));
    return { node: ref, authoritative: false };
  }

  private async finishAssertion(assertion: Record<string, unknown>, issuer: Issuer | undefined) {
    await this.checkStatus(assertion, issuer);
    this.checkDates(assertion);
    this.checkRecipient(assertion);
    await this.checkEndorsements([
      { node: assertion, label: 'Assertion' },
      ...(this.badge ? [{ node: this.badge, label: 'BadgeClass' }] : []),
      ...(issuer ? [{ node: issuer.node, label: 'Issuer' }] : []),
    ]);
  }

  private async checkStatus(assertion: Record<string, unknown>, issuer: Issuer | undefined) {
    if (this.revoked) return; // already reported (410 Gone)
    if (assertion.revoked === true) {
      this.revoked = { reason: str(assertion.revocationReason) };
      this.step(
        StepId.status,
        'error',
        Ob2Message.statusRevoked,
        reasonParams(this.revoked.reason),
        'the assertion says revoked: true',
      );
      return;
    }
    const listRef = issuer?.node.revocationList;
    if (listRef === undefined) {
      if (this.format === 'ob2-hosted') {
        this.step(
          StepId.status,
          'info',
          Ob2Message.statusNotRevoked,
          {},
          'the issuer still serves the assertion',
        );
      } else {
        this.step(
          StepId.status,
          'info',
          Ob2Message.statusNoList,
          {},
          'the issuer publishes no revocation list',
        );
      }
      return;
    }
    let list: Record<string, unknown>;
    const url = idOf(listRef) ?? '';
    if (isObject(listRef) && listRef.revokedAssertions !== undefined) {
      list = listRef;
    } else {
      const fetched = await this.docs.json(url);
      if (!fetched.ok) {
        this.step(StepId.status, 'warning', Ob2Message.statusUnavailable, { url }, fetched.detail);
        return;
      }
      list = fetched.json;
      this.addProblems(this.validateDocument(list, 'RevocationList', true));
    }
    const id = assertion.id;
    const entry = listOf(list.revokedAssertions).find((e) =>
      isObject(e)
        ? (e.id !== undefined && e.id === id) ||
          (typeof e.uid === 'string' && e.uid === assertion.uid)
        : e === id,
    );
    if (entry !== undefined) {
      this.revoked = { reason: isObject(entry) ? str(entry.revocationReason) : undefined };
      this.step(
        StepId.status,
        'error',
        Ob2Message.statusRevoked,
        reasonParams(this.revoked.reason),
        `listed in revocation list ${url}`,
      );
    } else {
      this.step(
        StepId.status,
        'info',
        Ob2Message.statusNotRevoked,
        {},
        `not in revocation list ${url}`,
      );
    }
  }

  private checkDates(assertion: Record<string, unknown>) {
    const now = this.options.now;
    const issuedOn = parseDateTime(assertion.issuedOn);
    if (!issuedOn) {
      this.step(StepId.validity, 'error', Ob2Message.validityInvalidDate, { property: 'issuedOn' });
      return;
    }
    const issued = String(assertion.issuedOn);
    if (issuedOn > now) {
      this.step(StepId.validity, 'error', Ob2Message.validityNotYetIssued, { date: issued });
      return;
    }
    if (assertion.expires === undefined || assertion.expires === null) {
      this.step(StepId.validity, 'info', Ob2Message.validityValid, { issuedOn: issued });
      return;
    }
    const expires = parseDateTime(assertion.expires);
    const exp = String(assertion.expires);
    if (!expires) {
      this.step(StepId.validity, 'error', Ob2Message.validityInvalidDate, { property: 'expires' });
    } else if (expires < issuedOn) {
      this.step(StepId.validity, 'error', Ob2Message.validityExpiresBeforeIssued, {
        issuedOn: issued,
        expires: exp,
      });
    } else if (expires < now) {
      this.step(StepId.validity, this.expiredLevel, Ob2Message.validityExpired, { date: exp });
    } else {
      this.step(StepId.validity, 'info', Ob2Message.validityValid, {
        issuedOn: issued,
        expires: exp,
      });
    }
  }

  private checkRecipient(assertion: Record<string, unknown>) {
    const email = this.options.expectedEmail;
    if (email === undefined || email.trim() === '') {
      this.step(StepId.recipient, 'info', Ob2Message.recipientNotChecked);
      return;
    }
    const recipient = isObject(assertion.recipient) ? assertion.recipient : {};
    const type = recipient.type;
    if (
      type !== 'email' &&
      expandIri(String(type), scopeOf(assertion['@context'])) !== ob2Iri('email')
    ) {
      this.step(StepId.recipient, 'warning', Ob2Message.recipientUnsupportedType, {
        type: String(type),
      });
      return;
    }
    const matches =
      typeof recipient.identity === 'string' &&
      identityMatches(email, {
        identity: recipient.identity,
        hashed: recipient.hashed === true,
        salt: typeof recipient.salt === 'string' ? recipient.salt : undefined,
      });
    if (matches) this.step(StepId.recipient, 'info', Ob2Message.recipientMatch);
    else this.step(StepId.recipient, 'error', Ob2Message.recipientMismatch);
  }

  private async checkEndorsements(targets: { node: Record<string, unknown>; label: string }[]) {
    let count = 0;
    for (const { node } of targets) {
      for (const ref of listOf(node.endorsement).slice(0, MAX_ENDORSEMENTS)) {
        const summary = await this.checkEndorsement(ref, node);
        if (summary) {
          this.endorsements.push(summary);
          count++;
        }
      }
    }
    if (count > 0) this.step(StepId.endorsements, 'info', Ob2Message.endorsementsValid, { count });
  }

  /** One endorsement: a warning (and nothing shown) unless it reads, validates and applies. */
  private async checkEndorsement(ref: unknown, target: Record<string, unknown>) {
    const url = idOf(ref) ?? '';
    const invalid = (detail: string) => {
      this.step(StepId.endorsements, 'warning', Ob2Message.endorsementsInvalid, { url }, detail);
      return undefined;
    };
    if (!isUrl(url)) return invalid('endorsement without a URL id cannot be checked');
    const fetched = await this.docs.json(url);
    if (!fetched.ok) {
      this.step(
        StepId.endorsements,
        'warning',
        Ob2Message.endorsementsUnavailable,
        { url },
        fetched.detail,
      );
      return undefined;
    }
    const endorsement = fetched.json;
    const errors = this.validateDocument(endorsement, 'Endorsement', true).filter(
      (p) => p.level === 'error',
    );
    if (errors.length > 0) return invalid(errors.map((p) => p.detail).join('; '));
    const claim = isObject(endorsement.claim) ? endorsement.claim : {};
    if (claim.id !== target.id) {
      this.step(
        StepId.endorsements,
        'warning',
        Ob2Message.endorsementsClaimMismatch,
        { url, claim: String(claim.id) },
        `the endorsement is about ${String(claim.id)}, not ${String(target.id)}`,
      );
      return undefined;
    }
    const issuedOn = parseDateTime(endorsement.issuedOn);
    if (!issuedOn || issuedOn > this.options.now)
      return invalid('issuedOn is missing or in the future');
    const issuerRef = endorsement.issuer;
    const issuerUrl = idOf(issuerRef);
    const issuerDoc = issuerUrl && isUrl(issuerUrl) ? await this.docs.json(issuerUrl) : undefined;
    if (!issuerDoc?.ok)
      return invalid(`endorser profile unavailable: ${issuerDoc?.detail ?? 'no URL'}`);
    const issuerErrors = this.validateDocument(issuerDoc.json, 'Profile', true).filter(
      (p) => p.level === 'error',
    );
    if (issuerErrors.length > 0) return invalid(issuerErrors.map((p) => p.detail).join('; '));
    const verification = isObject(endorsement.verification) ? endorsement.verification : {};
    const vType = expandIri(
      String(listOf(verification.type)[0] ?? ''),
      scopeOf(endorsement['@context']),
    );
    if (vType !== HOSTED) return invalid('only hosted endorsements can be checked');
    const scope = checkHostedScope(String(endorsement.id), issuerDoc.json);
    if (!scope.ok && scope.level === 'error') return invalid(scope.detail);
    return {
      issuerName: str(issuerDoc.json.name),
      issuerId: str(issuerDoc.json.id),
      comment: str(claim.endorsementComment),
      issuedOn: str(endorsement.issuedOn),
    };
  }

  // ---------------------------------------------------------------- other OB 2.0 documents

  private async verifyDocument(doc: Record<string, unknown>, cls: Ob2Class | undefined) {
    const objectType = this.objectType ?? 'unknown';
    if (!this.options.allowNonAssertion) {
      this.step(
        StepId.format,
        'error',
        Ob2Message.formatNotAssertion,
        { objectType },
        'not an Assertion',
      );
      if (cls === undefined) this.addProblems(this.validateUnknownDocument(doc));
      return;
    }
    this.step(StepId.format, 'info', Ob2Message.formatDocument, { objectType });
    if (cls === undefined) {
      this.addProblems(this.validateUnknownDocument(doc));
      return;
    }
    this.addProblems(this.validateDocument(doc, cls, true));
    if (cls === 'BadgeClass') {
      this.badge = doc;
      const issuer = await this.resolveIssuer(doc.issuer, scopeOf(doc['@context']));
      await this.checkEndorsements([
        { node: doc, label: 'BadgeClass' },
        ...(issuer ? [{ node: issuer.node, label: 'Issuer' }] : []),
      ]);
    } else if (cls === 'Profile') {
      this.issuer = { node: doc, authoritative: false };
      for (const keyRef of listOf(doc.publicKey)) {
        if (typeof keyRef !== 'string') continue;
        const key = await this.docs.json(keyRef);
        if (!key.ok) {
          this.step(
            StepId.schema,
            'error',
            Ob2Message.schemaDocumentUnavailable,
            { document: 'CryptographicKey', url: keyRef },
            key.detail,
          );
        } else {
          this.addProblems(this.validateDocument(key.json, 'CryptographicKey', true));
        }
      }
      await this.checkEndorsements([{ node: doc, label: 'Issuer' }]);
    } else if (cls === 'Endorsement') {
      await this.resolveIssuer(doc.issuer, scopeOf(doc['@context']));
    }
  }

  /** A document of a class we do not know: its context and type must still be sound. */
  private validateUnknownDocument(doc: Record<string, unknown>): Ob2Problem[] {
    this.documentsChecked++;
    const problems = this.checkContext(doc, 'document');
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

  // ---------------------------------------------------------------- helpers

  private validateDocument(
    doc: Record<string, unknown>,
    cls: Ob2Class,
    topLevel: boolean,
    scope?: TermScope,
  ): Ob2Problem[] {
    this.documentsChecked++;
    const context = topLevel ? this.checkContext(doc, documentName(cls)) : [];
    return [...context, ...validateOb2Node(doc, cls, scope)];
  }

  private checkContext(doc: Record<string, unknown>, document: string): Ob2Problem[] {
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

  private checkFetchedId(doc: Record<string, unknown>, url: string, cls: Ob2Class) {
    if (doc.id !== url) {
      this.step(
        StepId.schema,
        'warning',
        Ob2Message.schemaIdMismatch,
        { document: documentName(cls), url, id: String(doc.id) },
        `fetched ${url} but the document declares id ${String(doc.id)}`,
      );
    }
  }

  private addProblems(problems: readonly Ob2Problem[]) {
    for (const p of problems) {
      const id = p.message === Ob2Message.issuerNotHttp ? StepId.issuer : StepId.schema;
      this.step(id, p.level, p.message, p.params, p.detail);
    }
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function reasonParams(reason: string | undefined): Record<string, string> {
  return reason ? { reason } : {};
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The answer came from the origin that was asked (redirects stayed on that site). */
function fromOwnOrigin(result: { url: string }, requested: string): boolean {
  return sameOrigin(result.url || requested, requested);
}
