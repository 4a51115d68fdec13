/**
 * The conformance checks of `npm run conformance` (scripts/conformance/checks.ts), in CI:
 * badges issued by the app, checked by the 1EdTech reference validator, our verifiers,
 * DCC's verifier-core and the eddsa-rdfc-2022 spec vector. Every row must pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatConformance, runConformance } from '../../scripts/conformance/checks.js';
import { startTestServer } from '../helpers/test-app.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

describe('conformance (issues 4 and 5)', () => {
  let offset = 0;
  let t: Awaited<ReturnType<typeof startTestServer>>;
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-conformance-test-'));

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(Date.now() + offset) });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  it('When our badges go through every verifier, then each says what it must, and the summary line says 0 failed', async () => {
    const rows = await runConformance({
      app: t.app,
      setClockOffset: (ms) => (offset = ms),
      tmpDir,
    });
    const table = formatConformance(rows);
    expect(
      rows.filter((r) => !r.passed).map((r) => `${r.input} — ${r.verifier}: ${r.said}`),
    ).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(table.split('\n').pop()).toBe(`conformance: ${rows.length} passed, 0 failed`);
    // Each required input is there (conformance inputs).
    const has = (input: string, verifier: RegExp) =>
      rows.some((r) => r.input === input && verifier.test(r.verifier));
    for (const input of [
      'hosted assertion URL',
      'signed assertion (JWS)',
      'baked PNG, hosted',
      'baked PNG, signed',
      'baked SVG, signed',
      'tampered JWS (narrative changed)',
      'expired badge (JWS, expired 370 days ago)',
      'revoked badge (JWS)',
    ]) {
      expect([input, has(input, /reference validator/)]).toEqual([input, true]);
    }
    expect(has('OB 3.0 credential, Data Integrity (JSON)', /verifier-core/)).toBe(true);
    expect(has('eddsa-rdfc-2022 spec vector: our proofValue', /our signer/)).toBe(true);
  });
});
