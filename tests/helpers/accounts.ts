import type { Agent } from 'supertest';
import request from 'supertest';
import type { IssuerRole } from '../../src/libraries/authz/authorization.js';
import type { CoopApp } from '../../src/app/app.js';

/** Settings for test apps that sign in many times from one address. */
export const relaxedLimits: Record<string, string> = {
  RATE_LIMIT_SIGN_IN_PER_IP: '100000',
  RATE_LIMIT_SIGN_IN_PER_EMAIL: '100000',
  RATE_LIMIT_RESET_PER_IP: '100000',
  RATE_LIMIT_RESET_PER_EMAIL: '100000',
  RATE_LIMIT_TOKEN_PER_IP: '100000',
  RATE_LIMIT_INVITE_PER_USER: '100000',
  RATE_LIMIT_UPLOAD_PER_USER: '100000',
  RATE_LIMIT_VERIFY_PER_IP: '100000',
  RATE_LIMIT_PREVIEW_PER_IP: '100000',
};

/** A clock tests move by hand. */
export function testClock(start = new Date('2027-03-01T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const DAY = 24 * 3600_000;

/** The CSRF token of the first form of a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in the page');
  return m[1]!;
}

export interface Person {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** Creates an account with a password (through the use case) and optional memberships. */
export async function createPerson(
  app: CoopApp,
  values: { email: string; name?: string; isAdmin?: boolean; password?: string; id?: string },
  roles: Record<string, IssuerRole> = {},
): Promise<Person> {
  const password = values.password ?? `${values.email} a une phrase de passe`;
  const user = await app.services.accounts.createAccount({
    email: values.email,
    name: values.name ?? values.email.split('@')[0],
    isAdmin: values.isAdmin ?? false,
    password,
    passwordConfirm: password,
    via: 'cli',
  });
  for (const [issuerId, role] of Object.entries(roles)) {
    await app.services.issuerRepo.addMembership({
      issuerId,
      userId: user._id,
      role,
      createdAt: new Date(),
    });
  }
  return { id: user._id, email: user.email, password, name: user.name };
}

/** Inserts an issuer directly (the admin page is tested separately). */
export async function createIssuer(app: CoopApp, id: string, name = id): Promise<void> {
  await app.services.issuerRepo.insert({
    _id: id,
    name,
    url: `https://${id}.example.org`,
    email: `contact@${id}.example.org`,
    description: '',
    createdAt: new Date(),
    createdBy: 'test',
  });
}

/** Signs in through the real form; returns the agent (cookies kept) and the response. */
export async function signIn(
  app: CoopApp,
  person: { email: string; password: string },
  agent: Agent = request.agent(app),
): Promise<Agent> {
  const page = await agent.get('/connexion');
  const res = await agent
    .post('/connexion')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password });
  if (res.status !== 303) throw new Error(`sign-in failed for ${person.email}: ${res.status}`);
  return agent;
}

/** GET a page, then POST a form to `path` with its CSRF token. */
export async function postForm(
  agent: Agent,
  pagePath: string,
  path: string,
  fields: Record<string, string>,
): Promise<request.Response> {
  const page = await agent.get(pagePath);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}
