import { verifyOb2Badge } from './ob2/verify-ob2-badge.js';
import type { Ob2KeyCache } from './ob2/ob2-key-cache.js';
import { verifyOb3Credential, type VerifyOb3Options } from './ob3/verify-ob3-credential.js';
import {
  bakedCredential,
  classifyBadgeText,
  isPngBytes,
  isVerifiableCredential,
} from './recognise-badge.js';
import type { VerificationReport } from './report.js';

/** What a badge may be handed as: text (JSON, JWS/JWT, URL, SVG), PNG/SVG bytes, or parsed JSON. */
export type BadgeInput = string | Uint8Array | object;

export interface VerifyBadgeDeps extends Omit<VerifyOb3Options, 'policy' | 'documents'> {
  policy?: { expired?: 'warning' | 'error' };
  /** Imported OB 2.0 public keys, shared across verifications. */
  keyCache?: Ob2KeyCache;
}

/**
 * Verifies any Open Badge: recognises the input and hands it to the OB 3.0 verifier (a
 * Verifiable Credential, as JSON, VC-JWT or baked under `openbadgecredential`) or to the OB 2.0
 * one (everything else, including URLs and unreadable input, which it reports). The caller
 * keeps its own safety checks on untrusted files (see the verification component).
 */
export async function verifyBadge(
  input: BadgeInput,
  deps: VerifyBadgeDeps,
): Promise<VerificationReport> {
  const { keyCache, policy, ...common } = deps;
  const ob2 = (value: string | Uint8Array | object) =>
    verifyOb2Badge(value, {
      ...common,
      ...(policy?.expired ? { policy: { expired: policy.expired } } : {}),
      ...(keyCache ? { keyCache } : {}),
    });
  const ob3 = (value: unknown) =>
    verifyOb3Credential(value, {
      ...common,
      ...(policy?.expired ? { policy: { expired: policy.expired } } : {}),
    });

  if (input instanceof Uint8Array) {
    if (isPngBytes(input)) return (await baked('png', input)) ?? ob2(input);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return ob2(input); // it words "neither a PNG nor text"
    }
    return fromText(text);
  }
  if (typeof input === 'string') return fromText(input);
  return isVerifiableCredential(input as Record<string, unknown>) ? ob3(input) : ob2(input);

  async function baked(container: 'png' | 'svg', content: Uint8Array | string) {
    const credential = bakedCredential(container, content);
    return credential === undefined ? undefined : ob3(credential);
  }

  async function fromText(text: string): Promise<VerificationReport> {
    const kind = classifyBadgeText(text);
    switch (kind.kind) {
      case 'svg':
        return (await baked('svg', text)) ?? ob2(text);
      case 'json':
        return isVerifiableCredential(kind.doc) ? ob3(kind.doc) : ob2(text);
      case 'jws':
        return kind.family === 'ob3' ? ob3(text.trim()) : ob2(text.trim());
      case 'url':
        return ob2(kind.url);
      default:
        return ob2(text);
    }
  }
}
