import { ValidationError } from '../../libraries/errors/app-error.js';
import { isEmailAddress, normaliseEmail } from './email-address.js';
import type { UserDoc } from './user.model.js';
import {
  fieldError,
  type AuthUser,
  type TokenResult,
  type AccountsContext,
} from './accounts.context.js';

/** Passwords: set-password links, forgotten password, change while signed in. */
export function passwordUseCases(ctx: AccountsContext) {
  const {
    config,
    clock,
    users,
    tokens,
    failures,
    audit,
    hasher,
    sessions,
    link,
    sendLater,
    loadPrincipal,
    newPasswordErrors,
    checkUserToken,
  } = ctx;
  return {
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
  };
}
