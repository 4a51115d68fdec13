import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { accountsController, type AccountsControllerDeps } from './accounts.controller.js';

/** Sign-in, sign-out, forgotten password, account page, email change, first-run set-up. */
export function accountsRoutes(
  deps: AccountsControllerDeps & { rateLimits: RateLimits },
): RouteDef[] {
  const c = accountsController(deps);
  const limits = deps.rateLimits;
  return [
    {
      method: 'get',
      path: '/connexion',
      access: { kind: 'public' },
      summary: 'Sign-in form',
      handlers: [c.showSignIn],
    },
    {
      method: 'post',
      path: '/connexion',
      access: { kind: 'public' },
      db: true,
      summary: 'Sign in (rate-limited by IP and email; progressive lockout)',
      handlers: [...limits.signIn, c.signIn],
    },
    {
      method: 'post',
      path: '/deconnexion',
      access: { kind: 'public' },
      summary: 'Sign out: destroys the session',
      handlers: [c.signOut],
    },
    {
      method: 'get',
      path: '/mot-de-passe-oublie',
      access: { kind: 'public' },
      summary: 'Forgotten password form',
      handlers: [c.showForgot],
    },
    {
      method: 'post',
      path: '/mot-de-passe-oublie',
      access: { kind: 'public' },
      db: true,
      summary: 'Mail a password reset link (same answer whether the account exists or not)',
      handlers: [...limits.passwordReset, c.forgot],
    },
    {
      method: 'get',
      path: '/mot-de-passe/nouveau/:token',
      access: { kind: 'public' },
      db: true,
      example: '/mot-de-passe/nouveau/jeton-invalide',
      summary: 'Choose a new password from a reset or set-password link',
      handlers: [...limits.tokenLinks, c.showNewPassword],
    },
    {
      method: 'post',
      path: '/mot-de-passe/nouveau/:token',
      access: { kind: 'public' },
      db: true,
      example: '/mot-de-passe/nouveau/jeton-invalide',
      summary: 'Set the new password (single-use link); signs in',
      handlers: [...limits.tokenLinks, c.newPassword],
    },
    {
      method: 'get',
      path: '/compte',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Account: name, language, password, email, sessions',
      handlers: [c.showAccount],
    },
    {
      method: 'post',
      path: '/compte/profil',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Change name and language',
      handlers: [c.updateProfile],
    },
    {
      method: 'post',
      path: '/compte/mot-de-passe',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Change password (asks the current one); signs out other sessions',
      handlers: [c.changePassword],
    },
    {
      method: 'post',
      path: '/compte/adresse',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Ask to change the email address (confirmation sent to the new one)',
      handlers: [c.requestEmailChange],
    },
    {
      method: 'post',
      path: '/compte/sessions/deconnecter-les-autres',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Sign out of every other session',
      handlers: [c.signOutOthers],
    },
    {
      method: 'get',
      path: '/compte/adresse/confirmer/:token',
      access: { kind: 'public' },
      db: true,
      example: '/compte/adresse/confirmer/jeton-invalide',
      summary: 'Confirm a new email address (page with a button: mail scanners open links)',
      handlers: [...limits.tokenLinks, c.showConfirmEmail],
    },
    {
      method: 'post',
      path: '/compte/adresse/confirmer/:token',
      access: { kind: 'public' },
      db: true,
      example: '/compte/adresse/confirmer/jeton-invalide',
      summary: 'Confirm a new email address (single-use link)',
      handlers: [...limits.tokenLinks, c.confirmEmail],
    },
    {
      method: 'get',
      path: '/installation',
      access: { kind: 'firstRun' },
      db: true,
      summary: 'First-run set-up: create the first administrator (localhost, no account yet)',
      handlers: [c.showFirstRun],
    },
    {
      method: 'post',
      path: '/installation',
      access: { kind: 'firstRun' },
      db: true,
      summary: 'Create the first administrator',
      handlers: [...limits.signIn, c.firstRun],
    },
  ];
}
