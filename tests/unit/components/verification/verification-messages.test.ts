import fs from 'node:fs';
import path from 'node:path';
import { OB3_VERIFICATION_MESSAGES, Ob2Message } from '../../../../src/core/index.js';
import { COMPONENT_STEP_MESSAGES } from '../../../../src/components/verification/verification-messages.js';
import { localesDir } from '../../../../src/libraries/paths.js';

/**
 * Every sentence key a verification report can carry — the OB 2.0 verifier's, the OB 3.0
 * verifier's and this component's own — has a plain French and English sentence.
 */
describe('verification sentences', () => {
  const catalogues = Object.fromEntries(
    ['fr', 'en'].map((lang) => [
      lang,
      JSON.parse(fs.readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')) as Record<
        string,
        unknown
      >,
    ]),
  );
  const lookup = (lang: string, key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalogues[lang]);

  const keys = [
    ...new Set([
      ...Object.values(Ob2Message),
      ...OB3_VERIFICATION_MESSAGES,
      ...COMPONENT_STEP_MESSAGES,
    ]),
  ].sort();

  it('When the verifiers are read, then they can emit more than 80 distinct sentence keys', () => {
    expect(keys.length).toBeGreaterThan(80);
  });

  it.each(['fr', 'en'])(
    'When a report is shown in %s, then every key either verifier can emit has a sentence',
    (lang) => {
      const missing = keys.filter((k) => typeof lookup(lang, k) !== 'string');
      expect(missing).toEqual([]);
    },
  );

  it('When the French sentences are read, then the main lines hold no jargon', () => {
    const jargon =
      /\b(JWS|JWT|hash|hachage|JSON-LD|JSON|RS256|DID|multikey|bitstring|assertion)\b/i;
    const sections = ['steps', 'fetch', 'input', 'refused', 'result', 'form', 'badge', 'verdict'];
    const flagged: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (typeof value === 'string') {
        if (jargon.test(value)) flagged.push(`${at}: ${value}`);
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`);
      }
    };
    const verify = (catalogues.fr as { verify: Record<string, unknown> }).verify;
    for (const section of sections) walk(verify[section], `verify.${section}`);
    // The text field's hint names what the pasted text looks like: « { » or « eyJ ».
    expect(flagged).toEqual([]);
  });

  it('When the French sentences are read, then they use non-breaking spaces before « : ; ? ! »', () => {
    const verify = JSON.stringify((catalogues.fr as { verify: unknown }).verify);
    expect(verify).not.toMatch(/ [:;?!]/);
  });
});
