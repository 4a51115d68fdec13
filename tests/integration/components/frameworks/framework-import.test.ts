import type { Agent } from 'supertest';
import { decoded } from '../../../helpers/html.js';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('importing a competency framework (admin)', () => {
  let t: TestApp;
  let admin: Agent;
  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    const person = await createPerson(t.app, { email: 'admin@ville.example.org', isAdmin: true });
    admin = await signIn(t.app, person);
  });
  afterAll(async () => t.close());

  async function upload(fields: Record<string, string>, file?: { content: string; name: string }) {
    const page = await admin.get('/admin/referentiels/importer');
    const req = admin.post('/admin/referentiels').field('_csrf', csrfFrom(page.text));
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    if (file) req.attach('fichier', Buffer.from(file.content), file.name);
    return req;
  }

  it('When an admin uploads a valid semicolon CSV, then the framework is browsable and the act audited', async () => {
    const res = await upload(
      { id: 'pix-emploi', name: 'Pix Emploi', lang: 'fr' },
      {
        content:
          'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;Candidater;1.1;Rédiger un CV en ligne\n1;Candidater;1.2;Postuler sur un site\n',
        name: 'pix.csv',
      },
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/referentiels/pix-emploi');
    const page = await admin.get('/referentiels/pix-emploi');
    expect(decoded(page.text)).toContain(
      'Le référentiel « Pix Emploi » a été importé (2 compétences).',
    );
    expect(decoded(page.text)).toContain('Rédiger un CV en ligne');
    const events = await t.db
      .collection('auditEvents')
      .find({ action: 'framework.imported' })
      .toArray();
    expect(events).toHaveLength(1);
    expect(events[0]!.targetId).toBe('pix-emploi');
  });

  it('When the CSV has bad rows, then nothing is stored and each row error is listed and linked to the file field', async () => {
    const res = await upload(
      { id: 'mauvais', name: 'Mauvais', lang: 'fr' },
      {
        content:
          'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;A;1.1;\n1;A;1.2;Ok\n1;A;1.2;Doublon\n',
        name: 'mauvais.csv',
      },
    );
    expect(res.status).toBe(422);
    const text = decoded(res.text);
    expect(text).toContain('Ligne 2 : le libellé de la compétence est vide');
    expect(text).toContain('Ligne 4 : le code « 1.2 » apparaît déjà ligne 3.');
    expect(res.text).toContain('href="#fichier"');
    expect(text).toContain('value="mauvais"');
    expect((await admin.get('/referentiels/mauvais')).status).toBe(404);
  });

  it('When the CSV has blank lines and a label over two lines, then row errors name the lines of the file', async () => {
    const res = await upload(
      { id: 'lignes', name: 'Lignes', lang: 'fr' },
      {
        content:
          'domaine_code;domaine_libelle;competence_code;competence_libelle\r\n\r\n1;A;1.1;"Deux\r\nlignes"\r\n\r\n1;A;1.2;\r\n1;A;1.1;Doublon\r\n',
        name: 'lignes.csv',
      },
    );
    expect(res.status).toBe(422);
    const text = decoded(res.text);
    expect(text).toContain('Ligne 6 : le libellé de la compétence est vide');
    expect(text).toContain('Ligne 7 : le code « 1.1 » apparaît déjà ligne 3.');
  });

  it('When the identifier is taken or no file is chosen, then the form says so', async () => {
    const taken = await upload(
      { id: 'crcn', name: 'Faux CRCN', lang: 'fr' },
      {
        content: '{"domains":[{"code":"1","label":"A","competencies":[["1.1","B"]]}]}',
        name: 'f.json',
      },
    );
    expect(taken.status).toBe(422);
    expect(decoded(taken.text)).toContain('Un référentiel porte déjà cet identifiant.');
    const none = await upload({ id: 'sans-fichier', name: 'Sans fichier', lang: 'fr' });
    expect(none.status).toBe(422);
    expect(decoded(none.text)).toContain('Choisissez le fichier CSV ou JSON du référentiel.');
  });

  it('When the file is not UTF-8 text, then the import is refused with advice', async () => {
    const latin1 = Buffer.from(
      'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;Sécurité;1.1;Protéger\n',
      'latin1',
    );
    const page = await admin.get('/admin/referentiels/importer');
    const res = await admin
      .post('/admin/referentiels')
      .field('_csrf', csrfFrom(page.text))
      .field('id', 'latin')
      .field('name', 'Latin')
      .field('lang', 'fr')
      .attach('fichier', latin1, 'latin.csv');
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('CSV UTF-8');
  });
});
