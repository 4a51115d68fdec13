import { authorize, type IssuerRole } from '../../libraries/authz/authorization.js';
import type { Config } from '../../libraries/config/config.js';
import {
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../../libraries/errors/app-error.js';
import { defaultLanguage, type Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { AccountsUseCases, AuthUser, TokenResult } from '../accounts/accounts.use-case.js';
import { isEmailAddress, normaliseEmail } from '../accounts/email-address.js';
import type { OneTimeTokenDoc } from '../accounts/one-time-token.model.js';
import type { OneTimeTokenRepository } from '../accounts/one-time-token.repository.js';
import type { UserDoc } from '../accounts/user.model.js';
import type { UserRepository } from '../accounts/user.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';

export const MAX_INVITATIONS_PER_REQUEST = 200;

export interface InvitationsDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  mailer: Mailer;
  audit: Audit;
  tokens: OneTimeTokenRepository;
  users: UserRepository;
  issuers: IssuerRepository;
  accounts: AccountsUseCases;
}

export interface EmailListProblem {
  line: number;
  value: string;
  messageKey: string;
}

/**
 * Reads a list of addresses as people paste them: one per line, or separated by commas or
 * semicolons, possibly as "Karim B. <karim@example.org>". Duplicates are dropped.
 */
export function parseEmailList(textValue: unknown): {
  emails: string[];
  problems: EmailListProblem[];
} {
  const raw = typeof textValue === 'string' ? textValue : '';
  const emails: string[] = [];
  const problems: EmailListProblem[] = [];
  const seen = new Set<string>();
  raw.split(/\r?\n/).forEach((lineText, index) => {
    for (const part of lineText.split(/[,;]/)) {
      const item = part.trim();
      if (!item) continue;
      const bracketed = /<([^<>]+)>\s*$/.exec(item);
      const email = normaliseEmail(bracketed ? bracketed[1] : item);
      if (!isEmailAddress(email)) {
        problems.push({
          line: index + 1,
          value: item.slice(0, 100),
          messageKey: 'invitations.errors.invalidLine',
        });
      } else if (!seen.has(email)) {
        seen.add(email);
        emails.push(email);
      }
    }
  });
  return { emails, problems };
}

export interface InvitationView {
  doc: OneTimeTokenDoc;
  issuer: IssuerDoc;
  /** The account that already uses the invited address, if any. */
  existingUser: UserDoc | null;
}

export function invitationsUseCases(deps: InvitationsDeps) {
  const { config, clock, audit, tokens, users, issuers } = deps;

  async function check(token: string): Promise<TokenResult<InvitationView>> {
    const result = await tokens.check(token, ['invitation'], clock());
    if (!result.ok) return result;
    const issuer = result.doc.issuerId ? await issuers.findById(result.doc.issuerId) : null;
    if (!issuer) return { ok: false, reason: 'unknown' };
    const existingUser = await users.findByEmail(result.doc.email);
    return { ok: true, value: { doc: result.doc, issuer, existingUser } };
  }

  async function join(
    view: InvitationView,
    user: { id: string; email: string },
    ip: string,
  ): Promise<void> {
    const { doc, issuer } = view;
    const role: IssuerRole = doc.role ?? 'member';
    const added = await issuers.addMembership({
      issuerId: issuer._id,
      userId: user.id,
      role,
      createdAt: clock(),
      ...(doc.createdBy ? { addedBy: doc.createdBy } : {}),
    });
    await audit.record({
      action: 'invitation.accepted',
      actor: user,
      target: { type: 'invitation', id: doc._id },
      issuerId: issuer._id,
      ip,
      details: { role, email: doc.email },
    });
    if (added.created) {
      await audit.record({
        action: 'membership.added',
        actor: user,
        target: { type: 'user', id: user.id },
        issuerId: issuer._id,
        ip,
        details: { role, via: 'invitation' },
      });
    }
  }

  return {
    parseEmailList,

    /**
     * Invites a list of addresses to an issuer. Nothing is sent if one line is wrong (the
     * form comes back with one message per wrong line). People already members are skipped.
     */
    async invite(input: {
      actor: AuthUser;
      issuerId: string;
      emailsText: unknown;
      role: IssuerRole;
      ip: string;
    }): Promise<{ sent: string[]; alreadyMembers: string[]; failed: string[] }> {
      authorize(
        input.actor,
        input.role === 'member' ? 'issuer.inviteMembers' : 'issuer.inviteCoordinators',
        {
          issuerId: input.issuerId,
        },
      );
      const issuer = await issuers.findById(input.issuerId);
      if (!issuer) throw new NotFoundError();
      const { emails, problems } = parseEmailList(input.emailsText);
      const errors: FieldError[] = problems.map((p) => ({
        field: 'emails',
        messageKey: p.messageKey,
        params: { line: p.line, value: p.value },
      }));
      if (emails.length === 0 && problems.length === 0) {
        errors.push({ field: 'emails', messageKey: 'invitations.errors.empty' });
      }
      if (emails.length > MAX_INVITATIONS_PER_REQUEST) {
        errors.push({
          field: 'emails',
          messageKey: 'invitations.errors.tooMany',
          params: { max: MAX_INVITATIONS_PER_REQUEST },
        });
      }
      if (errors.length) throw new ValidationError(errors);

      const now = clock();
      const expiresAt = new Date(now.getTime() + config.INVITATION_DAYS * 24 * 3600_000);
      const result = {
        sent: [] as string[],
        alreadyMembers: [] as string[],
        failed: [] as string[],
      };
      for (const email of emails) {
        const existing = await users.findByEmail(email);
        if (existing && (await issuers.findMembership(issuer._id, existing._id))) {
          result.alreadyMembers.push(email);
          continue;
        }
        const { token, doc } = await tokens.issue({
          purpose: 'invitation',
          email,
          issuerId: issuer._id,
          role: input.role,
          createdBy: input.actor.id,
          createdAt: now,
          expiresAt,
        });
        const lang: Language = existing?.language ?? defaultLanguage;
        const delivered = await sendTemplatedEmail(deps, {
          to: email,
          lang,
          template: 'invitation',
          data: {
            siteUrl: config.PUBLIC_URL,
            issuerName: issuer.name,
            inviterName: input.actor.name,
            roleKey: `roles.${input.role}`,
            url: `${config.PUBLIC_URL}/invitation/${token}`,
            days: config.INVITATION_DAYS,
            hasAccount: Boolean(existing),
          },
        });
        await audit.record({
          action: 'invitation.sent',
          actor: input.actor,
          target: { type: 'invitation', id: doc._id },
          issuerId: issuer._id,
          ip: input.ip,
          details: { email, role: input.role, delivered },
        });
        (delivered ? result.sent : result.failed).push(email);
      }
      return result;
    },

    pending: (issuerId: string) => tokens.pendingInvitations(issuerId, clock()),

    /** Idempotent: cancelling an invitation already used or cancelled changes nothing. */
    async cancel(input: {
      actor: AuthUser;
      issuerId: string;
      invitationId: string;
      ip: string;
    }): Promise<boolean> {
      authorize(input.actor, 'issuer.cancelInvitation', { issuerId: input.issuerId });
      const doc = await tokens.findById(input.invitationId);
      if (!doc || doc.purpose !== 'invitation' || doc.issuerId !== input.issuerId)
        throw new NotFoundError();
      const cancelled = await tokens.cancel(doc._id, clock(), input.actor.id);
      if (cancelled) {
        await audit.record({
          action: 'invitation.cancelled',
          actor: input.actor,
          target: { type: 'invitation', id: doc._id },
          issuerId: input.issuerId,
          ip: input.ip,
          details: { email: doc.email },
        });
      }
      return cancelled;
    },

    check,

    /**
     * Accepts an invitation. An address without an account gets one (name and password from
     * the form); an existing account must be signed in and simply joins the issuer.
     */
    async accept(input: {
      token: string;
      signedIn: AuthUser | null;
      name?: unknown;
      password?: unknown;
      passwordConfirm?: unknown;
      language: Language;
      ip: string;
    }): Promise<
      | { ok: true; user: AuthUser; issuer: IssuerDoc; created: boolean }
      | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'signInFirst' | 'otherAccount' }
    > {
      const checked = await check(input.token);
      if (!checked.ok) return checked;
      const view = checked.value;
      if (view.existingUser) {
        if (!input.signedIn) return { ok: false, reason: 'signInFirst' };
        if (input.signedIn.id !== view.existingUser._id)
          return { ok: false, reason: 'otherAccount' };
        const consumed = await tokens.consume(
          input.token,
          ['invitation'],
          clock(),
          input.signedIn.id,
        );
        if (!consumed.ok) return consumed;
        await join(view, input.signedIn, input.ip);
        const user = await deps.accounts.loadPrincipal(input.signedIn.id);
        return user
          ? { ok: true, user, issuer: view.issuer, created: false }
          : { ok: false, reason: 'unknown' };
      }
      if (input.signedIn) return { ok: false, reason: 'otherAccount' };
      // Validate the form before using the token, so a typo does not burn the link.
      const errors: FieldError[] = [];
      try {
        await deps.accounts.validateNewAccount({
          email: view.doc.email,
          name: input.name,
          password: input.password,
          passwordConfirm: input.passwordConfirm,
        });
      } catch (err) {
        if (err instanceof ValidationError) errors.push(...err.fieldErrors);
        else throw err;
      }
      if (errors.length) throw new ValidationError(errors);
      const consumed = await tokens.consume(input.token, ['invitation'], clock());
      if (!consumed.ok) return consumed;
      const created = await deps.accounts.createAccount({
        email: view.doc.email,
        name: input.name,
        language: input.language,
        isAdmin: false,
        password: input.password,
        passwordConfirm: input.passwordConfirm,
        ip: input.ip,
        via: 'invitation',
      });
      await join(view, { id: created._id, email: created.email }, input.ip);
      const user = await deps.accounts.loadPrincipal(created._id);
      return user
        ? { ok: true, user, issuer: view.issuer, created: true }
        : { ok: false, reason: 'unknown' };
    },
  };
}
export type InvitationsUseCases = ReturnType<typeof invitationsUseCases>;
