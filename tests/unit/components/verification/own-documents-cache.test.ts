import { createOwnDocumentsCache } from '../../../../src/components/verification/own-documents-cache.js';
import type { FetchResult } from '../../../../src/core/verification/fetcher.js';

const BASE = 'https://badges.example.org';

/** Our documents as the internal fetcher answers them; `table` can change between calls. */
function source(table: Record<string, { status: number; body: string }>) {
  const asked: string[] = [];
  const fetch = async (url: string): Promise<FetchResult> => {
    asked.push(url);
    const found = table[url.split('#', 1)[0]!] ?? { status: 404, body: '{}' };
    return {
      url: url.split('#', 1)[0]!,
      status: found.status,
      contentType: 'application/ld+json',
      body: new TextEncoder().encode(found.body),
    };
  };
  return { fetch, asked };
}
const text = (r: FetchResult) => new TextDecoder().decode(r.body);

describe('our own documents kept in memory', () => {
  it('When a document is asked again under the same epoch, then it is served from memory', async () => {
    const s = source({ [`${BASE}/emetteurs/a`]: { status: 200, body: '{"name":"A"}' } });
    const cache = createOwnDocumentsCache({ documents: s.fetch });
    expect(text(await cache.fetcherFor(1)(`${BASE}/emetteurs/a`))).toBe('{"name":"A"}');
    expect(text(await cache.fetcherFor(1)(`${BASE}/emetteurs/a`))).toBe('{"name":"A"}');
    expect(s.asked).toEqual([`${BASE}/emetteurs/a`]);
  });

  it('When the epoch changed (revocation, key, profile), then the document is read again', async () => {
    const table = { [`${BASE}/emetteurs/a/revocations`]: { status: 200, body: '[]' } };
    const s = source(table);
    const cache = createOwnDocumentsCache({ documents: s.fetch });
    await cache.fetcherFor(1)(`${BASE}/emetteurs/a/revocations`);
    table[`${BASE}/emetteurs/a/revocations`] = { status: 200, body: '["x"]' };
    expect(text(await cache.fetcherFor(2)(`${BASE}/emetteurs/a/revocations`))).toBe('["x"]');
    // An entry stored under the newer epoch is not served to a run that started before it.
    expect(text(await cache.fetcherFor(1)(`${BASE}/emetteurs/a/revocations`))).toBe('["x"]');
    expect(s.asked).toHaveLength(3);
  });

  it('When another URL is asked (another issuer, a look-alike, a fragment), then it never gets a kept document', async () => {
    const s = source({
      [`${BASE}/emetteurs/a`]: { status: 200, body: '{"name":"A"}' },
      [`${BASE}/emetteurs/b`]: { status: 200, body: '{"name":"B"}' },
    });
    const cache = createOwnDocumentsCache({ documents: s.fetch });
    const f = cache.fetcherFor(1);
    await f(`${BASE}/emetteurs/a`);
    expect(text(await f(`${BASE}/emetteurs/b`))).toBe('{"name":"B"}');
    expect(text(await f(`${BASE}/emetteurs/A`))).toBe('{}');
    expect(text(await f(`${BASE}/emetteurs/a/`))).toBe('{}');
    expect((await f(`${BASE}/emetteurs/a/`)).status).toBe(404);
    expect(s.asked).toEqual([
      `${BASE}/emetteurs/a`,
      `${BASE}/emetteurs/b`,
      `${BASE}/emetteurs/A`,
      `${BASE}/emetteurs/a/`,
      `${BASE}/emetteurs/a/`,
    ]);
  });

  it('When a document is missing (404) or gone (410), then the answer is not kept: a badge issued later is found', async () => {
    const table: Record<string, { status: number; body: string }> = {
      [`${BASE}/assertions/r`]: { status: 410, body: '{"revoked":true}' },
    };
    const s = source(table);
    const cache = createOwnDocumentsCache({ documents: s.fetch });
    const f = cache.fetcherFor(1);
    expect((await f(`${BASE}/badges/new`)).status).toBe(404);
    table[`${BASE}/badges/new`] = { status: 200, body: '{"name":"New"}' };
    expect((await f(`${BASE}/badges/new`)).status).toBe(200);
    await f(`${BASE}/assertions/r`);
    await f(`${BASE}/assertions/r`);
    expect(s.asked.filter((u) => u.endsWith('/assertions/r'))).toHaveLength(2);
  });

  it('When a caller alters the bytes it was given, then the next caller still gets the document as read', async () => {
    const s = source({ [`${BASE}/emetteurs/a/cles/k`]: { status: 200, body: '{"key":"K"}' } });
    const cache = createOwnDocumentsCache({ documents: s.fetch });
    const first = await cache.fetcherFor(1)(`${BASE}/emetteurs/a/cles/k`);
    first.body.fill(0x41);
    const again = await cache.fetcherFor(1)(`${BASE}/emetteurs/a/cles/k`);
    again.body.fill(0x42);
    expect(text(await cache.fetcherFor(1)(`${BASE}/emetteurs/a/cles/k`))).toBe('{"key":"K"}');
  });

  it('When more documents than the bounds are read, then the least recently used go first, by count and by bytes', async () => {
    const table: Record<string, { status: number; body: string }> = {};
    for (let i = 0; i < 10; i++)
      table[`${BASE}/badges/${i}`] = { status: 200, body: 'x'.repeat(100) };
    const s = source(table);
    const cache = createOwnDocumentsCache({ documents: s.fetch, maxEntries: 3 });
    const f = cache.fetcherFor(1);
    for (const i of [0, 1, 2, 0, 3]) await f(`${BASE}/badges/${i}`);
    expect(cache.size).toBe(3);
    s.asked.length = 0;
    for (const i of [0, 2, 3, 1]) await f(`${BASE}/badges/${i}`);
    expect(s.asked).toEqual([`${BASE}/badges/1`]);

    const small = createOwnDocumentsCache({ documents: s.fetch, maxBytes: 3200 });
    for (let i = 0; i < 10; i++) await small.fetcherFor(1)(`${BASE}/badges/${i}`);
    expect(small.bytes).toBeLessThanOrEqual(3200);
    expect(small.size).toBeLessThan(10);
  });

  it('When the time to live has passed, then the document is read again even if nothing changed', async () => {
    let now = 0;
    const s = source({ [`${BASE}/emetteurs/a`]: { status: 200, body: '{}' } });
    const cache = createOwnDocumentsCache({ documents: s.fetch, ttlMs: 1000, now: () => now });
    await cache.fetcherFor(1)(`${BASE}/emetteurs/a`);
    now = 1000;
    await cache.fetcherFor(1)(`${BASE}/emetteurs/a`);
    expect(s.asked).toHaveLength(2);
  });

  it('When an answer about our records is remembered, then only the kept kind is reused, under its epoch', async () => {
    const cache = createOwnDocumentsCache({ documents: source({}).fetch });
    let reads = 0;
    const known = async () => (reads++, reads > 1);
    expect(await cache.remember(1, 'issuer\na', known, (v) => v)).toBe(false);
    expect(await cache.remember(1, 'issuer\na', known, (v) => v)).toBe(true);
    expect(await cache.remember(1, 'issuer\na', known, (v) => v)).toBe(true);
    expect(reads).toBe(2);
    expect(await cache.remember(2, 'issuer\na', known, (v) => v)).toBe(true);
    expect(reads).toBe(3);
  });
});
