import request from 'supertest';
import { decoded } from '../../../helpers/html.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const PASSWORD = 'une phrase de passe solide';

describe('issuers, members and invitations', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let admin: Person;
  let nadia: Person;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    admin = await createPerson(t.app, { email: 'admin@example.org', name: 'Admin', isAdmin: true });
    await createIssuer(t.app, 'roubaix', 'Ville de Roubaix');
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia' },
      { roubaix: 'coordinator' },
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  describe('creating an issuer (administrators)', () => {
    it('When the admin creates an issuer for someone without an account, then that person is invited as owner', async () => {
      const agent = await signIn(t.app, admin);
      const res = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        name: 'Médiathèque Jean Lévy',
        url: 'https://mediatheque.example.org',
        email: 'contact@mediatheque.example.org',
        description: 'La médiathèque de Roubaix.',
        ownerEmail: 'Directrice@Mediatheque.example.org',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/structures/mediatheque-jean-levy/membres');
      const page = decoded((await agent.get(res.headers.location as string)).text);
      expect(page).toContain(
        'La structure Médiathèque Jean Lévy est créée ; une invitation a été envoyée à directrice@mediatheque.example.org.',
      );
      expect(page).toContain('Responsable de la structure');
      const mail = await smtp.waitFor((m) => m.to === 'directrice@mediatheque.example.org');
      expect(mail.text).toContain('Votre rôle : Responsable de la structure.');

      const path = new URL(linkIn(mail, '/invitation/')).pathname;
      const owner = request.agent(t.app);
      const form = await owner.get(path);
      await owner
        .post(path)
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          name: 'Directrice',
          password: PASSWORD,
          passwordConfirm: PASSWORD,
        });
      expect((await owner.get('/structures/mediatheque-jean-levy/membres')).status).toBe(200);
      expect((await owner.get('/audit')).status).toBe(200);
    });

    it('When the owner already has an account, then they become owner at once; a same name gets another id', async () => {
      const agent = await signIn(t.app, admin);
      const res = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        name: 'Ville de Roubaix',
        url: 'https://www.ville-roubaix.fr',
        email: 'coop@ville-roubaix.fr',
        ownerEmail: nadia.email,
      });
      expect(res.headers.location).toBe('/structures/ville-de-roubaix/membres');
      const again = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        name: 'Ville de Roubaix',
        url: 'https://www.ville-roubaix.fr',
        email: 'coop@ville-roubaix.fr',
        ownerEmail: nadia.email,
      });
      expect(again.headers.location).toBe('/structures/ville-de-roubaix-2/membres');
      expect(
        await t.app.services.issuerRepo.findMembership('ville-de-roubaix', nadia.id),
      ).toMatchObject({ role: 'owner' });
    });

    it('When the form is wrong, then each problem is listed and linked to its field', async () => {
      const agent = await signIn(t.app, admin);
      const res = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        name: '',
        url: 'ville-roubaix.fr',
        email: 'pas une adresse',
        ownerEmail: '',
      });
      expect(res.status).toBe(422);
      const html = decoded(res.text);
      for (const field of ['name', 'url', 'email', 'ownerEmail'])
        expect(html).toContain(`<a href="#${field}">`);
      expect(html).toContain('value="ville-roubaix.fr"');
    });
  });

  describe('inviting people (coordinators)', () => {
    it('When a list has wrong lines, then nothing is sent and each wrong line is named', async () => {
      const agent = await signIn(t.app, nadia);
      const before = smtp.messages.length;
      const res = await postForm(
        agent,
        '/structures/roubaix/membres',
        '/structures/roubaix/invitations',
        {
          emails: 'karim@example.org\nsamia@example\n\nleo@example.org, pas-une-adresse',
        },
      );
      expect(res.status).toBe(422);
      const html = decoded(res.text);
      expect(html).toContain("Ligne 2 : « samia@example » n'est pas une adresse e-mail valide.");
      expect(html).toContain("Ligne 4 : « pas-une-adresse » n'est pas une adresse e-mail valide.");
      expect(html).toContain('aria-invalid="true"');
      // What was typed comes back, to be corrected rather than retyped.
      expect(html).toContain('karim@example.org\nsamia@example');
      expect(smtp.messages.length).toBe(before);
    });

    it('When a list is pasted from a spreadsheet or a mailbox, then each person gets one invitation', async () => {
      const agent = await signIn(t.app, nadia);
      const res = await postForm(
        agent,
        '/structures/roubaix/membres',
        '/structures/roubaix/invitations',
        {
          emails:
            'Karim B. <karim@example.org>; samia@example.org\r\nLEO@example.org\nkarim@example.org',
        },
      );
      expect(res.status).toBe(303);
      const page = decoded((await agent.get('/structures/roubaix/membres')).text);
      expect(page).toContain('3 invitations envoyées.');
      for (const email of ['karim@example.org', 'samia@example.org', 'leo@example.org']) {
        await smtp.waitFor((m) => m.to === email);
        expect(page).toContain(email);
      }
      expect(smtp.messages.filter((m) => m.to === 'karim@example.org')).toHaveLength(1);
    });

    it('When a coordinator tries to invite coordinators, then it is refused; an owner may', async () => {
      const coordinator = await signIn(t.app, nadia);
      const refused = await postForm(
        coordinator,
        '/structures/roubaix/membres',
        '/structures/roubaix/invitations',
        {
          emails: 'futur-coordinateur@example.org',
          role: 'coordinator',
        },
      );
      expect(refused.status).toBe(403);
      const owner = await createPerson(t.app, { email: 'owner@example.org' }, { roubaix: 'owner' });
      const ownerAgent = await signIn(t.app, owner);
      const page = await ownerAgent.get('/structures/roubaix/membres');
      expect(decoded(page.text)).toContain('Rôle des personnes invitées');
      const ok = await ownerAgent
        .post('/structures/roubaix/invitations')
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          emails: 'futur-coordinateur@example.org',
          role: 'coordinator',
        });
      expect(ok.status).toBe(303);
      const mail = await smtp.waitFor((m) => m.to === 'futur-coordinateur@example.org');
      expect(mail.text).toContain('Votre rôle : Coordinateur·rice.');
    });

    it('When the invited person already has an account in English, then the mail is in English and she joins after signing in', async () => {
      const amy = await createPerson(t.app, { email: 'amy@example.org', name: 'Amy' });
      await t.app.services.users.setProfile(amy.id, { language: 'en' });
      const agent = await signIn(t.app, nadia);
      await postForm(agent, '/structures/roubaix/membres', '/structures/roubaix/invitations', {
        emails: 'amy@example.org',
      });
      const mail = await smtp.waitFor((m) => m.to === 'amy@example.org');
      expect(mail.subject).toBe('Invitation to join Ville de Roubaix on Coop Badges');
      const path = new URL(linkIn(mail, '/invitation/')).pathname;

      const anonymous = decoded((await request(t.app).get(path)).text);
      expect(anonymous).toContain("Vous avez déjà un compte avec l'adresse amy@example.org");
      expect(anonymous).toContain(`href="/connexion?retour=${encodeURIComponent(path)}"`);
      // Someone else signed in cannot take the invitation.
      const other = await signIn(t.app, nadia);
      const otherPage = await other.get(path);
      expect(decoded(otherPage.text)).toContain('vous êtes connecté·e avec un autre compte');
      const stolen = await other
        .post(path)
        .type('form')
        .send({ _csrf: csrfFrom(otherPage.text) });
      expect(stolen.status).toBe(409);

      const amyAgent = request.agent(t.app);
      const signInPage = await amyAgent.get(`/connexion?retour=${encodeURIComponent(path)}`);
      const signedIn = await amyAgent
        .post('/connexion')
        .type('form')
        .send({
          _csrf: csrfFrom(signInPage.text),
          email: amy.email,
          password: amy.password,
          retour: path,
        });
      expect(signedIn.headers.location).toBe(path);
      const joinPage = await amyAgent.get(path);
      expect(joinPage.text).toContain('<html lang="en">');
      const joined = await amyAgent
        .post(path)
        .type('form')
        .send({ _csrf: csrfFrom(joinPage.text) });
      expect(joined.status).toBe(303);
      expect(await t.app.services.issuerRepo.findMembership('roubaix', amy.id)).toMatchObject({
        role: 'member',
      });
    });

    it('When someone is already a member, then they are not invited again and the coordinator is told', async () => {
      const agent = await signIn(t.app, nadia);
      const amy = (await t.app.services.users.findByEmail('amy@example.org'))!;
      expect(amy).not.toBeNull();
      const res = await postForm(
        agent,
        '/structures/roubaix/membres',
        '/structures/roubaix/invitations',
        { emails: 'amy@example.org' },
      );
      expect(res.status).toBe(303);
      expect(decoded((await agent.get('/structures/roubaix/membres')).text)).toContain(
        "Déjà membre, pas d'invitation envoyée : amy@example.org.",
      );
    });
  });

  describe('roles (owners)', () => {
    it('When an owner changes a role or removes someone, then it applies at once; the last owner stays', async () => {
      await createIssuer(t.app, 'centre-social', 'Centre social');
      const owner = await createPerson(
        t.app,
        { email: 'seule-responsable@example.org' },
        { 'centre-social': 'owner' },
      );
      const mediator = await createPerson(
        t.app,
        { email: 'leila@example.org', name: 'Leïla' },
        { 'centre-social': 'member' },
      );
      const ownerAgent = await signIn(t.app, owner);
      const mediatorAgent = await signIn(t.app, mediator);
      expect((await mediatorAgent.get('/structures/centre-social/membres')).status).toBe(403);

      const promote = await postForm(
        ownerAgent,
        '/structures/centre-social/membres',
        `/structures/centre-social/membres/${mediator.id}/role`,
        {
          role: 'coordinator',
        },
      );
      expect(promote.status).toBe(303);
      // The same session now has the new role: roles are read at every request.
      expect((await mediatorAgent.get('/structures/centre-social/membres')).status).toBe(200);

      const demoteSelf = await postForm(
        ownerAgent,
        '/structures/centre-social/membres',
        `/structures/centre-social/membres/${owner.id}/role`,
        {
          role: 'member',
        },
      );
      expect(demoteSelf.status).toBe(422);
      expect(decoded(demoteSelf.text)).toContain(
        'La structure doit garder au moins une personne responsable.',
      );

      const removed = await postForm(
        ownerAgent,
        '/structures/centre-social/membres',
        `/structures/centre-social/membres/${mediator.id}/retirer`,
        {},
      );
      expect(removed.status).toBe(303);
      expect((await mediatorAgent.get('/structures/centre-social/membres')).status).toBe(403);
      const twice = await postForm(
        ownerAgent,
        '/structures/centre-social/membres',
        `/structures/centre-social/membres/${mediator.id}/retirer`,
        {},
      );
      expect(twice.status).toBe(303);
      expect(decoded((await ownerAgent.get('/structures/centre-social/membres')).text)).toContain(
        'Cette personne ne faisait déjà plus partie de la structure.',
      );
    });
  });
});
