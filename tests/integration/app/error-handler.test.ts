import express from 'express';
import request from 'supertest';
import { AppError, ValidationError } from '../../../src/libraries/errors/app-error.js';
import { createLogger } from '../../../src/libraries/logger/logger.js';
import { errorHandler } from '../../../src/app/middleware/error-handler.js';
import { LogCapture } from '../../helpers/test-app.js';

// The error middleware on its own, with handlers that throw: what a user sees for each error.
function appThrowing(err: unknown) {
  const logs = new LogCapture();
  const app = express();
  app.get('/boom', () => {
    throw err;
  });
  app.get('/api/boom', () => {
    throw err;
  });
  app.use(errorHandler(createLogger({ level: 'debug' }, logs)));
  return { app, logs };
}

describe('the error middleware', () => {
  it('When an unexpected error is thrown, then a 500 JSON problem hides its message and stack', async () => {
    const { app, logs } = appThrowing(new Error('secret internal detail'));
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('secret internal detail');
    expect(res.text).not.toMatch(/\.ts:\d+/);
    // The server log keeps the cause for the operator.
    expect(logs.text).toContain('secret internal detail');
  });

  it('When a validation error is thrown for an API client, then the field errors are listed', async () => {
    const { app } = appThrowing(
      new ValidationError([{ field: 'email', messageKey: 'errors.validation' }]),
    );
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(422);
    expect(JSON.parse(res.text).errors).toEqual([
      { field: 'email', message: 'Certaines informations sont à corriger.' },
    ]);
  });

  it('When a database driver error is thrown, then the answer is 503 with Retry-After', async () => {
    const err = Object.assign(new Error('connect ECONNREFUSED'), { name: 'MongoNetworkError' });
    const { app } = appThrowing(err);
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('10');
  });

  it('When an AppError carries headers, then they are sent', async () => {
    const { app } = appThrowing(
      new AppError(429, 'too_many_requests', { headers: { 'Retry-After': '60' } }),
    );
    const res = await request(app).get('/api/boom');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('60');
  });
});
