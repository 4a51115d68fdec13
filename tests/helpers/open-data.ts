/**
 * A seeded dataset for the open data tests: three issuers (two publish), badges aligned on
 * CRCN / REMN or on nothing, awards, revocations, recommendations and requests spread over
 * December 2026 – March 2027. With the clock at 15 March 2027, the complete months are
 * December, January and February. Documents are inserted with the driver: only the fields the
 * statistics read matter here.
 */
import type { Connection } from 'mongoose';
import type { CoopApp } from '../../src/app/app.js';
import { createIssuer } from './accounts.js';

export const OPEN_DATA_NOW = new Date('2027-03-15T10:00:00Z');

const at = (iso: string) => new Date(iso);

export async function seedOpenData(app: CoopApp, db: Connection): Promise<void> {
  await createIssuer(
    app,
    'ville-de-roubaix',
    'Ville de Roubaix — Coopérative des médiateurs numériques',
  );
  await createIssuer(app, 'centre-social', 'Centre social Nautilus');
  await createIssuer(app, 'asso-privee', 'Association qui ne publie pas');
  const crcn21 = {
    frameworkId: 'crcn',
    targetCode: '2.1',
    targetName: 'Interagir',
    targetFramework: 'CRCN',
    targetUrl: 'https://example.org/crcn#2.1',
  };
  const remn1 = {
    frameworkId: 'remn',
    targetCode: 'CCP1',
    targetName: 'Accompagner des publics',
    targetFramework: 'REMN',
    targetUrl: 'https://example.org/remn#CCP1',
  };
  const crcn31 = {
    frameworkId: 'crcn',
    targetCode: '3.1',
    targetName: 'Développer des documents textuels',
    targetFramework: 'CRCN',
    targetUrl: 'https://example.org/crcn#3.1',
  };
  const badge = (
    id: string,
    issuerId: string,
    name: string,
    alignments: object[],
    tags: string[] = [],
  ) => ({
    _id: id,
    issuerId,
    name,
    alignments,
    tags,
    status: 'active',
    version: 1,
    createdAt: at('2026-11-01T00:00:00Z'),
    createdBy: 'test',
  });
  await db
    .collection('badge_classes')
    .insertMany([
      badge(
        'demarche-en-ligne',
        'ville-de-roubaix',
        'Accompagner une démarche en ligne',
        [crcn21, remn1],
        ['aide_aux_demarches_administratives'],
      ),
      badge('atelier-collectif', 'ville-de-roubaix', 'Animer un atelier collectif', [crcn31]),
      badge('accueil', 'centre-social', 'Accueillir le public', []),
      badge('prive', 'asso-privee', 'Badge non publié', [crcn21]),
    ] as never[]);

  let n = 0;
  const awards: object[] = [];
  const issue = (
    badgeClassId: string,
    issuerId: string,
    when: string,
    count: number,
    opts: { people?: number; revokedAt?: string; revoked?: number } = {},
  ) => {
    for (let i = 0; i < count; i++) {
      n++;
      // `people` distinct recipients: the extra awards go to the first ones again.
      const person = opts.people ? i % opts.people : n;
      const revoked = opts.revokedAt !== undefined && i < (opts.revoked ?? 0);
      awards.push({
        _id: `award-${n}`,
        issuerId,
        badgeClassId,
        recipient: {
          email: `personne-${badgeClassId}-${person}@example.org`,
          salt: 's',
          identityHash: 'sha256$x',
        },
        issuedOn: at(when),
        revoked,
        ...(revoked ? { revokedAt: at(opts.revokedAt!) } : {}),
        createdAt: at(when),
        createdBy: 'test',
      });
    }
  };
  // December 2026: before the city's first published month; the centre publishes it.
  issue('demarche-en-ligne', 'ville-de-roubaix', '2026-12-10T10:00:00Z', 9);
  issue('accueil', 'centre-social', '2026-12-10T10:00:00Z', 5);
  // January 2027.
  issue('demarche-en-ligne', 'ville-de-roubaix', '2027-01-12T10:00:00Z', 12, {
    people: 10,
    revokedAt: '2027-02-03T10:00:00Z',
    revoked: 2,
  });
  issue('atelier-collectif', 'ville-de-roubaix', '2027-01-20T10:00:00Z', 3);
  issue('accueil', 'centre-social', '2027-01-21T10:00:00Z', 6);
  issue('prive', 'asso-privee', '2027-01-21T10:00:00Z', 10);
  // February 2027.
  issue('demarche-en-ligne', 'ville-de-roubaix', '2027-02-14T10:00:00Z', 7);
  issue('atelier-collectif', 'ville-de-roubaix', '2027-02-15T10:00:00Z', 8);
  issue('accueil', 'centre-social', '2027-02-16T10:00:00Z', 2);
  // March 2027: the current month, not complete, not published.
  issue('demarche-en-ligne', 'ville-de-roubaix', '2027-03-02T10:00:00Z', 6);
  await db.collection('assertions').insertMany(awards as never[]);

  const endorsements = Array.from({ length: 6 }, (_, i) => ({
    _id: `endorsement-${i}`,
    issuerId: 'ville-de-roubaix',
    badgeClassId: 'demarche-en-ligne',
    target: { kind: 'badgeClass', id: 'demarche-en-ligne' },
    issuedOn: at('2027-02-20T10:00:00Z'),
    createdAt: at('2027-02-20T10:00:00Z'),
  }));
  await db.collection('endorsements').insertMany(endorsements as never[]);

  const requests = Array.from({ length: 7 }, (_, i) => ({
    _id: `request-${i}`,
    issuerId: 'ville-de-roubaix',
    badgeClassId: 'demarche-en-ligne',
    requesterUserId: `u${i}`,
    requesterName: `Personne ${i}`,
    requesterEmail: `demandeur-${i}@example.org`,
    status: i < 5 ? 'approved' : 'submitted',
    createdAt: at('2027-01-05T10:00:00Z'),
    updatedAt: at('2027-02-05T10:00:00Z'),
    ...(i < 5 ? { decidedAt: at('2027-02-05T10:00:00Z') } : {}),
  }));
  await db.collection('badge_requests').insertMany(requests as never[]);

  await db.collection('open_data_settings').insertMany([
    {
      _id: 'ville-de-roubaix',
      publish: true,
      fromMonth: '2027-01',
      communeCode: '59512',
      updatedAt: at('2027-03-01T08:00:00Z'),
      updatedBy: 'test',
    },
    {
      _id: 'centre-social',
      publish: true,
      fromMonth: '2026-12',
      communeCode: '59512',
      mediationPlaceId: 'lieu-nautilus-42',
      updatedAt: at('2027-03-01T08:00:00Z'),
      updatedBy: 'test',
    },
    {
      _id: 'asso-privee',
      publish: false,
      fromMonth: '2026-01',
      updatedAt: at('2027-03-01T08:00:00Z'),
      updatedBy: 'test',
    },
  ] as never[]);
}
