import type { Connection } from 'mongoose';
import { createMetrics, type Metrics } from '../libraries/metrics/metrics.js';
import { countingVerdicts, registerPlatformGauges } from '../components/metrics/metrics.js';
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
import { IMAGE_COPY_MAX_BYTES } from '../components/imports/imported-image.js';
import {
  importsRepository,
  type ImportsRepository,
} from '../components/imports/imports.repository.js';
import { importsUseCases, type ImportsUseCases } from '../components/imports/imports.use-case.js';
import {
  createVerificationService,
  type OwnBadges,
  type VerificationService,
} from '../components/verification/verification.use-case.js';
import { ownBadgesFrom } from '../components/awards/own-badges.js';
import { backpackRepository } from '../components/backpack/backpack.repository.js';
import {
  backpackUseCases,
  type BackpackUseCases,
} from '../components/backpack/backpack.use-case.js';
import type { LookupFunction } from '../libraries/http/safe-fetch.js';
import { createSafeFetcher } from '../libraries/http/safe-fetch.js';
import { endorsementsRepository } from '../components/endorsements/endorsements.repository.js';
import os from 'node:os';
import { createSigningPool } from '../components/keys/signing-pool.js';
import { keysRepository } from '../components/keys/keys.repository.js';
import { createKeyService, type KeyService } from '../components/keys/keys.use-case.js';
import { loadMasterKey, type MasterKey } from '../components/keys/master-key.js';
import { personalDataRepository } from '../components/my-data/personal-data.repository.js';
import {
  myDataUseCases,
  type MyDataUseCases,
  type PersonalDataEraser,
} from '../components/my-data/my-data.use-case.js';
import { openDataRepository } from '../components/open-data/open-data.repository.js';
import {
  openDataUseCases,
  type OpenDataUseCases,
} from '../components/open-data/open-data.use-case.js';
import { BAKED_VARIANTS, isBakedVariant } from '../components/awards/public-urls.js';
import type { Config } from '../libraries/config/config.js';
import type { Logger } from '../libraries/logger/logger.js';
import type { Mailer } from '../libraries/mail/mailer.js';
import { obApiRepository, type ObApiRepository } from '../components/ob-api/ob-api.repository.js';
import { oauthUseCases, type OAuthUseCases } from '../components/ob-api/oauth.use-case.js';
import { obApiUseCases, type ObApiUseCases } from '../components/ob-api/ob-api.use-case.js';
import { walletRepository } from '../components/wallet/wallet.repository.js';
import { walletUseCases, type WalletUseCases } from '../components/wallet/wallet.use-case.js';

/**
 * The composition root: every use case, repository and fetcher is built here, once, for the
 * web app, the admin command line and the scripts alike.
 */

/** Every use case of the app, wired once (also for the CLI and scripts). */
export type AppServices = AccountServices &
  BadgeServices &
  ReviewServices & {
    keys: KeyService;
    internalFetcher: InternalFetcher;
    /** Badge verification (page, API, award pages, profiles, imports). */
    verification: VerificationService;
    /** Prometheus metrics of this app (GET /metrics). */
    metrics: Metrics;
    imports: ImportsUseCases;
    importsRepo: ImportsRepository;
    backpack: BackpackUseCases;
    myData: MyDataUseCases;
    /** Open data: monthly statistics and which issuers publish them. */
    openData: OpenDataUseCases;
    /** Open Badges 3.0 API: OAuth 2.0 for applications (src/components/ob-api). */
    oauth: OAuthUseCases;
    obApi: ObApiUseCases;
    obApiRepo: ObApiRepository;
    /** "Ajouter à mon portefeuille": OpenID4VCI and VC-API offers of an award to its recipient. */
    wallet: WalletUseCases;
    /** Closes the outbound connection pools (verification, imported images). */
    close(): Promise<void>;
  };

/** Wires every use case once: keys (under the master key), accounts, badges and awards. */
export function createAppServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  mailer: Mailer;
  masterKey?: MasterKey | undefined;
  /** Our own badges for verification; tests may inject a document source. */
  ownBadges?: OwnBadges | undefined;
  /** DNS of the verification fetcher (tests give names to internal addresses). */
  dnsLookup?: LookupFunction | undefined;
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
  const threads = config.SIGNING_THREADS ?? os.availableParallelism();
  const signingPool =
    threads > 0
      ? createSigningPool({
          size: threads,
          heapMb: config.SIGNING_THREAD_HEAP_MB,
          masterKey: masterKey.forSigningThreads(),
          logger: deps.logger,
        })
      : undefined;
  const keys = createKeyService({ repo: keysRepository(db), masterKey, clock, pool: signingPool });
  const accounts = createAccountServices({ ...deps, keys });
  // Recommendations are listed by the hosted OB 2.0 documents of awards and badge classes.
  const endorsementsRepo = endorsementsRepository(db);
  const badges = createBadgeServices({
    ...deps,
    keys,
    accounts,
    endorsements: endorsementsRepo,
  });
  const review = createReviewServices({ ...deps, keys, accounts, badges, endorsementsRepo });
  // Our URLs answered from the database, through the public URL map as express does.
  const internalFetcher = createInternalFetcher({
    publicUrl: config.PUBLIC_URL,
    sources: {
      badges: badges.publicDocuments,
      endorsements: review.endorsementDocuments,
      sharing: badges.sharing,
    },
  });
  const metrics = createMetrics();
  registerPlatformGauges(metrics, db);
  const verification = countingVerdicts(
    createVerificationService({
      config,
      logger: deps.logger,
      clock,
      // Our own badges are read from the database (same documents as HTTP, always live).
      ownBadges: deps.ownBadges ?? ownBadgesFrom({ ...badges, keys, internalFetcher }),
      ...(deps.dnsLookup ? { dnsLookup: deps.dnsLookup } : {}),
    }),
    metrics,
  );
  const importServices = createImportServices({ ...deps, users: accounts.users, verification });
  const backpackRepo = backpackRepository(db);
  const backpack = backpackUseCases({
    clock,
    repo: backpackRepo,
    awards: badges.awards,
    requests: review.requests,
    badgeClasses: badges.badgeClassRepo,
    issuers: badges.issuerRepo,
    users: accounts.users,
    urls: badges.urls,
    slugReserveDays: config.PROFILE_SLUG_RESERVE_DAYS,
    verifyAward: (url) => verification.verify({ way: 'url', url }),
  });
  // Components holding more personal data (public profiles, imported badges…) add an entry
  // here: it joins "download my data" and is erased when the account is deleted.
  const obApiServices = createObApiServices({
    db,
    clock,
    config,
    accounts,
    imports: importServices.imports,
  });
  const personalDataErasers: PersonalDataEraser[] = [
    {
      name: 'public_profiles',
      export: async ({ userId }) => {
        const { profile } = await backpackRepo.personalData(userId);
        return profile ? [{ ...profile }] : [];
      },
      erase: ({ userId, pseudonym }) => backpackRepo.eraseFor(userId, pseudonym, clock()),
    },
    {
      name: 'profile_slugs',
      export: async ({ userId }) =>
        (await backpackRepo.personalData(userId)).slugs.map((slug) => ({ ...slug })),
      // Erased with the profile above.
      erase: async () => {},
    },
    {
      // Recommendations they wrote keep counting, signed again under the pseudonym.
      name: 'recommendations',
      erase: async ({ userId, pseudonym }) => {
        await review.endorsements.resignAsPseudonym(userId, pseudonym);
      },
    },
    {
      // Applications given access through the OB 3.0 API (tokens are hashes: not exported).
      name: 'obApiGrants',
      export: async ({ userId }) =>
        (await obApiServices.obApiRepo.grantsOf(userId)).map((grant) => ({ ...grant })),
      erase: ({ userId }) => obApiServices.obApiRepo.eraseFor(userId),
    },
    {
      name: 'imported_badges',
      export: async ({ userId }) =>
        (await importServices.importsRepo.listFor(userId)).map((doc) => ({ ...doc })),
      erase: async ({ userId }) => {
        await importServices.importsRepo.removeAllFor(userId);
      },
    },
  ];
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
  return {
    ...accounts,
    ...badges,
    ...review,
    internalFetcher,
    keys,
    verification,
    metrics,
    imports: importServices.imports,
    importsRepo: importServices.importsRepo,
    backpack,
    myData,
    openData: openDataUseCases({ repo: openDataRepository(db), audit: accounts.audit, clock }),
    ...obApiServices,
    wallet: walletUseCases({
      clock,
      logger: deps.logger,
      mailer: deps.mailer,
      audit: accounts.audit,
      urls: badges.urls,
      repo: walletRepository(db),
      awards: badges.awardsRepo,
      signForWallet: (awardId, holderDid) => badges.awards.signForWallet(awardId, holderDid),
    }),
    async close() {
      // No run is started again after this (a retry after a database outage is on a timer).
      await badges.bulk.stop();
      // Other processes learn of this one's last changes (revocation, compromised key).
      await badges.changes.settled();
      await verification.close();
      await signingPool?.close();
      await importServices.imageFetcher.close();
    },
  };
}

/** Imported badges: verified by the app's verification service, images fetched SSRF-safe. */
function createImportServices(deps: {
  config: Config;
  logger: Logger;
  db: Connection;
  clock: () => Date;
  users: AccountServices['users'];
  verification: VerificationService;
}) {
  const importsRepo = importsRepository(deps.db);
  // Badge images of other sites: fetched like the badges themselves (SSRF-safe), kept small.
  const imageFetcher = createSafeFetcher({
    allowHosts: deps.config.VERIFY_ALLOW_HOSTS,
    maxBytes: { image: IMAGE_COPY_MAX_BYTES },
  });
  const imports = importsUseCases({
    repo: importsRepo,
    clock: deps.clock,
    logger: deps.logger,
    emailsOf: async (userId) => {
      const user = await deps.users.findById(userId);
      return user ? [user.email] : [];
    },
    verification: () => deps.verification,
    imageFetcher,
  });
  return { imports, importsRepo, imageFetcher };
}

/** The Open Badges 3.0 API: OAuth 2.0 for applications, and the holder's resources. */
function createObApiServices(deps: {
  db: Connection;
  clock: () => Date;
  config: Config;
  accounts: AccountServices;
  imports: ImportsUseCases;
}) {
  const { accounts } = deps;
  const obApiRepo = obApiRepository(deps.db);
  return {
    obApiRepo,
    oauth: oauthUseCases({
      repo: obApiRepo,
      audit: accounts.audit,
      clock: deps.clock,
    }),
    obApi: obApiUseCases({
      db: deps.db,
      imports: deps.imports,
      loadUser: (id) => accounts.accounts.loadPrincipal(id),
      updateName: (user, name, ip) =>
        accounts.accounts.updateProfile({ user, name, language: user.language, ip: ip ?? '' }),
      publicUrl: deps.config.PUBLIC_URL,
    }),
  };
}
