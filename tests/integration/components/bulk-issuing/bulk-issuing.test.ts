/**
 * Issuing from a CSV file: upload → preview with every row to fix (line, column, what to do)
 * → confirm → background run → summary and report. The same file twice issues nothing twice;
 * a run cut short (claims without awards, awards without results) resumes to exactly one
 * award per row.
 */
import fs from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { auditEventModel } from '../../../../src/components/audit/audit.model.js';
import {
  awardAnnouncementModel,
  awardModel,
} from '../../../../src/components/awards/award.model.js';
import {
  bulkClaimModel,
  bulkResultModel,
  bulkRunModel,
} from '../../../../src/components/bulk-issuing/bulk-run.model.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const UPLOAD = '/structures/roubaix/delivrer/fichier';

/** 200 people; rows 3 bad ones when `bad` (a wrong address, a duplicate, a bad link). */
function csv(count: number, options: { bad?: boolean; prefix?: string } = {}): string {
  const lines = ['email;preuves;commentaire;langue'];
  for (let i = 1; i <= count; i++) {
    lines.push(
      `${options.prefix ?? 'personne'}${i}@example.org;https://exemple.org/atelier/${i};Atelier ${i};fr`,
    );
  }
  if (options.bad) {
    lines[10] = 'karim@;;;'; // line 11
    lines[20] = `${options.prefix ?? 'personne'}1@example.org;;;`; // line 21, duplicate of line 2
    lines[30] = 'sara@example.org;exemple.org/sans-protocole;;'; // line 31
  }
  return lines.join('\n') + '\n';
}

describe('issuing from a CSV file', () => {
  let t: TestApp;
  let nadia: Person;
  let agent: request.Agent;
  let badgeId: string;

  async function upload(content: string | null, fields: Record<string, string> = {}) {
    const page = await agent.get(UPLOAD);
    const req = agent
      .post(UPLOAD)
      .field('_csrf', csrfFrom(page.text))
      .field('badgeClassId', badgeId)
      .field('lang', 'fr');
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    if (content !== null) req.attach('fichier', Buffer.from(content), 'promo-2027.csv');
    return req;
  }

  async function confirm(runUrl: string) {
    const page = await agent.get(runUrl);
    return agent
      .post(`${runUrl}/confirmer`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
  }

  beforeAll(async () => {
    // Signed on two threads, as a server does.
    t = await createTestApp({ env: { ...relaxedLimits, SIGNING_THREADS: '2' } });
    badgeId = (await issuerWithBadge(t.app, 'roubaix'))._id;
    nadia = await createPerson(t.app, { email: 'nadia@example.org' }, { roubaix: 'coordinator' });
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.app.services.bulk.idle();
    await t?.close();
  });

  it('When a file has bad rows, then the preview names each row, column and fix, and issues nothing', async () => {
    const res = await upload(csv(200, { bad: true }));
    expect(res.status).toBe(303);
    const runUrl = res.headers.location as string;
    expect(runUrl).toMatch(/^\/structures\/roubaix\/delivrer\/fichier\/[\w-]+$/);
    const html = decoded((await agent.get(runUrl)).text);
    expect(html).toContain('200 lignes lues');
    expect(html).toContain('197 lignes prêtes');
    expect(html).toContain('3 lignes à corriger');
    expect(html).toMatch(
      /<td>11<\/td><td><code>email<\/code><\/td><td>« karim@ » n'est pas une adresse e-mail valide/,
    );
    expect(html).toMatch(
      /<td>21<\/td><td><code>email<\/code><\/td><td>Cette adresse figure déjà ligne 2\. Supprimez/,
    );
    expect(html).toMatch(/<td>31<\/td><td><code>preuves<\/code><\/td><td>Ce lien de preuve/);
    expect(html).toContain('Délivrer le badge à 197 personnes');
    expect(await awardModel(t.db).countDocuments({})).toBe(0);
  });

  it('When a file is not usable, then the form says why and keeps the badge chosen', async () => {
    const noColumn = await upload('nom;prenom\nDupont;Karim\n');
    expect(noColumn.status).toBe(422);
    expect(decoded(noColumn.text)).toContain(
      '<a href="#fichier">Aucune colonne « email » dans la première ligne (colonnes trouvées : nom, prenom)',
    );
    expect(decoded(noColumn.text)).toContain(`<option value="${badgeId}" selected>`);
    const none = await upload(null);
    expect(none.status).toBe(422);
    expect(decoded(none.text)).toContain('Choisissez un fichier CSV.');
  });

  it('When the fixed file is issued after the partial one, then each person has exactly one badge', async () => {
    // First the file with 3 bad rows, confirmed: 197 awards.
    const first = (await upload(csv(200, { bad: true }))).headers.location as string;
    expect((await confirm(first)).status).toBe(303);
    const progressPage = await agent.get(first);
    await t.app.services.bulk.idle();
    // While it ran, the page refreshed itself (or showed the summary if already done).
    expect(progressPage.status).toBe(200);
    expect(await awardModel(t.db).countDocuments({})).toBe(197);
    const summary = decoded((await agent.get(first)).text);
    expect(summary).toContain('197 badges délivrés');
    expect(summary).toContain('3 lignes à corriger ignorées');

    const report = await agent.get(`${first}/rapport.csv`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    const lines = report.text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('ligne;email;résultat;lien du badge;message');
    expect(lines).toHaveLength(201);
    expect(lines[1]).toMatch(
      /^2;personne1@example\.org;délivré;http:\/\/127\.0\.0\.1:3999\/assertions\/[\w-]+;$/,
    );
    expect(lines[10]).toMatch(/^11;karim@;à corriger;;email : « karim@ » n'est pas/);

    // Then the fixed file (the same people, the 3 rows corrected): only those 3 are issued.
    const fixed = csv(200).replace(/^personne10@example\.org;/m, 'karim@example.org;');
    const second = (await upload(fixed)).headers.location as string;
    await confirm(second);
    await t.app.services.bulk.idle();
    const done = decoded((await agent.get(second)).text);
    expect(done).toContain('3 badges délivrés');
    expect(done).toContain("197 personnes l'avaient déjà reçu");
    expect(await awardModel(t.db).countDocuments({})).toBe(200);
    expect(await awardModel(t.db).countDocuments({ 'recipient.email': 'karim@example.org' })).toBe(
      1,
    );

    // Each person was told once: 200 emails in the development outbox.
    const outbox = fs
      .readdirSync(path.join(t.dataDir, 'outbox'))
      .filter((f) => f.endsWith('.json'));
    expect(outbox).toHaveLength(200);
    const audit = auditEventModel(t.db);
    expect(await audit.countDocuments({ action: 'award.issued' })).toBe(200);
    expect(await audit.countDocuments({ action: 'bulkIssue.confirmed' })).toBe(2);
    // The journal and the overview name the badge as people know it, not by its id.
    const confirmed = await audit.findOne({ action: 'bulkIssue.confirmed' }).lean();
    expect(confirmed?.details?.badge).toBe('Accompagner une démarche en ligne');

    // Confirming a finished run again changes nothing.
    await confirm(second);
    await t.app.services.bulk.idle();
    expect(await awardModel(t.db).countDocuments({})).toBe(200);
    await awardModel(t.db).deleteMany({});
  });

  it('When a run was cut short, then resuming it gives exactly one award per row', async () => {
    const runUrl = (await upload(csv(250, { prefix: 'reprise' }))).headers.location as string;
    const runId = runUrl.split('/').pop()!;
    // Cut short by hand: run 120 rows, then pretend the process died in the middle of a batch.
    await confirm(runUrl);
    await t.app.services.bulk.idle();
    expect(await awardModel(t.db).countDocuments({})).toBe(250);
    // Undo part of it as a crash would leave it: results lost for rows 100–249, awards lost for
    // rows 200–249 (claimed, never inserted), and the run still "running".
    const results = bulkResultModel(t.db);
    const lost = await results.find({ runId, index: { $gte: 200 } }).lean();
    await awardModel(t.db).deleteMany({ _id: { $in: lost.map((r) => r.awardId!) } });
    await results.deleteMany({ runId, index: { $gte: 100 } });
    await bulkRunModel(t.db).updateOne({ _id: runId }, { $set: { status: 'running' } });
    expect(await awardModel(t.db).countDocuments({})).toBe(200);

    expect(await t.app.services.bulk.resumeAll()).toBe(1);
    await t.app.services.bulk.idle();
    expect(await awardModel(t.db).countDocuments({})).toBe(250);
    expect(await results.countDocuments({ runId })).toBe(250);
    // The awards lost were issued again under the ids their rows had claimed.
    const claims = await bulkClaimModel(t.db)
      .find({ runId, index: { $gte: 200 } })
      .lean();
    expect(new Set(claims.map((c) => c.awardId))).toEqual(new Set(lost.map((r) => r.awardId)));
    const run = await bulkRunModel(t.db).findById(runId).lean();
    expect(run).toMatchObject({ status: 'done', progress: { processed: 250, issued: 250 } });
  }, 90_000); // 250 rows signed and stored twice over (cut short, then resumed)

  it('When a run was cut off after counting a batch but before its emails went out, then resuming sends each missing email once and no other', async () => {
    const runUrl = (await upload(csv(30, { prefix: 'annonce' }))).headers.location as string;
    const runId = runUrl.split('/').pop()!;
    await confirm(runUrl);
    await t.app.services.bulk.idle();
    const outboxDir = path.join(t.dataDir, 'outbox');
    const mailsTo = () =>
      fs
        .readdirSync(outboxDir)
        .filter((f) => f.endsWith('.json'))
        .map(
          (f) =>
            (JSON.parse(fs.readFileSync(path.join(outboxDir, f), 'utf8')) as { to: string }).to,
        )
        .filter((to) => to.startsWith('annonce'));
    expect(mailsTo()).toHaveLength(30);

    // As a crash leaves it: rows 11–30 without results; rows 21–30 counted (their awards are in
    // the catalogue) but their emails never went out; rows 11–20 told, only their results lost.
    const results = bulkResultModel(t.db);
    const unsent = (await results.find({ runId, index: { $gte: 20 } }).lean()).map(
      (r) => r.awardId!,
    );
    expect(unsent).toHaveLength(10);
    await awardAnnouncementModel(t.db).deleteMany({ _id: { $in: unsent } });
    const unsentTo = new Set(
      (
        await awardModel(t.db)
          .find({ _id: { $in: unsent } }, { recipient: 1 })
          .lean()
      ).map((a) => a.recipient.email),
    );
    for (const f of fs.readdirSync(outboxDir).filter((f) => f.endsWith('.json'))) {
      const { to } = JSON.parse(fs.readFileSync(path.join(outboxDir, f), 'utf8')) as { to: string };
      if (unsentTo.has(to)) fs.rmSync(path.join(outboxDir, f));
    }
    await results.deleteMany({ runId, index: { $gte: 10 } });
    await bulkRunModel(t.db).updateOne({ _id: runId }, { $set: { status: 'running' } });
    expect(mailsTo()).toHaveLength(20);

    expect(await t.app.services.bulk.resumeAll()).toBe(1);
    await t.app.services.bulk.idle();
    const to = mailsTo();
    expect(to).toHaveLength(30);
    expect(new Set(to).size).toBe(30);
    expect(await awardModel(t.db).countDocuments({ 'recipient.email': /^annonce/ })).toBe(30);
    const run = await bulkRunModel(t.db).findById(runId).lean();
    expect(run).toMatchObject({ status: 'done', progress: { processed: 30, issued: 30 } });
  });

  it('When some people of a file already hold the badge, then the preview says so, lists only the others, and the run issues only to them', async () => {
    const holders = (await awardModel(t.db).find({}, { _id: 1 }).lean()).map((a) => a._id);
    // Two of the four were given the badge one by one, before the file.
    const badge = (await t.app.services.badgeClassRepo.findById(badgeId))!;
    for (const email of ['deja1@example.org', 'deja2@example.org']) {
      await issueTo(t.app, badge, { recipientEmail: email });
    }
    const runUrl = (await upload(csv(4, { prefix: 'deja' }))).headers.location as string;
    const page = decoded((await agent.get(runUrl)).text);
    expect(page).toContain('4 lignes prêtes');
    expect(page).toContain(
      'dont 2 personnes qui ont déjà ce badge\u00a0: elles ne le recevront pas une seconde fois',
    );
    expect(page).toContain('Les 2 personnes qui recevront le badge');
    expect(page).toContain('<tr><td>4</td><td>deja3@example.org</td></tr>');
    expect(page).toContain('<tr><td>5</td><td>deja4@example.org</td></tr>');
    expect(page).not.toContain('<td>deja1@example.org</td>');
    expect(page).toContain('Délivrer le badge à 2 personnes');

    await confirm(runUrl);
    await t.app.services.bulk.idle();
    const run = await bulkRunModel(t.db).findById(runUrl.split('/').pop()).lean();
    expect(run).toMatchObject({ status: 'done', progress: { issued: 2, already: 2 } });
    for (const email of ['deja1@example.org', 'deja2@example.org', 'deja3@example.org']) {
      const held = await awardModel(t.db).countDocuments({
        'recipient.email': email,
        _id: { $nin: holders },
      });
      expect([email, held]).toEqual([email, 1]);
    }

    // The same file again: nobody left to give it to, and no button.
    const again = decoded(
      (await agent.get((await upload(csv(4, { prefix: 'deja' }))).headers.location as string)).text,
    );
    expect(again).toContain('Toutes les personnes de ce fichier ont déjà ce badge');
    expect(again).not.toContain('Délivrer le badge à');
  });

  it('When the progress is asked as JSON, then it gives the counts; staff of another issuer gets 403', async () => {
    const runUrl = (await upload(csv(3, { prefix: 'etat' }))).headers.location as string;
    const state = await agent.get(`${runUrl}/etat.json`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ status: 'preview', rows: 3, validRows: 3, processed: 0 });
    // A running run's page refreshes itself and loads the progress script.
    await bulkRunModel(t.db).updateOne(
      { _id: runUrl.split('/').pop() },
      { $set: { status: 'running' } },
    );
    const page = await agent.get(runUrl);
    expect(page.text).toContain('<meta http-equiv="refresh" content="3">');
    expect(page.text).toContain('<script src="/static/js/bulk-progress.js" defer></script>');
    expect(page.text).toMatch(/<progress id="bulk-bar" max="100" value="0"/);

    const other = await createPerson(t.app, { email: 'autre@example.org' }, {});
    const otherAgent = await signIn(t.app, other);
    expect((await otherAgent.get(runUrl)).status).toBe(403);
    expect((await otherAgent.get(`${runUrl}/rapport.csv`)).status).toBe(403);
  });
});
