import { verifyOb3Credential, type VerificationReport } from '../../../../src/core/index.js';
import { fixtureFetcher, readCase, readExpected, type ExpectedCase } from './fixture-support.js';

/**
 * Our OB 3.0 verdicts against 1EdTech's on every OB 3.0 case of expected.json: fetcher serving
 * urlMap/ob30UrlMap (404 otherwise), bundled contexts only, clock at recommendedNow.
 * The baked PNG/SVG cases are read with the test-only extractor of fixture-support.ts.
 */
const expected = readExpected();
const now = new Date(expected.recommendedNow);
const ob3Cases = expected.cases.filter((c) => c.ob === '3.0');

type Verdict = ExpectedCase['expect'];

/**
 * 1EdTech's semantics: expired is an error, and a key named `issuer#z6Mk…` (or a did:key, or
 * a header jwk) is accepted without the issuer's documents confirming it.
 */
const oneEdTechPolicy = { expired: 'error', unconfirmedKey: 'accept' } as const;

/** Expected disagreements under 1EdTech's policy, each with its reason. */
const disagreements: Record<string, { ours: Verdict; reason: string }> = {
  'ob30/simple_v1.json': {
    ours: 'invalid',
    reason:
      'offline "needs-documents" case; its proof is the legacy Ed25519Signature2020 suite (VCDM 1.1), ' +
      'which our verifier does not support (we verify DataIntegrityProof eddsa-rdfc-2022, eddsa-2022 and ecdsa-sd-2023).',
  },
};

/**
 * Under our default policy (unconfirmedKey: 'reject'), these "valid" cases are not verified:
 * their key is only asserted by the credential (issuer URL + multibase fragment with no
 * profile served, or a VC-JWT header jwk), which anyone can mint (issuer-binding.ts).
 */
const unconfirmedKeyCases = [
  'ob30/simple.json',
  'ob30/simple.1ob',
  'ob30/simple-did-web-method.json',
  'ob30/simple-json.png',
  'ob30/simple-jwt.png',
  'ob30/simple-json.svg',
  'ob30/simple-jwt.svg',
  'ob30/simple-context-alias.json',
  'ob30/sd/derivedcredential.json',
  'ob30/endorsement-valid.json',
  'ob30/bit-string-list/testlist',
];

function verdictOf(report: VerificationReport): Verdict {
  return report.verdict === 'verified'
    ? 'valid'
    : report.verdict === 'warning'
      ? 'warning'
      : 'invalid';
}

async function verify(
  c: ExpectedCase,
  policy: { expired: 'error' | 'warning'; unconfirmedKey: 'accept' | 'reject' },
) {
  const text = readCase(c);
  return verifyOb3Credential(text, { fetch: fixtureFetcher(expected), now, policy });
}

describe('OB 3.0 verdicts against 1EdTech expected.json', () => {
  it('When the fixtures are listed, then there are 44 OB 3.0 cases, 38 of them reachable offline', () => {
    expect(ob3Cases).toHaveLength(44);
    expect(ob3Cases.filter((c) => c.offline === 'ok')).toHaveLength(38);
  });

  it.each(ob3Cases.map((c) => [c.file, c] as const))(
    'When %s is verified with 1EdTech policy, then our verdict is the expected one (or the listed disagreement)',
    async (file, c) => {
      const report = await verify(c, oneEdTechPolicy);
      const wanted = disagreements[file]?.ours ?? c.expect;
      expect({ file, verdict: verdictOf(report) }).toEqual({ file, verdict: wanted });
    },
  );

  it('When every offline-reachable case is verified, then we agree on all of them (38/38)', async () => {
    const offline = ob3Cases.filter((c) => c.offline === 'ok');
    let agree = 0;
    for (const c of offline) if (verdictOf(await verify(c, oneEdTechPolicy)) === c.expect) agree++;
    expect(`${agree}/${offline.length}`).toBe('38/38');
    for (const file of Object.keys(disagreements)) {
      expect(ob3Cases.find((c) => c.file === file)?.offline).not.toBe('ok');
    }
  });

  it.each(unconfirmedKeyCases)(
    'When %s is verified with our default policy, then the unconfirmed key makes it not verified',
    async (file) => {
      const c = ob3Cases.find((x) => x.file === file)!;
      expect(c.expect).toBe('valid');
      const report = await verify(c, { expired: 'error', unconfirmedKey: 'reject' });
      expect(verdictOf(report)).toBe('invalid');
      expect(report.steps.find((s) => s.id === 'issuer')).toMatchObject({
        level: 'error',
        message: 'verify.steps.issuer.unconfirmed',
      });
    },
  );

  it('When a revoked Bitstring status case is verified, then the status step says revoked', async () => {
    const c = ob3Cases.find(
      (x) => x.file === 'ob30/bit-string-list/credential-status-revoked.json',
    )!;
    const report = await verify(c, oneEdTechPolicy);
    expect(report.steps.find((s) => s.id === 'status')).toMatchObject({
      level: 'error',
      message: 'verify.steps.status.revoked',
    });
    expect(report.badge?.revoked).toBe(true);
  });

  it('When the ecdsa-sd-2023 derived credential is verified, then its signature is valid', async () => {
    const c = ob3Cases.find((x) => x.file === 'ob30/sd/derivedcredential.json')!;
    const report = await verify(c, oneEdTechPolicy);
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      ok: true,
      params: { method: 'ecdsa-sd-2023' },
    });
  });
});
