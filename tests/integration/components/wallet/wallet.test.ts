/**
 * "Ajouter à mon portefeuille" over HTTP on a real FerretDB: an OpenID4VCI 1.0 wallet and a
 * VC-API (Learner Credential Wallet) client, both written from the specs in
 * tests/helpers/wallet-clients.ts, receive the recipient's badge; what they receive verifies
 * with our verifier and with DCC's verifier-core; replays, wrong codes, stale nonces, forged
 * proofs and other people are refused.
 */
import fs from 'node:fs';
import { verifierCore as verifierCoreOffline } from '../../../../scripts/conformance/checks.js';
import path from 'node:path';
import { decodeJwt } from 'jose';
import request, { type Agent } from 'supertest';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import { auditEventModel } from '../../../../src/components/audit/audit.model.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { RECIPIENT, adminActor, issueTo, issuerWithBadge } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import { callApi } from '../../../helpers/verification.js';
import {
  Oid4vciWallet,
  VcApiClient,
  didJwkKey,
  didKeyKey,
  lcwKey,
} from '../../../helpers/wallet-clients.js';

const LDP = 'OpenBadgeCredential_ldp_vc';

describe('Ajouter à mon portefeuille (OpenID4VCI 1.0 and VC-API)', () => {
  // Yesterday: verifier-core reads the real clock and refuses a validFrom in its future.
  const clock = testClock(new Date(Date.now() - 24 * 3600_000));
  let t: TestApp;
  let origin: string;
  let badge: BadgeClassDoc;
  let award: AwardDoc;
  let other: AwardDoc;
  let karim: Person;
  let karimAgent: Agent;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits, clock: clock.now });
    origin = t.config.PUBLIC_URL;
    badge = await issuerWithBadge(t.app);
    award = await issueTo(t.app, badge);
    other = await issueTo(t.app, badge, { recipientEmail: 'sami@example.org' });
    karim = await createPerson(t.app, { email: RECIPIENT, name: 'Karim' });
    karimAgent = await signIn(t.app, karim);
  });
  afterAll(() => t.close());

  interface OfferPage {
    status: number;
    html: string;
    offerLink: string;
    lcwLink: string;
    interactionUrl: string;
  }

  /** What the recipient's page shows after "Créer mon QR code": the links behind the QR code. */
  function offerPage(status: number, html: string): OfferPage {
    const text = decoded(html);
    const href = (name: string) =>
      new RegExp(`href="([^"]+)" (?:rel="[^"]*" )?data-wallet="${name}"`).exec(text)?.[1] ?? '';
    const lcwLink = href('lcw');
    return {
      status,
      html: text,
      offerLink: href('oid4vci'),
      lcwLink,
      // What the QR code encodes, also shown as an address to copy.
      interactionUrl: /id="wallet-url"[^>]* value="([^"]+)"/.exec(text)?.[1] ?? '',
    };
  }

  const interactionPath = (page: OfferPage) => {
    const u = new URL(page.interactionUrl);
    return `${u.pathname}${u.search}`;
  };

  async function createOffer(agent: Agent, awardId: string, withCode = false): Promise<OfferPage> {
    const start = `/assertions/${awardId}/portefeuille`;
    const token = csrfFrom((await agent.get(start)).text);
    const res = await agent
      .post(start)
      .type('form')
      .send({ _csrf: token, ...(withCode ? { code: 'oui' } : {}) });
    return offerPage(res.status, res.text);
  }

  /** The newest email to `to` whose subject contains `subject`, from the development outbox. */
  function lastMail(to: string, subject: string): string {
    const dir = path.join(t.dataDir, 'outbox');
    const mails = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, string>)
      .filter((m) => m.to === to && m.subject!.includes(subject))
      .sort((a, b) => a.date!.localeCompare(b.date!));
    const mail = mails.at(-1);
    if (!mail) throw new Error(`no email "${subject}" to ${to}`);
    return mail.text!;
  }

  /** Our verifier, through the public API, on what the wallet received. */
  async function ourVerdict(text: string): Promise<string> {
    const res = await callApi(t.app, { way: 'text', text });
    return String(res.body.verdict);
  }

  /** DCC verifier-core (what LCW runs), offline: our URLs answered by the app itself. */
  async function verifierCore(credential: unknown) {
    const result = (await verifierCoreOffline(t.app, credential)) as Awaited<
      ReturnType<typeof verifierCoreOffline>
    > & { error?: Error };
    // verifier-core reports a failure to run (e.g. a date) as `error`, beside the log.
    if (result.error || result.errors?.length)
      throw new Error(String(result.error ?? result.errors));
    return Object.fromEntries((result.log ?? []).map((s) => [s.id, s.valid]));
  }

  describe('an OpenID4VCI wallet', () => {
    it('When the recipient scans the offer with a did:jwk wallet and gives the emailed tx_code, then it receives both formats naming its DID, and both verify with our verifier and verifier-core', async () => {
      const page = await createOffer(karimAgent, award._id, true);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Scannez ce QR code avec votre portefeuille');
      expect(page.html).toMatch(/<svg[^>]*viewBox/);
      expect(page.offerLink).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
      const code = /\b(\d{6})\b/.exec(lastMail(RECIPIENT, 'code'))![1]!;

      const key = await didJwkKey();
      const wallet = new Oid4vciWallet(t.app, origin, key, clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      expect(
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'].tx_code,
      ).toMatchObject({
        input_mode: 'numeric',
        length: 6,
      });
      const { issuer } = await wallet.metadata(origin);
      const displays = issuer.display.map((d: { locale: string }) => d.locale);
      expect(displays).toEqual(['fr-FR', 'en-US']);

      const got = await wallet.receiveBoth(page.offerLink, code);
      expect(got.ldp.credentialSubject.id).toBe(key.did);
      expect(got.ldp.credentialStatus).toEqual(JSON.parse(award.ob3.credential).credentialStatus);
      expect(decodeJwt(got.jwt).sub).toBe(key.did);
      expect(await ourVerdict(JSON.stringify(got.ldp))).toBe('verified');
      expect(await ourVerdict(got.jwt)).toBe('verified');
      const core = await verifierCore(got.ldp);
      expect(core).toMatchObject({
        valid_signature: true,
        revocation_status: true,
        expiration: true,
      });

      const delivered = await auditEventModel(t.db)
        .find({ action: 'wallet.delivered', targetId: award._id })
        .lean();
      expect(delivered.map((e) => e.details.format).sort()).toEqual(['jwt_vc_json', 'ldp_vc']);
    });

    it('When a did:key wallet proves its key, then the credential names that did:key', async () => {
      const page = await createOffer(karimAgent, award._id);
      const key = await didKeyKey();
      const got = await new Oid4vciWallet(t.app, origin, key, clock.now).receiveBoth(
        page.offerLink,
      );
      expect(got.ldp.credentialSubject.id).toBe(key.did);
    });

    it('When the pre-authorized code is replayed or the tx_code is wrong, then the token endpoint answers invalid_grant', async () => {
      const page = await createOffer(karimAgent, award._id, true);
      const wallet = new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      const { as } = await wallet.metadata(origin);
      const code =
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
      const right = /\b(\d{6})\b/.exec(lastMail(RECIPIENT, 'code'))![1]!;
      const wrong = right === '000000' ? '000001' : '000000';

      const bad = await wallet.token(as, code, wrong);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect(bad.headers['cache-control']).toBe('no-store');
      const missing = await wallet.token(as, code);
      expect(missing.body.error).toBe('invalid_request');

      expect((await wallet.token(as, code, right)).status).toBe(200);
      const replay = await wallet.token(as, code, right);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
    });

    it('When wrong tx_codes are tried five times, then even the right one no longer opens the offer', async () => {
      const page = await createOffer(karimAgent, award._id, true);
      const wallet = new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      const { as } = await wallet.metadata(origin);
      const code =
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
      const right = /\b(\d{6})\b/.exec(lastMail(RECIPIENT, 'code'))![1]!;
      const wrong = right === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) await wallet.token(as, code, wrong);
      const res = await wallet.token(as, code, right);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('When the c_nonce is stale or the proof is signed by another key than the one named, then the credential endpoint answers invalid_nonce / invalid_proof', async () => {
      const page = await createOffer(karimAgent, award._id);
      const key = await didJwkKey();
      const wallet = new Oid4vciWallet(t.app, origin, key, clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      const { issuer, as } = await wallet.metadata(origin);
      const code =
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
      const token = String((await wallet.token(as, code)).body.access_token);

      // Another key signs a proof that names ours.
      const nonce = await wallet.nonce(issuer);
      const forged = await wallet.proof(origin, nonce, { signWith: await didJwkKey() });
      const refused = await wallet.credential(issuer, token, LDP, forged);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_proof');

      // The nonce was not spent by the forged proof: the genuine one works, once.
      const good = await wallet.proof(origin, nonce);
      expect((await wallet.credential(issuer, token, LDP, good)).status).toBe(200);
      const again = await wallet.credential(issuer, token, LDP, await wallet.proof(origin, nonce));
      expect(again.body.error).toBe('invalid_nonce');
      // A nonce we never handed out, and one past its lifetime.
      const invented = await wallet.credential(
        issuer,
        token,
        LDP,
        await wallet.proof(origin, 'invente'),
      );
      expect(invented.body.error).toBe('invalid_nonce');
      // A nonce past its lifetime (2 minutes) while the access token (5 minutes) is still good.
      const old = await wallet.nonce(issuer);
      clock.advance(3 * 60_000);
      const stale = await wallet.credential(issuer, token, LDP, await wallet.proof(origin, old));
      expect(stale.status).toBe(400);
      expect(stale.body.error).toBe('invalid_nonce');
      // Later the access token itself has expired: refused before any proof is read.
      clock.advance(3 * 60_000);
      const fresh = await wallet.nonce(issuer);
      const late = await wallet.credential(issuer, token, LDP, await wallet.proof(origin, fresh));
      expect(late.status).toBe(401);
      expect(late.body.error).toBe('invalid_token');
      expect(late.headers['www-authenticate']).toContain('Bearer');
    });

    it('When the proof names another audience or the request another configuration, then it is refused', async () => {
      const page = await createOffer(karimAgent, award._id);
      const wallet = new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      const { issuer, as } = await wallet.metadata(origin);
      const code =
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
      const token = String((await wallet.token(as, code)).body.access_token);
      const elsewhere = await wallet.proof('https://autre.example', await wallet.nonce(issuer));
      expect((await wallet.credential(issuer, token, LDP, elsewhere)).body.error).toBe(
        'invalid_proof',
      );
      const proof = await wallet.proof(origin, await wallet.nonce(issuer));
      expect((await wallet.credential(issuer, token, 'Diplome', proof)).body.error).toBe(
        'unknown_credential_configuration',
      );
    });
  });

  describe('attackers', () => {
    it('When someone who is not the recipient asks for an offer, then none is made; anonymous people are sent to sign in', async () => {
      const sami = await createPerson(t.app, { email: 'sami@example.org', name: 'Sami' });
      const samiAgent = await signIn(t.app, sami);
      const start = `/assertions/${award._id}/portefeuille`;
      const page = await samiAgent.get(start);
      expect(decoded(page.text)).toContain('Recevoir un lien par courriel');
      expect(page.text).not.toContain('Créer mon QR code');
      const token = csrfFrom(page.text);
      const res = await samiAgent.post(start).type('form').send({ _csrf: token });
      expect(res.status).toBe(404);
      const anonymous = request.agent(t.app);
      const anonPage = await anonymous.get(start);
      const anon = await anonymous
        .post(start)
        .type('form')
        .send({ _csrf: csrfFrom(anonPage.text) });
      expect(anon.status).toBe(303);
      expect(anon.headers.location).toContain('/connexion');
      const offers = await auditEventModel(t.db)
        .find({ action: 'wallet.offered', actorId: sami.id })
        .lean();
      expect(offers).toHaveLength(0);
    });

    it('When an offer has expired, then its code, interaction URL and exchange are refused', async () => {
      const page = await createOffer(karimAgent, award._id);
      const wallet = new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now);
      const offer = await wallet.resolveOffer(page.offerLink);
      const { as } = await wallet.metadata(origin);
      clock.advance(11 * 60_000);
      const code =
        offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
      expect((await wallet.token(as, code)).body.error).toBe('invalid_grant');
      expect(
        (await request(t.app).get(interactionPath(page)).set('Accept', 'application/json')).status,
      ).toBe(410);
      // Someone who scans it with the phone's camera is told what to do.
      const scanned = await request(t.app).get(interactionPath(page)).set('Accept', 'text/html');
      expect(scanned.status).toBe(410);
      expect(decoded(scanned.text)).toContain('Ce QR code ne marche plus');
      expect(decoded(scanned.text)).toContain('Créez-en un nouveau depuis la page de votre badge');
      const client = new VcApiClient(t.app, origin, await didKeyKey());
      const exchangeUrl = JSON.parse(new URL(page.lcwLink).searchParams.get('request')!).protocols
        .vcapi;
      expect((await client.start(exchangeUrl)).status).toBe(404);
    });

    it('When an offer token is put in the URLs of another award, then nothing answers', async () => {
      const page = await createOffer(karimAgent, award._id);
      const swap = (url: string) => url.replace(`/${award._id}/`, `/${other._id}/`);
      expect(
        (
          await request(t.app)
            .get(swap(interactionPath(page)))
            .set('Accept', 'application/json')
        ).status,
      ).toBe(410);
      const offerUri = new URL(page.offerLink).searchParams.get('credential_offer_uri')!;
      expect((await request(t.app).get(swap(new URL(offerUri).pathname))).status).toBe(404);
      const exchangeUrl = JSON.parse(new URL(page.lcwLink).searchParams.get('request')!).protocols
        .vcapi;
      const client = new VcApiClient(t.app, origin, await didKeyKey());
      expect((await client.start(swap(exchangeUrl))).status).toBe(404);
      // Still good for its own award.
      expect((await client.start(exchangeUrl)).status).toBe(200);
    });

    it('When the recipient asks for a link by email, then a one-time link opens the offer once, without an account', async () => {
      const anonymous = request.agent(t.app);
      const start = `/assertions/${award._id}/portefeuille`;
      const page = await anonymous.get(start);
      const sent = await anonymous
        .post(`${start}/lien`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      expect(sent.status).toBe(200);
      const link = /(http:\/\/\S+\/portefeuille\/lien\/\S+)/.exec(lastMail(RECIPIENT, 'lien'))![1]!;
      // Pressing again at once sends nothing more: the recipient's mailbox is not flooded.
      const mails = () => fs.readdirSync(path.join(t.dataDir, 'outbox')).length;
      const before = mails();
      await anonymous
        .post(`${start}/lien`)
        .type('form')
        .send({ _csrf: csrfFrom((await anonymous.get(start)).text) });
      expect(mails()).toBe(before);
      const linkPath = new URL(link).pathname;
      const confirm = await anonymous.get(linkPath);
      expect(confirm.status).toBe(200);
      const used = await anonymous
        .post(linkPath)
        .type('form')
        .send({ _csrf: csrfFrom(confirm.text) });
      const offer = offerPage(used.status, used.text);
      expect(offer.status).toBe(200);
      const got = await new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now).receiveBoth(
        offer.offerLink,
      );
      expect(got.ldp.id).toBe(JSON.parse(award.ob3.credential).id);
      const twice = await anonymous.get(linkPath);
      expect(twice.status).toBe(410);
    });
  });

  describe('a VC-API exchange client (Learner Credential Wallet)', () => {
    it('When it follows the interaction URL and signs the DIDAuth request as LCW does (Ed25519Signature2020), then it receives the credential naming its did:key; the interaction URL answers both protocols', async () => {
      const page = await createOffer(karimAgent, award._id);
      const key = await lcwKey();
      const client = new VcApiClient(t.app, origin, key);
      const protocols = await client.protocols(page.interactionUrl);
      expect(protocols.OID4VCI).toBe(page.offerLink);
      expect(protocols.vcapi).toMatch(/\/api\/portefeuille\/.+\/echange\//);
      const html = await request(t.app).get(interactionPath(page)).set('Accept', 'text/html');
      expect(html.headers['content-type']).toContain('text/html');
      expect(decoded(html.text)).toContain('Learner Credential Wallet');

      const started = await client.start(protocols.vcapi);
      const vpr = started.body.verifiablePresentationRequest;
      expect(vpr.query).toEqual([expect.objectContaining({ type: 'DIDAuthentication' })]);

      // Wrong challenge, then a forged one (another key, holder claims ours), then unsigned.
      const wrong = await client.send(
        protocols.vcapi,
        await client.signedPresentation('autre', vpr.domain),
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('invalid_presentation');
      const forged = await client.signedPresentation(vpr.challenge, vpr.domain, await lcwKey());
      expect((await client.send(protocols.vcapi, forged)).status).toBe(400);
      const signed = await client.signedPresentation(vpr.challenge, vpr.domain);
      const { proof: _proof, ...unsigned } = signed;
      expect((await client.send(protocols.vcapi, unsigned)).status).toBe(400);
      const tampered = { ...signed, proof: { ...signed.proof, challenge: 'autre' } };
      expect((await client.send(protocols.vcapi, tampered)).status).toBe(400);

      const res = await client.send(protocols.vcapi, signed);
      expect(res.status).toBe(200);
      const credential = res.body.verifiablePresentation.verifiableCredential[0];
      expect(credential.credentialSubject.id).toBe(key.did);
      expect(await ourVerdict(JSON.stringify(credential))).toBe('verified');
      expect(await verifierCore(credential)).toMatchObject({
        valid_signature: true,
        revocation_status: true,
      });

      // Single use across both protocols: the exchange and the OpenID4VCI code are spent.
      expect((await client.send(protocols.vcapi, signed)).status).toBe(410);
      const wallet = new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now);
      await expect(wallet.receiveBoth(page.offerLink)).rejects.toThrow(/invalid_grant/);
    });

    it('When the client signs with the Data Integrity eddsa-rdfc-2022 suite, then it receives the credential too', async () => {
      const page = await createOffer(karimAgent, award._id);
      const key = await didKeyKey();
      const client = new VcApiClient(t.app, origin, key);
      const { vcapi } = await client.protocols(page.interactionUrl);
      const vpr = (await client.start(vcapi)).body.verifiablePresentationRequest;
      const forged = await client.signedPresentation(vpr.challenge, vpr.domain, await didKeyKey());
      expect((await client.send(vcapi, forged)).body.error).toBe('invalid_presentation');
      const res = await client.send(
        vcapi,
        await client.signedPresentation(vpr.challenge, vpr.domain),
      );
      expect(res.status).toBe(200);
      expect(res.body.verifiablePresentation.verifiableCredential[0].credentialSubject.id).toBe(
        key.did,
      );
    });
  });

  it('When the award is revoked after a wallet received it, then the wallet copy verifies as revoked and no new offer is made', async () => {
    const revocable = await issueTo(t.app, badge, {
      recipientEmail: RECIPIENT,
      idempotencyKey: 'rev',
    });
    const page = await createOffer(karimAgent, revocable._id);
    const got = await new Oid4vciWallet(t.app, origin, await didJwkKey(), clock.now).receiveBoth(
      page.offerLink,
    );
    expect(await ourVerdict(JSON.stringify(got.ldp))).toBe('verified');
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '127.0.0.1',
      issuerId: revocable.issuerId,
      awardId: revocable._id,
      reason: 'Erreur de saisie',
    });
    expect(await ourVerdict(JSON.stringify(got.ldp))).toBe('not_verified');
    expect((await karimAgent.get(`/assertions/${revocable._id}/portefeuille`)).status).toBe(410);
  });

  it('When housekeeping runs after every offer, nonce and link has expired, then the wallet collections are empty', async () => {
    clock.advance(2 * 3600_000);
    const removed = await t.app.housekeeping();
    expect(removed.walletRecords).toBeGreaterThan(0);
    for (const name of ['wallet_offers', 'wallet_uses', 'wallet_nonces', 'wallet_links']) {
      expect(await t.db.collection(name).countDocuments({})).toBe(0);
    }
  });

  it('When the OpenAPI document of the wallet endpoints is read, then it describes exactly the routes wallets call', async () => {
    const res = await request(t.app).get('/api/portefeuille/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    const routes = t.app.routeTable
      .filter(
        (r) =>
          r.path.startsWith('/api/portefeuille/') ||
          [
            '/.well-known/openid-credential-issuer',
            '/.well-known/oauth-authorization-server',
          ].includes(r.path),
      )
      .map((r) => `${r.method.toUpperCase()} ${r.path}`)
      .sort();
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(documented).toEqual(routes);
  });
});
