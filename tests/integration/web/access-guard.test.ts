import express from 'express';
import request from 'supertest';
import { loadConfig } from '../../../src/libraries/config/config.js';
import { createLogger } from '../../../src/libraries/logger/logger.js';
import { accessGuards } from '../../../src/web/middleware/access.js';
import { errorHandler } from '../../../src/web/middleware/error-handler.js';
import { mountRoutes, type RouteDef } from '../../../src/web/route-table.js';

/** The access guard on its own, with routes the app does not have yet (JSON APIs). */
describe('access guard for API routes', () => {
  const ok: express.RequestHandler = (_req, res) => void res.json({ ok: true });
  const routes: RouteDef[] = [
    { method: 'get', path: '/api/v1/moi', access: { kind: 'signedIn' }, api: true, handlers: [ok] },
    {
      method: 'get',
      path: '/api/v1/emetteurs/:issuerId/stats',
      access: { kind: 'issuer', roles: ['owner'], param: 'issuerId' },
      api: true,
      handlers: [ok],
    },
  ];
  function appAs(user?: Express.User) {
    const app = express();
    app.use((req, _res, next) => {
      if (user) req.user = user;
      next();
    });
    const router = express.Router();
    mountRoutes(router, routes, {
      csrf: (_req, _res, next) => next(),
      access: accessGuards({
        config: loadConfig({ NODE_ENV: 'test' }),
        anyAccountExists: async () => true,
      }),
      db: (_req, _res, next) => next(),
    });
    app.use(router);
    app.use(errorHandler(createLogger({ level: 'silent' })));
    return app;
  }
  const owner = {
    id: 'o',
    email: 'o@example.org',
    name: 'O',
    language: 'fr',
    isAdmin: false,
    roles: { a: 'owner' },
  } as const;

  it('When an API route is called anonymously, then it answers 401 problem+json, not a redirect', async () => {
    const res = await request(appAs()).get('/api/v1/moi');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('When an API route of another issuer is called, then it answers 403 problem+json', async () => {
    const app = appAs({ ...owner, roles: { ...owner.roles } });
    expect((await request(app).get('/api/v1/emetteurs/a/stats')).status).toBe(200);
    const res = await request(app).get('/api/v1/emetteurs/b/stats');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
