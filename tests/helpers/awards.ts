import type { BadgeClassDoc } from '../../src/components/achievements/badge-class.model.js';
import { readBadgeClassForm } from '../../src/components/achievements/achievements.use-case.js';
import type { AwardDoc } from '../../src/components/awards/award.model.js';
import type { IssueRequest } from '../../src/components/awards/awards.use-case.js';
import type { CoopApp } from '../../src/web/app.js';
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
