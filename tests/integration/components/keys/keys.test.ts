import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { compactVerify, importSPKI } from 'jose';
import {
  loadMasterKey,
  masterKeyFromBytes,
  MasterKeyError,
} from '../../../../src/components/keys/master-key.js';
import { keysRepository } from '../../../../src/components/keys/keys.repository.js';
import { createKeyService } from '../../../../src/components/keys/keys.use-case.js';
import { issuerKeyModel } from '../../../../src/components/keys/keys.model.js';
import { createLogger } from '../../../../src/libraries/logger/logger.js';
import { createTestApp, LogCapture, type TestApp } from '../../../helpers/test-app.js';

describe('the key module', () => {
  let t: TestApp;
  const masterBytes = randomBytes(32);
  const clock = () => new Date('2026-11-26T10:00:00Z');
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const service = () =>
    createKeyService({
      repo: keysRepository(t.db),
      masterKey: masterKeyFromBytes(masterBytes),
      clock,
    });

  it('When an issuer is created, then it gets an RSA-2048 and an Ed25519 key, and signs RS256 JWS that verify', async () => {
    const keys = service();
    const created = await keys.createIssuerKeys('ville-de-roubaix');
    expect(created.map((k) => k.type).sort()).toEqual(['Ed25519', 'RSA']);
    const rsa = created.find((k) => k.type === 'RSA')!;
    expect(rsa.publicJwk.n!.length).toBeGreaterThanOrEqual(342); // 2048-bit modulus in base64url
    const ed = created.find((k) => k.type === 'Ed25519')!;
    expect(ed.publicKeyMultibase).toMatch(/^z6Mk/);

    const { jws, keyId } = await keys.signCompactJws(
      'ville-de-roubaix',
      JSON.stringify({ hello: 'Roubaix' }),
    );
    expect(keyId).toBe(rsa._id);
    const verified = await compactVerify(jws, await importSPKI(rsa.publicKeyPem, 'RS256'));
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual({ hello: 'Roubaix' });
    expect(verified.protectedHeader.alg).toBe('RS256');
  });

  it('When a fresh process (new service, same master key) signs, then it decrypts the stored key', async () => {
    const first = service();
    await first.createIssuerKeys('centre-social');
    const again = service();
    const { jws, keyId } = await again.signCompactJws('centre-social', 'payload');
    const key = await again.findPublicKey(keyId);
    await expect(
      compactVerify(jws, await importSPKI(key!.publicKeyPem, 'RS256')),
    ).resolves.toBeDefined();
    const signer = await again.dataIntegritySigner(
      'centre-social',
      (k) => `https://example.org#${k.publicKeyMultibase}`,
    );
    expect(signer.algorithm).toBe('Ed25519');
    expect((await signer.sign({ data: new Uint8Array([1, 2, 3]) })).length).toBe(64);
  });

  it('When keys are rotated, then the new key signs and the old one stays published as retired', async () => {
    const keys = service();
    const [oldRsa] = (await keys.createIssuerKeys('mediatheque')).filter((k) => k.type === 'RSA');
    const before = await keys.signCompactJws('mediatheque', 'before');
    const rotation = await keys.rotateIssuerKeys('mediatheque');
    expect(rotation.retired).toContain(oldRsa!._id);
    const after = await keys.signCompactJws('mediatheque', 'after');
    expect(after.keyId).not.toBe(before.keyId);
    const published = await keys.listPublicKeys('mediatheque');
    // Awards are signed with the new key of each type (both read at once), never a retired one.
    const forms = await keys.awardFormsSigner('mediatheque', {
      verificationMethod: (k) => `https://example.org#${k.publicKeyMultibase}`,
      jwtKid: (k) => `https://example.org#${k._id}`,
    });
    const active = published.filter((k) => k.status === 'active');
    expect(forms.rsaKeyId).toBe(active.find((k) => k.type === 'RSA')!._id);
    expect(forms.edKeyId).toBe(active.find((k) => k.type === 'Ed25519')!._id);
    expect(forms.rsaKeyId).toBe(after.keyId);
    expect(published).toHaveLength(4);
    expect(published.find((k) => k._id === oldRsa!._id)!.status).toBe('retired');
    for (const signed of [before, after]) {
      const k = published.find((p) => p._id === signed.keyId)!;
      await expect(
        compactVerify(signed.jws, await importSPKI(k.publicKeyPem, 'RS256')),
      ).resolves.toBeDefined();
    }
  });

  it('When the database is dumped and the logs are read, then no private key material appears', async () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: 'trace' }, logs);
    const keys = service();
    const created = await keys.createIssuerKeys('dump-check');
    logger.info({ created }, 'keys created');
    const dump = JSON.stringify(await t.db.collection('issuer_keys').find({}).toArray());
    for (const text of [dump, logs.text]) {
      expect(text).not.toMatch(/PRIVATE KEY/);
      expect(text).not.toMatch(/"d":"/); // private JWK parameter
      expect(text).not.toMatch(/"(p|q|dp|dq|qi)":"/);
      expect(text).not.toContain(masterBytes.toString('base64'));
      expect(text).not.toContain(masterBytes.toString('hex'));
    }
    expect(logs.text).not.toMatch(/ciphertext/);
  });

  it('When an encrypted key is moved to another issuer or the master key is wrong, then it cannot be used', async () => {
    const keys = service();
    await keys.createIssuerKeys('victim');
    const Key = issuerKeyModel(t.db);
    const stolen = await Key.findOne({ issuerId: 'victim', type: 'RSA' }).lean();
    await Key.create({
      ...stolen,
      _id: 'rsa-moved',
      issuerId: 'attacker',
      createdAt: new Date('2030-01-01'),
    });
    await expect(service().signCompactJws('attacker', 'x')).rejects.toMatchObject({
      code: 'key_decryption_failed',
    });

    const wrongMaster = createKeyService({
      repo: keysRepository(t.db),
      masterKey: masterKeyFromBytes(randomBytes(32)),
      clock,
    });
    await expect(wrongMaster.signCompactJws('victim', 'x')).rejects.toMatchObject({
      code: 'key_decryption_failed',
    });
  });
});

describe('the master key', () => {
  it('When no key is configured in development, then a 0600 key file is generated once and reused', () => {
    const dataDir = fs.mkdtempSync('/tmp/coopbadges-master-');
    const a = loadMasterKey({ dataDir, production: false });
    const file = path.join(dataDir, 'master.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const b = loadMasterKey({ dataDir, production: false });
    const blob = a.encrypt(Buffer.from('secret'), 'aad');
    expect(b.decrypt(blob, 'aad').toString()).toBe('secret');
    expect(() => b.decrypt(blob, 'other aad')).toThrow();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('When production has no master key, then loading it fails with a message saying what to set', () => {
    expect(() => loadMasterKey({ dataDir: '/tmp', production: true })).toThrow(MasterKeyError);
    expect(() => loadMasterKey({ dataDir: '/tmp', production: true })).toThrow(/MASTER_KEY/);
  });

  it('When MASTER_KEY is not 32 bytes, then it is refused', () => {
    expect(() => loadMasterKey({ value: 'c2hvcnQ=', dataDir: '/tmp', production: true })).toThrow(
      /32 random bytes/,
    );
  });
});
