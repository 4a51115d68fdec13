import type { Connection } from 'mongoose';
import type { Config } from '../../libraries/config/config.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import { auditRepository } from '../audit/audit.repository.js';
import { createAudit } from '../audit/audit.use-case.js';
import {
  invitationsUseCases,
  type InvitationsUseCases,
} from '../invitations/invitations.use-case.js';
import { issuerRepository } from '../issuers/issuer.repository.js';
import { issuersUseCases, type IssuersDeps } from '../issuers/issuers.use-case.js';
import { accountsUseCases } from './accounts.use-case.js';
import { oneTimeTokenRepository } from './one-time-token.repository.js';
import { createPasswordHasher } from './password.js';
import { sessionAdmin } from './session.js';
import { signInFailureRepository } from './sign-in-failure.model.js';
import { userRepository } from './user.repository.js';

/**
 * Accounts, issuers, invitations and audit wired together once, for the web app and for the
 * admin CLI (which must go through the same use cases). Creating it registers the models.
 */
export function createAccountServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  /** The key module: new issuers get their signing keys at creation. */
  keys?: IssuersDeps['keys'];
}) {
  const { config, logger, db, clock, mailer } = deps;
  const users = userRepository(db);
  const tokens = oneTimeTokenRepository(db);
  const failures = signInFailureRepository(db);
  const issuerRepo = issuerRepository(db);
  const sessions = sessionAdmin(db);
  const audit = createAudit({ repo: auditRepository(db), clock, logger });
  const hasher = createPasswordHasher(config);
  const accounts = accountsUseCases({
    config,
    logger,
    clock,
    mailer,
    audit,
    hasher,
    users,
    tokens,
    failures,
    issuers: issuerRepo,
    sessions,
  });
  const invitations: InvitationsUseCases = invitationsUseCases({
    config,
    logger,
    clock,
    mailer,
    audit,
    tokens,
    users,
    issuers: issuerRepo,
    accounts,
  });
  const issuers = issuersUseCases({
    clock,
    audit,
    issuers: issuerRepo,
    users,
    invitations,
    keys: deps.keys,
    logger,
  });
  return { users, tokens, issuerRepo, sessions, audit, hasher, accounts, issuers, invitations };
}
export type AccountServices = ReturnType<typeof createAccountServices>;
