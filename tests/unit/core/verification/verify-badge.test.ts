import {
  FetchError,
  bakeSvg,
  verifyBadge,
  type Fetcher,
  type VerifyBadgeDeps,
} from '../../../../src/core/index.js';

const now = new Date('2026-03-01T00:00:00Z');
const credential = {
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  ],
  id: 'urn:uuid:6a0e1b62-3a3a-4b44-9b7e-1f0a4b1c2d3e',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: 'https://issuer.example/profile', type: ['Profile'], name: 'Issuer' },
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: {
      id: 'https://issuer.example/achievements/1',
      type: ['Achievement'],
      name: 'Badge',
      criteria: { narrative: 'Done' },
      description: 'A badge',
    },
  },
};
const assertion = {
  '@context': 'https://w3id.org/openbadges/v2',
  type: 'Assertion',
  id: 'https://issuer.example/assertions/1',
  verification: { type: 'hosted' },
};

function deps(asked: string[]): VerifyBadgeDeps {
  const fetch: Fetcher = (url) => {
    asked.push(url);
    return Promise.reject(new FetchError('network', url, 'offline'));
  };
  return { fetch, now };
}

function jws(payload: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(payload)}.c2ln`;
}

describe('verifyBadge recognises the input and picks the verifier', () => {
  it('sends a Verifiable Credential (object or text) to the OB 3.0 verifier', async () => {
    for (const input of [credential, JSON.stringify(credential)]) {
      const report = await verifyBadge(input, deps([]));
      expect(report.badge?.format).toBe('ob3-unsigned');
      expect(report.steps.map((s) => s.message)).toContain('verify.steps.signature.missing');
    }
  });

  it('sends OB 2.0 JSON to the OB 2.0 verifier, which reads the hosted copy', async () => {
    const asked: string[] = [];
    const report = await verifyBadge(JSON.stringify(assertion), deps(asked));
    expect(report.badge?.format).toBe('ob2-hosted');
    expect(asked).toContain(assertion.id);
  });

  it('tells a VC-JWT from an OB 2.0 signed assertion by its payload', async () => {
    const ob3 = await verifyBadge(jws({ vc: credential, iss: credential.issuer.id }), deps([]));
    expect(ob3.badge?.format).toBe('ob3-jwt');
    const ob2 = await verifyBadge(
      jws({ ...assertion, verification: { type: 'signed' } }),
      deps([]),
    );
    expect(ob2.badge?.format).toBe('ob2-signed');
  });

  it('fetches a URL through the OB 2.0 verifier', async () => {
    const asked: string[] = [];
    const report = await verifyBadge(' https://issuer.example/assertions/1 ', deps(asked));
    expect(asked[0]).toBe('https://issuer.example/assertions/1');
    expect(report.verdict).toBe('not_verified');
  });

  it('unbakes an SVG: openbadgecredential goes to OB 3.0, openbadges to OB 2.0', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>';
    const ob3 = bakeSvg(svg, { keyword: 'openbadgecredential', text: JSON.stringify(credential) });
    expect((await verifyBadge(ob3, deps([]))).badge?.format).toBe('ob3-unsigned');
    const ob2 = bakeSvg(svg, { keyword: 'openbadges', text: JSON.stringify(assertion) });
    const bytes = new TextEncoder().encode(ob2);
    expect((await verifyBadge(bytes, deps([]))).badge?.format).toBe('ob2-hosted');
  });

  it('lets the OB 2.0 verifier word input that is no badge', async () => {
    const report = await verifyBadge('Bonjour', deps([]));
    expect(report.verdict).toBe('not_verified');
    expect(report.steps[0]?.id).toBe('format');
    expect(report.skipped?.length).toBeGreaterThan(0);
  });
});
