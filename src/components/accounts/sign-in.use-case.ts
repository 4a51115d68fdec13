import { normaliseEmail } from './email-address.js';
import type { UserDoc } from './user.model.js';
import {
  MINUTE,
  type AuthUser,
  type SignInResult,
  type AccountsContext,
} from './accounts.context.js';

const MAX_LOCK_MINUTES = 24 * 60;

/** Signing in and out: lockout after repeated failures, sessions. */
export function signInUseCases(ctx: AccountsContext) {
  const { config, clock, users, failures, audit, hasher, sessions, principalOf } = ctx;
  /**
   * Failures since the lockout window opened, newest first (at most what the longest lock needs).
   * Read without the account, so that sign-in reads both at once.
   */
  function recentFailures(email: string, now: Date): Promise<Date[]> {
    const since = new Date(now.getTime() - config.LOCKOUT_WINDOW_MINUTES * MINUTE);
    return failures.since(email, since, config.LOCKOUT_THRESHOLD * 12);
  }

  /**
   * Lockout: failures are counted since the last successful sign-in or password change, within
   * the window. Every LOCKOUT_THRESHOLD failures lock the address, for LOCKOUT_MINUTES the first
   * time and twice as long each further time (at most 24 h). Same rule for unknown addresses.
   * `recent` (the window's failures, newest first) is cut by date here, which gives what a read
   * since that date would.
   */
  function lockState(
    user: UserDoc | null,
    recent: Date[],
    now: Date,
  ): { failures: number; lockedUntil?: Date } {
    const since = Math.max(
      user?.lastSignInAt?.getTime() ?? 0,
      user?.passwordChangedAt?.getTime() ?? 0,
    );
    const times = recent.filter((t) => t.getTime() > since);
    const threshold = config.LOCKOUT_THRESHOLD;
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

  return {
    async signIn(input: { email: unknown; password: unknown; ip: string }): Promise<SignInResult> {
      const now = clock();
      const email = normaliseEmail(input.email);
      const password = typeof input.password === 'string' ? input.password : '';
      // At once: under load each round trip to the database waits its turn.
      const [user, recent] = await Promise.all([
        users.findByEmail(email),
        recentFailures(email, now),
      ]);
      const state = lockState(user, recent, now);
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
          const after = lockState(user, await recentFailures(email, now), now);
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
      // Three independent steps at once; the account read above is not read again.
      const [, , principal] = await Promise.all([
        users.recordSignIn(user._id, now),
        audit.record({
          action: 'signIn.success',
          actor: { id: user._id, email: user.email },
          target: { type: 'user', id: user._id },
          ip: input.ip,
        }),
        principalOf(user),
      ]);
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
  };
}
