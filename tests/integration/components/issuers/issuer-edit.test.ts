/**
 * Editing a structure (issuer) after its creation: its owner (or an administrator) changes its
 * name, addresses, description, logo and LinkedIn id; its id, in every signed badge, never
 * changes, and badges already issued still verify, now under the new name.
 */
import request from 'supertest';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import {
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const BASE = 'http://127.0.0.1:3999';
const EDIT = '/structures/roubaix/modifier';

describe('editing a structure', () => {
  let t: TestApp;
  let owner: Person;
  let coordinator: Person;
  let member: Person;
  let award: AwardDoc;

  const stored = () => t.app.services.issuerRepo.findById('roubaix');
  const profile = async () =>
    JSON.parse(
      (await request(t.app).get('/emetteurs/roubaix').set('Accept', 'application/ld+json')).text,
    ) as { id: string; name: string; email: string; url: string; description?: string };

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    const badge = await issuerWithBadge(t.app, 'roubaix');
    award = await issueTo(t.app, badge);
    owner = await createPerson(
      t.app,
      { email: 'sonia@example.org', name: 'Sonia Responsable' },
      { roubaix: 'owner' },
    );
    coordinator = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia Coordinatrice' },
      { roubaix: 'coordinator' },
    );
    member = await createPerson(
      t.app,
      { email: 'karim@example.org', name: 'Karim Médiateur' },
      { roubaix: 'member' },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the owner edits the structure, then the public page, the OB 2.0 and OB 3.0 profiles show the new values and an issued badge still verifies', async () => {
    const url = `${BASE}/assertions/${award._id}`;
    const before = await t.app.verification.verify({ way: 'url', url });
    expect(before.report.verdict).toBe('verified');

    const agent = await signIn(t.app, owner);
    // The structure's page leads to the form, prefilled with the current values.
    const home = decoded((await agent.get('/structures/roubaix')).text);
    expect(home).toContain(`<a href="${EDIT}">Modifier la structure</a>`);
    const form = await agent.get(EDIT);
    expect(form.status).toBe(200);
    const html = decoded(form.text);
    expect(html).toContain('value="Ville de Roubaix — Coopérative des médiateurs numériques"');
    expect(html).toContain('value="contact@roubaix.example.org"');
    expect(html).toContain('value="https://roubaix.example.org"');

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
    );
    const res = await agent
      .post(EDIT)
      .field('_csrf', csrfFrom(form.text))
      .field('name', 'Ville de Roubaix — Médiation numérique')
      .field('url', 'https://www.ville-roubaix.fr')
      .field('email', 'Mediation@Ville-Roubaix.fr')
      .field('description', 'Les médiateurs numériques de la ville.')
      .field('linkedinOrganizationId', 'https://www.linkedin.com/company/1337/admin/')
      .attach('image', svg, { filename: 'logo.svg', contentType: 'image/svg+xml' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/structures/roubaix');
    const after = decoded((await agent.get('/structures/roubaix')).text);
    expect(after).toContain(
      'Les informations de la structure Ville de Roubaix — Médiation numérique sont enregistrées.',
    );

    // The public page and documents: same id, new values.
    const page = visibleText(
      (await request(t.app).get('/emetteurs/roubaix').set('Accept', 'text/html')).text,
    );
    expect(page).toContain('Ville de Roubaix — Médiation numérique');
    expect(page).toContain('Les médiateurs numériques de la ville.');
    const ob2 = await profile();
    expect(ob2).toMatchObject({
      id: `${BASE}/emetteurs/roubaix`,
      name: 'Ville de Roubaix — Médiation numérique',
      email: 'mediation@ville-roubaix.fr',
      url: 'https://www.ville-roubaix.fr',
    });
    const ob3 = JSON.parse((await request(t.app).get('/emetteurs/roubaix/profil.json')).text);
    expect(ob3.name).toBe('Ville de Roubaix — Médiation numérique');
    expect(ob3.image.id).toMatch(/\/emetteurs\/roubaix\/image\?v=/);
    const logo = await request(t.app).get('/emetteurs/roubaix/image').buffer(true);
    expect(Buffer.from(logo.body as Buffer).equals(svg)).toBe(true);
    expect((await request(t.app).get('/emetteurs/roubaix/did.json')).status).toBe(200);
    expect((await stored())!.linkedinOrganizationId).toBe('1337');

    // The badge issued before the edit still verifies, and names the structure as it is now.
    const again = await t.app.verification.verify({ way: 'url', url });
    expect(again.report.verdict).toBe('verified');
    expect(again.report.badge?.issuer?.name).toBe('Ville de Roubaix — Médiation numérique');

    // The edit is in the structure's journal.
    const journal = visibleText((await agent.get('/audit')).text);
    expect(journal).toContain('Structure modifiée');

    // Without a new file, the logo is kept.
    const keep = await postForm(agent, EDIT, EDIT, {
      name: 'Ville de Roubaix — Médiation numérique',
      url: 'https://www.ville-roubaix.fr',
      email: 'mediation@ville-roubaix.fr',
      description: 'Les médiateurs numériques de la ville, au centre social.',
      linkedinOrganizationId: '1337',
    });
    expect(keep.status).toBe(303);
    expect((await profile()).description).toBe(
      'Les médiateurs numériques de la ville, au centre social.',
    );
    const keptLogo = await request(t.app).get('/emetteurs/roubaix/image').buffer(true);
    expect(keptLogo.status).toBe(200);
    expect(Buffer.from(keptLogo.body as Buffer).equals(svg)).toBe(true);
  });

  it('When the email is not an address, then the form comes back (422) with the message and nothing is changed', async () => {
    const before = await stored();
    const agent = await signIn(t.app, owner);
    const res = await postForm(agent, EDIT, EDIT, {
      name: 'Un tout autre nom',
      url: before!.url,
      email: 'pas une adresse',
      description: 'Une autre présentation.',
      linkedinOrganizationId: 'roubaix-ville',
    });
    expect(res.status).toBe(422);
    const html = decoded(res.text);
    expect(html).toContain('<a href="#email">');
    expect(html).toContain('<a href="#linkedinOrganizationId">');
    expect(visibleText(res.text)).toContain('Saisissez une adresse e-mail valide');
    // What was typed is kept, so nothing has to be typed again.
    expect(html).toContain('value="Un tout autre nom"');
    expect(html).toContain('Une autre présentation.');
    expect(await stored()).toEqual(before);
    expect((await profile()).name).toBe(before!.name);
  });

  it('When a coordinator or a member asks for the form or sends it, then it is refused and nothing changes', async () => {
    const before = await stored();
    for (const person of [coordinator, member]) {
      const agent = await signIn(t.app, person);
      expect((await agent.get(EDIT)).status).toBe(403);
      const page = await agent.get('/mes-badges');
      const res = await agent
        .post(EDIT)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          name: 'Structure détournée',
          url: 'https://pirate.example.org',
          email: 'pirate@example.org',
        });
      expect(res.status).toBe(403);
    }
    // The coordinator's structure page offers no edit link.
    const nadia = await signIn(t.app, coordinator);
    expect((await nadia.get('/structures/roubaix')).text).not.toContain(EDIT);
    expect(await stored()).toEqual(before);
  });

  it('When a platform administrator edits the structure, then it is saved', async () => {
    const admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    const agent = await signIn(t.app, admin);
    const res = await postForm(agent, EDIT, EDIT, {
      name: 'Ville de Roubaix',
      url: 'https://www.ville-roubaix.fr',
      email: 'mediation@ville-roubaix.fr',
    });
    expect(res.status).toBe(303);
    const now = await stored();
    expect(now!.name).toBe('Ville de Roubaix');
    // A field left empty is removed, not kept.
    expect(now!.linkedinOrganizationId).toBeUndefined();
    expect(now!._id).toBe('roubaix');
  });
});
