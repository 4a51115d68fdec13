import fs from 'node:fs';
import path from 'node:path';
import { CompactSign } from 'jose';
import { bakePng } from '../../../../src/core/baking/bake-png.js';
import { bakeSvg } from '../../../../src/core/baking/bake-svg.js';
import { FetchError, type Fetcher } from '../../../../src/core/verification/fetcher.js';
import { createOb2Verifier } from '../../../../src/core/verification/ob2/create-ob2-verifier.js';
import { Ob2Message } from '../../../../src/core/verification/ob2/ob2-messages.js';
import { verifyOb2Badge } from '../../../../src/core/verification/ob2/verify-ob2-badge.js';
import type {
  VerificationReport,
  VerificationStep,
} from '../../../../src/core/verification/report.js';
import { memoryFetcher } from '../../../helpers/memory-fetcher.js';
import { NOW, Ob2World, newKey, type TestKey } from './ob2-world.js';

const ORIGIN = 'https://badges.example.fr';
const plainPng = new Uint8Array(
  fs.readFileSync(
    path.resolve('tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png'),
  ),
);
const plainSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';

let key: TestKey;
let world: Ob2World;
let issuer: ReturnType<Ob2World['addIssuer']>;
const seen: VerificationStep[] = [];

beforeAll(async () => {
  key = await newKey(`${ORIGIN}/issuers/roubaix/keys/1`);
});

beforeEach(() => {
  world = new Ob2World();
  issuer = world.addIssuer('roubaix', [key]);
});

afterAll(() => {
  // Every line a report can show is one of the documented i18n keys.
  const keys = new Set<string>(Object.values(Ob2Message));
  expect(seen.map((s) => s.message).filter((m) => !keys.has(m))).toEqual([]);
});

async function verify(
  input: Parameters<typeof verifyOb2Badge>[0],
  options: Partial<Parameters<typeof verifyOb2Badge>[1]> = {},
): Promise<VerificationReport> {
  const report = await verifyOb2Badge(input, {
    fetch: memoryFetcher(world.routes),
    now: NOW,
    ...options,
  });
  seen.push(...report.steps);
  return report;
}

const messages = (r: VerificationReport, level?: string) =>
  r.steps.filter((s) => !level || s.level === level).map((s) => s.message);

describe('verifyOb2Badge — hosted badges', () => {
  it('When our hosted assertion URL is verified, then it is verified and the summary is complete', async () => {
    const a = world.hosted(issuer.badge, 'a1');
    const report = await verify(a.id);
    expect(report.verdict).toBe('verified');
    expect(messages(report)).toEqual([
      Ob2Message.formatHosted,
      Ob2Message.schemaValid,
      Ob2Message.signatureHostedValid,
      Ob2Message.issuerIdentified,
      Ob2Message.statusNotRevoked,
      Ob2Message.validityValid,
      Ob2Message.recipientNotChecked,
    ]);
    expect(report.badge).toEqual({
      format: 'ob2-hosted',
      id: a.id,
      name: 'Accompagner une démarche en ligne',
      description: 'Aider un usager à réaliser une démarche administrative en ligne.',
      image: `${issuer.badge}/image.png`,
      criteria: { narrative: 'Avoir accompagné cinq usagers.' },
      alignments: [
        {
          targetName: 'Pix 2.1',
          targetUrl: 'https://pix.fr/',
          targetFramework: 'Pix',
          targetCode: '2.1',
        },
      ],
      tags: ['médiation'],
      issuer: {
        id: issuer.id,
        name: 'Émetteur roubaix',
        url: ORIGIN,
        email: 'contact@badges.example.fr',
      },
      issuedOn: '2025-03-01T10:00:00Z',
      revoked: false,
      evidence: [{ url: `${ORIGIN}/evidence/a1`, narrative: 'Atelier du 3 mars' }],
      recipient: { hashed: true, type: 'email' },
    });
    expect(report.document).toEqual(a);
    expect(report.checkedAt).toBe(NOW.toISOString());
  });

  it('When the expected email is given, then the recipient step matches or fails', async () => {
    const a = world.hosted(issuer.badge, 'a1');
    const ok = await verify(JSON.stringify(a), { expectedEmail: 'Marie.Dupont@example.fr' });
    expect(ok.verdict).toBe('verified');
    expect(messages(ok)).toContain(Ob2Message.recipientMatch);
    const ko = await verify(a, { expectedEmail: 'jean@example.fr' });
    expect(ko.verdict).toBe('not_verified');
    expect(messages(ko, 'error')).toEqual([Ob2Message.recipientMismatch]);
  });

  it('When the badge has expired, then the verdict follows the expired policy (warning by default)', async () => {
    const a = world.hosted(issuer.badge, 'a1', { expires: new Date('2025-12-31T00:00:00Z') });
    const warn = await verify(a.id);
    expect(warn.verdict).toBe('warning');
    expect(warn.steps.find((s) => s.id === 'validity')).toMatchObject({
      level: 'warning',
      message: Ob2Message.validityExpired,
      params: { date: '2025-12-31T00:00:00Z' },
    });
    const strict = await verify(a.id, { policy: { expired: 'error' } });
    expect(strict.verdict).toBe('not_verified');
  });

  it('When the host answers 410 Gone for a revoked assertion, then it is not verified and says revoked', async () => {
    const a = world.hosted(issuer.badge, 'a1');
    world.routes[a.id] = {
      status: 410,
      body: { ...a, revoked: true, revocationReason: 'Attribué par erreur' },
    };
    for (const input of [
      a.id,
      JSON.stringify(a),
      bakePng(plainPng, { keyword: 'openbadges', text: JSON.stringify(a) }),
    ]) {
      const report = await verify(input);
      expect(report.verdict).toBe('not_verified');
      expect(report.steps.find((s) => s.id === 'status')).toMatchObject({
        level: 'error',
        message: Ob2Message.statusRevoked,
        params: { reason: 'Attribué par erreur' },
      });
      expect(report.badge).toMatchObject({
        revoked: true,
        revocationReason: 'Attribué par erreur',
      });
    }
  });

  it('When a pasted copy was tampered with, then the hosted copy is what gets verified', async () => {
    const a = world.hosted(issuer.badge, 'a1', { expires: new Date('2025-06-01T00:00:00Z') });
    const forged = { ...a, expires: '2099-01-01T00:00:00Z' };
    const report = await verify(JSON.stringify(forged));
    expect(report.verdict).toBe('warning'); // the real one has expired
    expect(report.badge?.expires).toBe('2025-06-01T00:00:00Z');
    expect(report.steps.find((s) => s.message === Ob2Message.signatureHostedValid)?.detail).toMatch(
      /provided copy differs/,
    );
  });

  it('When the hosted copy cannot be fetched, then the badge is not verified', async () => {
    const a = world.hosted(issuer.badge, 'a1');
    delete world.routes[a.id];
    const report = await verify(JSON.stringify(a));
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toEqual([Ob2Message.signatureHostedUnavailable]);
  });

  it('When an assertion is hosted outside its issuer origin, then it is out of scope', async () => {
    const a = { ...world.hosted(issuer.badge, 'a1'), id: 'https://evil.example/assertions/a1' };
    world.routes[a.id] = a;
    const report = await verify(a.id);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toEqual([Ob2Message.signatureHostedOutOfScope]);
  });

  it('When an embedded issuer claims a real issuer id with a looser policy, then the real profile decides', async () => {
    const realIssuer = world.routes[issuer.id] as Record<string, unknown>;
    const id = 'https://evil.example/assertions/a1';
    const forged = {
      ...world.hosted(issuer.badge, 'a1'),
      id,
      badge: {
        ...(world.routes[issuer.badge] as object),
        issuer: { ...realIssuer, verification: { allowedOrigins: ['evil.example'] } },
      },
    };
    world.routes[id] = forged;
    const report = await verify(id);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toContain(Ob2Message.signatureHostedOutOfScope);
  });
});

describe('verifyOb2Badge — signed badges', () => {
  it('When our signed badge is given as JWS, baked PNG or baked SVG, then it is verified', async () => {
    const { assertion, jws } = await world.signed(issuer.badge, 's1', key);
    const inputs = [
      jws,
      bakePng(plainPng, { keyword: 'openbadges', text: jws }),
      bakeSvg(plainSvg, { keyword: 'openbadges', text: jws }),
    ];
    for (const input of inputs) {
      const report = await verify(input);
      expect(report.verdict).toBe('verified');
      expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
        level: 'info',
        message: Ob2Message.signatureValid,
        params: { key: key.id },
      });
      expect(messages(report)).toContain(Ob2Message.statusNotRevoked);
      expect(report.badge).toMatchObject({
        format: 'ob2-signed',
        id: assertion.id,
        revoked: false,
      });
    }
  });

  it('When a hosted badge is baked into PNG and SVG, then both verify', async () => {
    const a = world.hosted(issuer.badge, 'a1');
    for (const input of [
      bakePng(plainPng, { keyword: 'openbadges', text: JSON.stringify(a) }),
      bakeSvg(plainSvg, { keyword: 'openbadges', text: JSON.stringify(a) }),
    ]) {
      const report = await verify(input);
      expect(report.verdict).toBe('verified');
      expect(report.steps[0]).toMatchObject({ message: Ob2Message.formatHosted });
    }
  });

  it('When one character of the JWS payload changes, then the signature is invalid', async () => {
    const { assertion, jws } = await world.signed(issuer.badge, 's1', key);
    const [h, , s] = jws.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...assertion, issuedOn: '2025-03-02T10:00:00Z' }),
    ).toString('base64url');
    const report = await verify(`${h}.${forged}.${s}`);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toEqual([Ob2Message.signatureInvalid]);
  });

  it('When the assertion is in the issuer revocation list, then it is revoked with its reason', async () => {
    const { assertion, jws } = await world.signed(issuer.badge, 's1', key);
    world.revoke(issuer.id, assertion.id, 'Formation non suivie');
    const report = await verify(jws);
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'status')).toMatchObject({
      message: Ob2Message.statusRevoked,
      params: { reason: 'Formation non suivie' },
    });
    expect(report.badge).toMatchObject({ revoked: true, revocationReason: 'Formation non suivie' });
  });

  it('When the revocation list cannot be read, then the verdict is a warning, never verified', async () => {
    const { jws } = await world.signed(issuer.badge, 's1', key);
    delete world.routes[issuer.revocationList];
    const report = await verify(jws);
    expect(report.verdict).toBe('warning');
    expect(messages(report, 'warning')).toEqual([Ob2Message.statusUnavailable]);
  });

  it('When the JWS uses another algorithm than RS256, then it is refused', async () => {
    const { assertion } = await world.signed(issuer.badge, 's1', key);
    const hs = await new CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    const report = await verify(hs);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toEqual([Ob2Message.signatureUnsupportedAlgorithm]);
  });

  it('When a signed assertion is given as JSON without its JWS, then it cannot be verified', async () => {
    const { assertion } = await world.signed(issuer.badge, 's1', key);
    const report = await verify(assertion as unknown as Record<string, unknown>);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report, 'error')).toEqual([Ob2Message.formatSignedWithoutSignature]);
  });

  it('When the issuer is unknown to this platform, then the verdict is a warning', async () => {
    const { jws } = await world.signed(issuer.badge, 's1', key);
    const unknown = await verify(jws, { isKnownIssuer: () => false });
    expect(unknown.verdict).toBe('warning');
    expect(messages(unknown, 'warning')).toEqual([Ob2Message.issuerUnknown]);
    const known = await verify(jws, { isKnownIssuer: async (id) => id === issuer.id });
    expect(known.verdict).toBe('verified');
    expect(messages(known)).toContain(Ob2Message.issuerKnown);
  });

  it('When a long-lived verifier checks many badges of one issuer, then the key is imported once', async () => {
    const verifier = createOb2Verifier({ fetch: memoryFetcher(world.routes) });
    for (const slug of ['s1', 's2', 's3']) {
      const { jws } = await world.signed(issuer.badge, slug, key);
      expect((await verifier.verify(jws, { now: NOW })).verdict).toBe('verified');
    }
    expect(verifier.cachedKeys).toBe(1);
  });
});

describe('verifyOb2Badge — what is not a badge', () => {
  it('When the input is unreadable, then the report says so and nothing throws', async () => {
    const noBadge = await verify(plainPng);
    expect(messages(noBadge)).toEqual([Ob2Message.formatNotBaked]);
    for (const input of ['', 'bonjour', '{', new Uint8Array([1, 2, 3]), '<svg', '[1,2]']) {
      const report = await verify(input);
      expect(report.verdict).toBe('not_verified');
      expect(report.steps[0]!.id).toBe('format');
    }
  });

  it('When the fetcher refuses an address, then the badge is reported unavailable', async () => {
    const refusing: Fetcher = async (url) => {
      throw new FetchError('blocked_address', url, 'private address');
    };
    const report = await verify('https://10.0.0.1/assertion', { fetch: refusing });
    expect(report.verdict).toBe('not_verified');
    expect(report.steps).toEqual([
      expect.objectContaining({
        message: Ob2Message.formatUnavailable,
        params: { url: 'https://10.0.0.1/assertion' },
      }),
    ]);
  });

  it('When an OB 3.0 credential or a BadgeClass is given, then it is not taken for an OB 2.0 badge', async () => {
    const vc = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
    };
    expect(messages(await verify(vc))).toEqual([Ob2Message.formatNotOb2]);
    const badgeClass = world.routes[issuer.badge] as Record<string, unknown>;
    const report = await verify(badgeClass);
    expect(report.verdict).toBe('not_verified');
    expect(messages(report)).toEqual([Ob2Message.formatNotAssertion]);
    const asDocument = await verify(badgeClass, { allowNonAssertion: true });
    expect(asDocument.verdict).toBe('verified');
    expect(asDocument.badge).toMatchObject({ format: 'unknown', objectType: 'BadgeClass' });
  });

  it('When a badge fans out to too many documents, then fetching stops at 40', async () => {
    // 10 endorsements on each of assertion, badge class and issuer, each by its own endorser:
    // 4 + 30 + 30 documents would be read without the budget.
    const a = world.hosted(issuer.badge, 'a1');
    const routes: Record<string, object> = { ...world.routes };
    const endorse = (target: string, prefix: string) =>
      Array.from({ length: 10 }, (_, i) => {
        const id = `${ORIGIN}/endorsements/${prefix}-${i}`;
        const endorser = `${ORIGIN}/endorsers/${prefix}-${i}`;
        routes[endorser] = { ...(world.routes[issuer.id] as object), id: endorser };
        routes[id] = {
          '@context': 'https://w3id.org/openbadges/v2',
          type: 'Endorsement',
          id,
          claim: { id: target, endorsementComment: 'Bien' },
          issuer: endorser,
          issuedOn: '2025-01-01T00:00:00Z',
          verification: { type: 'hosted' },
        };
        return id;
      });
    routes[a.id] = { ...a, endorsement: endorse(a.id, 'a') };
    routes[issuer.badge] = {
      ...(routes[issuer.badge] as object),
      endorsement: endorse(issuer.badge, 'b'),
    };
    routes[issuer.id] = { ...(routes[issuer.id] as object), endorsement: endorse(issuer.id, 'i') };
    const fetcher = memoryFetcher(routes);
    const report = await verifyOb2Badge(a.id, { fetch: fetcher, now: NOW });
    expect(fetcher.calls.length).toBe(40);
    expect(report.verdict).toBe('warning'); // endorsements past the budget are reported unread
    expect(messages(report, 'error')).toEqual([]);
  });
});
