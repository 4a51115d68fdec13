import { randomUUID } from 'node:crypto';
import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { defaultLanguage, isLanguage, type Language } from '../../libraries/i18n/i18n.js';
import type { UserDoc } from './user.model.js';
import { fieldError, type AuthUser, type AccountsContext } from './accounts.context.js';

/** Creating an account (CLI, first run, invitation) and editing one's name and language. */
export function profileUseCases(ctx: AccountsContext) {
  const { clock, users, tokens, audit, hasher, validateName, validateNewAccount } = ctx;
  return {
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

    /**
     * Takes the one-time first-run set-up for this request: insert-only, so of two simultaneous
     * submissions only one gets true and creates the first administrator.
     */
    claimFirstRun: (): Promise<boolean> => tokens.cancel('first-run-set-up', clock(), 'first-run'),
  };
}
