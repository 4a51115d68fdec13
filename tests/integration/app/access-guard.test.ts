import express from 'express';
import request from 'supertest';
import { loadConfig } from '../../../src/libraries/config/config.js';
import { createLogger } from '../../../src/libraries/logger/logger.js';
import { accessGuards } from '../../../src/app/middleware/access.js';
import { errorHandler } from '../../../src/app/middleware/error-handler.js';
import { mountRoutes, type RouteDef } from '../../../src/libraries/web/route-table.js';

/**
 * The access guard on its own, with JSON routes the app does not have yet (outside /api/, which
 * is stateless and public).
 */
describe('access guard for API routes', () => {
  const ok: express.RequestHandler = (_req, res) => void res.json({ ok: true });
  const routes: RouteDef[] = [
    {
      method: 'get',
      path: '/compte/donnees.json',
      access: { kind: 'signedIn' },
      api: true,
      handlers: [ok],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/statistiques.json',
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
    const res = await request(appAs()).get('/compte/donnees.json');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('When an API route of another issuer is called, then it answers 403 problem+json', async () => {
    const app = appAs({ ...owner, roles: { ...owner.roles } });
    expect((await request(app).get('/structures/a/statistiques.json')).status).toBe(200);
    const res = await request(app).get('/structures/b/statistiques.json');
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ status: 403, code: 'forbidden' });
  });
});

describe('the stateless public API', () => {
  it('When a route under /api/ is not public, then the app refuses to mount it', () => {
    const router = express.Router();
    const noop: express.RequestHandler = (_req, _res, next) => next();
    expect(() =>
      mountRoutes(
        router,
        [
          {
            method: 'get',
            path: '/api/v1/moi',
            access: { kind: 'signedIn' },
            api: true,
            handlers: [noop],
          },
        ],
        { csrf: noop, access: () => [], db: noop },
      ),
    ).toThrow(/stateless and public/);
  });
});
