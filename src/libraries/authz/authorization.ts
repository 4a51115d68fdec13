import { ForbiddenError, UnauthorizedError } from '../errors/app-error.js';

/**
 * The one place that answers "may this person do this on this issuer or object?".
 * Routes declare an `Access` (checked by the access middleware built from the route table);
 * use cases call `authorize(principal, action, { issuerId })` for object-level checks, e.g.
 * "may this coordinator revoke this award?" → `authorize(user, 'award.revoke', { issuerId:
 * award.issuerId })`. Nothing else decides permissions.
 */

/** Roles a person holds in an issuer (an organisation of the cooperative). */
export const issuerRoles = ['owner', 'coordinator', 'member'] as const;
export type IssuerRole = (typeof issuerRoles)[number];

export function isIssuerRole(v: unknown): v is IssuerRole {
  return typeof v === 'string' && (issuerRoles as readonly string[]).includes(v);
}

/** Who is asking: the signed-in person, with their platform flag and their role per issuer. */
export interface Principal {
  id: string;
  /** Platform administrator: creates issuers and their owners; passes every check below. */
  isAdmin: boolean;
  /** issuerId → role (one role per person and issuer). */
  roles: Readonly<Record<string, IssuerRole>>;
}

/** Who may call a route. Part of every RouteDef. */
export type Access =
  /** Anyone, signed in or not. */
  | { kind: 'public' }
  /** Any signed-in person. */
  | { kind: 'signedIn' }
  /** Platform administrators. */
  | { kind: 'admin' }
  /** People holding one of `roles` in the issuer named by the route parameter `param`. */
  | { kind: 'issuer'; roles: readonly IssuerRole[]; param: string }
  /** People holding one of `roles` in at least one issuer (the page then filters by issuer). */
  | { kind: 'anyIssuer'; roles: readonly IssuerRole[] }
  /** The first-run set-up: only while no account exists, only from the machine itself. */
  | { kind: 'firstRun' }
  /** Development tools (e.g. the outbox): never in production, only from the machine itself. */
  | { kind: 'development' };

/**
 * allow; signIn (anonymous: redirect to sign-in or 401); forbidden (403); notFound (404, for
 * pages that must not even be seen to exist, such as /installation once set up).
 */
export type AccessDecision = 'allow' | 'signIn' | 'forbidden' | 'notFound';

export interface AccessContext {
  params: Readonly<Record<string, string | undefined>>;
  /** The request comes from loopback and was not forwarded by a proxy. */
  isLocalRequest: boolean;
  isProduction: boolean;
  /** Only needed for `firstRun`: no account exists yet. */
  noAccountYet?: boolean;
}

export function hasIssuerRole(
  principal: Principal | null | undefined,
  issuerId: string | undefined,
  roles: readonly IssuerRole[],
): boolean {
  if (!principal) return false;
  if (principal.isAdmin) return true;
  if (!issuerId) return false;
  const role = Object.hasOwn(principal.roles, issuerId) ? principal.roles[issuerId] : undefined;
  return role !== undefined && roles.includes(role);
}

export function hasRoleInSomeIssuer(
  principal: Principal | null | undefined,
  roles: readonly IssuerRole[],
): boolean {
  if (!principal) return false;
  if (principal.isAdmin) return true;
  return Object.values(principal.roles).some((r) => roles.includes(r));
}

/** Issuers where the principal holds one of `roles` (all of them are not listed for admins). */
export function issuersWithRole(principal: Principal, roles: readonly IssuerRole[]): string[] {
  return Object.entries(principal.roles)
    .filter(([, r]) => roles.includes(r))
    .map(([id]) => id);
}

export function decideAccess(
  access: Access,
  principal: Principal | null | undefined,
  ctx: AccessContext,
): AccessDecision {
  switch (access.kind) {
    case 'public':
      return 'allow';
    case 'firstRun':
      return ctx.noAccountYet === true && ctx.isLocalRequest ? 'allow' : 'notFound';
    case 'development':
      return !ctx.isProduction && ctx.isLocalRequest ? 'allow' : 'notFound';
    case 'signedIn':
      return principal ? 'allow' : 'signIn';
    case 'admin':
      if (!principal) return 'signIn';
      return principal.isAdmin ? 'allow' : 'forbidden';
    case 'issuer':
      if (!principal) return 'signIn';
      return hasIssuerRole(principal, ctx.params[access.param], access.roles)
        ? 'allow'
        : 'forbidden';
    case 'anyIssuer':
      if (!principal) return 'signIn';
      return hasRoleInSomeIssuer(principal, access.roles) ? 'allow' : 'forbidden';
  }
}

/**
 * Object-level permissions. Each action names the issuer roles that may perform it
 * (`issuerRoles`) or `admin` for platform-only acts. Later features add their actions here
 * (award.issue, award.revoke, endorsement…) and routes use `issuerAccess(action)`.
 */
export const policies = {
  'issuer.create': { admin: true },
  'issuer.viewMembers': { issuerRoles: ['owner', 'coordinator'] },
  'issuer.inviteMembers': { issuerRoles: ['owner', 'coordinator'] },
  'issuer.inviteCoordinators': { issuerRoles: ['owner'] },
  'issuer.cancelInvitation': { issuerRoles: ['owner', 'coordinator'] },
  'issuer.changeRoles': { issuerRoles: ['owner'] },
  'issuer.removeMembers': { issuerRoles: ['owner'] },
  'issuer.readAudit': { issuerRoles: ['owner'] },
  /** The issuer's own page: its badges, awards and keys. */
  'issuer.view': { issuerRoles: ['owner', 'coordinator'] },
  /** Change the issuer's name, addresses, description, logo, LinkedIn id (never its id). */
  'issuer.edit': { issuerRoles: ['owner'] },
  'issuer.rotateKeys': { issuerRoles: ['owner'] },
  /** List the keys, declare one compromised, issue its badges again (docs/security.md). */
  'issuer.compromiseKeys': { issuerRoles: ['owner'] },
  'badgeClass.create': { issuerRoles: ['owner', 'coordinator'] },
  'badgeClass.edit': { issuerRoles: ['owner', 'coordinator'] },
  'badgeClass.archive': { issuerRoles: ['owner', 'coordinator'] },
  'award.issue': { issuerRoles: ['owner', 'coordinator'] },
  'award.revoke': { issuerRoles: ['owner', 'coordinator'] },
  /** The recipient's address and other private details of an award. */
  'award.viewPrivate': { issuerRoles: ['owner', 'coordinator'] },
  /** Ask for a badge of the issuer's catalogue (any member of the issuer). */
  'request.create': { issuerRoles: ['owner', 'coordinator', 'member'] },
  /** See the queue, approve, return ("à compléter") or reject a request. */
  'request.review': { issuerRoles: ['owner', 'coordinator'] },
  /** Recommend a badge (award, request, badge class) of the issuer: coordinators and peers. */
  'endorsement.create': { issuerRoles: ['owner', 'coordinator', 'member'] },
  /** How many recommendations a badge needs before it is issued (co-issuance by quorum). */
  'badgeClass.setQuorum': { issuerRoles: ['owner', 'coordinator'] },
  'audit.readAll': { admin: true },
  'framework.import': { admin: true },
} as const satisfies Record<string, { admin: true } | { issuerRoles: readonly IssuerRole[] }>;

export type Action = keyof typeof policies;

export function rolesFor(action: Action): readonly IssuerRole[] {
  const policy = policies[action];
  return 'issuerRoles' in policy ? policy.issuerRoles : [];
}

/** May `principal` perform `action` (on the issuer `target.issuerId` for issuer actions)? */
export function can(
  principal: Principal | null | undefined,
  action: Action,
  target: { issuerId?: string | undefined } = {},
): boolean {
  if (!principal) return false;
  if (principal.isAdmin) return true;
  const policy = policies[action];
  if ('admin' in policy) return false;
  return hasIssuerRole(principal, target.issuerId, policy.issuerRoles);
}

/** Throws 401 when nobody is signed in, 403 when the action is not allowed. */
export function authorize(
  principal: Principal | null | undefined,
  action: Action,
  target: { issuerId?: string | undefined } = {},
): asserts principal is Principal {
  if (!principal) throw new UnauthorizedError();
  if (!can(principal, action, target)) throw new ForbiddenError();
}

/** Route access for an issuer action, with the roles taken from `policies`. */
export function issuerAccess(action: Action, param = 'issuerId'): Access {
  const policy = policies[action];
  if ('admin' in policy) return { kind: 'admin' };
  return { kind: 'issuer', roles: policy.issuerRoles, param };
}
