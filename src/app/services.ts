import type { Connection } from 'mongoose';
import {
  createAccountServices,
  type AccountServices,
} from '../components/accounts/accounts.services.js';
import { createBadgeServices, type BadgeServices } from '../components/awards/badge-services.js';
import {
  createInternalFetcher,
  type InternalFetcher,
} from '../components/awards/internal-fetcher.js';
import {
  createReviewServices,
  type ReviewServices,
} from '../components/dashboard/review-services.js';
import { endorsementsRepository } from '../components/endorsements/endorsements.repository.js';
import { keysRepository } from '../components/keys/keys.repository.js';
import { createKeyService, type KeyService } from '../components/keys/keys.use-case.js';
import { loadMasterKey, type MasterKey } from '../components/keys/master-key.js';
import { personalDataRepository } from '../components/my-data/personal-data.repository.js';
import {
  myDataUseCases,
  type MyDataUseCases,
  type PersonalDataEraser,
} from '../components/my-data/my-data.use-case.js';
import { BAKED_VARIANTS, isBakedVariant } from '../components/awards/public-urls.js';
import type { Config } from '../libraries/config/config.js';
import type { Logger } from '../libraries/logger/logger.js';
import type { Mailer } from '../libraries/mail/mailer.js';

/**
 * The composition root: every use case, repository and fetcher is built here, once, for the
 * web app, the admin command line and the scripts alike.
 */

/** Every use case of the app, wired once (also for the CLI and scripts). */
export type AppServices = AccountServices &
  BadgeServices &
  ReviewServices & { keys: KeyService; internalFetcher: InternalFetcher; myData: MyDataUseCases };

/** Wires every use case once: keys (under the master key), accounts, badges and awards. */
export function createAppServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  masterKey?: MasterKey | undefined;
}): AppServices {
  const { config, db, clock } = deps;
  const masterKey =
    deps.masterKey ??
    loadMasterKey({
      value: config.MASTER_KEY,
      file: config.MASTER_KEY_FILE,
      dataDir: config.dataDir,
      production: config.isProduction,
    });
  const keys = createKeyService({ repo: keysRepository(db), masterKey, clock });
  const accounts = createAccountServices({ ...deps, keys });
  // Recommendations are listed by the hosted OB 2.0 documents of awards and badge classes.
  const endorsementsRepo = endorsementsRepository(db);
  const badges = createBadgeServices({
    ...deps,
    keys,
    accounts,
    endorsementsOf: async (target) =>
      (await endorsementsRepo.listForTarget(target)).map((e) => e._id),
  });
  const review = createReviewServices({ ...deps, keys, accounts, badges, endorsementsRepo });
  // Our URLs answered from the database, through the public URL map as express does.
  const internalFetcher = createInternalFetcher({
    publicUrl: config.PUBLIC_URL,
    sources: { badges: badges.publicDocuments, endorsements: review.endorsementDocuments },
  });
  // Components holding more personal data (public profiles, imported badges…) add an entry
  // here: it joins "download my data" and is erased when the account is deleted.
  const personalDataErasers: PersonalDataEraser[] = [];
  const myData = myDataUseCases({
    ...deps,
    audit: accounts.audit,
    users: accounts.users,
    tokens: accounts.tokens,
    sessions: accounts.sessions,
    issuers: accounts.issuerRepo,
    personal: personalDataRepository(db),
    revokeAward: (input) => badges.awards.revokeForDeletedAccount(input),
    baked: (id, variant) =>
      isBakedVariant(variant) ? badges.publicDocuments.baked(id, variant) : Promise.resolve(null),
    bakedVariants: BAKED_VARIANTS,
    erasers: personalDataErasers,
  });
  return { ...accounts, ...badges, ...review, internalFetcher, keys, myData };
}
