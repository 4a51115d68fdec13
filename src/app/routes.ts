import type { Connection } from 'mongoose';
import type passport from 'passport';
import { accountsRoutes } from '../components/accounts/accounts.routes.js';
import { achievementsRoutes } from '../components/achievements/achievements.routes.js';
import { auditRoutes } from '../components/audit/audit.routes.js';
import { awardsRoutes } from '../components/awards/awards.routes.js';
import { compromisedKeysController } from '../components/awards/compromised-keys.controller.js';
import { compromisedKeysRoutes } from '../components/awards/compromised-keys.routes.js';
import { publicPageReads } from '../components/awards/public-pages.use-case.js';
import { publicController } from '../components/awards/public.controller.js';
import { publicRoutes } from '../components/awards/public.routes.js';
import { sharingController } from '../components/awards/sharing.controller.js';
import { sharingRoutes } from '../components/awards/sharing.routes.js';
import { backpackController } from '../components/backpack/backpack.controller.js';
import { backpackRoutes } from '../components/backpack/backpack.routes.js';
import { badgeTemplatesRoutes } from '../components/badge-templates/badge-templates.routes.js';
import { brandRoutes } from '../components/brand/brand.routes.js';
import { bulkIssuingRoutes } from '../components/bulk-issuing/bulk-issuing.routes.js';
import { dashboardController } from '../components/dashboard/dashboard.controller.js';
import { dashboardRoutes } from '../components/dashboard/dashboard.routes.js';
import { devRoutes } from '../components/dev/dev.routes.js';
import { endorsementsController } from '../components/endorsements/endorsements.controller.js';
import { endorsementPageReads } from '../components/endorsements/endorsements.use-case.js';
import { endorsementsRoutes } from '../components/endorsements/endorsements.routes.js';
import { frameworksRepository } from '../components/frameworks/frameworks.repository.js';
import { frameworksRoutes } from '../components/frameworks/frameworks.routes.js';
import { healthRoutes } from '../components/health/health.routes.js';
import { metricsRoutes } from '../components/metrics/metrics.routes.js';
import { homeRoutes } from '../components/home/home.routes.js';
import { importsController } from '../components/imports/imports.controller.js';
import { importsRoutes } from '../components/imports/imports.routes.js';
import { invitationsRoutes } from '../components/invitations/invitations.routes.js';
import { issuersRoutes } from '../components/issuers/issuers.routes.js';
import { obApiController } from '../components/ob-api/ob-api.controller.js';
import { obApiRoutes } from '../components/ob-api/ob-api.routes.js';
import { myDataRoutes } from '../components/my-data/my-data.routes.js';
import { openDataRoutes } from '../components/open-data/open-data.routes.js';
import { requestPageReads } from '../components/requests/requests.use-case.js';
import { requestsControllers, requestsRoutes } from '../components/requests/requests.routes.js';
import { walletController } from '../components/wallet/wallet.controller.js';
import { walletRoutes } from '../components/wallet/wallet.routes.js';
import { verificationViewModel } from '../components/verification/verification-view-model.js';
import { verificationRoutes } from '../components/verification/verification.routes.js';
import type { Config } from '../libraries/config/config.js';
import type { RateLimits } from '../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../libraries/web/route-table.js';
import type { AppServices } from './services.js';

/**
 * Every route of the app, from the components' route tables, with their controllers built
 * once over the use cases (the public URL map is one of them: public.routes.ts).
 */
export function appRoutes(deps: {
  config: Config;
  db: Connection;
  clock: () => Date;
  services: AppServices;
  passport: passport.Authenticator;
  rateLimits: RateLimits;
}): RouteDef[] {
  const { config, db, clock, services, passport } = deps;
  const { verification } = services;
  const limits = deps.rateLimits;
  const endorsementPages = endorsementsController({
    endorsements: services.endorsements,
    documents: services.endorsementDocuments,
    urls: services.urls,
    reads: endorsementPageReads({
      awards: services.awardsRepo,
      badgeClasses: services.badgeClassRepo,
      issuers: services.issuerRepo,
    }),
  });
  const pages = publicController({
    urls: services.urls,
    reads: publicPageReads({ records: services.publicRecords, awards: services.awardsRepo }),
    achievements: services.achievements,
    verifyAward: async (url, res, award) =>
      verificationViewModel(await verification.verify({ way: 'url', url }), {
        t: res.locals.t,
        lang: res.locals.lang,
        publicUrl: config.PUBLIC_URL,
        embedded: true,
        // The name the holder chose to show (OB 2.0 documents do not carry it).
        holderName: award?.holder?.displayName,
      }),
    sharing: services.sharing,
    awardExtras: endorsementPages.awardExtras,
    badgeClassExtras: endorsementPages.badgeClassExtras,
  });

  return [
    ...healthRoutes({ db }),
    ...metricsRoutes({ metrics: services.metrics, token: config.METRICS_TOKEN }),
    ...homeRoutes({ db, clock }),
    ...badgeTemplatesRoutes({ rateLimits: limits }),
    ...frameworksRoutes({ db, audit: services.audit, clock }),
    ...accountsRoutes({
      config,
      clock,
      accounts: services.accounts,
      passport,
      rateLimits: limits,
    }),
    ...invitationsRoutes({ invitations: services.invitations, clock, rateLimits: limits }),
    ...issuersRoutes({
      issuers: services.issuers,
      invitations: services.invitations,
      rateLimits: limits,
    }),
    ...achievementsRoutes({
      achievements: services.achievements,
      issuers: services.issuers,
      frameworks: frameworksRepository(db),
      badgeImage: (id) => `/badges/${encodeURIComponent(id)}/image.svg`,
    }),
    ...awardsRoutes({
      awards: services.awards,
      achievements: services.achievements,
      issuers: services.issuers,
      keys: services.keys,
      urls: services.urls,
      pages,
    }),
    ...compromisedKeysRoutes(
      compromisedKeysController({
        compromisedKeys: services.compromisedKeys,
        achievements: services.achievements,
        urls: services.urls,
      }),
    ),
    ...bulkIssuingRoutes({
      bulk: services.bulk,
      achievements: services.achievements,
      issuers: services.issuers,
    }),
    ...publicRoutes({
      sources: {
        badges: services.publicDocuments,
        endorsements: services.endorsementDocuments,
        sharing: services.sharing,
      },
      pages: {
        issuer: pages.issuer,
        badgeClass: pages.badgeClass,
        assertion: pages.assertion,
        endorsement: endorsementPages.show,
        person: endorsementPages.person,
      },
    }),
    ...endorsementsRoutes(endorsementPages),
    ...sharingRoutes(
      sharingController({
        sharing: services.sharing,
        documents: services.publicDocuments,
        urls: services.urls,
      }),
    ),
    ...requestsRoutes(
      requestsControllers({
        requests: services.requests,
        reads: requestPageReads({
          badgeClasses: services.badgeClassRepo,
          issuers: services.issuerRepo,
        }),
        urls: services.urls,
      }),
    ),
    ...backpackRoutes(
      backpackController({
        backpack: services.backpack,
        importedBadges: (userId) => services.imports.importedBadgesForProfile(userId),
        urls: services.urls,
        publicUrl: config.PUBLIC_URL,
      }),
    ),
    ...dashboardRoutes(dashboardController({ dashboard: services.dashboard, urls: services.urls })),
    ...auditRoutes({ audit: services.audit, users: services.users, issuers: services.issuerRepo }),
    ...verificationRoutes({ service: verification, config, rateLimits: limits }),
    ...importsRoutes(importsController({ imports: services.imports, config }), limits),
    ...devRoutes({ config }),
    ...myDataRoutes({ config, myData: services.myData, rateLimits: limits }),
    ...openDataRoutes({ openData: services.openData, publicUrl: config.PUBLIC_URL }),
    ...brandRoutes({ config }),
    ...obApiRoutes(
      obApiController({ oauth: services.oauth, api: services.obApi, publicUrl: config.PUBLIC_URL }),
      limits,
    ),
    ...walletRoutes(walletController({ wallet: services.wallet, urls: services.urls }), limits),
  ];
}
