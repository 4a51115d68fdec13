import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../../../src/libraries/paths.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const ROUBAIX = {
  BRAND_NAME: 'Badges numériques de Roubaix',
  BRAND_LOGO_FILE: 'favicon.svg',
  BRAND_PRIMARY_COLOR: '#A8001E',
  BRAND_ON_PRIMARY_COLOR: '#ffffff',
  BRAND_LINK_COLOR: '#1b1b1f',
  BRAND_FOOTER_LINKS:
    'Ville de Roubaix|https://www.ville-roubaix.fr;Contact|https://www.ville-roubaix.fr/contact',
};

/** `npm start` with these settings: its exit code and everything it printed. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-brand-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/server.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    }),
  );
}

describe('branding as configuration', () => {
  it('When the link colour fails AA on white, then `npm start` refuses to start and says why', async () => {
    const { code, output } = await start({ BRAND_LINK_COLOR: '#777', PORT: '0' });
    expect(code).toBe(78);
    expect(output.trim()).toBe(
      'Invalid configuration: BRAND_LINK_COLOR #777777 on white (#ffffff) has a contrast of 4.47:1, below the 4.5:1 WCAG 2.1 AA requires for links on the page: choose a darker link colour',
    );
  }, 30_000);

  describe('with the neutral defaults', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('When a page is opened, then it says "Coop Badges" and loads the default palette', async () => {
      const home = await request(t.app).get('/');
      expect(home.text).toMatch(/<title>[^<]* – Coop Badges<\/title>/);
      expect(home.text).toContain('<link rel="stylesheet" href="/static/brand.css">');
      expect(home.text).not.toContain('site-header__logo');
      const css = await request(t.app).get('/static/brand.css');
      expect(css.status).toBe(200);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(css.text).toContain('--brand: #1f4e8c;');
      expect(css.text).toContain('--on-brand: #ffffff;');
      expect(css.text).toContain('--link: #1f4e8c;');
    });
  });

  describe('with the Roubaix settings', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: ROUBAIX });
    });
    afterAll(() => t.close());

    it('When a visitor opens pages, then the city name, logo and footer links are there, with no inline style', async () => {
      for (const url of ['/', '/verifier', '/connexion', '/page-qui-n-existe-pas']) {
        const res = await request(t.app).get(url);
        expect(res.text).toMatch(/<title>[^<]* – Badges numériques de Roubaix<\/title>/);
        expect(res.text).toContain(
          '<img class="site-header__logo" src="/static/favicon.svg" alt=""><span class="site-header__text"><span class="site-header__name">Badges numériques de Roubaix</span>',
        );
        expect(res.text).toContain('<a href="https://www.ville-roubaix.fr">Ville de Roubaix</a>');
        expect(res.text).toContain('<a href="https://www.ville-roubaix.fr/contact">Contact</a>');
        expect(res.text).not.toMatch(/\sstyle=/);
      }
    });

    it('When the stylesheet is asked for, then it holds the city colours and answers 304 to its ETag', async () => {
      const css = await request(t.app).get('/static/brand.css');
      expect(css.text).toContain('--brand: #a8001e;');
      expect(css.text).toContain('--link: #1b1b1f;');
      // The hover shade goes away from white text: darker than the red.
      expect(css.text).toMatch(/--brand-dark: #7e0017;/);
      const etag = css.headers.etag!;
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      const again = await request(t.app).get('/static/brand.css').set('If-None-Match', etag);
      expect(again.status).toBe(304);
      // The main stylesheet reads the palette from those properties.
      const site = await request(t.app).get('/static/css/site.css');
      expect(site.text).toMatch(/background: ?var\(--brand\)[;}]/);
      expect(site.text).toMatch(/color: ?var\(--link\)[;}]/);
      expect(site.text).toMatch(/color: ?var\(--on-brand\)[;}]/);
    });
  });
});
