import type { Connection } from 'mongoose';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import type { AccountServices } from '../accounts/accounts.services.js';
import type { BadgeServices } from '../awards/badge-services.js';
import { createEndorsementDocuments } from '../endorsements/endorsement-documents.js';
import type { EndorsementsRepository } from '../endorsements/endorsements.repository.js';
import { endorsementsUseCases } from '../endorsements/endorsements.use-case.js';
import type { KeyService } from '../keys/keys.use-case.js';
import { requestsRepository } from '../requests/requests.repository.js';
import { requestsUseCases } from '../requests/requests.use-case.js';
import { dashboardRepository } from './dashboard.repository.js';
import { dashboardUseCases } from './dashboard.use-case.js';

/**
 * Badge requests, recommendations (endorsements) with co-issuance by quorum, and the
 * coordinators' overview, wired once over the badge services.
 */
export function createReviewServices(deps: {
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  keys: KeyService;
  accounts: Pick<AccountServices, 'audit' | 'issuerRepo' | 'users'>;
  badges: BadgeServices;
  endorsementsRepo: EndorsementsRepository;
}) {
  const { logger, db, clock, mailer, keys, accounts, badges, endorsementsRepo } = deps;
  const endorsementDocuments = createEndorsementDocuments({
    urls: badges.urls,
    keys,
    repo: endorsementsRepo,
    issuers: accounts.issuerRepo,
    users: accounts.users,
    awards: badges.awardsRepo,
  });
  const endorsements = endorsementsUseCases({
    clock,
    logger,
    mailer,
    audit: accounts.audit,
    urls: badges.urls,
    keys,
    repo: endorsementsRepo,
    awards: badges.awardsRepo,
    badgeClasses: badges.badgeClassRepo,
    issuers: accounts.issuerRepo,
    users: accounts.users,
    documentLoader: badges.documentLoader,
    shown: badges.publicRecords.recommendations,
  });
  const requestsRepo = requestsRepository(db);
  const requests = requestsUseCases({
    clock,
    logger,
    mailer,
    audit: accounts.audit,
    urls: badges.urls,
    repo: requestsRepo,
    badgeClasses: badges.badgeClassRepo,
    issuers: accounts.issuerRepo,
    users: accounts.users,
    awards: badges.awards,
    endorsements,
  });
  const dashboard = dashboardUseCases({
    clock,
    repo: dashboardRepository(db),
    requests: requestsRepo,
    badgeClasses: badges.badgeClassRepo,
    issuers: accounts.issuerRepo,
    users: accounts.users,
    audit: accounts.audit,
    awards: badges.awards,
  });
  return {
    endorsementsRepo,
    endorsementDocuments,
    endorsements,
    requestsRepo,
    requests,
    dashboard,
  };
}
export type ReviewServices = ReturnType<typeof createReviewServices>;
