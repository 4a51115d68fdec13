import {
  authorize,
  isIssuerRole,
  issuerRoles,
  type IssuerRole,
} from '../../libraries/authz/authorization.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import type { AuthUser } from '../accounts/accounts.use-case.js';
import { isEmailAddress, normaliseEmail } from '../accounts/email-address.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { InvitationsUseCases } from '../invitations/invitations.use-case.js';
import type { IssuerDoc, IssuerImage } from './issuer.model.js';
import type { IssuerRepository } from './issuer.repository.js';
import { isValidSiret, normaliseSiret } from './siret.js';
import { slugify } from '../../libraries/text/slug.js';

export interface IssuersDeps {
  clock: () => Date;
  audit: Audit;
  issuers: IssuerRepository;
  users: UserRepository;
  invitations: InvitationsUseCases;
  /** Gives each new issuer its signing keys (the key module); absent in tests of accounts alone. */
  keys?: { createIssuerKeys(issuerId: string): Promise<unknown> } | undefined;
  logger?: { error(obj: object, msg: string): void };
}

function fieldError(
  field: string,
  messageKey: string,
  params?: Record<string, unknown>,
): FieldError {
  return params ? { field, messageKey, params } : { field, messageKey };
}

function text(v: unknown, max: number): string {
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

/** The editable fields of an issuer as stored (SIRET and LinkedIn id '' when absent). */
export interface IssuerFields {
  name: string;
  url: string;
  email: string;
  description: string;
  siret: string;
  linkedinOrganizationId: string;
}

/**
 * Reads and checks the fields shared by the creation and the edit forms, so both accept and
 * refuse exactly the same values.
 */
export function readIssuerFields(v: Record<string, unknown>): {
  fields: IssuerFields;
  errors: FieldError[];
} {
  const name = text(v.name, 200);
  const url = text(v.url, 500);
  const email = normaliseEmail(v.email);
  const description = text(v.description, 2000);
  const siret = normaliseSiret(text(v.siret, 40));
  const linkedinOrganizationId = linkedinOrganizationIdOf(v.linkedinOrganizationId);
  const errors: FieldError[] = [];
  if (siret && !isValidSiret(siret))
    errors.push(fieldError('siret', 'issuers.errors.siretInvalid'));
  if (linkedinOrganizationId === null)
    errors.push(fieldError('linkedinOrganizationId', 'share.issuerForm.linkedinInvalid'));
  if (!name) errors.push(fieldError('name', 'issuers.errors.nameRequired'));
  if (!/^https?:\/\/[^\s/]+\.[^\s]+$/.test(url))
    errors.push(fieldError('url', 'issuers.errors.urlInvalid'));
  if (!isEmailAddress(email)) errors.push(fieldError('email', 'accounts.errors.emailInvalid'));
  return {
    fields: {
      name,
      url,
      email,
      description,
      siret,
      linkedinOrganizationId: linkedinOrganizationId ?? '',
    },
    errors,
  };
}

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: IssuerRole;
  since: Date;
}

export function issuersUseCases(deps: IssuersDeps) {
  const { clock, audit, issuers, users } = deps;

  async function getIssuer(issuerId: string): Promise<IssuerDoc> {
    const issuer = await issuers.findById(issuerId);
    if (!issuer) throw new NotFoundError();
    return issuer;
  }

  async function ownerCount(issuerId: string): Promise<number> {
    return (await issuers.membershipsOfIssuer(issuerId)).filter((m) => m.role === 'owner').length;
  }

  // Told of every edit, e.g. so that cached verification results name the issuer as it is now.
  const updatedListeners: (() => void)[] = [];

  return {
    getIssuer,

    onUpdated(listener: () => void): void {
      updatedListeners.push(listener);
    },

    /** Issuers the person belongs to (all of them for administrators), with their role. */
    async listFor(user: AuthUser): Promise<{ issuer: IssuerDoc; role: IssuerRole | null }[]> {
      const list = user.isAdmin
        ? await issuers.list()
        : await issuers.findByIds(Object.keys(user.roles));
      return list.map((issuer) => ({ issuer, role: user.roles[issuer._id] ?? null }));
    },

    /**
     * Creates an issuer and gives it an owner: an existing account becomes owner at once,
     * otherwise the owner receives an invitation.
     */
    async createIssuer(input: {
      actor: AuthUser;
      ip: string;
      lang: 'fr' | 'en';
      values: Record<string, unknown>;
      /** An uploaded logo, already checked by the caller (see issuerImageFrom). */
      image?: IssuerImage | undefined;
    }): Promise<{ issuer: IssuerDoc; owner: 'added' | 'invited' | 'mailFailed' }> {
      authorize(input.actor, 'issuer.create');
      const { fields, errors } = readIssuerFields(input.values);
      const ownerEmail = normaliseEmail(input.values.ownerEmail);
      if (!isEmailAddress(ownerEmail))
        errors.push(fieldError('ownerEmail', 'accounts.errors.emailInvalid'));
      if (errors.length) throw new ValidationError(errors);
      const { name, url, email, description, siret, linkedinOrganizationId } = fields;

      const now = clock();
      const base = slugify(name);
      let issuer: IssuerDoc | undefined;
      for (let i = 1; i <= 50 && !issuer; i++) {
        const candidate: IssuerDoc = {
          _id: i === 1 ? base : `${base}-${i}`,
          name,
          url,
          email,
          description,
          ...(siret ? { siret } : {}),
          ...(linkedinOrganizationId ? { linkedinOrganizationId } : {}),
          ...(input.image ? { image: input.image } : {}),
          createdAt: now,
          createdBy: input.actor.id,
        };
        if (await issuers.insert(candidate)) issuer = candidate;
      }
      if (!issuer) throw new ValidationError([fieldError('name', 'issuers.errors.nameTaken')]);
      if (deps.keys) {
        try {
          await deps.keys.createIssuerKeys(issuer._id);
        } catch (err) {
          // The issuer exists; its keys are created again before its first badge is signed.
          deps.logger?.error(
            { issuerId: issuer._id, err: { name: (err as Error).name } },
            'issuer keys could not be created',
          );
        }
      }
      await audit.record({
        action: 'issuer.created',
        actor: input.actor,
        target: { type: 'issuer', id: issuer._id },
        issuerId: issuer._id,
        ip: input.ip,
        details: { name },
      });

      const existing = await users.findByEmail(ownerEmail);
      if (existing) {
        await issuers.addMembership({
          issuerId: issuer._id,
          userId: existing._id,
          role: 'owner',
          createdAt: now,
          addedBy: input.actor.id,
        });
        await audit.record({
          action: 'membership.added',
          actor: input.actor,
          target: { type: 'user', id: existing._id },
          issuerId: issuer._id,
          ip: input.ip,
          details: { role: 'owner' },
        });
        return { issuer, owner: 'added' };
      }
      const result = await deps.invitations.invite({
        actor: input.actor,
        issuerId: issuer._id,
        emailsText: ownerEmail,
        role: 'owner',
        ip: input.ip,
      });
      return { issuer, owner: result.failed.length ? 'mailFailed' : 'invited' };
    },

    /**
     * Changes an issuer's name, addresses, description, SIRET, LinkedIn id and logo (kept when
     * none is given). The id never changes: every signed badge names it. One write, so a
     * refused form changes nothing.
     */
    async updateIssuer(input: {
      actor: AuthUser;
      ip: string;
      issuerId: string;
      values: Record<string, unknown>;
      /** A new logo, already checked by the caller (see issuerImageFrom); none keeps the old. */
      image?: IssuerImage | undefined;
    }): Promise<{ issuer: IssuerDoc; changed: string[] }> {
      authorize(input.actor, 'issuer.edit', { issuerId: input.issuerId });
      const before = await getIssuer(input.issuerId);
      const { fields, errors } = readIssuerFields(input.values);
      if (errors.length) throw new ValidationError(errors);
      const changed: string[] = (Object.keys(fields) as (keyof IssuerFields)[]).filter(
        (k) => fields[k] !== (before[k] ?? ''),
      );
      if (input.image && input.image.etag !== before.image?.etag) changed.push('image');
      if (changed.length === 0) return { issuer: before, changed };

      const { siret, linkedinOrganizationId, ...always } = fields;
      const set = {
        ...always,
        ...(siret ? { siret } : {}),
        ...(linkedinOrganizationId ? { linkedinOrganizationId } : {}),
        ...(input.image ? { image: input.image } : {}),
        updatedAt: clock(),
      };
      const unset = [
        ...(siret ? [] : ['siret' as const]),
        ...(linkedinOrganizationId ? [] : ['linkedinOrganizationId' as const]),
      ];
      if (!(await issuers.update(input.issuerId, set, unset))) throw new NotFoundError();
      await audit.record({
        action: 'issuer.updated',
        actor: input.actor,
        target: { type: 'issuer', id: input.issuerId },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { name: fields.name },
      });
      for (const listener of updatedListeners) listener();
      return { issuer: await getIssuer(input.issuerId), changed };
    },

    async members(actor: AuthUser, issuerId: string): Promise<MemberRow[]> {
      authorize(actor, 'issuer.viewMembers', { issuerId });
      const memberships = await issuers.membershipsOfIssuer(issuerId);
      const people = new Map(
        (await users.findByIds(memberships.map((m) => m.userId))).map((u) => [u._id, u]),
      );
      const order: Record<IssuerRole, number> = { owner: 0, coordinator: 1, member: 2 };
      return memberships
        .flatMap((m) => {
          const u = people.get(m.userId);
          return u
            ? [{ userId: u._id, name: u.name, email: u.email, role: m.role, since: m.createdAt }]
            : [];
        })
        .sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name, 'fr'));
    },

    async changeRole(input: {
      actor: AuthUser;
      issuerId: string;
      userId: string;
      role: unknown;
      ip: string;
    }): Promise<'changed' | 'unchanged'> {
      authorize(input.actor, 'issuer.changeRoles', { issuerId: input.issuerId });
      if (!isIssuerRole(input.role)) {
        throw new ValidationError([
          fieldError('members', 'issuers.errors.roleInvalid', { roles: issuerRoles.join(', ') }),
        ]);
      }
      const membership = await issuers.findMembership(input.issuerId, input.userId);
      if (!membership) throw new NotFoundError();
      if (membership.role === input.role) return 'unchanged';
      if (membership.role === 'owner' && (await ownerCount(input.issuerId)) <= 1) {
        throw new ValidationError([fieldError('members', 'issuers.errors.lastOwner')]);
      }
      await issuers.setRole(input.issuerId, input.userId, input.role);
      await audit.record({
        action: 'membership.roleChanged',
        actor: input.actor,
        target: { type: 'user', id: input.userId },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { from: membership.role, to: input.role },
      });
      return 'changed';
    },

    /** Idempotent: removing someone who is no longer a member is not an error. */
    async removeMember(input: {
      actor: AuthUser;
      issuerId: string;
      userId: string;
      ip: string;
    }): Promise<'removed' | 'absent'> {
      authorize(input.actor, 'issuer.removeMembers', { issuerId: input.issuerId });
      const membership = await issuers.findMembership(input.issuerId, input.userId);
      if (!membership) return 'absent';
      if (membership.role === 'owner' && (await ownerCount(input.issuerId)) <= 1) {
        throw new ValidationError([fieldError('members', 'issuers.errors.lastOwner')]);
      }
      if (!(await issuers.removeMembership(input.issuerId, input.userId))) return 'absent';
      await audit.record({
        action: 'membership.removed',
        actor: input.actor,
        target: { type: 'user', id: input.userId },
        issuerId: input.issuerId,
        ip: input.ip,
        details: { role: membership.role },
      });
      return 'removed';
    },
  };
}
export type IssuersUseCases = ReturnType<typeof issuersUseCases>;

/**
 * The LinkedIn company id typed in a form: digits only (spaces ignored), or the company page's
 * admin address that holds it (`linkedin.com/company/1337/admin`). '' when empty, null when
 * it is something else (a company's vanity name cannot be used by "Add to profile").
 */
export function linkedinOrganizationIdOf(value: unknown): string | null {
  const raw = typeof value === 'string' ? value.trim().slice(0, 200) : '';
  if (!raw) return '';
  const digits = raw.replace(/\s+/g, '');
  if (/^\d{1,20}$/.test(digits)) return digits;
  const fromUrl =
    /^(?:https?:\/\/)?(?:[a-z]{2,3}\.)?linkedin\.com\/company\/(\d{1,20})(?:[/?#]|$)/i.exec(raw);
  return fromUrl ? fromUrl[1]! : null;
}
