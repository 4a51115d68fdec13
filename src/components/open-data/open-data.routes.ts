import type { RouteDef } from '../../libraries/web/route-table.js';
import { openDataController } from './open-data.controller.js';
import type { OpenDataUseCases } from './open-data.use-case.js';

/** Open data: the public page, the files a data portal harvests, and the admin settings. */
export function openDataRoutes(deps: {
  openData: OpenDataUseCases;
  publicUrl: string;
}): RouteDef[] {
  const c = openDataController(deps);
  const file = (
    path: string,
    summary: string,
    handler: RouteDef['handlers'][number],
    db = true,
  ): RouteDef => ({
    method: 'get',
    path,
    access: { kind: 'public' },
    file: true,
    db,
    summary,
    handlers: [handler],
  });
  return [
    {
      method: 'get',
      path: '/donnees',
      access: { kind: 'public' },
      db: true,
      summary: 'Open data: what is published, charts, downloads',
      handlers: [c.page],
    },
    file('/donnees/statistiques-mensuelles.csv', 'Monthly statistics (CSV, Table Schema)', c.csv),
    file('/donnees/statistiques-mensuelles.json', 'Monthly statistics (JSON)', c.json),
    file('/donnees/schema.json', 'Table Schema of the monthly statistics', c.schema, false),
    file('/donnees/exemple.csv', 'Example file valid against the schema', c.example, false),
    file('/donnees/datapackage.json', 'Data package describing the published files', c.datapackage),
    {
      method: 'get',
      path: '/admin/donnees',
      access: { kind: 'admin' },
      db: true,
      summary: 'Open data settings: which issuers publish',
      handlers: [c.adminList],
    },
    {
      method: 'get',
      path: '/admin/donnees/:issuerId',
      example: '/admin/donnees/emetteur-a',
      access: { kind: 'admin' },
      db: true,
      summary: "Form: an issuer's open data settings",
      handlers: [c.adminForm],
    },
    {
      method: 'post',
      path: '/admin/donnees/:issuerId',
      example: '/admin/donnees/emetteur-a',
      access: { kind: 'admin' },
      db: true,
      summary: "Save an issuer's open data settings",
      handlers: [c.adminSave],
    },
  ];
}
