/**
 * The French of the myData and legal namespaces follows French typography: a non-breaking
 * space (U+00A0) before « : ; ? ! » and inside guillemets, never a plain space or none. The
 * English catalogue has the same keys.
 */
import fs from 'node:fs';
import path from 'node:path';

const read = (lang: string) =>
  JSON.parse(
    fs.readFileSync(path.join(process.cwd(), 'locales', `${lang}.json`), 'utf8'),
  ) as Record<string, unknown>;

function strings(value: unknown, at = ''): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  }
  return [];
}

const fr = read('fr');
const en = read('en');
const namespaces = ['myData', 'legal'];
const frStrings = namespaces.flatMap((ns) => strings(fr[ns], ns));

describe('myData and legal locales', () => {
  it('When a French string has « : ; ? ! », then a non-breaking space comes before it', () => {
    // URLs aside, every sign follows a non-breaking space, and « is followed by one.
    const wrong = frStrings.filter(([, s]) => {
      const text = s.replace(/https?:\/\/\S+/g, '').replace(/\$t\([^)]*\)/g, 'X');
      return /(^|[^\u00a0])[:;?!»]/.test(text) || /«(?!\u00a0)/.test(text);
    });
    expect(wrong).toEqual([]);
    expect(frStrings.some(([, s]) => s.includes('\u00a0:'))).toBe(true);
  });

  it('When a key exists in French, then it exists in English (plurals _one/_other included)', () => {
    const enKeys = new Set(namespaces.flatMap((ns) => strings(en[ns], ns)).map(([k]) => k));
    expect(frStrings.map(([k]) => k).filter((k) => !enKeys.has(k))).toEqual([]);
    expect(frStrings.some(([k]) => k.endsWith('_one'))).toBe(true);
    expect(frStrings.some(([, s]) => /\(s\)/.test(s))).toBe(false);
  });
});
