/**
 * Key rotation: badges signed before and after a rotation both verify,
 * with our verifiers and with the reference validator; a badge signed by another issuer's key
 * does not. The owner's button and the CLI both rotate, and both are audited.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import {
  signCredentialDataIntegrity,
  verifyOb2Badge,
  verifyOb3Credential,
  type OpenBadgeCredentialJson,
} from '../../../../src/core/index.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import { ownBadgesFrom } from '../../../../src/components/awards/own-badges.js';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo, RECIPIENT } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { startTestServer, testDatabaseUri } from '../../../helpers/test-app.js';
import { runReferenceValidator } from '../../../helpers/validator.js';
import { runAdminCli } from '../../../helpers/admin-cli.js';

describe('key rotation', () => {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  let t: Awaited<ReturnType<typeof startTestServer>>;
  let before: AwardDoc;
  let after: AwardDoc;
  let originalJws: string;

  const own = () => ownBadgesFrom(t.app.services);
  const verifyAll = async (award: AwardDoc, jws = award.ob2.jws) => {
    const fetch = t.app.services.internalFetcher;
    const now = new Date();
    return {
      hosted: (await verifyOb2Badge(t.app.services.urls.assertion(award._id), { fetch, now }))
        .verdict,
      // Our key registry binds a retired key of our issuer (its OB 2.0 profile names one key).
      signed: (await verifyOb2Badge(jws, { fetch, now, issuerKeyStatus: own().issuerKeyStatus }))
        .verdict,
      dataIntegrity: (await verifyOb3Credential(award.ob3.credential, { fetch, now })).verdict,
      jwt: (await verifyOb3Credential(award.ob3.jwt, { fetch, now })).verdict,
    };
  };
  const allVerified = {
    hosted: 'verified',
    signed: 'verified',
    dataIntegrity: 'verified',
    jwt: 'verified',
  };

  beforeAll(async () => {
    t = await startTestServer({ dbName, env: relaxedLimits });
    const badge = await issuerWithBadge(t.app, 'roubaix');
    before = await issueTo(t.app, badge);
    originalJws = before.ob2.jws;
  });
  afterAll(async () => {
    await t?.db.dropDatabase().catch(() => {});
    await t?.close();
  });

  it('When the owner renews the keys from the issuer page, then new keys sign and old badges are signed again', async () => {
    const owner = await createPerson(t.app, { email: 'owner@example.org' }, { roubaix: 'owner' });
    const coordinator = await createPerson(
      t.app,
      { email: 'coord@example.org' },
      { roubaix: 'coordinator' },
    );
    // A coordinator does not see the keys, and cannot rotate them.
    const coordAgent = await signIn(t.app, coordinator);
    const coordPage = await coordAgent.get('/structures/roubaix').set('Accept', 'text/html');
    expect(coordPage.text).not.toContain('Renouveler les clés');
    const refused = await coordAgent
      .post('/structures/roubaix/cles/renouveler')
      .type('form')
      .send({ _csrf: csrfFrom(coordPage.text) });
    expect(refused.status).toBe(403);

    const agent = await signIn(t.app, owner);
    const page = await agent.get('/structures/roubaix').set('Accept', 'text/html');
    expect(decoded(page.text)).toContain('Renouveler les clés');
    const oldKeys = await t.app.services.keys.listPublicKeys('roubaix');
    const res = await agent
      .post('/structures/roubaix/cles/renouveler')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    const done = decoded((await agent.get('/structures/roubaix').set('Accept', 'text/html')).text);
    expect(done).toContain('Les clés sont renouvelées. 1 badge a été signé à nouveau.');

    const keys = await t.app.services.keys.listPublicKeys('roubaix');
    expect(keys).toHaveLength(4);
    for (const old of oldKeys) {
      expect(keys.find((k) => k._id === old._id)!.status).toBe('retired');
    }
    const newRsa = keys.find((k) => k.type === 'RSA' && k.status === 'active')!;
    before = await t.app.services.awards.getAward(before._id);
    expect(before.ob2.keyId).toBe(newRsa._id);
    expect(before.ob2.jws).not.toBe(originalJws);
    expect(decodeJwt(before.ob2.jws).verification).toEqual({
      type: 'SignedBadge',
      creator: t.app.services.urls.key('roubaix', newRsa._id),
    });
    // OB 3.0 proofs are kept as issued: the did.json lists the retired keys too.
    const did = JSON.parse((await request(t.app).get('/emetteurs/roubaix/did.json')).text) as {
      verificationMethod: { id: string }[];
      assertionMethod: string[];
    };
    expect(did.assertionMethod).toHaveLength(4);
    // The OB 2.0 profile names only the active RSA key (the validator reads one key).
    const profile = JSON.parse(
      (await request(t.app).get('/emetteurs/roubaix').set('Accept', 'application/ld+json')).text,
    );
    expect(profile.publicKey).toBe(t.app.services.urls.key('roubaix', newRsa._id));

    const audit = await t.app.services.audit.page({ action: 'key.rotated' }, 5);
    expect(audit.events[0]).toMatchObject({
      actorId: owner.id,
      issuerId: 'roubaix',
      details: { resigned: 1 },
    });
    after = await issueTo(
      t.app,
      await t.app.services.achievements.getBadgeClass(before.badgeClassId),
      {
        recipientEmail: 'apres@example.org',
      },
    );
    expect(after.ob2.keyId).toBe(newRsa._id);
  });

  it('When badges signed before and after the rotation are verified, then every form of both verifies', async () => {
    expect(await verifyAll(before)).toEqual(allVerified);
    expect(await verifyAll(after)).toEqual(allVerified);
    // A copy of the JWS made before the rotation (a holder's old download) still verifies
    // with our verifier: the retired key is in our issuer's key registry.
    expect((await verifyAll(before, originalJws)).signed).toBe('verified');
  });

  it('When the reference validator reads the signed badges, then both pass, re-signed and new', async () => {
    for (const [jws, email] of [
      [before.ob2.jws, RECIPIENT],
      [after.ob2.jws, 'apres@example.org'],
    ] as const) {
      const report = await runReferenceValidator(jws, { recipient: email });
      expect([report.valid, report.errorCount, report.messages]).toEqual([true, 0, []]);
    }
  });

  it('When a badge is signed with the key of another issuer, then it does not verify', async () => {
    const other = await issuerWithBadge(t.app, 'autre-structure');
    await issueTo(t.app, other, { recipientEmail: 'x@example.org' });
    const urls = t.app.services.urls;
    const fetch = t.app.services.internalFetcher;
    const now = new Date();
    const forger = await t.app.services.keys.jwsSigner('autre-structure');
    const payload = decodeJwt(before.ob2.jws);

    // OB 2.0, creator = the other issuer's key: its owner is not this badge's issuer.
    const claimed = await forger.sign(
      JSON.stringify({
        ...payload,
        verification: { type: 'SignedBadge', creator: urls.key('autre-structure', forger.keyId) },
      }),
    );
    const r1 = await verifyOb2Badge(claimed, { fetch, now });
    expect(r1.verdict).toBe('not_verified');
    expect(r1.steps.find((s) => s.id === 'signature')?.message).toBe(
      'verify.steps.signature.key_owner_mismatch',
    );
    // OB 2.0, creator = our key, signed by theirs: the signature is wrong.
    const r2 = await verifyOb2Badge(await forger.sign(JSON.stringify(payload)), { fetch, now });
    expect(r2.verdict).toBe('not_verified');
    expect(r2.steps.find((s) => s.id === 'signature')?.message).toBe(
      'verify.steps.signature.invalid',
    );

    // OB 3.0 Data Integrity signed with the other issuer's Ed25519 key: not the issuer's DID.
    const credential = JSON.parse(before.ob3.credential) as OpenBadgeCredentialJson;
    delete credential.proof;
    const otherDid = urls.issuerDid('autre-structure');
    const signer = await t.app.services.keys.dataIntegritySigner(
      'autre-structure',
      (k) => `${otherDid}#${k._id}`,
    );
    const forged = await signCredentialDataIntegrity(
      credential,
      { verificationMethod: signer.id, signer },
      { created: now, documentLoader: t.app.services.documentLoader },
    );
    const r3 = await verifyOb3Credential(forged, { fetch, now });
    expect(r3.verdict).toBe('not_verified');
    expect(r3.steps.find((s) => s.id === 'issuer')?.message).toBe(
      'verify.steps.issuer.key_mismatch',
    );
    // …and claiming our DID for their key: the key is not in our DID document.
    const claimedVm = `${urls.issuerDid('roubaix')}#${signer.keyId}`;
    const forged2 = await signCredentialDataIntegrity(
      credential,
      { verificationMethod: claimedVm, signer: { ...signer, id: claimedVm } },
      { created: now, documentLoader: t.app.services.documentLoader },
    );
    expect((await verifyOb3Credential(forged2, { fetch, now })).verdict).toBe('not_verified');

    // VC-JWT signed by the other issuer's RSA key, kid pointing at it: never "verified".
    const jwt = await forger.sign(JSON.stringify(decodeJwt(before.ob3.jwt)), {
      kid: urls.jwk('autre-structure', forger.keyId),
      typ: 'JWT',
    });
    expect((await verifyOb3Credential(jwt, { fetch, now })).verdict).not.toBe('verified');
    // …and with our kid but their signature: invalid.
    const jwt2 = await forger.sign(JSON.stringify(decodeJwt(before.ob3.jwt)), {
      kid: urls.jwk('roubaix', before.ob2.keyId),
      typ: 'JWT',
    });
    expect((await verifyOb3Credential(jwt2, { fetch, now })).verdict).toBe('not_verified');
  });

  it('When an operator runs `npm run admin -- rotate-key`, then the keys rotate the same way and the badges still verify', async () => {
    const run = await runAdminCli(['rotate-key', '--issuer', 'roubaix'], {
      MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      DATA_DIR: t.dataDir,
      PUBLIC_URL: t.url,
      NODE_ENV: 'test',
    });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Keys of roubaix renewed.');
    expect(run.out).toContain('OB 2.0 signed badges signed again: 2');
    const keys = await t.app.services.keys.listPublicKeys('roubaix');
    expect(keys.filter((k) => k.status === 'active')).toHaveLength(2);
    expect(keys).toHaveLength(6);
    const audit = await t.app.services.audit.page({ action: 'key.rotated' }, 5);
    expect(audit.events[0]).toMatchObject({ actorId: 'cli', details: { resigned: 2 } });
    for (const award of [before, after]) {
      const fresh = await t.app.services.awards.getAward(award._id);
      expect(await verifyAll(fresh)).toEqual(allVerified);
    }
    const unknown = await runAdminCli(['rotate-key', '--issuer', 'inconnue'], {
      MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      DATA_DIR: t.dataDir,
      NODE_ENV: 'test',
    });
    expect([unknown.code, unknown.err.trim()]).toEqual([65, 'No issuer "inconnue".']);
  });
});
