import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type passport from 'passport';
import type { Config } from '../../libraries/config/config.js';
import { AppError, ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import { languages } from '../../libraries/i18n/i18n.js';
import { formErrors, renderFormErrors } from '../../libraries/web/forms.js';
import { safeReturnPath } from '../../libraries/web/return-path.js';
import type { AccountsUseCases, AuthUser, SignInResult } from './accounts.use-case.js';
import { flash } from './accounts.middleware.js';
import { homeFor, logIn, renderInvalidLink } from './accounts.pages.js';
import { PASSWORD_MIN_LENGTH } from './password.js';
import { describeUserAgent, SESSION_COOKIE } from './session.js';
import { str } from '../../libraries/http/params.js';

export interface AccountsControllerDeps {
  config: Config;
  clock: () => Date;
  accounts: AccountsUseCases;
  passport: passport.Authenticator;
}

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export function accountsController(deps: AccountsControllerDeps) {
  const { accounts, clock, config } = deps;
  const t = (res: Response) => res.locals.t as (k: string, o?: object) => string;
  const passwordHint = (res: Response) =>
    t(res)('accounts.password.hint', { min: PASSWORD_MIN_LENGTH });

  // ---- Sign-in and sign-out -------------------------------------------------------------

  const signInForm = (res: Response, locals: Record<string, unknown>) => ({
    pageTitle: t(res)('accounts.signIn.title'),
    navCurrent: 'signIn',
    ...locals,
  });

  const showSignIn: RequestHandler = (req, res) => {
    const retour = safeReturnPath(req.query.retour);
    if (req.user) return res.redirect(302, retour ?? homeFor(req.user));
    res.render(
      'accounts/sign-in',
      signInForm(res, {
        values: { email: '' },
        retour,
        signedOut: req.query.deconnecte === '1',
        emailChanged: req.query.adresse === 'modifiee',
      }),
    );
  };

  const signIn: RequestHandler = (req, res, next) => {
    const b = body(req);
    const values = { email: str(b.email).trim() };
    const retour = safeReturnPath(b.retour);
    const missing: FieldError[] = [];
    if (!values.email)
      missing.push({ field: 'email', messageKey: 'accounts.errors.emailRequired' });
    if (!str(b.password))
      missing.push({ field: 'password', messageKey: 'accounts.errors.passwordRequired' });
    if (missing.length) {
      return renderFormErrors(
        res,
        new ValidationError(missing),
        'accounts/sign-in',
        signInForm(res, { values, retour }),
      );
    }
    const authenticate = deps.passport.authenticate(
      'local',
      (err: unknown, user: AuthUser | false, info: SignInResult | undefined) => {
        if (err) return next(err);
        if (!user) {
          const locked = info && !info.ok && info.reason === 'locked';
          // One message for "no such account" and "wrong password"; the lock message is the
          // same for unknown addresses too.
          const error: FieldError = locked
            ? {
                field: 'email',
                messageKey: 'accounts.signIn.locked',
                params: { minutes: info.minutes },
              }
            : { field: 'email', messageKey: 'accounts.signIn.invalid' };
          if (locked) res.setHeader('Retry-After', String(info.minutes * 60));
          return renderFormErrors(
            res,
            new ValidationError([error]),
            'accounts/sign-in',
            signInForm(res, { values, retour, locked }),
            locked ? 429 : 401,
          );
        }
        logIn(req, user, clock()).then(() => res.redirect(303, retour ?? homeFor(user)), next);
      },
    ) as RequestHandler;
    authenticate(req, res, next);
  };

  const signOut: RequestHandler = async (req, res, next) => {
    const user = req.user;
    if (user) await accounts.recordSignOut(user, req.ip ?? '');
    if (!req.session) return res.redirect(303, '/connexion?deconnecte=1');
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      res.redirect(303, '/connexion?deconnecte=1');
    });
  };

  // ---- Forgotten password and links to choose a password --------------------------------

  const showForgot: RequestHandler = (_req, res) => {
    res.render('accounts/forgot', {
      pageTitle: t(res)('accounts.forgot.title'),
      values: { email: '' },
    });
  };

  const forgot: RequestHandler = async (req, res) => {
    const values = { email: str(body(req).email).trim() };
    try {
      await accounts.requestPasswordReset({ email: values.email, ip: req.ip ?? '' });
    } catch (err) {
      return renderFormErrors(res, err, 'accounts/forgot', {
        pageTitle: t(res)('accounts.forgot.title'),
        values,
      });
    }
    res.render('accounts/forgot-sent', {
      pageTitle: t(res)('accounts.forgot.sentTitle'),
      email: values.email,
      hours: config.RESET_TOKEN_HOURS,
    });
  };

  const newPasswordLocals = (res: Response, purpose: string, email: string) => ({
    pageTitle: t(res)(
      purpose === 'set-password' ? 'accounts.newPassword.titleFirst' : 'accounts.newPassword.title',
    ),
    isFirst: purpose === 'set-password',
    email,
    passwordHint: passwordHint(res),
  });

  const showNewPassword: RequestHandler = async (req, res) => {
    const token = str(req.params.token);
    const checked = await accounts.checkPasswordToken(token);
    if (!checked.ok) return renderInvalidLink(res, checked.reason, 'reset');
    res.render(
      'accounts/new-password',
      newPasswordLocals(res, checked.value.doc.purpose, checked.value.user.email),
    );
  };

  const newPassword: RequestHandler = async (req, res) => {
    const token = str(req.params.token);
    const b = body(req);
    const checked = await accounts.checkPasswordToken(token);
    if (!checked.ok) return renderInvalidLink(res, checked.reason, 'reset');
    let result;
    try {
      result = await accounts.resetPassword({
        token,
        password: b.password,
        passwordConfirm: b.passwordConfirm,
        ip: req.ip ?? '',
      });
    } catch (err) {
      return renderFormErrors(
        res,
        err,
        'accounts/new-password',
        newPasswordLocals(res, checked.value.doc.purpose, checked.value.user.email),
      );
    }
    if (!result.ok) return renderInvalidLink(res, result.reason, 'reset');
    await logIn(req, result.value, clock());
    flash(req, { kind: 'ok', key: 'accounts.newPassword.done' });
    res.redirect(303, homeFor(result.value));
  };

  // ---- Account page ---------------------------------------------------------------------

  async function renderAccount(
    req: Request,
    res: Response,
    options: { status?: number; fieldErrors?: FieldError[]; values?: Record<string, string> } = {},
  ): Promise<void> {
    const user = req.user!;
    const sessions = (await accounts.listSessions(user)).map((s) => {
      const ua = describeUserAgent(s.userAgent);
      return {
        ...s,
        current: s.id === req.sessionID,
        device:
          ua.browser && ua.system
            ? t(res)('accounts.sessions.device', { browser: ua.browser, system: ua.system })
            : ua.browser || ua.system || t(res)('accounts.sessions.unknownDevice'),
      };
    });
    const errors = options.fieldErrors?.length
      ? formErrors(res.locals.t, options.fieldErrors)
      : undefined;
    res.status(options.status ?? 200).render('accounts/account', {
      pageTitle: errors
        ? `${t(res)('forms.errorTitlePrefix')} ${t(res)('accounts.account.title')}`
        : t(res)('accounts.account.title'),
      navCurrent: 'account',
      user,
      values: { name: user.name, language: user.language, ...options.values },
      languages: languages.map((code) => ({
        code,
        label: t(res)(`languages.${code}`),
        selected: (options.values?.language ?? user.language) === code,
      })),
      sessions,
      otherSessions: sessions.filter((s) => !s.current).length,
      errors,
      passwordHint: passwordHint(res),
    });
  }

  const showAccount: RequestHandler = (req, res) => renderAccount(req, res);

  /** Runs an account form action: errors re-render the page, success redirects with a message. */
  const accountAction =
    (
      action: (
        req: Request,
        res: Response,
      ) => Promise<{ key: string; params?: Record<string, string | number> }>,
      values: (req: Request) => Record<string, string> = () => ({}),
      anchor = '',
    ): RequestHandler =>
    async (req: Request, res: Response, _next: NextFunction) => {
      let message;
      try {
        message = await action(req, res);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return renderAccount(req, res, {
          status: 422,
          fieldErrors: err.fieldErrors,
          values: values(req),
        });
      }
      flash(req, { kind: 'ok', ...message });
      res.redirect(303, `/compte${anchor}`);
    };

  const updateProfile = accountAction(
    async (req) => {
      const b = body(req);
      await accounts.updateProfile({
        user: req.user!,
        name: b.name,
        language: b.language,
        ip: req.ip ?? '',
      });
      return { key: 'accounts.account.profileSaved' };
    },
    (req) => ({ name: str(body(req).name), language: str(body(req).language) }),
  );

  const changePassword = accountAction(
    async (req) => {
      const b = body(req);
      await accounts.changePassword({
        user: req.user!,
        currentPassword: b.currentPassword,
        newPassword: b.newPassword,
        newPasswordConfirm: b.newPasswordConfirm,
        ip: req.ip ?? '',
        sessionId: req.sessionID,
      });
      return { key: 'accounts.account.passwordChanged' };
    },
    undefined,
    '#mot-de-passe',
  );

  const requestEmailChange = accountAction(
    async (req) => {
      const b = body(req);
      await accounts.requestEmailChange({
        user: req.user!,
        newEmail: b.newEmail,
        password: b.emailPassword,
        ip: req.ip ?? '',
      });
      return { key: 'accounts.account.emailChangeSent', params: { email: str(b.newEmail).trim() } };
    },
    (req) => ({ newEmail: str(body(req).newEmail) }),
    '#adresse',
  );

  const signOutOthers = accountAction(
    async (req) => {
      const count = await accounts.signOutOtherSessions(req.user!, req.sessionID, req.ip ?? '');
      return { key: 'accounts.sessions.othersClosed', params: { count } };
    },
    undefined,
    '#sessions',
  );

  // ---- Email change confirmation --------------------------------------------------------

  const showConfirmEmail: RequestHandler = async (req, res) => {
    const checked = await accounts.checkEmailChangeToken(str(req.params.token));
    if (!checked.ok) return renderInvalidLink(res, checked.reason, 'email');
    res.render('accounts/confirm-email', {
      pageTitle: t(res)('accounts.confirmEmail.title'),
      newEmail: checked.value.doc.email,
    });
  };

  const confirmEmail: RequestHandler = async (req, res) => {
    const result = await accounts.confirmEmailChange({
      token: str(req.params.token),
      ip: req.ip ?? '',
    });
    if (!result.ok) {
      if (result.reason === 'taken') {
        throw new AppError(409, 'conflict', { messageKey: 'accounts.confirmEmail.taken' });
      }
      return renderInvalidLink(res, result.reason, 'email');
    }
    if (req.user) {
      flash(req, {
        kind: 'ok',
        key: 'accounts.confirmEmail.done',
        params: { email: result.value.newEmail },
      });
      return res.redirect(303, '/compte');
    }
    res.redirect(303, '/connexion?adresse=modifiee');
  };

  // ---- First-run set-up -----------------------------------------------------------------

  const firstRunLocals = (res: Response, values: Record<string, string>) => ({
    pageTitle: t(res)('accounts.firstRun.title'),
    values,
    passwordHint: passwordHint(res),
  });

  const showFirstRun: RequestHandler = (_req, res) => {
    res.render('accounts/first-run', firstRunLocals(res, { name: '', email: '' }));
  };

  const firstRun: RequestHandler = async (req, res) => {
    const b = body(req);
    const values = { name: str(b.name), email: str(b.email) };
    let user;
    try {
      accounts.validateNewAccount({
        email: b.email,
        name: b.name,
        password: b.password,
        passwordConfirm: b.passwordConfirm,
      });
      // Insert-only guard: two simultaneous submissions cannot both create the first admin.
      if (!(await accounts.claimFirstRun())) {
        throw new AppError(404, 'not_found');
      }
      user = await accounts.createAccount({
        email: b.email,
        name: b.name,
        language: res.locals.lang,
        isAdmin: true,
        password: b.password,
        passwordConfirm: b.passwordConfirm,
        ip: req.ip ?? '',
        via: 'first-run',
      });
    } catch (err) {
      return renderFormErrors(res, err, 'accounts/first-run', firstRunLocals(res, values));
    }
    const principal = await accounts.loadPrincipal(user._id);
    if (!principal) throw new AppError(500, 'internal');
    await logIn(req, principal, clock());
    flash(req, { kind: 'ok', key: 'accounts.firstRun.done' });
    res.redirect(303, '/structures');
  };

  return {
    showSignIn,
    signIn,
    signOut,
    showForgot,
    forgot,
    showNewPassword,
    newPassword,
    showAccount,
    updateProfile,
    changePassword,
    requestEmailChange,
    signOutOthers,
    showConfirmEmail,
    confirmEmail,
    showFirstRun,
    firstRun,
  };
}
