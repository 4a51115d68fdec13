import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request, { type Agent, type Response } from 'supertest';
import type { CoopApp } from '../../src/app/app.js';
import { csrfFrom } from './accounts.js';
import { decoded } from './html.js';

/** What a person or a program hands to the verifier in a test. */
export type TestInput =
  | { way: 'url'; url: string }
  | { way: 'text'; text: string }
  | { way: 'file'; bytes: Uint8Array | string; name: string };

export type Verdict = 'verified' | 'warning' | 'not_verified';

/** The verdict a result page shows (from its CSS modifier), or the status of a form page. */
export function pageVerdict(res: Response): Verdict | `form ${number}` {
  const m = /class="verdict verdict--(ok|warn|bad)"/.exec(res.text);
  if (!m) return `form ${res.status}`;
  return m[1] === 'ok' ? 'verified' : m[1] === 'warn' ? 'warning' : 'not_verified';
}

/** The plain text of a page (tags removed, entities decoded), for looking for sentences. */
export function pageText(html: string): string {
  return decoded(html.replace(/<[^>]+>/g, ' '))
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Submits the /verifier form for this input, as a browser would (CSRF token, multipart). */
export async function submitPage(
  app: CoopApp,
  input: TestInput,
  email = '',
  agent: Agent = request.agent(app),
): Promise<Response> {
  const token = csrfFrom((await agent.get('/verifier')).text);
  if (input.way === 'url') {
    return agent
      .post('/verifier')
      .type('form')
      .send({ _csrf: token, way: 'url', url: input.url, email });
  }
  const req = agent
    .post('/verifier')
    .field('_csrf', token)
    .field('way', input.way)
    .field('email', email);
  if (input.way === 'text') return req.field('text', input.text);
  return req.attach('fichier', Buffer.from(input.bytes), input.name);
}

/** Calls the API for this input: GET for URLs, JSON for text, multipart for files. */
export async function callApi(
  app: CoopApp,
  input: TestInput,
  email = '',
  lang = 'fr',
): Promise<Response> {
  if (input.way === 'url') {
    return request(app)
      .get('/api/v1/verify')
      .query({ url: input.url, ...(email ? { email } : {}) })
      .set('Accept-Language', lang);
  }
  if (input.way === 'text') {
    return request(app)
      .post('/api/v1/verify')
      .set('Accept-Language', lang)
      .send({ input: input.text, ...(email ? { email } : {}) });
  }
  const req = request(app).post('/api/v1/verify').set('Accept-Language', lang);
  if (email) req.field('email', email);
  return req.attach('file', Buffer.from(input.bytes), input.name);
}

/**
 * A loopback server that must never be contacted: it counts every TCP connection. Tests point
 * hostile URLs (or our own PUBLIC_URL) at it.
 */
export async function startCanary(): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end('secret'));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
