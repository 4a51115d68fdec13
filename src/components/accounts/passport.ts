import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AccountsUseCases, AuthUser, SignInResult } from './accounts.use-case.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

/**
 * One passport instance per app (not the module singleton, so test apps stay apart). The
 * session keeps only the user id; every request reloads the person and their roles, so a
 * role change or a removal applies at once.
 */
export function createPassport(accounts: AccountsUseCases): passport.Authenticator {
  const instance = new passport.Authenticator();
  instance.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: true },
      (req: Request, email: string, password: string, done) => {
        accounts
          .signIn({ email, password, ip: req.ip ?? '' })
          .then((result: SignInResult) =>
            // passport passes `info` through untouched to the sign-in controller.
            result.ok
              ? done(null, result.user)
              : done(null, false, { message: result.reason, ...result }),
          )
          .catch(done);
      },
    ),
  );
  instance.serializeUser((user, done) => done(null, (user as AuthUser).id));
  instance.deserializeUser((id: string, done) => {
    accounts
      .loadPrincipal(id)
      .then((user) => done(null, user ?? false))
      .catch(done);
  });
  return instance;
}
