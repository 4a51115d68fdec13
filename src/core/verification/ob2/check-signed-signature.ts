import { compactVerify, decodeProtectedHeader } from 'jose';
import type { Check } from '../engine.js';
import { keyListedBy, keyMaterialOf } from '../issuer-binding.js';
import { StepId } from '../report.js';
import type { Json, Ob2Context, Ob2Issuer } from './ob2-context.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { expandIri, ob2Iri, scopeOf } from './ob2-term-scope.js';
import { idOf, isObject, isUrl, listOf, str } from './ob2-values.js';

const SIGNED = ob2Iri('SignedBadge');

/**
 * The issuer-binding rule (../issuer-binding.ts) for OB 2.0: the issuer profile read from its
 * own id lists the key in `publicKey` (with the same material when it embeds it). The key
 * document's `owner` back-link never suffices; another owner is reported as such.
 */
async function keySpeaksForIssuer(
  ctx: Ob2Context,
  keyId: string,
  key: Json,
  issuer: Ob2Issuer,
): Promise<boolean> {
  const issuerId = String(issuer.node.id);
  const own = await ctx.options.issuerKeyStatus?.(issuerId, keyId);
  if (key.owner !== undefined && key.owner !== issuerId) {
    ctx.step(
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
  ctx.step(
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

/** The RS256 JWS, by the key `verification.creator` names, which the issuer must list. */
async function checkSignature(
  ctx: Ob2Context,
  jws: string,
  verification: Json,
  issuer: Ob2Issuer | undefined,
) {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(jws).alg;
  } catch {
    alg = undefined;
  }
  if (alg !== 'RS256') {
    ctx.step(
      StepId.signature,
      'error',
      Ob2Message.signatureUnsupportedAlgorithm,
      { alg: String(alg) },
      'OB 2.0 signed badges are verified with RS256 only',
    );
    return;
  }
  const keyId = idOf(verification.creator);
  const keyError = (message: Ob2MessageKey, detail: string) =>
    ctx.step(StepId.signature, 'error', message, { key: String(keyId) }, detail);
  if (!keyId || !isUrl(keyId)) {
    keyError(Ob2Message.signatureKeyUnavailable, 'verification.creator is not a key URL');
    return;
  }
  // A key our registry says was compromised is named before its withdrawn document (410) is read.
  if (issuer) {
    const issuerId = String(issuer.node.id);
    if ((await ctx.options.issuerKeyStatus?.(issuerId, keyId)) === 'compromised') {
      ctx.step(
        StepId.issuer,
        'error',
        Ob2Message.issuerKeyCompromised,
        { name: str(issuer.node.name) ?? issuerId },
        `${keyId} was declared compromised by its issuer`,
      );
      return;
    }
  }
  const fetched = await ctx.docs.json(keyId);
  if (!fetched.ok) {
    keyError(Ob2Message.signatureKeyUnavailable, fetched.detail);
    return;
  }
  const key = fetched.json;
  ctx.addProblems(ctx.validateDocument(key, 'CryptographicKey', true));
  if (key.id !== undefined && key.id !== keyId) {
    keyError(
      Ob2Message.signatureKeyInvalid,
      `the key document at ${keyId} declares id ${String(key.id)}`,
    );
    return;
  }
  if (!issuer) return; // the issuer step already says why; nothing to check the key against
  if (!(await keySpeaksForIssuer(ctx, keyId, key, issuer))) return;
  if (typeof key.publicKeyPem !== 'string') {
    keyError(Ob2Message.signatureKeyInvalid, 'no publicKeyPem');
    return;
  }
  let publicKey;
  try {
    publicKey = await ctx.keyCache.get(keyId, key.publicKeyPem);
  } catch (e) {
    keyError(Ob2Message.signatureKeyInvalid, `not an RSA public key: ${String(e)}`);
    return;
  }
  try {
    await compactVerify(jws, publicKey, { algorithms: ['RS256'] });
    ctx.step(StepId.signature, 'info', Ob2Message.signatureValid, { key: keyId });
  } catch (e) {
    ctx.step(StepId.signature, 'error', Ob2Message.signatureInvalid, { key: keyId }, String(e));
  }
}

/** A signed assertion: its verification type must be SignedBadge, and its JWS must hold. */
export const checkSignedSignature: Check<Ob2Context> = {
  id: 'signed-signature',
  fatal: false,
  async run(ctx) {
    const decoded = ctx.decoded;
    const assertion = ctx.assertion;
    if (ctx.path !== 'signed' || decoded?.kind !== 'jws' || !assertion) return;
    const verification = isObject(assertion.verification) ? assertion.verification : {};
    const type = expandIri(
      String(listOf(verification.type)[0] ?? ''),
      scopeOf(assertion['@context']),
    );
    if (type !== SIGNED) {
      ctx.step(
        StepId.signature,
        'error',
        Ob2Message.signatureNotSignedBadge,
        {},
        `verification type is ${String(verification.type)}`,
      );
      return;
    }
    await checkSignature(ctx, decoded.jws, verification, ctx.issuer);
  },
};
