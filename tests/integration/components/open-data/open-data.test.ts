import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { frictionlessValidate } from '../../../helpers/frictionless.js';
import { OPEN_DATA_NOW, seedOpenData } from '../../../helpers/open-data.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

/** CSV text → objects (our CSV quotes fields with commas; enough for the checks below). */
function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split('\r\n');
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i]!, v])));
}

describe('open data', () => {
  let t: TestApp;
  let tmp: string;
  beforeAll(async () => {
    t = await createTestApp({ clock: () => OPEN_DATA_NOW, env: relaxedLimits });
    await seedOpenData(t.app, t.db);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-open-data-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('When a harvester downloads the CSV of a seeded dataset, then Frictionless validates it against the served schema', async () => {
    const csv = await request(t.app).get('/donnees/statistiques-mensuelles.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const schema = await request(t.app).get('/donnees/schema.json');
    expect(schema.status).toBe(200);
    const csvPath = path.join(tmp, 'statistiques-mensuelles.csv');
    const schemaPath = path.join(tmp, 'schema.json');
    fs.writeFileSync(csvPath, csv.text);
    fs.writeFileSync(schemaPath, schema.text);
    const result = await frictionlessValidate(csvPath, schemaPath);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    // Not an empty file that trivially passes: the complete months of both publishing issuers.
    const rows = parseCsv(csv.text);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(new Set(rows.map((r) => r.mois))).toEqual(new Set(['2026-12', '2027-01', '2027-02']));
  });

  it('When a count under 5 slips into a file, then the same validator rejects it (the schema carries the threshold)', async () => {
    const csv = (await request(t.app).get('/donnees/statistiques-mensuelles.csv')).text;
    const lines = csv.split('\r\n');
    const header = lines[0]!.split(',');
    const col = header.indexOf('badges_delivres');
    const row = lines.findIndex((l, i) => i > 0 && /,\d+,/.test(l) && !l.includes('"'));
    const cells = lines[row]!.split(',');
    cells[col] = '3';
    lines[row] = cells.join(',');
    const bad = path.join(tmp, 'mauvais.csv');
    fs.writeFileSync(bad, lines.join('\r\n'));
    fs.writeFileSync(
      path.join(tmp, 'schema.json'),
      (await request(t.app).get('/donnees/schema.json')).text,
    );
    const result = await frictionlessValidate(bad, path.join(tmp, 'schema.json'));
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/constraint-error/);
  });

  it('When the example file and the shipped schema are validated, then both pass', async () => {
    const example = await request(t.app).get('/donnees/exemple.csv');
    fs.writeFileSync(path.join(tmp, 'exemple.csv'), example.text);
    fs.writeFileSync(
      path.join(tmp, 'schema.json'),
      (await request(t.app).get('/donnees/schema.json')).text,
    );
    const result = await frictionlessValidate(
      path.join(tmp, 'exemple.csv'),
      path.join(tmp, 'schema.json'),
    );
    expect(result.errors).toEqual([]);
  });

  it('When the CSV is read, then it names no person, publishes no count under 5, and leaves out non-publishing issuers and early months', async () => {
    const csv = (await request(t.app).get('/donnees/statistiques-mensuelles.csv')).text;
    expect(csv).not.toMatch(/@/);
    expect(csv).not.toMatch(/Personne|personne-/);
    const rows = parseCsv(csv);
    const counts = [
      'badges_delivres',
      'beneficiaires_distincts',
      'badges_revoques',
      'recommandations',
      'demandes_recues',
      'demandes_traitees',
    ];
    for (const r of rows) {
      for (const c of counts) if (r[c] !== '') expect(Number(r[c])).toBeGreaterThanOrEqual(5);
      expect(r.secret_statistique).toBe(counts.some((c) => r[c] === '') ? 'true' : 'false');
    }
    expect(rows.some((r) => r.emetteur_id === 'asso-privee')).toBe(false);
    // The city publishes from January 2027: its December awards are not there.
    expect(rows.some((r) => r.emetteur_id === 'ville-de-roubaix' && r.mois === '2026-12')).toBe(
      false,
    );
    const jan = rows.filter((r) => r.badge_id === 'demarche-en-ligne' && r.mois === '2027-01');
    // One row per competency, same figures; 12 awards to 10 distinct people; 7 requests received.
    expect(jan.map((r) => `${r.referentiel} ${r.competence_code}`).sort()).toEqual([
      'crcn 2.1',
      'remn CCP1',
    ]);
    expect(jan[0]).toMatchObject({
      badges_delivres: '12',
      beneficiaires_distincts: '10',
      demandes_recues: '7',
      code_insee: '59512',
      thematiques: 'aide_aux_demarches_administratives',
    });
    const feb = rows.find((r) => r.badge_id === 'demarche-en-ligne' && r.mois === '2027-02')!;
    expect(feb).toMatchObject({
      recommandations: '6',
      demandes_traitees: '5',
      badges_revoques: '',
    });
    const centre = rows.find((r) => r.emetteur_id === 'centre-social')!;
    expect(centre.lieu_mediation_id).toBe('lieu-nautilus-42');
    expect(centre.referentiel).toBe('');
  });

  it('When the JSON is downloaded, then it holds the same rows, with null for a hidden count', async () => {
    const json = await request(t.app).get('/donnees/statistiques-mensuelles.json');
    expect(json.status).toBe(200);
    const rows = json.body as Record<string, unknown>[];
    const csvRows = parseCsv(
      (await request(t.app).get('/donnees/statistiques-mensuelles.csv')).text,
    );
    expect(rows).toHaveLength(csvRows.length);
    expect(rows.some((r) => r.badges_revoques === null && r.secret_statistique === true)).toBe(
      true,
    );
  });

  it('When a harvester asks again with the ETag, then it gets 304; each file has ETag and Last-Modified', async () => {
    for (const url of [
      '/donnees/statistiques-mensuelles.csv',
      '/donnees/statistiques-mensuelles.json',
      '/donnees/schema.json',
      '/donnees/datapackage.json',
      '/donnees/exemple.csv',
    ]) {
      const first = await request(t.app).get(url);
      expect(first.status).toBe(200);
      expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(new Date(first.headers['last-modified']!).getTime()).toBeLessThanOrEqual(
        OPEN_DATA_NOW.getTime(),
      );
      const again = await request(t.app).get(url).set('If-None-Match', first.headers.etag!);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      const other = await request(t.app).get(url).set('If-None-Match', '"autre"');
      expect(other.status).toBe(200);
    }
  });

  it('When the data package is read, then it lists the CSV with its schema and the Etalab licence, at stable URLs', async () => {
    const pkg = (await request(t.app).get('/donnees/datapackage.json')).body as {
      licenses: { name: string }[];
      resources: { name: string; path: string; schema?: string }[];
    };
    expect(pkg.licenses[0]!.name).toBe('etalab-2.0');
    const csv = pkg.resources.find((r) => r.name === 'statistiques-mensuelles')!;
    expect(csv.path).toBe(`${t.config.PUBLIC_URL}/donnees/statistiques-mensuelles.csv`);
    expect(csv.schema).toBe(`${t.config.PUBLIC_URL}/donnees/schema.json`);
  });

  it('When a resident opens /donnees, then the charts have text alternatives and tables, without script, under 30 KB', async () => {
    const res = await request(t.app).get('/donnees');
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(30 * 1024);
    expect(res.text).not.toMatch(/<script/i);
    const svgs = res.text.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.filter((s) => s.includes('class="chart"'))).toHaveLength(2);
    for (const s of svgs.filter((x) => x.includes('class="chart"'))) {
      expect(s).toContain('role="img"');
      const ids = /aria-labelledby="([^"]+)"/.exec(s)![1]!.split(' ');
      for (const id of ids)
        expect(res.text).toMatch(new RegExp(`<(title|desc) id="${id}">[^<]+</`));
    }
    expect(res.text).toContain('<caption>Badges délivrés par mois</caption>');
    expect(res.text).toContain('<caption>Badges délivrés par compétence</caption>');
    expect(res.text).toContain('Secret complémentaire');
    expect(res.text).toContain('href="/donnees/statistiques-mensuelles.csv"');
    const en = await request(t.app).get('/donnees?lang=en');
    expect(en.text).toContain('Badges issued per month');
  });

  it('When any page is shown, then its footer and the site map link to the open data', async () => {
    const home = await request(t.app).get('/plan-du-site');
    expect(home.text.match(/href="\/donnees"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  describe('admin settings', () => {
    it('When an admin saves a wrong commune code, then the form says why; a right one is saved, audited and published', async () => {
      const admin = await createPerson(t.app, { email: 'admin-od@example.org', isAdmin: true });
      const agent = await signIn(t.app, admin);
      const list = await agent.get('/admin/donnees');
      expect(list.status).toBe(200);
      expect(list.text).toContain('Association qui ne publie pas');
      const form = await agent.get('/admin/donnees/asso-privee');
      const bad = await agent
        .post('/admin/donnees/asso-privee')
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          publish: 'oui',
          fromMonth: '2027-13',
          communeCode: '5951',
        });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('au format AAAA-MM');
      expect(bad.text).toContain('5 caractères');
      expect(bad.text).toContain('aria-invalid="true"');
      const noCsrf = await agent
        .post('/admin/donnees/asso-privee')
        .type('form')
        .send({ publish: 'oui', fromMonth: '2027-01' });
      expect(noCsrf.status).toBe(403);
      const ok = await agent
        .post('/admin/donnees/asso-privee')
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          publish: 'oui',
          fromMonth: '2027-01',
          communeCode: '59512',
        });
      expect(ok.status).toBe(303);
      const events = await t.db
        .collection('auditEvents')
        .find({ action: 'openData.settingsUpdated' })
        .toArray();
      expect(events).toHaveLength(1);
      expect(events[0]!.details).toMatchObject({
        publish: true,
        fromMonth: '2027-01',
        communeCode: '59512',
      });
      const csv = (await request(t.app).get('/donnees/statistiques-mensuelles.csv')).text;
      expect(csv).toContain('asso-privee');
      // Back to not published, for the other tests.
      const again = await agent.get('/admin/donnees/asso-privee');
      await agent
        .post('/admin/donnees/asso-privee')
        .type('form')
        .send({ _csrf: csrfFrom(again.text), fromMonth: '2027-01' });
      expect((await request(t.app).get('/donnees/statistiques-mensuelles.csv')).text).not.toContain(
        'asso-privee',
      );
    });
  });
});
