import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { decoded } from '../../../helpers/html.js';
import { csrfFrom, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { createTestApp, testDatabaseUri, type TestApp } from '../../../helpers/test-app.js';
import { runAdminCli } from '../../../helpers/admin-cli.js';

const PASSWORD = 'la première phrase de passe';

describe('the first-run set-up page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When a request comes through a proxy, then the set-up page does not exist', async () => {
    expect(
      (await request(t.app).get('/installation').set('X-Forwarded-For', '203.0.113.9')).status,
    ).toBe(404);
    expect(
      (await request(t.app).get('/installation').set('Forwarded', 'for=203.0.113.9')).status,
    ).toBe(404);
  });

  it('When no account exists, then the machine itself can create the first administrator, once', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/installation');
    expect(page.status).toBe(200);
    expect(decoded(page.text)).toContain('Installation : premier compte administrateur');
    const weak = await agent
      .post('/installation')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Nadia',
        email: 'nadia@example.org',
        password: 'court',
        passwordConfirm: 'court',
      });
    expect(weak.status).toBe(422);
    const res = await agent
      .post('/installation')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Nadia',
        email: 'nadia@example.org',
        password: PASSWORD,
        passwordConfirm: PASSWORD,
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/structures');
    expect(decoded((await agent.get('/structures')).text)).toContain(
      'Le compte administrateur est créé.',
    );
    expect((await t.app.services.users.findByEmail('nadia@example.org'))?.isAdmin).toBe(true);
    expect((await request(t.app).get('/installation')).status).toBe(404);
  });
});

describe('npm run admin -- create', () => {
  const dbName = `t_cli_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-cli-'));
  let env: Record<string, string>;
  let t: TestApp;

  beforeAll(() => {
    env = {
      MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      DATA_DIR: dataDir,
      PUBLIC_URL: 'http://127.0.0.1:3999',
      NODE_ENV: 'test',
    };
  });
  afterAll(async () => {
    await t?.db.dropDatabase().catch(() => {});
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('When an admin is created without a password, then a one-time link to choose it is printed', async () => {
    const run = await runAdminCli(
      ['create', '--email', 'Admin@Ville.example.org', '--name', 'Admin Ville'],
      env,
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('Administrator created: Admin Ville <admin@ville.example.org>');
    const link = /http:\/\/127\.0\.0\.1:3999(\/mot-de-passe\/nouveau\/[A-Za-z0-9_-]{43})/.exec(
      run.out,
    )![1]!;

    t = await createTestApp({ dbName, env: relaxedLimits });
    const agent = request.agent(t.app);
    const page = await agent.get(link);
    expect(decoded(page.text)).toContain('Choisir votre mot de passe');
    const set = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: PASSWORD, passwordConfirm: PASSWORD });
    expect(set.status).toBe(303);
    await signIn(t.app, { email: 'admin@ville.example.org', password: PASSWORD });
    expect((await request(t.app).get(link)).status).toBe(410);
    // No default password: before the link is used, nothing could sign in.
    const created = await t.app.services.audit.page({ action: 'account.created' }, 5);
    expect(created.events[0]!.details).toEqual({ via: 'cli', isAdmin: true });
  });

  it('When --password is given, then the password is read without echo and set', async () => {
    const run = await runAdminCli(
      ['create', '--email', 'second@ville.example.org', '--password'],
      env,
      `${PASSWORD}\n${PASSWORD}\n`,
    );
    expect(run.code).toBe(0);
    expect(run.out).not.toContain(PASSWORD);
    expect(run.err).not.toContain(PASSWORD);
    await signIn(t.app, { email: 'second@ville.example.org', password: PASSWORD });
  });

  it('When the address is taken or the command unknown, then it says so and fails', async () => {
    const taken = await runAdminCli(['create', '--email', 'second@ville.example.org'], env);
    expect(taken.code).toBe(65);
    expect(taken.err).toContain('email: An account already exists with this email address.');
    const unknown = await runAdminCli(['explode'], env);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toContain('Unknown command "explode"');
    const help = await runAdminCli(['help'], env);
    expect(help.out).toContain('create --email <address>');
  });
});
