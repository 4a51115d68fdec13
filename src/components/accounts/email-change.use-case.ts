import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { isEmailAddress, normaliseEmail } from './email-address.js';
import type { UserDoc } from './user.model.js';
import {
  fieldError,
  type AuthUser,
  type TokenResult,
  type AccountsContext,
} from './accounts.context.js';

/** Changing one's address: confirmed from the new address, announced to the old one. */
export function emailChangeUseCases(ctx: AccountsContext) {
  const { config, clock, users, tokens, failures, audit, hasher, link, send, checkUserToken } = ctx;
  return {
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
  };
}
