import type { Connection } from 'mongoose';
import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { singleFileUpload } from '../../libraries/web/upload.js';
import type { Audit } from '../audit/audit.use-case.js';
import { frameworksUseCases } from './frameworks.use-case.js';
import { frameworksController } from './frameworks.controller.js';
import { frameworksRepository } from './frameworks.repository.js';

/** A framework file is small: 1 MB is thousands of competencies. Kept in memory, never on disk. */
const upload = singleFileUpload({ fileSize: 1024 * 1024, fields: 10 });

export function frameworksRoutes(deps: {
  db: Connection;
  audit: Audit;
  clock: () => Date;
}): RouteDef[] {
  const c = frameworksController({
    frameworks: frameworksUseCases({
      repo: frameworksRepository(deps.db),
      audit: deps.audit,
      clock: deps.clock,
    }),
  });
  return [
    {
      method: 'get',
      path: '/referentiels',
      access: { kind: 'public' },
      db: true,
      summary: 'Competency frameworks',
      handlers: [c.list],
    },
    {
      method: 'get',
      path: '/referentiels/:frameworkId',
      example: '/referentiels/crcn',
      access: { kind: 'public' },
      db: true,
      summary: 'One framework and its competencies (alignment targets)',
      handlers: [c.show],
    },
    {
      method: 'get',
      path: '/admin/referentiels/importer',
      access: issuerAccess('framework.import'),
      summary: 'Form to import a competency framework (CSV or JSON)',
      handlers: [c.showImport],
    },
    {
      method: 'post',
      path: '/admin/referentiels',
      access: issuerAccess('framework.import'),
      db: true,
      parse: [upload],
      summary: 'Import a competency framework',
      handlers: [c.doImport],
    },
  ];
}
