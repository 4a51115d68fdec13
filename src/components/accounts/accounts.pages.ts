import type { Request, Response } from 'express';
import type { AuthUser } from './accounts.use-case.js';
import { sessionMetaFor } from './accounts.middleware.js';

// Page helpers shared by the controllers that end in a signed-in session (accounts, invitations).

/** Where a person lands after signing in when no page was asked for. */
export function homeFor(user: AuthUser): string {
  const staff =
    user.isAdmin || Object.values(user.roles).some((r) => r === 'owner' || r === 'coordinator');
  // Mediators and recipients come for their badges, not for their account settings.
  return staff ? '/structures' : '/mes-badges';
}

/**
 * Signs `user` in on a fresh session id (no fixation) with its metadata, in one write.
 * passport's own logIn saves the session, and a second save would then add the metadata:
 * here the session is regenerated and saved once, and passport only sets `req.user`.
 */
export function logIn(req: Request, user: AuthUser, now: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err as Error);
      // What passport's serializer (passport.ts) would store: the user id.
      req.session.passport = { user: user.id };
      req.session.meta = sessionMetaFor(req, now.getTime());
      req.session.save((saveErr) => {
        if (saveErr) return reject(saveErr as Error);
        req.logIn(user, { session: false }, (loginErr) =>
          loginErr ? reject(loginErr as Error) : resolve(),
        );
      });
    });
  });
}

/** The page shown for a one-time link that cannot be used (status 410). */
export function renderInvalidLink(
  res: Response,
  reason: 'unknown' | 'expired' | 'used',
  kind: 'reset' | 'invitation' | 'email',
): void {
  const t = res.locals.t as (k: string) => string;
  res.status(410).render('accounts/link-invalid', {
    pageTitle: t('links.invalid.title'),
    reason,
    kind,
    isReset: kind === 'reset',
    isInvitation: kind === 'invitation',
    isEmail: kind === 'email',
  });
}
