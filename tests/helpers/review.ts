import type { Connection } from 'mongoose';
import { badgeClassModel } from '../../src/components/achievements/badge-class.model.js';
import { endorserProfileModel } from '../../src/components/endorsements/endorsement.model.js';
import type { CoopApp } from '../../src/app/app.js';

/** A PDF as small as a request's file can be (its first bytes are what counts). */
export const TINY_PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

/**
 * The data behind the review routes' example paths (after routeExampleFixtures, with user
 * `membre-a` member of `emetteur-a`): request `demande-a` (with a file) for `badge-a`, a badge
 * `badge-q` needing 5 + 5 recommendations and its request `demande-q`, the profile
 * `personne-a` of `membre-a` and their recommendation `assertion-a.0` of award `assertion-a`.
 */
export async function reviewExampleFixtures(t: { app: CoopApp; db: Connection }): Promise<void> {
  const { services } = t.app;
  const membre = await services.users.findById('membre-a');
  if (!membre) throw new Error('membre-a is missing');
  const actor = {
    id: membre._id,
    email: membre.email,
    name: membre.name,
    isAdmin: false,
    roles: { 'emetteur-a': 'member' as const },
  };
  const badgeA = await badgeClassModel(t.db).findById('badge-a').lean();
  await badgeClassModel(t.db).create({
    ...badgeA,
    _id: 'badge-q',
    name: 'Badge avec recommandations',
    quorum: { coordinators: 5, peers: 5 },
  });
  const rename = async (from: string, to: string) => {
    const doc = await services.requestsRepo.findById(from);
    if (!doc) throw new Error('request missing');
    // Delete first: the submission key is unique.
    await t.db.collection('badge_requests').deleteOne({ _id: from } as never);
    await t.db.collection('badge_requests').insertOne({ ...doc, _id: to } as never);
    if (doc.file) {
      await t.db
        .collection('badge_request_files')
        .updateOne({ _id: doc.file.id } as never, { $set: { requestId: to } });
    }
  };
  const a = await services.requests.submit({
    actor,
    ip: '127.0.0.1',
    badgeClassId: 'badge-a',
    links: ['https://exemple.org/atelier'],
    text: 'J’ai accompagné trois personnes.',
    file: { originalname: 'attestation.pdf', buffer: TINY_PDF, size: TINY_PDF.length },
  });
  await rename(a.request._id, 'demande-a');
  const q = await services.requests.submit({
    actor,
    ip: '127.0.0.1',
    badgeClassId: 'badge-q',
    text: 'J’ai animé des ateliers.',
  });
  await rename(q.request._id, 'demande-q');
  await endorserProfileModel(t.db).create({
    _id: 'personne-a',
    issuerId: 'emetteur-a',
    userId: 'membre-a',
    key: 'emetteur-a:membre-a',
    createdAt: new Date(),
  });
  await services.endorsements.endorseAward({
    actor,
    ip: '127.0.0.1',
    awardId: 'assertion-a',
    comment: 'Un travail sérieux, vu sur le terrain.',
  });
}
