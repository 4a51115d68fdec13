import fs from 'node:fs';
import path from 'node:path';
import {
  chooseLanguage,
  languageFromAcceptHeader,
  translator,
} from '../../../src/libraries/i18n/i18n.js';
import { localesDir, viewsDir } from '../../../src/libraries/paths.js';

function flatKeys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => flatKeys(v, prefix ? `${prefix}.${k}` : k));
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('locales', () => {
  const fr = JSON.parse(fs.readFileSync(path.join(localesDir, 'fr.json'), 'utf8'));
  const en = JSON.parse(fs.readFileSync(path.join(localesDir, 'en.json'), 'utf8'));

  it('When a key exists in French, then it exists in English, and the other way round', () => {
    expect(flatKeys(en).sort()).toEqual(flatKeys(fr).sort());
  });

  it('When a view uses {{t "key"}}, then the key exists in the catalogue', () => {
    const keys = new Set(flatKeys(fr));
    const missing: string[] = [];
    for (const file of walk(viewsDir).filter((f) => f.endsWith('.hbs'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\{\{\{?t\s+"([^"]+)"/g)) {
        // A plural key is used by its base name: frameworks.list.counts → counts_one, counts_other.
        if (!keys.has(m[1]!) && !keys.has(`${m[1]}_other`))
          missing.push(`${path.relative(viewsDir, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('When a value is empty, then it is a mistake', () => {
    const empty = [fr, en].flatMap((cat) =>
      flatKeys(cat).filter(
        (k) =>
          k
            .split('.')
            .reduce((o: unknown, p) => (o as Record<string, unknown> | undefined)?.[p], cat) === '',
      ),
    );
    expect(empty).toEqual([]);
  });
});

describe('chooseLanguage', () => {
  it('When nothing is known, then French', () => {
    expect(chooseLanguage({})).toBe('fr');
  });
  it('When the browser prefers English, then English', () => {
    expect(chooseLanguage({ acceptLanguage: 'en-GB,en;q=0.9,fr;q=0.5' })).toBe('en');
  });
  it('When q-values rank French first, then French', () => {
    expect(languageFromAcceptHeader('de-DE, en;q=0.4, fr;q=0.8')).toBe('fr');
  });
  it('When the cookie says en and the header says fr, then the cookie wins', () => {
    expect(chooseLanguage({ cookie: 'en', acceptLanguage: 'fr' })).toBe('en');
  });
  it('When the user setting says fr, then it wins over the cookie and the header', () => {
    expect(chooseLanguage({ userSetting: 'fr', cookie: 'en', acceptLanguage: 'en' })).toBe('fr');
  });
  it('When an unknown language is asked for, then French', () => {
    expect(chooseLanguage({ query: 'xx', cookie: 'zz', acceptLanguage: 'de' })).toBe('fr');
  });
  it('When translating, then interpolation works in both languages', () => {
    expect(translator('fr')('errors.reference', { id: 'abc' })).toBe("Référence de l'erreur : abc");
    expect(translator('en')('errors.reference', { id: 'abc' })).toBe('Error reference: abc');
  });
});

describe('translator', () => {
  it('When a key is asked again, with or without options, then each answer is what i18next gives', () => {
    const fr = translator('fr');
    const en = translator('en');
    // Plain keys are remembered; asked twice, in either language, they stay right.
    for (let i = 0; i < 2; i++) {
      expect(fr('site.name')).toBe('Coop Badges');
      expect(fr('site.tagline', {})).toBe(
        'Badges numériques ouverts des médiateurs numériques de Roubaix',
      );
      expect(en('site.tagline')).not.toBe(fr('site.tagline'));
    }
    // Plurals and interpolation still go through i18next, call after call.
    expect(fr('phrases.peerRecs', { count: 1 })).toBe('1 recommandation de pairs');
    expect(fr('phrases.peerRecs', { count: 3 })).toBe('3 recommandations de pairs');
    expect(fr('phrases.peerRecs', { count: 1 })).toBe('1 recommandation de pairs');
    // An unknown key answers the key, as i18next does.
    expect(fr('nope.absent')).toBe('nope.absent');
  });
});
