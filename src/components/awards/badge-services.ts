import type { Connection } from 'mongoose';
import { createDocumentLoader } from '../../core/index.js';
import type { Config } from '../../libraries/config/config.js';
import type { Logger } from '../../libraries/logger/logger.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import type { AccountServices } from '../accounts/accounts.services.js';
import { achievementsUseCases } from '../achievements/achievements.use-case.js';
import { BADGE_CLASS_WRITTEN } from '../achievements/badge-class.model.js';
import { ENDORSEMENT_WRITTEN } from '../endorsements/endorsement.model.js';
import { badgeClassRepository } from '../achievements/badge-class.repository.js';
import { frameworksRepository } from '../frameworks/frameworks.repository.js';
import type { KeyService } from '../keys/keys.use-case.js';
import { bulkIssuingRepository } from '../bulk-issuing/bulk-issuing.repository.js';
import { bulkIssuingUseCases } from '../bulk-issuing/bulk-issuing.use-case.js';
import { awardsRepository } from './awards.repository.js';
import { awardsUseCases } from './awards.use-case.js';
import { compromisedKeysUseCases } from './compromised-keys.use-case.js';
import { createChangeEpoch } from './change-epoch.js';
import { publicRecordsCache, type PublicRecordsDeps } from './public-records-cache.js';
import { createPublicDocuments } from './public-documents.js';
import { publicUrls } from './public-urls.js';
import { sharingUseCases } from './sharing.use-case.js';
import { createStatusListAllocator } from './status-list-allocator.js';

/**
 * Badges, awards and their public documents wired once, for the web app, the admin CLI and
 * the conformance script (which must all go through the same use cases).
 */
export function createBadgeServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  keys: KeyService;
  accounts: Pick<AccountServices, 'audit' | 'issuerRepo' | 'users' | 'issuers'>;
  /** Recommendations, listed by public pages and hosted documents (through publicRecords). */
  endorsements?: PublicRecordsDeps['endorsements'];
}) {
  const { config, logger, db, clock, mailer, keys, accounts } = deps;
  const urls = publicUrls(config.PUBLIC_URL);
  // One loader for the process: contexts are parsed once, never fetched.
  const documentLoader = createDocumentLoader();
  const badgeClassRepo = badgeClassRepository(db);
  const changes = createChangeEpoch({ db });
  // An edited issuer (name, logo) changes what verifying its badges shows.
  accounts.issuers.onUpdated(() => changes.bump());
  // So does an edited badge class, and both show on public pages (public-records-cache.ts).
  db.on(BADGE_CLASS_WRITTEN, () => changes.bump());
  // And a recommendation, listed by the verifier, the award and badge pages.
  db.on(ENDORSEMENT_WRITTEN, () => changes.bump());
  const awardsRepo = awardsRepository(db);
  const publicRecords = publicRecordsCache({
    changes,
    issuers: accounts.issuerRepo,
    badgeClasses: badgeClassRepo,
    awards: awardsRepo,
    ...(deps.endorsements ? { endorsements: deps.endorsements } : {}),
  });
  const bulkRepo = bulkIssuingRepository(db);
  const allocate = createStatusListAllocator({ repo: awardsRepo, clock });
  const achievements = achievementsUseCases({
    clock,
    audit: accounts.audit,
    badgeClasses: badgeClassRepo,
    frameworks: frameworksRepository(db),
    publicUrl: config.PUBLIC_URL,
    usage: {
      awardCounts: (issuerId) => awardsRepo.countByBadgeClass(issuerId),
      // A confirmed CSV run counts: its awards carry the texts of this version.
      isIssued: async (badgeClassId) =>
        (await awardsRepo.existsForBadgeClass(badgeClassId)) ||
        (await bulkRepo.confirmedRunFor(badgeClassId)),
    },
  });
  const awards = awardsUseCases({
    clock,
    logger,
    mailer,
    audit: accounts.audit,
    urls,
    keys,
    awards: awardsRepo,
    issuers: accounts.issuerRepo,
    badgeClasses: badgeClassRepo,
    users: accounts.users,
    allocate,
    documentLoader,
    changes,
  });
  const compromisedKeys = compromisedKeysUseCases({
    clock,
    audit: accounts.audit,
    urls,
    keys,
    awards,
    awardsRepo,
    issuers: accounts.issuerRepo,
    badgeClasses: badgeClassRepo,
    changes,
  });
  const bulk = bulkIssuingUseCases({
    clock,
    logger,
    audit: accounts.audit,
    repo: bulkRepo,
    awards,
    awardsRepo,
    badgeClasses: badgeClassRepo,
    users: accounts.users,
    allocate,
    urls,
  });
  // Public documents read issuers, badge classes and revocations through the cache.
  const publicDocuments = createPublicDocuments({
    urls,
    clock,
    keys,
    issuers: { ...accounts.issuerRepo, findById: publicRecords.issuer },
    badgeClasses: { ...badgeClassRepo, findById: publicRecords.badgeClass },
    awards: { ...awardsRepo, findRevocation: publicRecords.revocation },
    documentLoader,
    // An empty list when no recommendations are wired (publicRecords answers one).
    endorsementsOf: async (target) =>
      (await publicRecords.recommendations(target)).map((e) => e._id),
  });
  const sharing = sharingUseCases({
    urls,
    clock,
    awards: { ...awardsRepo, findRevocation: publicRecords.revocation },
    badgeClasses: { ...badgeClassRepo, findById: publicRecords.badgeClass },
    issuers: { ...accounts.issuerRepo, findById: publicRecords.issuer },
  });
  return {
    urls,
    keys,
    issuerRepo: accounts.issuerRepo,
    documentLoader,
    badgeClassRepo,
    awardsRepo,
    achievements,
    awards,
    compromisedKeys,
    bulk,
    publicDocuments,
    publicRecords,
    changes,
    sharing,
  };
}
export type BadgeServices = ReturnType<typeof createBadgeServices>;
