import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import fc from 'fast-check';
import {
  buildBitstringStatusListEntry,
  buildOpenBadgeCredential,
  createCanonizeTemplates,
  createDocumentLoader,
  isAwardVariable,
} from '../../../../src/core/index.js';
import { awardInput } from './fixture-support.js';

const documentLoader = createDocumentLoader();
const options = () => ({ documentLoader, base: null, safe: true });
const jsonldCanonize = (doc: unknown) => eddsaRdfc2022.canonize(doc, options());
/** The canonical form, or the error's message: both paths must agree on either. */
const outcome = (p: Promise<string>) => p.catch((e: Error) => `error: ${e.message}`);

const url = fc
  .tuple(fc.constantFrom('https', 'http'), fc.stringMatching(/^[a-z0-9.\-/_~%?=&#]{0,30}$/))
  .map(([scheme, rest]) => `${scheme}://exemple.org/${rest}`);
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

const award = fc.record({
  id: fc.oneof(
    url,
    fc.uuid().map((u) => `urn:uuid:${u}`),
  ),
  email: fc.emailAddress(),
  salt: fc.stringMatching(/^[A-Za-z0-9+/]{1,16}$/),
  narrative: fc.option(text, { nil: undefined }),
  evidence: fc.array(fc.record({ url, narrative: text, name: text }, { requiredKeys: [] }), {
    maxLength: 3,
  }),
  index: fc.nat(131071),
  validFrom: fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  }),
  validDays: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }),
});

function credentialOf(a: AwardValues) {
  const c = buildOpenBadgeCredential({
    ...awardInput,
    id: a.id,
    recipient: { email: a.email, salt: a.salt },
    validFrom: a.validFrom,
    ...(a.validDays
      ? { validUntil: new Date(a.validFrom.getTime() + a.validDays * 86_400_000) }
      : {}),
    evidence: a.evidence.map((e) => ({
      ...(e.url ? { id: e.url } : {}),
      ...(e.narrative ? { narrative: e.narrative } : {}),
      ...(e.name ? { name: e.name } : {}),
    })),
    credentialStatus: buildBitstringStatusListEntry({
      statusListCredential: 'https://badges.example/status/1',
      statusListIndex: a.index,
    }),
  });
  if (a.narrative) c.credentialSubject.narrative = a.narrative;
  return c;
}

type AwardValues = typeof award extends fc.Arbitrary<infer T> ? T : never;

describe('canonical forms shared by credentials of one template', () => {
  it('When many credentials of one badge are canonicalised through templates, then each canonical form is exactly jsonld’s', async () => {
    const canonize = createCanonizeTemplates(isAwardVariable);
    await fc.assert(
      fc.asyncProperty(award, async (a) => {
        const credential = credentialOf(a);
        expect(await canonize(credential, options())).toBe(await jsonldCanonize(credential));
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('When two evidence items share one address, or a value is not a plain address, then the result is still jsonld’s', async () => {
    const canonize = createCanonizeTemplates(isAwardVariable);
    const base = {
      id: 'urn:uuid:6e1b1c0e-1d1f-4c51-9a55-1f0b1d6b2a11',
      email: 'a@exemple.org',
      salt: 'sel',
      narrative: 'Atelier « démarches » — fait',
      index: 3,
      validFrom: new Date('2026-03-01T10:00:00Z'),
      validDays: undefined,
    };
    for (const evidence of [
      [{ url: 'https://exemple.org/a' }, { url: 'https://exemple.org/a', name: 'deux' }],
      [{ url: 'https://exemple.org/a b' }],
      [{ url: 'https://badges.example/credentials/c1' }],
    ]) {
      const credential = credentialOf({ ...base, evidence });
      expect(await outcome(canonize(credential, options()))).toBe(
        await outcome(jsonldCanonize(credential)),
      );
    }
  }, 60_000);
});
