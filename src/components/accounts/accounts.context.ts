import type { IssuerRole, Principal } from '../../libraries/authz/authorization.js';
import type { Config } from '../../libraries/config/config.js';
import { ValidationError, type FieldError } from '../../libraries/errors/app-error.js';
import type { Language } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { sendTemplatedEmail, type EmailName } from '../../libraries/mail/render-email.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import type { MembershipDoc } from '../issuers/membership.model.js';
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

export const MINUTE = 60_000;
export const NAME_MAX_LENGTH = 100;

export function fieldError(
  field: string,
  messageKey: string,
  params?: Record<string, unknown>,
): FieldError {
  return params ? { field, messageKey, params } : { field, messageKey };
}

/**
 * What every accounts story shares: the dependencies, mail sending, the principal loader and the
 * checks of names, passwords and one-time links.
 */
export function accountsContext(deps: AccountsDeps) {
  const { config, clock, users, tokens } = deps;
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

  /** Every signed-in request: the account and its memberships, read at once (one wait). */
  async function loadPrincipal(userId: string): Promise<AuthUser | null> {
    const [user, memberships] = await Promise.all([
      users.findById(userId),
      deps.issuers.membershipsOfUser(userId),
    ]);
    return user ? principalFrom(user, memberships) : null;
  }

  /** A person as requests see them: the account and its roles (one read, the memberships). */
  async function principalOf(user: UserDoc): Promise<AuthUser> {
    return principalFrom(user, await deps.issuers.membershipsOfUser(user._id));
  }

  function principalFrom(user: UserDoc, memberships: MembershipDoc[]): AuthUser {
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
    ...deps,
    link,
    send,
    sendLater,
    loadPrincipal,
    principalOf,
    validateName,
    newPasswordErrors,
    validateNewAccount,
    checkUserToken,
  };
}
export type AccountsContext = ReturnType<typeof accountsContext>;
