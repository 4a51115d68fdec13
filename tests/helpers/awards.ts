import { recipientSlots } from '../../src/components/awards/recipient-slots.js';
import type { Connection } from 'mongoose';
import {
  badgeClassModel,
  type BadgeClassDoc,
} from '../../src/components/achievements/badge-class.model.js';
import { awardModel } from '../../src/components/awards/award.model.js';
import { issuerModel } from '../../src/components/issuers/issuer.model.js';
import { issuerKeyModel } from '../../src/components/keys/keys.model.js';
import { readBadgeClassForm } from '../../src/components/achievements/achievements.use-case.js';
import type { AwardDoc } from '../../src/components/awards/award.model.js';
import type { IssueRequest } from '../../src/components/awards/awards.use-case.js';
import type { CoopApp } from '../../src/app/app.js';
import { createIssuer } from './accounts.js';

/** A platform administrator acting through the use cases (as the CLI does). */
export const adminActor = {
  id: 'admin-test',
  email: 'admin@example.org',
  isAdmin: true,
  roles: {},
} as const;

export const RECIPIENT = 'karim.mediateur@example.org';

/** An issuer (keys created on first use) and one badge aligned on CRCN 2.1. */
export async function issuerWithBadge(
  app: CoopApp,
  issuerId = 'ville-de-roubaix',
  values: Record<string, unknown> = {},
): Promise<BadgeClassDoc> {
  if (!(await app.services.issuerRepo.findById(issuerId))) {
    await createIssuer(app, issuerId, 'Ville de Roubaix — Coopérative des médiateurs numériques');
  }
  return app.services.achievements.createBadgeClass({
    actor: adminActor,
    issuerId,
    ip: '127.0.0.1',
    values: readBadgeClassForm({
      name: 'Accompagner une démarche en ligne',
      description: 'Accompagne une personne dans une démarche administrative en ligne.',
      criteriaNarrative: 'A accompagné au moins trois personnes jusqu’au bout de leur démarche.',
      template: 'medal',
      level: 'Niveau 1',
      alignments: ['crcn:2.1', 'crcn:4.2'],
      tags: 'inclusion numérique, démarches',
      evidenceRequired: 'non',
      ...values,
    }),
  });
}

export async function issueTo(
  app: CoopApp,
  badge: BadgeClassDoc,
  request: Partial<IssueRequest> = {},
): Promise<AwardDoc> {
  const outcome = await app.services.awards.issueAward({
    actor: adminActor,
    ip: '127.0.0.1',
    issuerId: badge.issuerId,
    badgeClassId: badge._id,
    recipientEmail: RECIPIENT,
    evidence: 'https://exemple.org/atelier-caf',
    narrative: 'A mené un atelier CAF au centre social.',
    ...request,
  });
  return outcome.award;
}

const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/**
 * The data behind the route table's example paths, for issuer `emetteur-a` (which must exist):
 * badge `badge-a`, awards `assertion-a` and `assertion-r` (the one the matrix revokes),
 * retired key `cle-a` and a logo.
 */
export async function routeExampleFixtures(t: { app: CoopApp; db: Connection }): Promise<void> {
  const badge = await issuerWithBadge(t.app, 'emetteur-a');
  await badgeClassModel(t.db).create({ ...badge, _id: 'badge-a' });
  const award = await issueTo(t.app, badge);
  const { idempotencyKey: _none, ...copy } = award;
  await awardModel(t.db).create({ ...copy, _id: 'assertion-a', badgeClassId: 'badge-a' });
  await awardModel(t.db).create({ ...copy, _id: 'assertion-r', badgeClassId: 'badge-a' });
  // Stored here rather than issued: reachable from the recipient's address as issuing does.
  await recipientSlots(t.db).claim([
    { _id: 'assertion-a', badgeClassId: 'badge-a', recipient: copy.recipient },
    { _id: 'assertion-r', badgeClassId: 'badge-a', recipient: copy.recipient },
  ]);
  const key = await issuerKeyModel(t.db).findOne({ issuerId: 'emetteur-a', type: 'RSA' }).lean();
  await issuerKeyModel(t.db).create({ ...key, _id: 'cle-a', status: 'retired' });
  await issuerModel(t.db).updateOne(
    { _id: 'emetteur-a' },
    {
      $set: {
        image: { contentType: 'image/png', data: Buffer.from(TINY_PNG, 'base64'), etag: 'e1' },
      },
    },
  );
}
