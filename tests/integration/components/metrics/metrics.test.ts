/**
 * `/metrics` for Prometheus: closed without the token (401) and when no token is configured
 * (404); with it, requests by route pattern (never an identifier), verdicts, badges issued and
 * revoked, and the database's state.
 */
import request from 'supertest';
import { relaxedLimits } from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const TOKEN = 'jeton-de-supervision-0123456789';

/** The value of one sample line of the Prometheus text format. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('metrics', () => {
  let t: TestApp;
  const scrape = () => request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);

  beforeAll(async () => {
    t = await createTestApp({ env: { ...relaxedLimits, METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When no token or a wrong one is given, then /metrics answers 401 and shows nothing', async () => {
    for (const auth of [undefined, 'Bearer mauvais-jeton-0123456789', `Basic ${TOKEN}`]) {
      const req = request(t.app).get('/metrics');
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.text).not.toContain('coop_badges_');
    }
  });

  it('When the token is given, then requests, verdicts and badges are counted, by route pattern only', async () => {
    const badge = await issuerWithBadge(t.app);
    const award = await issueTo(t.app, badge);
    await issueTo(t.app, badge, { recipientEmail: 'samia@example.org' });
    await request(t.app).get('/verifier').expect(200);
    await request(t.app).get(`/assertions/${award._id}`).set('Accept', 'application/json');
    await request(t.app).post('/api/v1/verify').send({ input: 'pas un badge' }).expect(200);
    await request(t.app).get('/nulle-part').expect(404);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(
      sample(text, 'coop_badges_http_requests_total{method="GET",route="/verifier",status="200"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'coop_badges_http_requests_total{method="GET",route="/assertions/:assertionId",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'coop_badges_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(1);
    expect(text).not.toContain(award._id);
    expect(sample(text, 'coop_badges_verifications_total{verdict="not_verified"}')).toBe(1);
    expect(sample(text, 'coop_badges_badges_issued')).toBe(2);
    expect(sample(text, 'coop_badges_badges_revoked')).toBe(0);
    expect(sample(text, 'coop_badges_bulk_runs_running')).toBe(0);
    expect(sample(text, 'coop_badges_database_up')).toBe(1);
    expect(text).toContain(
      'coop_badges_http_request_duration_seconds_bucket{le="0.25",method="GET",route="/verifier"}',
    );
    expect(text).toContain('coop_badges_process_resident_memory_bytes');

    await t.app.services.awards.revokeAward({
      actor: { id: 'admin', isAdmin: true, roles: {} },
      ip: '',
      issuerId: badge.issuerId,
      awardId: award._id,
      reason: 'Délivré par erreur',
    });
    expect(sample((await scrape()).text, 'coop_badges_badges_revoked')).toBe(1);
  });

  it('When no token is configured, then /metrics does not exist', async () => {
    const closed = await createTestApp();
    try {
      const res = await request(closed.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('coop_badges_');
    } finally {
      await closed.close();
    }
  });
});
