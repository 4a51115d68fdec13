/**
 * Faults (issue 17): the database dies in the middle of an issuing by form, a revocation, a CSV
 * run and a key rotation. A real FerretDB of this test's own (own port, own SQLite directory)
 * is SIGKILLed at an exact step by a wire-protocol relay (tests/helpers/fault-proxy.ts), then
 * started again on the same port and directory. Each scenario shows: a 503 (page or problem
 * JSON, no stack trace) while it is away, recovery without restarting the app, no partial
 * award (signed, stored, status slot allocated — or absent) and no duplicate after the user
 * retries. The scenario → outcome table is in docs/operations.md ("Pannes").
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Agent } from 'supertest';
import request from 'supertest';
import {
  awardModel,
  awardTallyModel,
  statusListSlotModel,
} from '../../../src/components/awards/award.model.js';
import { duplicatesOf } from '../../../src/libraries/db/duplicates-of.js';
import { auditEventModel } from '../../../src/components/audit/audit.model.js';
import { bulkRunModel } from '../../../src/components/bulk-issuing/bulk-run.model.js';
import { issuerKeyModel } from '../../../src/components/keys/keys.model.js';
import {
  freeLoopbackPort,
  startFerretdb,
  type EmbeddedFerretdb,
} from '../../../src/libraries/db/embedded-ferretdb.js';
import { readOutbox } from '../../../src/libraries/mail/mailer.js';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../helpers/awards.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { decoded } from '../../helpers/html.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

const ISSUER = 'roubaix';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** What a user sees while the database is away: a French 503 page, never a stack trace. */
function expectUnavailablePage(res: request.Response): void {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBeDefined();
  const text = decoded(res.text);
  expect(text).toContain('Service momentanément indisponible');
  expect(text).not.toMatch(/Mongo\w*Error|\n\s+at |node_modules|stack/i);
}

describe('faults: the database dies in the middle of work', () => {
  const binary = process.env.TEST_FERRETDB_BIN!;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-faults-db-'));
  let dbPort: number;
  let ferret: EmbeddedFerretdb;
  let proxy: FaultProxy;
  let t: TestApp;
  let agent: Agent;
  let server: Server;
  let badgeId: string;

  let dbUp = true;
  const killDatabase = async () => {
    dbUp = false;
    process.kill(ferret.pid!, 'SIGKILL');
    await ferret.stop();
  };
  const restartDatabase = async () => {
    ferret = await startFerretdb({ binary, dataDir, port: dbPort });
    dbUp = true;
    const ok = await waitFor(
      async () => (await request(server).get('/readyz')).status === 200,
      20_000,
    );
    expect(ok).toBe(true);
  };
  /** While the database is away: readiness, a page and the JSON API answer 503 at once. */
  const expect503WhileAway = async () => {
    const started = Date.now();
    expect((await request(server).get('/readyz')).status).toBe(503);
    const page = await agent.get(`/structures/${ISSUER}`).set('Accept', 'text/html');
    expectUnavailablePage(page);
    const api = await agent.get(`/structures/${ISSUER}/delivrer`).set('Accept', 'application/json');
    expect(api.status).toBe(503);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.body).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(JSON.stringify(api.body)).not.toMatch(/\n\s+at |Mongo\w*Error/);
    // No request waits for the database: well under the driver's selection timeout each.
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await request(server).get('/healthz')).status).toBe(200);
  };
  const awards = () => awardModel(t.db);
  /** Complete: signed in the three forms, stored, and its status list slot names it. */
  const expectComplete = async (awardId: string) => {
    const award = await awards().findById(awardId).lean();
    expect(award?.ob2.jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(award?.ob3.jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.parse(award!.ob3.credential).proof).toBeDefined();
    const slot = await statusListSlotModel(t.db)
      .findById(`${ISSUER}:${award!.ob3.statusListNo}:${award!.ob3.statusListIndex}`)
      .lean();
    expect(slot?.assertionId).toBe(awardId);
    expect(
      (await request(server).get(`/assertions/${awardId}`).set('Accept', 'application/json'))
        .status,
    ).toBe(200);
  };

  beforeAll(async () => {
    dbPort = await freeLoopbackPort();
    ferret = await startFerretdb({ binary, dataDir, port: dbPort });
    proxy = await startFaultProxy(() => dbPort);
    t = await createTestApp({ uri: proxy.uri, dbName: 'faults', env: { ...relaxedLimits } });
    const admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    badgeId = (await issuerWithBadge(t.app, ISSUER))._id;
    // One server for the whole file (supertest's per-request servers and kept-alive sockets
    // make a closed socket look like a fault of the app).
    server = t.app.listen(0, '127.0.0.1');
    // Node's client keeps sockets alive: a socket the server closes after its 5 s idle
    // timeout, reused at that instant, reads as "socket hang up". Not what is tested here.
    server.keepAliveTimeout = 120_000;
    await new Promise((resolve) => server.once('listening', resolve));
    agent = await signIn(t.app, admin, request.agent(server));
  }, 60_000);
  // A failed scenario must not leave the next one without a database.
  afterEach(async () => {
    if (!dbUp) await restartDatabase();
  });
  afterAll(async () => {
    await t?.app.services.bulk.idle();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await t?.close();
    await proxy?.close();
    await ferret?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function issueForm(): Promise<Record<string, string>> {
    const page = await agent.get(`/structures/${ISSUER}/delivrer?badge=${badgeId}`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!;
    return {
      _csrf: csrfFrom(page.text),
      badgeClassId: badgeId,
      recipientEmail: `${key.slice(0, 8).toLowerCase()}@example.org`,
      evidence: 'https://exemple.org/atelier',
      narrative: 'A animé un atelier.',
      lang: 'fr',
      idempotencyKey: key,
    };
  }

  it.each([
    ['before the award is stored', 'assertions', 'before' as const],
    ['after the award is stored, before the app hears so', 'assertions', 'after' as const],
    // The journal line is written before the award is counted (the count is the claim to
    // announce it): a retry must neither write it twice nor skip the count and the email.
    [
      'after the journal line is written, before the award is counted',
      'auditEvents',
      'after' as const,
    ],
  ])(
    'Issuing by form, database killed %s: 503 page, then the same form sent again gives exactly one complete award',
    async (_label, collection, when) => {
      const form = await issueForm();
      proxy.arm({ command: 'insert', collection, when, strike: killDatabase });
      const first = await agent.post(`/structures/${ISSUER}/delivrer`).type('form').send(form);
      await proxy.struck();
      expectUnavailablePage(first);
      await expect503WhileAway();

      await restartDatabase();
      // The user sends the same form again (back button, or the browser's "resend").
      const retry = await agent.post(`/structures/${ISSUER}/delivrer`).type('form').send(form);
      expect(retry.status).toBe(303);
      const mine = await awards().find({ 'recipient.email': form.recipientEmail }).lean();
      expect(mine).toHaveLength(1);
      expect(retry.headers.location).toBe(`/assertions/${mine[0]!._id}`);
      await expectComplete(mine[0]!._id);
      // Recorded and announced once, whichever attempt stored it.
      const issued = await auditEventModel(t.db).countDocuments({
        action: 'award.issued',
        targetId: mine[0]!._id,
      });
      expect(issued).toBe(1);
      const mails = (await readOutbox(t.config)).filter((m) => m.to === form.recipientEmail);
      expect(mails).toHaveLength(1);
    },
    60_000,
  );

  it('Revocation, database killed after the revocation is stored: 503, then revoking again completes it once (award, status list, journal, email)', async () => {
    const award = await issueTo(t.app, { _id: badgeId, issuerId: ISSUER } as never, {
      recipientEmail: 'revoquee@example.org',
    });
    const path = `/structures/${ISSUER}/assertions/${award._id}/revoquer`;
    const page = await agent.get(path);
    const form = { _csrf: csrfFrom(page.text), reason: 'Délivré par erreur' };
    proxy.arm({
      command: 'insert',
      collection: 'revocations',
      when: 'after',
      strike: killDatabase,
    });
    const first = await agent.post(path).type('form').send(form);
    await proxy.struck();
    expectUnavailablePage(first);
    await expect503WhileAway();

    await restartDatabase();
    // The award does not say "revoked" yet: the coordinator comes back and revokes again.
    const again = await agent.get(path);
    const retry = await agent
      .post(path)
      .type('form')
      .send({ ...form, _csrf: again.status === 200 ? csrfFrom(again.text) : form._csrf });
    expect(retry.status).toBe(303);
    const stored = await awards().findById(award._id).lean();
    expect(stored?.revoked).toBe(true);
    expect(stored?.revocationReason).toBe('Délivré par erreur');
    expect(
      (await request(server).get(`/assertions/${award._id}`).set('Accept', 'application/json'))
        .status,
    ).toBe(410);
    expect(
      await auditEventModel(t.db).countDocuments({ action: 'award.revoked', targetId: award._id }),
    ).toBe(1);
    const mails = (await readOutbox(t.config)).filter(
      (m) => m.to === 'revoquee@example.org' && /révoqu/i.test(m.subject),
    );
    expect(mails).toHaveLength(1);
  }, 60_000);

  it('An unordered insert cut off by the database dying is an error, never "stored, no duplicates"', async () => {
    // The driver reports a connection closed mid-insert as a bulk write error with no write
    // errors at all; read as "nothing refused", a CSV batch was once counted, journaled and
    // emailed although none of its awards was stored.
    const docs = Array.from({ length: 50 }, (_, i) => ({
      _id: `coupure-${i}`,
      issuerId: ISSUER,
      badgeClassId: badgeId,
    }));
    proxy.arm({
      command: 'insert',
      collection: 'award_tallies',
      when: 'before',
      strike: killDatabase,
    });
    await expect(duplicatesOf(awardTallyModel(t.db), docs)).rejects.toThrow();
    await restartDatabase();
    expect(await awardTallyModel(t.db).countDocuments({ _id: /^coupure-/ })).toBe(0);
    // Once it is back, the same insert stores them all, and again refuses them all.
    expect((await duplicatesOf(awardTallyModel(t.db), docs)).size).toBe(0);
    expect((await duplicatesOf(awardTallyModel(t.db), docs)).size).toBe(50);
  }, 60_000);

  it('CSV run, database killed after the first batch is stored: the run finishes by itself once the database is back, exactly one award per row; the same file again issues nothing', async () => {
    const ROWS = 120; // two batches of the run (100 + 20)
    const lines = ['email;preuves'];
    for (let i = 0; i < ROWS; i++) lines.push(`csv${i}@example.org;https://exemple.org/${i}`);
    const upload = () =>
      t.app.services.bulk.upload({
        actor: adminActor,
        ip: '127.0.0.1',
        issuerId: ISSUER,
        badgeClassId: badgeId,
        fileName: 'promo.csv',
        text: lines.join('\n'),
        lang: 'fr',
      });
    const run = await upload();
    const runPath = `/structures/${ISSUER}/delivrer/fichier/${run._id}`;
    const preview = await agent.get(runPath);
    const confirm = await agent
      .post(`${runPath}/confirmer`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text) });
    expect(confirm.status).toBe(303);
    // Armed once the page is answered (the run signs for seconds before its first insert).
    proxy.arm({ command: 'insert', collection: 'assertions', when: 'after', strike: killDatabase });
    await proxy.struck();
    await expect503WhileAway();
    const state = await agent.get(`${runPath}/etat.json`);
    expect(state.status).toBe(503);
    expect(state.body).toMatchObject({ status: 503, code: 'service_unavailable' });

    await restartDatabase();
    const finished = await waitFor(
      async () => (await bulkRunModel(t.db).findById(run._id).lean())?.status === 'done',
      30_000,
    );
    expect(finished).toBe(true);
    const done = await bulkRunModel(t.db).findById(run._id).lean();
    expect(done?.progress).toEqual({ processed: ROWS, issued: ROWS, already: 0, failed: 0 });
    const csv = { 'recipient.email': /^csv\d+@/ };
    expect(await awards().countDocuments(csv)).toBe(ROWS);
    expect(await awards().distinct('recipient.email', csv)).toHaveLength(ROWS);
    for (const email of [
      'csv0@example.org',
      'csv99@example.org',
      'csv100@example.org',
      'csv119@example.org',
    ]) {
      const one = await awards().findOne({ 'recipient.email': email }, { _id: 1 }).lean();
      await expectComplete(one!._id);
    }
    expect(
      await auditEventModel(t.db).countDocuments({
        action: 'award.issued',
        'details.job': run._id,
      }),
    ).toBe(ROWS);

    // The coordinator, unsure, sends the same file again: every row is already held.
    const again = await upload();
    const againPage = await agent.get(`/structures/${ISSUER}/delivrer/fichier/${again._id}`);
    await agent
      .post(`/structures/${ISSUER}/delivrer/fichier/${again._id}/confirmer`)
      .type('form')
      .send({ _csrf: csrfFrom(againPage.text) });
    await t.app.services.bulk.idle();
    expect(await awards().countDocuments({ 'recipient.email': /^csv\d+@/ })).toBe(ROWS);
  }, 90_000);

  it('Key rotation, database killed while badges are signed again: 503, then rotating again leaves one active key pair and every badge signed by it', async () => {
    const keys = issuerKeyModel(t.db);
    proxy.arm({
      command: 'update',
      collection: 'assertions',
      when: 'after',
      nth: 3,
      strike: killDatabase,
    });
    const page = await agent.get(`/structures/${ISSUER}`);
    const form = { _csrf: csrfFrom(page.text) };
    const first = await agent.post(`/structures/${ISSUER}/cles/renouveler`).type('form').send(form);
    await proxy.struck();
    expectUnavailablePage(first);
    await expect503WhileAway();

    await restartDatabase();
    const retry = await agent.post(`/structures/${ISSUER}/cles/renouveler`).type('form').send(form);
    expect(retry.status).toBe(303);
    const active = await keys.find({ issuerId: ISSUER, status: 'active' }).lean();
    expect(active.map((k) => k.type).sort()).toEqual(['Ed25519', 'RSA']);
    const rsa = active.find((k) => k.type === 'RSA')!;
    const all = await awards().find({ issuerId: ISSUER }, { _id: 1, ob2: 1 }).lean();
    expect(all.length).toBeGreaterThan(3);
    expect(all.filter((a) => a.ob2.keyId !== rsa._id)).toEqual([]);
    // Issuing works at once with the new keys.
    const form2 = await issueForm();
    expect(
      (await agent.post(`/structures/${ISSUER}/delivrer`).type('form').send(form2)).status,
    ).toBe(303);
  }, 60_000);
});
