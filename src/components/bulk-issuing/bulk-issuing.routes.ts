import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { singleFileUpload } from '../../libraries/web/upload.js';
import type { AchievementsUseCases } from '../achievements/achievements.use-case.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import { BULK_MAX_BYTES } from './bulk-csv.js';
import { bulkIssuingController } from './bulk-issuing.controller.js';
import type { BulkIssuingUseCases } from './bulk-issuing.use-case.js';

/** Issuing one badge to many people from a CSV file: upload, preview, confirm, progress, report. */
export function bulkIssuingRoutes(deps: {
  bulk: BulkIssuingUseCases;
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
}): RouteDef[] {
  const c = bulkIssuingController(deps);
  // In memory, size-capped, parsed after the access check (see mountRoutes).
  const file = singleFileUpload({ fileSize: BULK_MAX_BYTES, fields: 8 });
  const access = issuerAccess('award.issue');
  const example = '/structures/emetteur-a/delivrer/fichier/envoi-a';
  return [
    {
      method: 'get',
      path: '/structures/:issuerId/delivrer/fichier',
      access,
      db: true,
      example: '/structures/emetteur-a/delivrer/fichier',
      summary: 'Form to issue a badge to many people from a CSV file',
      handlers: [c.showUpload],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/delivrer/fichier',
      access,
      db: true,
      example: '/structures/emetteur-a/delivrer/fichier',
      parse: [file],
      summary: 'Upload a CSV: every row is checked, nothing is issued yet (preview)',
      handlers: [c.upload],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/delivrer/fichier/:runId',
      access,
      db: true,
      example,
      summary: 'A CSV run: preview with the rows to fix, progress, or summary',
      handlers: [c.showRun],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/delivrer/fichier/:runId/confirmer',
      access,
      db: true,
      example: `${example}/confirmer`,
      summary: 'Confirm a previewed CSV run: issuing starts in the background',
      handlers: [c.confirm],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/delivrer/fichier/:runId/etat.json',
      access,
      db: true,
      example: `${example}/etat.json`,
      summary: "A CSV run's progress as JSON (for the progress page's script)",
      handlers: [c.state],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/delivrer/fichier/:runId/rapport.csv',
      access,
      db: true,
      example: `${example}/rapport.csv`,
      summary: "A CSV run's report: every row with its outcome, link or what to fix",
      handlers: [c.report],
    },
  ];
}
