/**
 * Sharing one award from its page: the link to copy, LinkedIn's "Add to profile" (only for a
 * badge that verifies), the QR codes, the downloads and the printable attestation (page + PDF).
 */
import request from 'supertest';
import { awardModel, type AwardDoc } from '../../../../src/components/awards/award.model.js';
import { issuerModel } from '../../../../src/components/issuers/issuer.model.js';
import { shortCredentialId } from '../../../../src/core/index.js';
import { createPerson, postForm, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { decodeQrPng } from '../../../helpers/qr.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const HTML = 'text/html';
const ISSUER = 'ville-de-roubaix';

/** Buffers a binary response (supertest only buffers text and JSON by itself). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const linkedInHref = (html: string) =>
  /href="(https:\/\/www\.linkedin\.com\/profile\/add\?[^"]+)"/.exec(decoded(html))?.[1];

describe('sharing an award', () => {
  let t: TestApp;
  let award: AwardDoc;
  let revoked: AwardDoc;
  let expired: AwardDoc;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    base = t.config.PUBLIC_URL.replace(/\/+$/, '');
    const badge = await issuerWithBadge(t.app, ISSUER);
    award = await issueTo(t.app, badge);
    revoked = await issueTo(t.app, badge, { recipientEmail: 'erreur@example.org' });
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      awardId: revoked._id,
      reason: 'Délivré par erreur',
    });
    expired = await issueTo(t.app, badge, { recipientEmail: 'ancien@example.org' });
    await awardModel(t.db).updateOne(
      { _id: expired._id },
      { $set: { expires: new Date('2020-06-30T10:00:00Z') } },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const page = (id: string) => request(t.app).get(`/assertions/${id}`).set('Accept', HTML);

  it('When anyone opens a valid award, then "Partager" offers the link, LinkedIn, the QR code and the attestation', async () => {
    const res = await page(award._id);
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain('<h2 id="partager">Partager ce badge</h2>');
    // The link to copy: a labelled, read-only field that works without JavaScript.
    expect(html).toContain('<label for="share-link">Adresse de ce badge</label>');
    expect(html).toMatch(
      new RegExp(`<input id="share-link"[^>]* value="${base}/assertions/${award._id}" readonly`),
    );
    expect(html).toContain(`src="${base}/assertions/${award._id}/qr.svg"`);
    expect(html).toContain(`href="${base}/assertions/${award._id}/qr.png" download=`);
    expect(html).toContain(`href="${base}/assertions/${award._id}/attestation"`);
    expect(html).toContain(`href="${base}/assertions/${award._id}/attestation.pdf" download=`);

    const href = linkedInHref(res.text);
    expect(href).toBeDefined();
    const p = new URL(href!).searchParams;
    expect(p.get('startTask')).toBe('CERTIFICATION_NAME');
    expect(p.get('name')).toBe('Accompagner une démarche en ligne');
    expect(p.get('organizationName')).toBe(
      'Ville de Roubaix — Coopérative des médiateurs numériques',
    );
    const paris = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: 'numeric',
    }).formatToParts(award.issuedOn);
    expect(p.get('issueYear')).toBe(paris.find((x) => x.type === 'year')!.value);
    expect(p.get('issueMonth')).toBe(paris.find((x) => x.type === 'month')!.value);
    expect(Number(p.get('issueMonth'))).toBeGreaterThanOrEqual(1);
    expect(p.get('certUrl')).toBe(`${base}/assertions/${award._id}`);
    expect(p.get('certId')).toBe(shortCredentialId(award._id));
    expect(p.get('certId')).not.toMatch(/urn:uuid/);
    expect(html).toContain(`Numéro du badge\u00a0: ${shortCredentialId(award._id)}`);
  });

  it('When the award is revoked, then the page offers neither LinkedIn nor any sharing', async () => {
    const res = await page(revoked._id);
    expect(res.status).toBe(410);
    expect(res.text).not.toContain('linkedin.com');
    expect(res.text).not.toContain('id="partager"');
    const attestation = await request(t.app)
      .get(`/assertions/${revoked._id}/attestation`)
      .set('Accept', HTML);
    expect(attestation.status).toBe(410);
    expect(decoded(attestation.text)).toContain('Ce badge a été révoqué.');
    expect(attestation.text).not.toContain('qr.svg');
    const pdf = await request(t.app).get(`/assertions/${revoked._id}/attestation.pdf`);
    expect(pdf.status).toBe(410);
  });

  it('When the award has expired, then LinkedIn is not offered and the page says why', async () => {
    const res = await page(expired._id);
    expect(res.text).toContain('id="partager"');
    expect(linkedInHref(res.text)).toBeUndefined();
    expect(decoded(res.text)).toContain(
      'Ce badge a expiré\u00a0: il ne peut plus être ajouté à LinkedIn.',
    );
  });

  it('When the QR codes are fetched, then PNG and SVG come with their types and the PNG decodes to the award page', async () => {
    const png = await request(t.app)
      .get(`/assertions/${award._id}/qr.png`)
      .buffer(true)
      .parse(binary);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(decodeQrPng(png.body as Buffer)).toBe(`${base}/assertions/${award._id}`);

    const svg = await request(t.app).get(`/assertions/${award._id}/qr.svg`).buffer(true);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['content-security-policy']).toContain('sandbox');
    expect(String(svg.text ?? (svg.body as Buffer).toString())).toMatch(/^<svg[^>]*viewBox/);

    const missing = await request(t.app).get('/assertions/nexistepasdutout/qr.png');
    expect(missing.status).toBe(404);
  });

  it('When the downloads are listed, then each format has a plain label, a download attribute and one line of explanation', async () => {
    const html = decoded((await page(award._id)).text);
    const files: [string, string][] = [
      ['badge.png', 'Image du badge (PNG)'],
      ['badge.svg', 'Image du badge (SVG)'],
      ['badge-signe.png', 'Image signée (PNG)'],
      ['credential.png', 'Image Open Badges 3.0 (PNG, format JWT)'],
      ['credential-json.svg', 'Image Open Badges 3.0 (SVG, format JSON)'],
      ['credential', 'Attestation Open Badges 3.0 (fichier JSON)'],
      ['credential.jwt', 'Attestation Open Badges 3.0 (fichier VC-JWT)'],
    ];
    for (const [path, label] of files) {
      const file = path === 'credential' ? 'credential.json' : path;
      expect(html).toContain(
        `<a href="${base}/assertions/${award._id}/${path}" download="${file}">${label}</a><br><span class="hint">`,
      );
    }
    expect(html).toContain('Image carrée de 512 pixels qui contient le badge.');
  });

  it('When the attestation is opened, then it says in short French sentences what, who, when and until when', async () => {
    const res = await request(t.app)
      .get(`/assertions/${award._id}/attestation`)
      .set('Accept', HTML);
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain('<h1>Accompagner une démarche en ligne</h1>');
    expect(html).toContain(
      'Ce badge reconnaît une compétence\u00a0: Accompagne une personne dans une démarche administrative en ligne.',
    );
    expect(html).toContain(
      'Cette compétence a été reconnue par Ville de Roubaix — Coopérative des médiateurs numériques.',
    );
    expect(html).toMatch(/Le badge a été délivré le \d{1,2}(er)? [a-zéû]+ \d{4}\./);
    expect(html).toContain('Il est valable sans limite de durée.');
    expect(html).toContain(`src="${base}/assertions/${award._id}/qr.svg"`);
    expect(html).toContain('href="/static/css/attestation.css"');
    expect(html).not.toMatch(/<script/i);
  });

  it('When the attestation PDF is downloaded, then it is a one-page A4 PDF with the badge and the QR code', async () => {
    const res = await request(t.app)
      .get(`/assertions/${award._id}/attestation.pdf`)
      .buffer(true)
      .parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="attestation-${shortCredentialId(award._id)}.pdf"`,
    );
    const pdf = (res.body as Buffer).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)).toHaveLength(1);
    // A4 in points; two images (badge and QR code).
    expect(pdf).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    expect(pdf.match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
  });

  describe('the issuer’s LinkedIn company id', () => {
    it('When an administrator types letters, then the form says digits only; digits are kept and used by LinkedIn', async () => {
      const admin = await createPerson(t.app, {
        email: 'admin@example.org',
        name: 'Admin',
        isAdmin: true,
      });
      const agent = await signIn(t.app, admin);
      const form = decoded((await agent.get('/admin/structures/nouvelle')).text);
      expect(form).toContain(
        '<label for="linkedinOrganizationId">Numéro de la page entreprise LinkedIn (facultatif)</label>',
      );
      const values = {
        name: 'Centre social l’Épeule & Co',
        url: 'https://epeule.example.org',
        email: 'contact@epeule.example.org',
        ownerEmail: 'admin@example.org',
      };
      const bad = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        ...values,
        linkedinOrganizationId: 'epeule-roubaix',
      });
      expect(bad.status).toBe(422);
      expect(decoded(bad.text)).toContain(
        'Saisissez seulement les chiffres du numéro de votre page LinkedIn, par exemple 1337.',
      );
      const ok = await postForm(agent, '/admin/structures/nouvelle', '/admin/structures', {
        ...values,
        linkedinOrganizationId: ' 12 345 ',
      });
      expect(ok.status).toBe(303);
      const stored = await issuerModel(t.db).findOne({ name: values.name }).lean();
      expect(stored?.linkedinOrganizationId).toBe('12345');

      const badge = await issuerWithBadge(t.app, stored!._id, { name: 'Créer & partager' });
      const mine = await issueTo(t.app, badge);
      const p = new URL(linkedInHref((await page(mine._id)).text)!).searchParams;
      expect(p.get('organizationId')).toBe('12345');
      expect(p.has('organizationName')).toBe(false);
      expect(p.get('name')).toBe('Créer & partager');
    });
  });

  it('When the French sharing sentences are read, then they use non-breaking spaces before « : ; ? ! »', async () => {
    const { readFile } = await import('node:fs/promises');
    const fr = JSON.parse(await readFile('locales/fr.json', 'utf8')) as { share: unknown };
    expect(JSON.stringify(fr.share)).not.toMatch(/ [:;?!»]|« /);
  });
});
