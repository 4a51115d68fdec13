import { Ob2Message } from '../../../../src/core/verification/ob2/ob2-messages.js';
import { verifyOb2Badge } from '../../../../src/core/verification/ob2/verify-ob2-badge.js';
import { memoryFetcher } from '../../../helpers/memory-fetcher.js';
import { NOW, Ob2World, newKey, type TestKey } from './ob2-world.js';

/**
 * Key rotation in core terms: an issuer keeps every key it signed with in `publicKey`, so a
 * badge signed before the rotation (key A) and one after (key B) both verify; a key that
 * belongs to another issuer never signs for this one.
 */
describe('OB 2.0 key rotation', () => {
  let keyA: TestKey;
  let keyB: TestKey;
  let otherKey: TestKey;

  beforeAll(async () => {
    [keyA, keyB, otherKey] = await Promise.all([
      newKey('https://badges.example.fr/issuers/roubaix/keys/a'),
      newKey('https://badges.example.fr/issuers/roubaix/keys/b'),
      newKey('https://badges.example.fr/issuers/lille/keys/1'),
    ]);
  });

  function worldWithRotation() {
    const world = new Ob2World();
    const roubaix = world.addIssuer('roubaix', [keyA, keyB]);
    const lille = world.addIssuer('lille', [otherKey]);
    return { world, roubaix, lille };
  }

  it('When badges were signed before (key A) and after (key B) a rotation, then both verify', async () => {
    const { world, roubaix } = worldWithRotation();
    const before = await world.signed(roubaix.badge, 'before', keyA);
    const after = await world.signed(roubaix.badge, 'after', keyB);
    for (const [{ jws }, key] of [
      [before, keyA],
      [after, keyB],
    ] as const) {
      const report = await verifyOb2Badge(jws, { fetch: memoryFetcher(world.routes), now: NOW });
      expect(report.verdict).toBe('verified');
      expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
        message: Ob2Message.signatureValid,
        params: { key: key.id },
      });
    }
  });

  it('When a badge of this issuer is signed by a key of another issuer, then it does not verify', async () => {
    const { world, roubaix } = worldWithRotation();
    // Lille's key, named as creator, signs a badge class of Roubaix.
    const { jws } = await world.signed(roubaix.badge, 'stolen', otherKey);
    const report = await verifyOb2Badge(jws, { fetch: memoryFetcher(world.routes), now: NOW });
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      level: 'error',
      message: Ob2Message.signatureKeyOwnerMismatch,
    });
  });

  it('When a key document without owner is not listed by the issuer, then it does not verify', async () => {
    const { world, roubaix } = worldWithRotation();
    const rogue = await newKey('https://badges.example.fr/keys/rogue');
    world.routes[rogue.id] = {
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'CryptographicKey',
      id: rogue.id,
      publicKeyPem: rogue.publicKeyPem,
    };
    const { jws } = await world.signed(roubaix.badge, 'rogue', rogue);
    const report = await verifyOb2Badge(jws, { fetch: memoryFetcher(world.routes), now: NOW });
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      message: Ob2Message.signatureKeyNotListed,
    });
  });

  it('When the issuer lists only its current key, then a badge signed by its previous key on the same origin, with an owner back-link, does not verify', async () => {
    const { world, roubaix } = worldWithRotation();
    // The owner back-link is written by whoever writes the key document: it proves nothing.
    (world.routes[roubaix.id] as { publicKey: string[] }).publicKey = [keyB.id];
    const before = await world.signed(roubaix.badge, 'before-rotation', keyA);
    const report = await verifyOb2Badge(before.jws, {
      fetch: memoryFetcher(world.routes),
      now: NOW,
    });
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      message: Ob2Message.signatureKeyNotListed,
    });
  });

  it("When this platform's key registry says the previous key is retired (not compromised), then the old badge verifies", async () => {
    const { world, roubaix } = worldWithRotation();
    (world.routes[roubaix.id] as { publicKey: string[] }).publicKey = [keyB.id];
    const before = await world.signed(roubaix.badge, 'before-rotation', keyA);
    const registry = (status: 'retired' | 'compromised') => async (issuer: string, key: string) =>
      issuer === roubaix.id && key === keyA.id ? status : undefined;
    const fetch = memoryFetcher(world.routes);
    const retired = await verifyOb2Badge(before.jws, {
      fetch,
      now: NOW,
      issuerKeyStatus: registry('retired'),
    });
    expect(retired.verdict).toBe('verified');
    const compromised = await verifyOb2Badge(before.jws, {
      fetch,
      now: NOW,
      issuerKeyStatus: registry('compromised'),
    });
    expect(compromised.verdict).toBe('not_verified');
    expect(compromised.steps.find((s) => s.id === 'issuer' && s.level === 'error')).toMatchObject({
      message: Ob2Message.issuerKeyCompromised,
    });
  });

  it('When an unlisted key on another origin claims the issuer as owner, then it does not verify', async () => {
    const { world, roubaix } = worldWithRotation();
    const foreign = await newKey('https://attacker.example.net/keys/1');
    world.routes[foreign.id] = {
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'CryptographicKey',
      id: foreign.id,
      owner: roubaix.id,
      publicKeyPem: foreign.publicKeyPem,
    };
    const { jws } = await world.signed(roubaix.badge, 'foreign', foreign);
    const report = await verifyOb2Badge(jws, { fetch: memoryFetcher(world.routes), now: NOW });
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      message: Ob2Message.signatureKeyNotListed,
    });
  });
});
