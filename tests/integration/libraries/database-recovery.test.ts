import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  freeLoopbackPort,
  startFerretdb,
  type EmbeddedFerretdb,
} from '../../../src/libraries/db/embedded-ferretdb.js';
import { decoded } from '../../helpers/html.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

/**
 * The database goes away while the app runs: readiness and pages answer 503, and the app comes
 * back by itself when the database returns — a real FerretDB process, killed and restarted.
 */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

describe('database outage and recovery', () => {
  const binary = process.env.TEST_FERRETDB_BIN!;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-recovery-'));
  let port: number;
  let ferret: EmbeddedFerretdb;
  let t: TestApp;

  beforeAll(async () => {
    port = await freeLoopbackPort();
    ferret = await startFerretdb({ binary, dataDir, port });
    t = await createTestApp({ uri: ferret.uri, dbName: 'recovery' });
  });
  afterAll(async () => {
    await t?.close();
    await ferret?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the database is killed and restarted, then /readyz and pages go 503 and come back without restarting the app', async () => {
    expect((await request(t.app).get('/readyz')).status).toBe(200);
    expect((await request(t.app).get('/')).status).toBe(200);

    // A crash, not a clean shutdown.
    process.kill(ferret.pid!, 'SIGKILL');
    await ferret.stop();

    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'down' });
    // Pages that need the database answer 503 with a French page, at once and without a stack.
    const sawPage503 = await waitFor(
      async () => (await request(t.app).get('/')).status === 503,
      10000,
    );
    expect(sawPage503).toBe(true);
    const page = await request(t.app).get('/').set('Accept', 'text/html');
    expect(page.status).toBe(503);
    expect(decoded(page.text)).toContain('Service momentanément indisponible');
    expect(page.headers['retry-after']).toBeDefined();
    // Pages that do not need the database still work.
    expect((await request(t.app).get('/accessibilite')).status).toBe(200);
    expect((await request(t.app).get('/healthz')).status).toBe(200);

    ferret = await startFerretdb({ binary, dataDir, port });

    const back = await waitFor(
      async () => (await request(t.app).get('/readyz')).status === 200,
      20000,
    );
    expect(back).toBe(true);
    expect((await request(t.app).get('/')).status).toBe(200);
  });
});
