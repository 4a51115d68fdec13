/**
 * A server killed (SIGKILL, no chance to finish its batch) in the middle of a 10,000-row CSV
 * run: started again, it takes the run up by itself, and the end result is exactly 10,000
 * awards — none lost, none twice — each with one result and one claim.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { awardModel, awardTallyModel } from '../../../../src/components/awards/award.model.js';
import {
  bulkClaimModel,
  bulkResultModel,
  bulkRunModel,
} from '../../../../src/components/bulk-issuing/bulk-run.model.js';
import { freeLoopbackPort } from '../../../../src/libraries/db/embedded-ferretdb.js';
import { projectRoot } from '../../../../src/libraries/paths.js';
import { adminActor, issuerWithBadge } from '../../../helpers/awards.js';
import { createTestApp, testDatabaseUri, type TestApp } from '../../../helpers/test-app.js';

const ROWS = 10_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function startServer(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/server.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, output: () => out, exited };
}

/** Polls `check` until it is true; fails with the server's output after `timeoutMs`. */
async function until(
  server: Running,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a CSV run when the server is killed', () => {
  const dbName = `t_kill_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-kill-'));
  let t: TestApp;
  let server: Running | undefined;

  beforeAll(async () => {
    // The test's app and the server share the database and the data directory (master key).
    t = await createTestApp({ dbName, env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await t?.db.dropDatabase().catch(() => {});
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the server is killed mid-run and started again, then the run ends with exactly 10,000 awards', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix');
    const lines = ['email;preuves'];
    for (let i = 0; i < ROWS; i++) lines.push(`personne${i}@example.org;https://exemple.org/${i}`);
    const run = await t.app.services.bulk.upload({
      actor: adminActor,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      badgeClassId: badge._id,
      fileName: 'promo.csv',
      text: lines.join('\n'),
      lang: 'fr',
    });
    expect(run.validRows).toBe(ROWS);
    // Confirmed, but left for the server to run (as if confirmed just before a restart).
    await bulkRunModel(t.db).updateOne(
      { _id: run._id },
      { $set: { status: 'running', confirmedAt: new Date() } },
    );
    const results = bulkResultModel(t.db);
    const awards = awardModel(t.db);
    const env = async () => {
      const port = await freeLoopbackPort();
      return {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      };
    };

    server = startServer(await env());
    await until(
      server,
      async () => (await results.countDocuments({ runId: run._id })) >= 500,
      '500 rows done',
      120_000,
    );
    server.child.kill('SIGKILL');
    await server.exited;
    const issuedBeforeKill = await awards.countDocuments({ badgeClassId: badge._id });
    expect(issuedBeforeKill).toBeGreaterThanOrEqual(500);
    expect(issuedBeforeKill).toBeLessThan(ROWS);
    expect((await bulkRunModel(t.db).findById(run._id).lean())?.status).toBe('running');

    server = startServer(await env());
    await until(
      server,
      async () => /Resuming 1 badge issuing run/.test(server!.output()),
      'resume',
      60_000,
    );
    await until(
      server,
      async () => (await bulkRunModel(t.db).findById(run._id).lean())?.status === 'done',
      'the run to finish',
      400_000,
    );
    server.child.kill('SIGTERM');
    await server.exited;

    expect(await awards.countDocuments({ badgeClassId: badge._id })).toBe(ROWS);
    expect(await results.countDocuments({ runId: run._id })).toBe(ROWS);
    expect(await bulkClaimModel(t.db).countDocuments({ runId: run._id })).toBe(ROWS);
    // The catalogue counts each award once too.
    expect(await awardTallyModel(t.db).countDocuments({ badgeClassId: badge._id })).toBe(ROWS);
    const emails = await awards.distinct('recipient.email', { badgeClassId: badge._id });
    expect(emails).toHaveLength(ROWS);
    const done = await bulkRunModel(t.db).findById(run._id).lean();
    expect(done?.progress).toEqual({ processed: ROWS, issued: ROWS, already: 0, failed: 0 });
  }, 600_000);
});
