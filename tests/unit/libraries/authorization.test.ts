import {
  authorize,
  can,
  decideAccess,
  issuerAccess,
  type Access,
  type Principal,
} from '../../../src/libraries/authz/authorization.js';
import { ForbiddenError, UnauthorizedError } from '../../../src/libraries/errors/app-error.js';

const mediator: Principal = { id: 'm', isAdmin: false, roles: { a: 'member' } };
const coordinatorA: Principal = {
  id: 'c',
  isAdmin: false,
  roles: { a: 'coordinator', b: 'member' },
};
const ownerA: Principal = { id: 'o', isAdmin: false, roles: { a: 'owner' } };
const admin: Principal = { id: 'x', isAdmin: true, roles: {} };
const ctx = { params: { issuerId: 'a' }, isLocalRequest: false, isProduction: true };

describe('decideAccess', () => {
  it('When nobody is signed in, then private routes ask to sign in and public ones allow', () => {
    const kinds: Access[] = [
      { kind: 'signedIn' },
      { kind: 'admin' },
      { kind: 'issuer', roles: ['owner'], param: 'issuerId' },
      { kind: 'anyIssuer', roles: ['owner'] },
    ];
    for (const access of kinds) expect(decideAccess(access, null, ctx)).toBe('signIn');
    expect(decideAccess({ kind: 'public' }, null, ctx)).toBe('allow');
  });

  it('When the role is held in another issuer only, then the issuer route is forbidden', () => {
    const access: Access = { kind: 'issuer', roles: ['owner', 'coordinator'], param: 'issuerId' };
    expect(decideAccess(access, coordinatorA, ctx)).toBe('allow');
    expect(decideAccess(access, coordinatorA, { ...ctx, params: { issuerId: 'b' } })).toBe(
      'forbidden',
    );
    expect(decideAccess(access, mediator, ctx)).toBe('forbidden');
    expect(decideAccess(access, admin, { ...ctx, params: { issuerId: 'zzz' } })).toBe('allow');
  });

  it('When a route parameter names a prototype key, then it grants nothing', () => {
    const access: Access = { kind: 'issuer', roles: ['owner'], param: 'issuerId' };
    for (const issuerId of ['__proto__', 'constructor', 'toString']) {
      expect(decideAccess(access, ownerA, { ...ctx, params: { issuerId } })).toBe('forbidden');
    }
  });

  it('When the first-run page is asked for, then it exists only locally and before any account', () => {
    const access: Access = { kind: 'firstRun' };
    expect(decideAccess(access, null, { ...ctx, isLocalRequest: true, noAccountYet: true })).toBe(
      'allow',
    );
    expect(decideAccess(access, null, { ...ctx, isLocalRequest: false, noAccountYet: true })).toBe(
      'notFound',
    );
    expect(decideAccess(access, admin, { ...ctx, isLocalRequest: true, noAccountYet: false })).toBe(
      'notFound',
    );
  });

  it('When development pages are asked for in production or from afar, then they do not exist', () => {
    const access: Access = { kind: 'development' };
    expect(decideAccess(access, admin, { ...ctx, isProduction: true, isLocalRequest: true })).toBe(
      'notFound',
    );
    expect(decideAccess(access, null, { ...ctx, isProduction: false, isLocalRequest: false })).toBe(
      'notFound',
    );
    expect(decideAccess(access, null, { ...ctx, isProduction: false, isLocalRequest: true })).toBe(
      'allow',
    );
  });

  it('When owners anywhere are required, then an owner of any issuer passes', () => {
    const access: Access = { kind: 'anyIssuer', roles: ['owner'] };
    expect(decideAccess(access, ownerA, ctx)).toBe('allow');
    expect(decideAccess(access, coordinatorA, ctx)).toBe('forbidden');
    expect(decideAccess(access, admin, ctx)).toBe('allow');
  });
});

describe('can / authorize (object-level checks)', () => {
  it('When an action is checked on an object, then its issuer decides', () => {
    expect(can(coordinatorA, 'issuer.inviteMembers', { issuerId: 'a' })).toBe(true);
    expect(can(coordinatorA, 'issuer.inviteMembers', { issuerId: 'b' })).toBe(false);
    expect(can(coordinatorA, 'issuer.changeRoles', { issuerId: 'a' })).toBe(false);
    expect(can(ownerA, 'issuer.changeRoles', { issuerId: 'a' })).toBe(true);
    expect(can(ownerA, 'issuer.create')).toBe(false);
    expect(can(admin, 'issuer.create')).toBe(true);
    expect(can(null, 'issuer.viewMembers', { issuerId: 'a' })).toBe(false);
  });

  it('When authorize refuses, then it throws 401 for nobody and 403 for the wrong person', () => {
    expect(() => authorize(null, 'issuer.viewMembers', { issuerId: 'a' })).toThrow(
      UnauthorizedError,
    );
    expect(() => authorize(mediator, 'issuer.viewMembers', { issuerId: 'a' })).toThrow(
      ForbiddenError,
    );
    expect(() => authorize(ownerA, 'issuer.viewMembers', { issuerId: 'a' })).not.toThrow();
  });

  it('When a route is built from an action, then its roles come from the same policy', () => {
    expect(issuerAccess('issuer.changeRoles')).toEqual({
      kind: 'issuer',
      roles: ['owner'],
      param: 'issuerId',
    });
    expect(issuerAccess('issuer.create')).toEqual({ kind: 'admin' });
  });
});
