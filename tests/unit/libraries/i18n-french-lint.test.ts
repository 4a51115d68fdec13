import fs from 'node:fs';
import path from 'node:path';
import { localesDir } from '../../../src/libraries/paths.js';
import { translator } from '../../../src/libraries/i18n/i18n.js';
import { handBuiltFrench, visibleText } from '../../helpers/html.js';

function entries(obj: unknown, prefix = ''): [string, string][] {
  if (typeof obj === 'string') return [[prefix, obj]];
  if (typeof obj !== 'object' || obj === null) return [];
  return Object.entries(obj).flatMap(([k, v]) => entries(v, prefix ? `${prefix}.${k}` : k));
}

const fr = entries(JSON.parse(fs.readFileSync(path.join(localesDir, 'fr.json'), 'utf8')));
const en = entries(JSON.parse(fs.readFileSync(path.join(localesDir, 'en.json'), 'utf8')));

describe('French catalogue', () => {
  it('When a French message is read, then it never hedges a plural with "(s)" nor says "de le", "à les"', () => {
    const found = fr.flatMap(([k, v]) => handBuiltFrench(v).map((bit) => `${k}: ${bit}`));
    expect(found).toEqual([]);
  });

  it('When an English message is read, then it never hedges a plural with "(s)" either', () => {
    expect(en.filter(([, v]) => v.includes('(s)')).map(([k]) => k)).toEqual([]);
  });

  it('When a French message counts something, then it is a plural key, not "{{n}} nouns"', () => {
    // A number right before a plural noun, in a key without _one/_other, reads "1 domaines" for
    // one. Limits ({{max}}, {{min}}…) are settings, never 1, and say "au plus"/"au moins".
    const counted = /\{\{\s*(?!max\b|min\b|length\b|size\b|\w*[nN]ame\b)\w+\s*\}\} \p{L}+[sx]\b/u;
    const handMade = fr
      .filter(([k, v]) => !/_(zero|one|other|many)$/.test(k) && counted.test(v))
      .map(([k, v]) => `${k}: ${v}`);
    expect(handMade).toEqual([]);
  });
});

describe('French counts as read', () => {
  const t = translator('fr');
  it('When a framework has one competency in one domain, then both are singular', () => {
    expect(t('frameworks.list.counts', { count: 1, domains: 1 })).toBe(
      '1 compétence répartie en 1 domaine',
    );
    expect(t('frameworks.list.counts', { count: 12, domains: 3 })).toBe(
      '12 compétences réparties en 3 domaines',
    );
  });
  it('When nothing is missing on one side, then French says "0 recommandation" (0 is singular)', () => {
    expect(t('requests.errors.quorumMissing', { coordinators: 1, peers: 0 })).toBe(
      'Il manque encore 1 recommandation de la coordination et 0 recommandation de pairs.',
    );
    expect(t('dashboard.quorumValue', { coordinators: 2, peers: 1 })).toBe(
      '2 recommandations de la coordination, 1 recommandation de pairs',
    );
  });
  it('When a link lasts one hour or a lock one minute, then the unit is singular', () => {
    expect(t('emails.password-reset.validity', { hours: 1 })).toBe(
      "Ce lien est valable 1 heure et ne fonctionne qu'une fois.",
    );
    expect(t('accounts.signIn.locked', { minutes: 1 })).toContain('attendez 1 minute avant');
    expect(t('accounts.signIn.locked', { minutes: 15 })).toContain('attendez 15 minutes avant');
  });
});

describe('the rendered-French check', () => {
  it('When a page says "de le" or "(s)", then it is caught; "du" and "des" are not', () => {
    const page =
      '<p>Le format de le document</p><p>2 recommandation(s)</p><p>à les personnes</p>' +
      '<p>Le format du document, des badges, aux personnes ; <b>de l</b>’image</p>';
    expect(handBuiltFrench(visibleText(page, { blocks: true }))).toHaveLength(3);
    // Two table cells side by side are not one sentence.
    const table = '<table><tr><th>Délivré à</th><th>Le</th></tr></table>';
    expect(handBuiltFrench(visibleText(table, { blocks: true }))).toEqual([]);
  });
});
