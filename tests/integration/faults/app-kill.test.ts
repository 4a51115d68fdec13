/**
 * Faults (issue 17): the app itself is SIGKILLed in the middle of an issuing by form and of a
 * CSV run — at an exact step, the moment its award insert is committed (the wire-protocol
 * relay of tests/helpers/fault-proxy.ts kills the server process then). Started again, a retry
 * of the same form makes no duplicate and finishes the award (journal, email), and the CSV run
 * resumes by itself to exactly one complete award per row.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { auditEventModel } from '../../../src/components/audit/audit.model.js';
import { awardModel, awardTallyModel } from '../../../src/components/awards/award.model.js';
import {
  bulkResultModel,
  bulkRunModel,
} from '../../../src/components/bulk-issuing/bulk-run.model.js';
import {
  freeLoopbackPort,
  startFerretdb,
  type EmbeddedFerretdb,
} from '../../../src/libraries/db/embedded-ferretdb.js';
import { readOutbox } from '../../../src/libraries/mail/mailer.js';
import { projectRoot } from '../../../src/libraries/paths.js';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../helpers/accounts.js';
import { adminActor, issuerWithBadge } from '../../helpers/awards.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

const ISSUER = 'roubaix';
const DB = 'appkill';

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

describe('faults: the app is killed in the middle of work', () => {
  const binary = process.env.TEST_FERRETDB_BIN!;
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-faults-appdb-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-faults-app-'));
  let ferret: EmbeddedFerretdb;
  let proxy: FaultProxy;
  let t: TestApp;
  let server: Running | undefined;
  let port: number;
  let url: string;
  let badgeId: string;
  let admin: { email: string; password: string };

  async function startServer(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/server.ts'], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        SIGNING_THREADS: '0',
        PORT: String(port),
        PUBLIC_URL: url,
        DATA_DIR: dataDir,
        MONGODB_URI: `${proxy.uri}/${DB}`,
        ...relaxedLimits,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    server = { child, output: () => out, exited };
    const deadline = Date.now() + 60_000;
    while (!/is running at/.test(out)) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
      if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const killServer = async () => {
    server!.child.kill('SIGKILL');
    await server!.exited;
  };

  beforeAll(async () => {
    const dbPort = await freeLoopbackPort();
    ferret = await startFerretdb({ binary, dataDir: dbDir, port: dbPort });
    proxy = await startFaultProxy(() => dbPort);
    // The test's app and the server share the database and the data directory (master key,
    // session secret, outbox).
    t = await createTestApp({ uri: proxy.uri, dbName: DB, env: { DATA_DIR: dataDir } });
    admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    badgeId = (await issuerWithBadge(t.app, ISSUER))._id;
    port = await freeLoopbackPort();
    url = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await t?.close();
    await proxy?.close();
    await ferret?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('Issuing by form, app killed once the award is stored: after a restart the same form gives that one award, journaled and emailed once', async () => {
    await startServer();
    const agent = await signIn(t.app, admin, request.agent(url));
    const page = await agent.get(`/structures/${ISSUER}/delivrer?badge=${badgeId}`);
    const form = {
      _csrf: csrfFrom(page.text),
      badgeClassId: badgeId,
      recipientEmail: 'tuee@example.org',
      evidence: 'https://exemple.org/atelier',
      narrative: '',
      lang: 'fr',
      idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!,
    };
    proxy.arm({ command: 'insert', collection: 'assertions', when: 'after', strike: killServer });
    const first = await agent
      .post(`/structures/${ISSUER}/delivrer`)
      .type('form')
      .send(form)
      .then(
        (r) => r.status,
        (e: Error) => e.message,
      );
    await proxy.struck();
    expect(first).toMatch(/socket hang up|ECONNRESET/);
    const awards = awardModel(t.db);
    const stored = await awards.find({ 'recipient.email': form.recipientEmail }).lean();
    expect(stored).toHaveLength(1);
    // Stored, but the process died before counting, journaling and emailing it.
    expect(await awardTallyModel(t.db).countDocuments({ _id: stored[0]!._id })).toBe(0);

    await startServer();
    const retry = await agent.post(`/structures/${ISSUER}/delivrer`).type('form').send(form);
    expect(retry.status).toBe(303);
    expect(retry.headers.location).toBe(`/assertions/${stored[0]!._id}`);
    expect(await awards.countDocuments({ 'recipient.email': form.recipientEmail })).toBe(1);
    expect(
      await auditEventModel(t.db).countDocuments({
        action: 'award.issued',
        targetId: stored[0]!._id,
      }),
    ).toBe(1);
    const mails = (await readOutbox(t.config)).filter((m) => m.to === form.recipientEmail);
    expect(mails).toHaveLength(1);
    await killServer();
  }, 120_000);

  it('CSV run, app killed once its first batch is stored: restarted, the run resumes and ends with one award, one journal entry and one email per row', async () => {
    const ROWS = 120;
    const lines = ['email;preuves'];
    for (let i = 0; i < ROWS; i++) lines.push(`rang${i}@example.org;https://exemple.org/${i}`);
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
    await startServer();
    const agent = await signIn(t.app, admin, request.agent(url));
    const runPath = `/structures/${ISSUER}/delivrer/fichier/${run._id}`;
    const preview = await agent.get(runPath);
    const confirm = await agent
      .post(`${runPath}/confirmer`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text) });
    expect(confirm.status).toBe(303);
    proxy.arm({ command: 'insert', collection: 'assertions', when: 'after', strike: killServer });
    await proxy.struck();
    const awards = awardModel(t.db);
    const before = await awards.countDocuments({ 'recipient.email': /^rang\d+@/ });
    expect(before).toBeGreaterThan(0);
    // Not finished: results are recorded after each batch is stored (the second batch's
    // insert may have been committed by the database after the process died).
    expect(before).toBeLessThanOrEqual(ROWS);
    expect(await bulkResultModel(t.db).countDocuments({ runId: run._id })).toBeLessThan(ROWS);

    await startServer();
    const deadline = Date.now() + 60_000;
    while ((await bulkRunModel(t.db).findById(run._id).lean())?.status !== 'done') {
      if (Date.now() > deadline) throw new Error(`run not done:\n${server!.output()}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const done = await bulkRunModel(t.db).findById(run._id).lean();
    expect(done?.progress).toEqual({ processed: ROWS, issued: ROWS, already: 0, failed: 0 });
    expect(await awards.countDocuments({ 'recipient.email': /^rang\d+@/ })).toBe(ROWS);
    expect(
      await awards.distinct('recipient.email', { 'recipient.email': /^rang\d+@/ }),
    ).toHaveLength(ROWS);
    expect(
      await auditEventModel(t.db).countDocuments({
        action: 'award.issued',
        'details.job': run._id,
      }),
    ).toBe(ROWS);
    const mails = (await readOutbox(t.config, 1000)).filter((m) => /^rang\d+@/.test(m.to));
    expect(mails).toHaveLength(ROWS);

    // The same file again: nothing more.
    const again = await upload();
    await t.app.services.bulk.confirm({
      actor: adminActor,
      ip: '127.0.0.1',
      issuerId: ISSUER,
      runId: again._id,
    });
    await t.app.services.bulk.idle();
    expect(await awards.countDocuments({ 'recipient.email': /^rang\d+@/ })).toBe(ROWS);
  }, 150_000);
});
