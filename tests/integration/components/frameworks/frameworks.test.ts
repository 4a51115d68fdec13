import request from 'supertest';
import { frameworksRepository } from '../../../../src/components/frameworks/frameworks.repository.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('framework pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('When a visitor opens /referentiels, then the three shipped frameworks are listed with their sizes', async () => {
    const res = await request(t.app).get('/referentiels');
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    expect(text).toContain('Cadre de référence des compétences numériques (CRCN)');
    expect(text).toContain('16 compétences réparties en 5 domaines');
    expect(text).toContain('21 compétences réparties en 5 domaines');
    expect(text).toMatch(/<a href="\/referentiels\/digcomp-2.2" lang="en">/);
  });

  it('When a framework page is opened, then every competency has an anchor that alignments point to', async () => {
    const res = await request(t.app).get('/referentiels/crcn');
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="competence-2.1"');
    expect(decoded(res.text)).toContain('Interagir');
  });

  it('When an imported framework exists, then it is listed and browsable next to the shipped ones', async () => {
    const repo = frameworksRepository(t.db);
    expect(
      await repo.insert({
        id: 'pix-emploi',
        name: 'Pix Emploi',
        lang: 'fr',
        domains: [
          { code: 'A', label: 'Accueil', competencies: [{ code: 'A1', label: 'Accueillir' }] },
        ],
      }),
    ).toBe(true);
    expect(await repo.insert({ id: 'pix-emploi', name: 'Doublon', lang: 'fr', domains: [] })).toBe(
      false,
    );
    expect(await repo.insert({ id: 'crcn', name: 'Usurpation', lang: 'fr', domains: [] })).toBe(
      false,
    );
    expect(decoded((await request(t.app).get('/referentiels')).text)).toContain(
      'Référentiel importé par un administrateur',
    );
    expect((await request(t.app).get('/referentiels/pix-emploi')).status).toBe(200);
  });

  it('When a framework does not exist, then 404', async () => {
    expect((await request(t.app).get('/referentiels/inconnu')).status).toBe(404);
  });
});
