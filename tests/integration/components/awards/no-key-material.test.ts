/**
 * No private key, master key or unencrypted key material in the database
 * or the logs. A whole journey runs (badge created, issued, fetched in every form, revoked,
 * keys rotated); then every collection is dumped to JSON and every log line is searched for
 * the master key and for each private key in every encoding it could leak in.
 */
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { issuerKeyModel } from '../../../../src/components/keys/keys.model.js';
import { loadMasterKey } from '../../../../src/components/keys/master-key.js';
import { BAKED_VARIANTS } from '../../../../src/components/awards/public-urls.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
} from '../../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('no key material in the database or the logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { ...relaxedLimits, LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When badges are created, issued, revoked and keys rotated, then no secret is in any collection or log line', async () => {
    await createIssuer(t.app, 'roubaix', 'Ville de Roubaix');
    const owner = await createPerson(t.app, { email: 'nadia@example.org' }, { roubaix: 'owner' });
    const agent = await signIn(t.app, owner);
    const html = (path: string) => agent.get(path).set('Accept', 'text/html');
    const post = async (page: string, path: string, fields: Record<string, string>) => {
      const token = csrfFrom((await html(page)).text);
      return agent
        .post(path)
        .type('form')
        .send({ _csrf: token, ...fields });
    };

    const created = await post('/structures/roubaix/badges/nouveau', '/structures/roubaix/badges', {
      name: 'Accompagner une démarche en ligne',
      description: 'Accompagne une démarche.',
      criteriaNarrative: 'Trois accompagnements.',
      template: 'medal',
      action: 'creer',
    });
    expect(created.status).toBe(303);
    const badgeId = (await t.app.services.achievements.listForIssuer('roubaix'))[0]!._id;
    const issued = await post('/structures/roubaix/delivrer', '/structures/roubaix/delivrer', {
      badgeClassId: badgeId,
      recipientEmail: 'karim@example.org',
    });
    const awardPath = issued.headers.location as string;
    const id = awardPath.split('/').pop()!;
    for (const suffix of [
      '',
      '/jws',
      '/credential',
      '/credential.jwt',
      ...BAKED_VARIANTS.map((v) => `/${v}`),
    ]) {
      await request(t.app).get(`${awardPath}${suffix}`).set('Accept', 'application/ld+json');
    }
    for (const doc of [
      '',
      '/did.json',
      '/jwks.json',
      '/profil.json',
      '/revocations',
      '/statuts/1',
    ]) {
      await request(t.app).get(`/emetteurs/roubaix${doc}`).set('Accept', 'application/ld+json');
    }
    await post(awardPath, `/structures/roubaix/assertions/${id}/revoquer`, { reason: 'Erreur' });
    await post('/structures/roubaix', '/structures/roubaix/cles/renouveler', {});
    await request(t.app).get('/emetteurs/roubaix/statuts/1');

    // Every secret, in every encoding it could leak in.
    const masterText = fs.readFileSync(path.join(t.dataDir, 'master.key'), 'utf8').trim();
    const masterBytes = Buffer.from(masterText, 'base64');
    const master = loadMasterKey({ dataDir: t.dataDir, production: false });
    const secrets = new Map<string, string>([
      ['master key (base64)', masterText],
      ['master key (hex)', masterBytes.toString('hex')],
      ['master key (base64url)', masterBytes.toString('base64url')],
    ]);
    const keys = await issuerKeyModel(t.db).find({}).lean();
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      const der = master.decrypt(
        key.encryptedPrivateKey,
        `coop-badges/issuer-key/${key.issuerId}/${key._id}/${key.type}`,
      );
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      secrets.set(`${key._id} pkcs8 base64`, der.toString('base64').slice(0, 64));
      secrets.set(`${key._id} pkcs8 hex`, der.toString('hex').slice(-96));
      secrets.set(`${key._id} pem body`, pem.split('\n')[2]!);
      secrets.set(`${key._id} jwk d`, jwk.d!);
      for (const p of ['p', 'q', 'dp', 'dq', 'qi'])
        if (jwk[p]) secrets.set(`${key._id} jwk ${p}`, jwk[p]);
      if (key.type === 'Ed25519') {
        const seed = Buffer.from(jwk.d!, 'base64url');
        secrets.set(`${key._id} seed hex`, seed.toString('hex'));
        secrets.set(`${key._id} seed base64`, seed.toString('base64').replace(/=+$/, ''));
      }
    }

    // The whole database, as an operator's dump would show it.
    const dump: string[] = [];
    const names = (await t.db.db!.listCollections().toArray()).map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'issuer_keys',
        'assertions',
        'revocations',
        'status_list_slots',
        'badge_classes',
      ]),
    );
    for (const name of names) {
      const docs = await t.db.db!.collection(name).find({}).toArray();
      dump.push(`${name}: ${mongoose.mongo.BSON.EJSON.stringify(docs)}`);
    }
    const dumpText = dump.join('\n');
    const logText = t.logs.text;
    // The search covers what it claims: the encrypted keys are in the dump, the journey in the logs.
    expect(dumpText).toContain(keys[0]!.encryptedPrivateKey.ciphertext.slice(0, 40));
    expect(logText).toContain(`/structures/roubaix/assertions/${id}/revoquer`);
    expect(logText).toContain('/structures/roubaix/cles/renouveler');
    const found: string[] = [];
    for (const [label, value] of secrets) {
      if (dumpText.includes(value)) found.push(`database: ${label}`);
      if (logText.includes(value)) found.push(`logs: ${label}`);
    }
    for (const [where, text] of [
      ['database', dumpText],
      ['logs', logText],
    ] as const) {
      if (/PRIVATE KEY/.test(text)) found.push(`${where}: a PEM private key`);
      if (/"d":"/.test(text)) found.push(`${where}: a private JWK`);
    }
    expect(logText).not.toMatch(/ciphertext|encryptedPrivateKey/);
    expect(found).toEqual([]);
  });
});
