import type { VerificationReport } from '../report.js';
import type { Ob2Input } from './decode-ob2-input.js';
import { Ob2KeyCache } from './ob2-key-cache.js';
import { verifyOb2Badge, type VerifyOb2Options } from './verify-ob2-badge.js';

export interface Ob2Verifier {
  /** Per-call options (clock, expected email…) override the verifier's defaults. */
  verify(
    input: Ob2Input,
    options: Pick<VerifyOb2Options, 'now'> & Partial<Omit<VerifyOb2Options, 'keyCache'>>,
  ): Promise<VerificationReport>;
  /** Number of imported public keys held (for tests and metrics). */
  readonly cachedKeys: number;
}

/**
 * A long-lived OB 2.0 verifier: same fetcher and policy for every call, and one cache of
 * imported public keys, so verifying many badges of one issuer imports its key once.
 */
export function createOb2Verifier(
  defaults: Omit<VerifyOb2Options, 'now' | 'keyCache'> & { maxCachedKeys?: number },
): Ob2Verifier {
  const { maxCachedKeys, ...base } = defaults;
  const keyCache = new Ob2KeyCache(maxCachedKeys);
  return {
    verify: (input, options) => verifyOb2Badge(input, { ...base, ...options, keyCache }),
    get cachedKeys() {
      return keyCache.size;
    },
  };
}
