import { randomUUID } from 'node:crypto';
import type { IssuerRole, Principal } from '../../libraries/authz/authorization.js';
import type { Config } from '../../libraries/config/config.js';
import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { defaultLanguage, isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail, type EmailName } from '../../libraries/mail/render-email.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import { isEmailAddress, normaliseEmail } from './email-address.js';
import type { OneTimeTokenDoc } from './one-time-token.model.js';
import type { OneTimeTokenRepository } from './one-time-token.repository.js';
import { passwordProblem, type PasswordHasher } from './password.js';
import type { SessionAdmin } from './session.js';
import type { SignInFailureRepository } from './sign-in-failure.model.js';
import type { UserDoc } from './user.model.js';
import type { UserRepository } from './user.repository.js';

/** The signed-in person as the rest of the app sees it (`req.user`). */
export interface AuthUser extends Principal {
  email: string;
  name: string;
  language: Language;
}

export interface AccountsDeps {
  config: Config;
  logger: Logger;
  clock: () => Date;
  mailer: Mailer;
  audit: Audit;
  hasher: PasswordHasher;
  users: UserRepository;
  tokens: OneTimeTokenRepository;
  failures: SignInFailureRepository;
  issuers: IssuerRepository;
  sessions: SessionAdmin;
}

export type SignInResult =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; minutes: number };

export type TokenResult<T> =
  { ok: true; value: T } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

const MINUTE = 60_000;
const MAX_LOCK_MINUTES = 24 * 60;
export const NAME_MAX_LENGTH = 100;

function fieldError(
  field: string,
  messageKey: string,
  params?: Record<string, unknown>,
): FieldError {
  return params ? { field, messageKey, params } : { field, messageKey };
}

export function accountsUseCases(deps: AccountsDeps) {
  const { config, clock, users, tokens, failures, audit, hasher, sessions } = deps;
  const link = (path: string) => `${config.PUBLIC_URL}${path}`;
  const send = (to: string, lang: Language, template: EmailName, data: Record<string, unknown>) =>
    sendTemplatedEmail(deps, { to, lang, template, data: { siteUrl: config.PUBLIC_URL, ...data } });
  /** For mails whose delivery must not change the response time (no account enumeration). */
  const sendLater = (
    to: string,
    lang: Language,
    template: EmailName,
    data: Record<string, unknown>,
  ) => {
    void send(to, lang, template, data);
  };

  async function loadPrincipal(userId: string): Promise<AuthUser | null> {
    const user = await users.findById(userId);
    if (!user) return null;
    const memberships = await deps.issuers.membershipsOfUser(user._id);
    const roles: Record<string, IssuerRole> = {};
    for (const m of memberships) roles[m.issuerId] = m.role;
    return {
      id: user._id,
      email: user.email,
      name: user.name,
      language: user.language,
      isAdmin: user.isAdmin,
      roles,
    };
  }

  /**
   * Lockout: failures are counted since the last successful sign-in or password change, within
   * the window. Every LOCKOUT_THRESHOLD failures lock the address, for LOCKOUT_MINUTES the first
   * time and twice as long each further time (at most 24 h). Same rule for unknown addresses.
   */
  async function lockState(
    email: string,
    user: UserDoc | null,
    now: Date,
  ): Promise<{ failures: number; lockedUntil?: Date }> {
    const since = Math.max(
      now.getTime() - config.LOCKOUT_WINDOW_MINUTES * MINUTE,
      user?.lastSignInAt?.getTime() ?? 0,
      user?.passwordChangedAt?.getTime() ?? 0,
    );
    const threshold = config.LOCKOUT_THRESHOLD;
    const times = await failures.since(email, new Date(since), threshold * 12);
    const level = Math.floor(times.length / threshold);
    if (level === 0) return { failures: times.length };
    // The failure that reached the current level started the lock (times are newest first).
    const start = times[times.length - level * threshold]!;
    const minutes = Math.min(config.LOCKOUT_MINUTES * 2 ** (level - 1), MAX_LOCK_MINUTES);
    const until = new Date(start.getTime() + minutes * MINUTE);
    return until > now
      ? { failures: times.length, lockedUntil: until }
      : { failures: times.length };
  }

  function minutesUntil(until: Date, now: Date): number {
    return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  }

  function validateName(name: unknown): { value: string; error?: FieldError } {
    const value = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
    if (!value) return { value, error: fieldError('name', 'accounts.errors.nameRequired') };
    if (value.length > NAME_MAX_LENGTH) {
      return {
        value,
        error: fieldError('name', 'accounts.errors.nameTooLong', { max: NAME_MAX_LENGTH }),
      };
    }
    return { value };
  }

  /** New password + confirmation, checked against the rules. */
  function newPasswordErrors(
    password: unknown,
    confirm: unknown,
    context: { email?: string; name?: string },
    field = 'password',
  ): FieldError[] {
    const pw = typeof password === 'string' ? password : '';
    const problem = passwordProblem(pw, context);
    if (problem) return [fieldError(field, problem, { min: 12 })];
    if (pw !== confirm) return [fieldError(`${field}Confirm`, 'accounts.errors.passwordMismatch')];
    return [];
  }

  /** Checks what a new account needs; throws ValidationError listing every problem. */
  function validateNewAccount(input: {
    email: unknown;
    name: unknown;
    password?: unknown;
    passwordConfirm?: unknown;
  }): { email: string; name: string } {
    const errors: FieldError[] = [];
    const email = normaliseEmail(input.email);
    if (!isEmailAddress(email)) errors.push(fieldError('email', 'accounts.errors.emailInvalid'));
    const name = validateName(input.name);
    if (name.error) errors.push(name.error);
    if (input.password !== undefined) {
      errors.push(
        ...newPasswordErrors(input.password, input.passwordConfirm, { email, name: name.value }),
      );
    }
    if (errors.length) throw new ValidationError(errors);
    return { email, name: name.value };
  }

  async function checkUserToken(
    token: string,
    purposes: readonly ('password-reset' | 'set-password' | 'email-change')[],
  ): Promise<TokenResult<{ doc: OneTimeTokenDoc; user: UserDoc }>> {
    const result = await tokens.check(token, purposes, clock());
    if (!result.ok) return result;
    const user = result.doc.userId ? await users.findById(result.doc.userId) : null;
    if (!user) return { ok: false, reason: 'unknown' };
    // A newer password (or address) makes older links for it worthless.
    const created = result.doc.createdAt.getTime();
    const superseded =
      result.doc.purpose === 'email-change'
        ? (user.emailChangedAt?.getTime() ?? 0) > created
        : (user.passwordChangedAt?.getTime() ?? 0) > created;
    if (superseded) return { ok: false, reason: 'used' };
    return { ok: true, value: { doc: result.doc, user } };
  }

  return {
    loadPrincipal,
    validateNewAccount,

    async signIn(input: { email: unknown; password: unknown; ip: string }): Promise<SignInResult> {
      const now = clock();
      const email = normaliseEmail(input.email);
      const password = typeof input.password === 'string' ? input.password : '';
      const user = await users.findByEmail(email);
      const state = await lockState(email, user, now);
      if (state.lockedUntil) {
        return { ok: false, reason: 'locked', minutes: minutesUntil(state.lockedUntil, now) };
      }
      // Unknown addresses are verified against a dummy hash: same work, same time.
      const valid = await hasher.verify(user?.passwordHash, password);
      if (!valid || !user) {
        await failures.record(email, now);
        await audit.record({
          action: 'signIn.failure',
          target: user ? { type: 'user', id: user._id } : null,
          ip: input.ip,
          // The typed address is not kept for unknown accounts: it may be a mistyped password.
          details: { knownAccount: Boolean(user) },
        });
        const count = state.failures + 1;
        if (count % config.LOCKOUT_THRESHOLD === 0) {
          const after = await lockState(email, user, now);
          if (after.lockedUntil) {
            const minutes = minutesUntil(after.lockedUntil, now);
            await audit.record({
              action: 'signIn.locked',
              target: user ? { type: 'user', id: user._id } : null,
              ip: input.ip,
              details: { knownAccount: Boolean(user), minutes, failures: count },
            });
            return { ok: false, reason: 'locked', minutes };
          }
        }
        return { ok: false, reason: 'invalid' };
      }
      if (user.passwordHash && hasher.needsRehash(user.passwordHash)) {
        await users.rehashPassword(user._id, await hasher.hash(password));
      }
      await users.recordSignIn(user._id, now);
      await audit.record({
        action: 'signIn.success',
        actor: { id: user._id, email: user.email },
        target: { type: 'user', id: user._id },
        ip: input.ip,
      });
      const principal = await loadPrincipal(user._id);
      if (!principal) return { ok: false, reason: 'invalid' };
      return { ok: true, user: principal };
    },

    async recordSignOut(user: AuthUser, ip: string): Promise<void> {
      await audit.record({
        action: 'signOut',
        actor: user,
        target: { type: 'user', id: user.id },
        ip,
      });
    },

    anyAccountExists: () => users.anyExists(),

    /**
     * Creates an account (CLI, first-run set-up, accepted invitation). Without a password the
     * person sets one through a link (`createSetPasswordLink`).
     */
    async createAccount(input: {
      email: unknown;
      name: unknown;
      language?: unknown;
      isAdmin: boolean;
      password?: unknown;
      passwordConfirm?: unknown;
      actor?: AuthUser | null;
      ip?: string | null;
      via: 'cli' | 'first-run' | 'invitation';
    }): Promise<UserDoc> {
      const { email, name } = validateNewAccount(input);
      const now = clock();
      const user: UserDoc = {
        _id: randomUUID(),
        email,
        name,
        language: isLanguage(input.language) ? input.language : defaultLanguage,
        isAdmin: input.isAdmin,
        createdAt: now,
      };
      if (typeof input.password === 'string') {
        user.passwordHash = await hasher.hash(input.password);
        user.passwordChangedAt = now;
      }
      try {
        await users.insert(user);
      } catch (err) {
        if ((err as { code?: number }).code === 11000) {
          throw new ValidationError([fieldError('email', 'accounts.errors.emailTaken')]);
        }
        throw err;
      }
      await audit.record({
        action: 'account.created',
        actor: input.actor ?? (input.via === 'cli' ? null : { id: user._id, email: user.email }),
        target: { type: 'user', id: user._id },
        ip: input.ip ?? null,
        details: { via: input.via, isAdmin: input.isAdmin },
      });
      return user;
    },

    /** A one-time link to choose a password (printed by the admin CLI). */
    async createSetPasswordLink(
      user: UserDoc,
      actorLabel?: string,
    ): Promise<{ url: string; expiresAt: Date }> {
      const now = clock();
      const expiresAt = new Date(now.getTime() + config.SET_PASSWORD_HOURS * 3600_000);
      const { token } = await tokens.issue({
        purpose: 'set-password',
        email: user.email,
        userId: user._id,
        createdAt: now,
        expiresAt,
        ...(actorLabel ? { createdBy: actorLabel } : {}),
      });
      await audit.record({
        action: 'password.setLinkCreated',
        target: { type: 'user', id: user._id },
        details: { via: actorLabel ?? 'cli' },
      });
      return { url: link(`/mot-de-passe/nouveau/${token}`), expiresAt };
    },

    /** Always answers the same; mails a link only if the account exists. */
    async requestPasswordReset(input: { email: unknown; ip: string }): Promise<void> {
      const email = normaliseEmail(input.email);
      if (!isEmailAddress(email)) {
        throw new ValidationError([fieldError('email', 'accounts.errors.emailInvalid')]);
      }
      const now = clock();
      const user = await users.findByEmail(email);
      if (!user) {
        await audit.record({
          action: 'password.resetRequested',
          ip: input.ip,
          details: { knownAccount: false },
        });
        return;
      }
      const expiresAt = new Date(now.getTime() + config.RESET_TOKEN_HOURS * 3600_000);
      const { token } = await tokens.issue({
        purpose: 'password-reset',
        email: user.email,
        userId: user._id,
        createdAt: now,
        expiresAt,
      });
      await audit.record({
        action: 'password.resetRequested',
        target: { type: 'user', id: user._id },
        ip: input.ip,
        details: { knownAccount: true },
      });
      sendLater(user.email, user.language, 'password-reset', {
        name: user.name,
        url: link(`/mot-de-passe/nouveau/${token}`),
        hours: config.RESET_TOKEN_HOURS,
      });
    },

    checkPasswordToken: (token: string) =>
      checkUserToken(token, ['password-reset', 'set-password']),

    /** Sets a new password from a reset or set-password link; signs out every session. */
    async resetPassword(input: {
      token: string;
      password: unknown;
      passwordConfirm: unknown;
      ip: string;
    }): Promise<TokenResult<AuthUser>> {
      const checked = await checkUserToken(input.token, ['password-reset', 'set-password']);
      if (!checked.ok) return checked;
      const { user } = checked.value;
      const errors = newPasswordErrors(input.password, input.passwordConfirm, {
        email: user.email,
        name: user.name,
      });
      if (errors.length) throw new ValidationError(errors);
      const now = clock();
      const consumed = await tokens.consume(
        input.token,
        ['password-reset', 'set-password'],
        now,
        user._id,
      );
      if (!consumed.ok) return consumed;
      await users.setPassword(user._id, await hasher.hash(String(input.password)), now);
      await sessions.destroyForUser(user._id);
      await audit.record({
        action: 'password.reset',
        actor: { id: user._id, email: user.email },
        target: { type: 'user', id: user._id },
        ip: input.ip,
        details: { via: consumed.doc.purpose },
      });
      if (consumed.doc.purpose === 'password-reset') {
        sendLater(user.email, user.language, 'password-changed', { name: user.name });
      }
      const principal = await loadPrincipal(user._id);
      return principal ? { ok: true, value: principal } : { ok: false, reason: 'unknown' };
    },

    async changePassword(input: {
      user: AuthUser;
      currentPassword: unknown;
      newPassword: unknown;
      newPasswordConfirm: unknown;
      ip: string;
      sessionId: string;
    }): Promise<void> {
      const now = clock();
      const user = await users.findById(input.user.id);
      if (!user)
        throw new ValidationError([
          fieldError('currentPassword', 'accounts.errors.currentPasswordWrong'),
        ]);
      const current = typeof input.currentPassword === 'string' ? input.currentPassword : '';
      if (!(await hasher.verify(user.passwordHash, current))) {
        // Counts towards the lockout like a wrong sign-in: a stolen session cannot guess it.
        await failures.record(user.email, now);
        await audit.record({
          action: 'signIn.failure',
          actor: input.user,
          target: { type: 'user', id: user._id },
          ip: input.ip,
          details: { knownAccount: true, during: 'password-change' },
        });
        throw new ValidationError([
          fieldError('currentPassword', 'accounts.errors.currentPasswordWrong'),
        ]);
      }
      const errors = newPasswordErrors(
        input.newPassword,
        input.newPasswordConfirm,
        { email: user.email, name: user.name },
        'newPassword',
      );
      if (errors.length) throw new ValidationError(errors);
      await users.setPassword(user._id, await hasher.hash(String(input.newPassword)), now);
      const others = await sessions.destroyForUser(user._id, input.sessionId);
      await audit.record({
        action: 'password.changed',
        actor: input.user,
        target: { type: 'user', id: user._id },
        ip: input.ip,
        details: { otherSessionsClosed: others },
      });
      sendLater(user.email, user.language, 'password-changed', { name: user.name });
    },

    async updateProfile(input: {
      user: AuthUser;
      name: unknown;
      language: unknown;
      ip: string;
    }): Promise<void> {
      const name = validateName(input.name);
      const errors: FieldError[] = [];
      if (name.error) errors.push(name.error);
      if (!isLanguage(input.language))
        errors.push(fieldError('language', 'accounts.errors.languageInvalid'));
      if (errors.length) throw new ValidationError(errors);
      await users.setProfile(input.user.id, {
        name: name.value,
        language: input.language as Language,
      });
      await audit.record({
        action: 'account.profileUpdated',
        actor: input.user,
        target: { type: 'user', id: input.user.id },
        ip: input.ip,
        details: { language: input.language as Language },
      });
    },

    /** `?lang=` for a signed-in person also changes their setting (it otherwise wins). */
    async setLanguage(userId: string, language: Language): Promise<void> {
      await users.setProfile(userId, { language });
    },

    async requestEmailChange(input: {
      user: AuthUser;
      newEmail: unknown;
      password: unknown;
      ip: string;
    }): Promise<void> {
      const now = clock();
      const user = await users.findById(input.user.id);
      const newEmail = normaliseEmail(input.newEmail);
      const errors: FieldError[] = [];
      if (!isEmailAddress(newEmail))
        errors.push(fieldError('newEmail', 'accounts.errors.emailInvalid'));
      else if (newEmail === user?.email)
        errors.push(fieldError('newEmail', 'accounts.errors.emailSame'));
      const password = typeof input.password === 'string' ? input.password : '';
      if (!user || !(await hasher.verify(user.passwordHash, password))) {
        if (user) await failures.record(user.email, now);
        errors.push(fieldError('emailPassword', 'accounts.errors.currentPasswordWrong'));
      }
      if (errors.length || !user) throw new ValidationError(errors);
      const expiresAt = new Date(now.getTime() + config.EMAIL_CHANGE_HOURS * 3600_000);
      const { token } = await tokens.issue({
        purpose: 'email-change',
        email: newEmail,
        userId: user._id,
        createdAt: now,
        expiresAt,
      });
      await audit.record({
        action: 'email.changeRequested',
        actor: input.user,
        target: { type: 'user', id: user._id },
        ip: input.ip,
        details: { newEmail },
      });
      // Whether the new address already has an account is only told at confirmation, to its owner.
      await send(newEmail, user.language, 'email-change-confirm', {
        name: user.name,
        url: link(`/compte/adresse/confirmer/${token}`),
        hours: config.EMAIL_CHANGE_HOURS,
      });
      await send(user.email, user.language, 'email-change-requested', {
        name: user.name,
        newEmail,
      });
    },

    checkEmailChangeToken: (token: string) => checkUserToken(token, ['email-change']),

    async confirmEmailChange(input: {
      token: string;
      ip: string;
    }): Promise<TokenResult<{ user: UserDoc; newEmail: string }> | { ok: false; reason: 'taken' }> {
      const checked = await checkUserToken(input.token, ['email-change']);
      if (!checked.ok) return checked;
      const { user, doc } = checked.value;
      if (await users.findByEmail(doc.email)) return { ok: false, reason: 'taken' };
      const now = clock();
      const consumed = await tokens.consume(input.token, ['email-change'], now, user._id);
      if (!consumed.ok) return consumed;
      try {
        await users.setEmail(user._id, doc.email, now);
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return { ok: false, reason: 'taken' };
        throw err;
      }
      await audit.record({
        action: 'email.changed',
        actor: { id: user._id, email: doc.email },
        target: { type: 'user', id: user._id },
        ip: input.ip,
        details: { oldEmail: user.email, newEmail: doc.email },
      });
      await send(user.email, user.language, 'email-changed', {
        name: user.name,
        newEmail: doc.email,
      });
      return { ok: true, value: { user, newEmail: doc.email } };
    },

    async signOutOtherSessions(user: AuthUser, sessionId: string, ip: string): Promise<number> {
      const count = await sessions.destroyForUser(user.id, sessionId);
      await audit.record({
        action: 'sessions.revokedOthers',
        actor: user,
        target: { type: 'user', id: user.id },
        ip,
        details: { count },
      });
      return count;
    },

    listSessions: (user: AuthUser) => sessions.listForUser(user.id),

    /**
     * Takes the one-time first-run set-up for this request: insert-only, so of two simultaneous
     * submissions only one gets true and creates the first administrator.
     */
    claimFirstRun: (): Promise<boolean> => tokens.cancel('first-run-set-up', clock(), 'first-run'),

    /** Housekeeping run by the server: expired sessions, old failures and tokens. */
    async housekeeping(): Promise<{ sessions: number; failures: number; tokens: number }> {
      const now = clock();
      const sessionsRemoved = await sessions.cleanupExpired();
      const failuresRemoved = await failures.deleteBefore(
        new Date(now.getTime() - config.LOCKOUT_WINDOW_MINUTES * MINUTE),
      );
      const tokensRemoved = await tokens.deleteExpiredBefore(
        new Date(now.getTime() - config.RETENTION_LINK_DAYS * 24 * 3600_000),
      );
      return { sessions: sessionsRemoved, failures: failuresRemoved, tokens: tokensRemoved };
    },
  };
}
export type AccountsUseCases = ReturnType<typeof accountsUseCases>;
