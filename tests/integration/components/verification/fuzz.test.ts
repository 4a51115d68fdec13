/**
 * The short run of `npm run fuzz` (scripts/fuzz): generated hostile inputs — forged JWS/JWT
 * headers and payloads, badges re-signed with keys the issuer does not list, altered JSON-LD
 * and proofs, damaged and oversized PNG and SVG, random bytes — against the verification
 * service the app builds, in process. No crash, no hang, and nothing that no key of its
 * claimed issuer signed may come out `verified` or `warning`; genuine badges among the
 * inputs must still verify, which proves the harness can tell.
 */
import { runFuzz, summaryLines } from '../../../../scripts/fuzz/harness.js';

const FIXED_SEED = 20260301;
const RANDOM_SEED = Math.floor(Math.random() * 2 ** 31);

describe('fuzz: hostile inputs against the verification service', () => {
  it.each([
    ['a fixed seed', FIXED_SEED, 600],
    ['a random seed', RANDOM_SEED, 400],
  ])(
    '%s (%i): no crash, no hang, no forged badge verified',
    async (_name, seed, inputs) => {
      const summary = await runFuzz({ inputs, seed, timeoutMs: 5000, shrinkMs: 15_000 });
      const report = summaryLines(summary).join('\n');
      expect(report).toMatch(
        new RegExp(`fuzz: inputs=${inputs} crashes=0 false_verified=0 hangs=0$`),
      );
      // The oracle is not vacuous: genuinely signed inputs were among them and verified.
      expect(summary.results.genuine?.verified ?? 0).toBeGreaterThan(0);
      expect(summary.results.forged?.not_verified ?? 0).toBeGreaterThan(inputs / 2);
    },
    150_000,
  );
});
