/**
 * Public template previews: limited per address, rendered in a queue of their own,
 * never larger than a real badge image. A flood of previews must not make real badge images
 * answer 429.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { decoded } from '../../../helpers/html.js';
import { relaxedLimits } from '../../../helpers/accounts.js';
import { issuerWithBadge } from '../../../helpers/awards.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

/** A badge whose image no test has rendered yet (the render cache is per process). */
async function freshBadge(t: TestApp): Promise<string> {
  const badge = await issuerWithBadge(t.app, 'emetteur-a', {
    name: `Réel ${randomBytes(3).toString('hex')}`,
  });
  return badge._id;
}

describe('template previews: their own queue', () => {
  let t: TestApp;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it('When previews flood the renderer, then previews get 429 while a real badge image answers 200', async () => {
    const badgeId = await freshBadge(t);
    const run = randomBytes(4).toString('hex');
    let overflow!: () => void;
    const overflowed = new Promise<void>((resolve) => (overflow = resolve));
    const previews = Array.from({ length: 48 }, (_, i) =>
      fetch(`${base}/modeles-de-badges/medal/apercu.png?titre=Flot%20${run}%20${i}&taille=512`).then(
        async (res) => {
          await res.arrayBuffer();
          if (res.status === 429) overflow();
          return res.status;
        },
      ),
    );
    // The preview queue is full: now a real badge's image is asked for.
    await overflowed;
    const real = await fetch(`${base}/badges/${encodeURIComponent(badgeId)}/image.png`);
    const body = Buffer.from(await real.arrayBuffer());
    const statuses = await Promise.all(previews);
    expect(real.status).toBe(200);
    expect(real.headers.get('content-type')).toBe('image/png');
    expect(body.subarray(1, 4).toString()).toBe('PNG');
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
  });

  it('When a preview asks for more than 512 px, then it is refused naming the parameter', async () => {
    const res = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png')
      .query({ titre: 'Grand', taille: '1024' });
    expect(res.status).toBe(400);
    expect(decoded(res.text)).toContain('taille');
    expect(decoded(res.text)).toContain('512');
    const ok = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png')
      .query({ titre: 'Grand', taille: '512' });
    expect(ok.status).toBe(200);
  });

  it('When a preview title is over 80 characters, then it is refused', async () => {
    const res = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png')
      .query({ titre: 'x'.repeat(81), taille: '64' });
    expect(res.status).toBe(400);
  });
});

describe('template previews: per address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PREVIEW_PER_IP: '3' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When one address asks for too many previews, then it gets 429 and real badge images still answer', async () => {
    const badgeId = await freshBadge(t);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(t.app)
        .get('/modeles-de-badges/medal/apercu.png')
        .query({ titre: `Essai ${i}`, taille: '64' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png')
      .query({ titre: 'Encore', taille: '64' });
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    const real = await request(t.app).get(`/badges/${encodeURIComponent(badgeId)}/image.png`);
    expect(real.status).toBe(200);
  });
});
