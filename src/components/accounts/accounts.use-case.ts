import { accountsContext, MINUTE, type AccountsDeps } from './accounts.context.js';
import { emailChangeUseCases } from './email-change.use-case.js';
import { passwordUseCases } from './password.use-case.js';
import { profileUseCases } from './profile.use-case.js';
import { signInUseCases } from './sign-in.use-case.js';

export {
  NAME_MAX_LENGTH,
  type AccountsDeps,
  type AuthUser,
  type SignInResult,
  type TokenResult,
} from './accounts.context.js';

/** The accounts use cases, one file per story: sign-in, password, e-mail change, profile. */
export function accountsUseCases(deps: AccountsDeps) {
  const ctx = accountsContext(deps);
  const { config, clock, failures, tokens, sessions } = ctx;
  return {
    loadPrincipal: ctx.loadPrincipal,
    validateNewAccount: ctx.validateNewAccount,
    ...signInUseCases(ctx),
    ...profileUseCases(ctx),
    ...passwordUseCases(ctx),
    ...emailChangeUseCases(ctx),

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
