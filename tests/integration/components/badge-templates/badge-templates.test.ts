import request from 'supertest';
import { decoded } from '../../../helpers/html.js';
import { readPngHeader } from '../../../helpers/png.js';
import { elements, parseSvg } from '../../../helpers/svg.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('badge template routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const templates = ['medal', 'shield', 'hexagon', 'ribbon', 'seal'];

  it('When a visitor opens the gallery, then it lists every template in French with its preview', async () => {
    const res = await request(t.app).get('/modeles-de-badges');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = decoded(res.text);
    expect(html).toContain('<h1>Modèles de badges</h1>');
    for (const name of ['Médaille', 'Écusson', 'Hexagone', 'Bannière', 'Sceau']) {
      expect(html).toMatch(new RegExp(`<h3 id="modele-[a-z]+">${name}</h3>`));
    }
    for (const id of templates) {
      expect(html).toContain(
        `src="/modeles-de-badges/${id}/apercu.svg?titre=Accompagner+une+d%C3%A9marche+en+ligne&niveau=Niveau+2"`,
      );
    }
    expect(html).toContain('alt="Aperçu du modèle Médaille pour le badge « Accompagner une démarche en ligne »"');
    expect(res.text).toContain('<label for="champ-titre">');
    expect(res.text).not.toMatch(/<script|style="/i);
  });

  it('When the gallery is asked in English, then names and texts are English', async () => {
    const res = await request(t.app).get('/modeles-de-badges?lang=en');
    const html = decoded(res.text);
    expect(html).toContain('<h1>Badge templates</h1>');
    expect(html).toContain('Medal');
    expect(html).toContain('Support an online procedure');
  });

  it('When the gallery form is submitted, then every preview uses the typed values', async () => {
    const res = await request(t.app).get('/modeles-de-badges').query({
      titre: 'Sécurité & vie privée',
      niveau: 'Expert',
      emetteur: 'Ville de Roubaix',
      picto: 'securite',
      couleurs: 'oui',
      couleur: '#17663a',
      couleur2: '#f2b700',
    });
    expect(res.status).toBe(200);
    expect(decoded(res.text)).toContain(
      '/modeles-de-badges/seal/apercu.svg?titre=S%C3%A9curit%C3%A9+%26+vie+priv%C3%A9e&niveau=Expert&emetteur=Ville+de+Roubaix&couleur=%2317663a&couleur2=%23f2b700&picto=securite',
    );
    expect(res.text).toContain('<option value="securite" selected>');
    expect(res.text).toContain('value="Sécurité &amp; vie privée"');
  });

  it('When the gallery form has mistakes, then it answers 400 with an error summary linked to the fields', async () => {
    const res = await request(t.app)
      .get('/modeles-de-badges')
      .query({ titre: 'x'.repeat(81), picto: 'licorne' });
    expect(res.status).toBe(400);
    const html = decoded(res.text);
    expect(html).toContain('Il y a un problème');
    expect(html).toContain(
      '<a href="#champ-titre">Nom du badge : 80 caractères au plus (vous en avez saisi 81).</a>',
    );
    expect(html).toContain('<a href="#champ-picto">Pictogramme : ce pictogramme n\'existe pas.');
    expect(res.text).toContain('aria-invalid="true"');
    // The previews fall back to the example, never to the refused values.
    expect(res.text).not.toContain('apercu.svg?titre=xxxx');
  });

  it('When the name is too long for some templates, then their cards say so and the others show it', async () => {
    const title = "Concevoir et animer un atelier collectif d'initiation au numérique pour seniors";
    const res = await request(t.app).get('/modeles-de-badges').query({ titre: title });
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain('Ce nom est trop long pour tenir en entier sur ce modèle.');
    expect(html).toContain('/modeles-de-badges/ribbon/apercu.svg?titre=Concevoir');
    expect(html).not.toContain('/modeles-de-badges/medal/apercu.svg?titre=Concevoir');
    const preview = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png')
      .query({ titre: title })
      .set('Accept', 'application/json');
    expect(preview.status).toBe(400);
    expect(JSON.parse(preview.text).errors[0].message).toMatch(
      /^Le paramètre « titre » est trop long pour tenir en entier sur ce modèle/,
    );
  });

  it.each(templates)(
    'When the %s SVG preview is asked, then it is an SVG image with a restrictive CSP and cache headers',
    async (id) => {
      const res = await request(t.app)
        .get(`/modeles-de-badges/${id}/apercu.svg`)
        .query({ titre: 'Accompagner une démarche administrative en ligne', niveau: 'Niveau 2' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'; sandbox",
      );
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
      const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
      const doc = parseSvg(svg);
      expect(elements(doc, 'title')[0]!.textContent).toBe(
        'Accompagner une démarche administrative en ligne — Niveau 2',
      );
    },
  );

  it.each(templates)(
    'When the %s PNG preview is asked at 256 px, then it is a 256 × 256 PNG',
    async (id) => {
      const res = await request(t.app)
        .get(`/modeles-de-badges/${id}/apercu.png`)
        .query({ titre: 'Smartphone', taille: '256', picto: 'smartphone' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
      const header = readPngHeader(res.body as Buffer);
      expect(header).toMatchObject({ signatureOk: true, width: 256, height: 256 });
    },
  );

  it('When no size is given, then the PNG is 512 px', async () => {
    const res = await request(t.app)
      .get('/modeles-de-badges/ribbon/apercu.png?titre=Livre');
    expect(readPngHeader(res.body as Buffer)).toMatchObject({ width: 512, height: 512 });
  });

  it('When the browser already has the image, then the answer is 304 without a body', async () => {
    const url = '/modeles-de-badges/medal/apercu.png?titre=Cache&taille=64';
    const first = await request(t.app).get(url);
    const again = await request(t.app).get(url).set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(first.headers.etag);
    const other = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.png?titre=Cache&taille=65')
      .set('If-None-Match', first.headers.etag!);
    expect(other.status).toBe(200);
  });

  it('When a hostile title is given, then the SVG shows it as text and holds no script', async () => {
    const title = '</text><script>alert(1)</script>';
    const res = await request(t.app).get('/modeles-de-badges/shield/apercu.svg').query({ titre: title });
    expect(res.status).toBe(200);
    const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
    expect(svg).not.toMatch(/<script/i);
    expect(elements(parseSvg(svg), 'title')[0]!.textContent).toBe(title);
  });

  it.each([
    ['no title', '', 'titre'],
    ['a title too long', `titre=${'a'.repeat(81)}`, 'titre'],
    ['a named colour', 'titre=x&couleur=red', 'couleur'],
    ['a short colour', 'titre=x&couleur2=%23fff', 'couleur2'],
    ['an unknown pictogram', 'titre=x&picto=licorne', 'picto'],
    ['a repeated title', 'titre=a&titre=b', 'titre'],
    ['a control character', 'titre=a%00b', 'titre'],
    ['a size too small', 'titre=x&taille=63', 'taille'],
    ['a size too large', 'titre=x&taille=1025', 'taille'],
    ['a size that is not a number', 'titre=x&taille=abc', 'taille'],
  ])('When the PNG preview gets %s, then it answers 400 naming the parameter', async (_c, query, param) => {
    const res = await request(t.app)
      .get(`/modeles-de-badges/hexagon/apercu.png?${query}`)
      .set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body.code).toBe('bad_request');
    expect(body.detail).toBe(
      "L'aperçu ne peut pas être dessiné avec ces paramètres. Corrigez-les et réessayez.",
    );
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual([param]);
    expect(body.errors[0].message).toContain(`Le paramètre « ${param} »`);
  });

  it('When a browser sends a bad colour, then it gets a French HTML page that explains it', async () => {
    const res = await request(t.app)
      .get('/modeles-de-badges/medal/apercu.svg?titre=x&couleur=bleu')
      .set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(decoded(res.text)).toContain(
      'Le paramètre « couleur » : indiquez une couleur sous la forme #rrggbb, par exemple #1f4e8c.',
    );
  });

  it('When the template does not exist, then it answers 404', async () => {
    for (const id of ['licorne', '__proto__', '..%2F..%2Fetc']) {
      const res = await request(t.app).get(`/modeles-de-badges/${id}/apercu.svg?titre=x`);
      expect(res.status).toBe(404);
    }
  });

  it('When a pictogram is asked, then it is a small SVG; an unknown one is a 404', async () => {
    const res = await request(t.app).get('/modeles-de-badges/pictogrammes/livre.svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    const svg = res.body instanceof Buffer ? res.body.toString('utf8') : res.text;
    expect(elements(parseSvg(svg), 'path').length).toBeGreaterThan(0);
    expect((await request(t.app).get('/modeles-de-badges/pictogrammes/licorne.svg')).status).toBe(404);
  });

  it('When the route table is read, then every badge template route is public', () => {
    const routes = t.app.routeTable.filter((r) => r.path.startsWith('/modeles-de-badges'));
    expect(routes.map((r) => r.path)).toEqual([
      '/modeles-de-badges',
      '/modeles-de-badges/pictogrammes/:picto.svg',
      '/modeles-de-badges/:template/apercu.svg',
      '/modeles-de-badges/:template/apercu.png',
    ]);
    for (const r of routes) expect(r.access).toEqual({ kind: 'public' });
  });
});
