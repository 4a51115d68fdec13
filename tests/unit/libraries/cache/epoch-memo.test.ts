import { createEpochMemo } from '../../../../src/libraries/cache/epoch-memo.js';

describe('answers kept under a change epoch', () => {
  let clock = 0;
  const memo = () => createEpochMemo({ maxEntries: 2, ttlMs: 1000, now: () => clock });
  const reader = () => {
    const reads: string[] = [];
    return { reads, read: (key: string) => async () => (reads.push(key), `${key}!`) };
  };

  it('When the same key is asked under the same epoch, then it is read once; under another epoch, again', async () => {
    const m = memo();
    const r = reader();
    expect(await m.remember(1, 'a', r.read('a'), () => true)).toBe('a!');
    expect(await m.remember(1, 'a', r.read('a'), () => true)).toBe('a!');
    expect(await m.remember(2, 'a', r.read('a'), () => true)).toBe('a!');
    expect(r.reads).toEqual(['a', 'a']);
  });

  it('When an answer is refused by keep, then it is read again every time', async () => {
    const m = memo();
    const r = reader();
    await m.remember(1, 'absent', r.read('absent'), () => false);
    await m.remember(1, 'absent', r.read('absent'), () => false);
    expect(r.reads).toEqual(['absent', 'absent']);
    expect(m.size).toBe(0);
  });

  it('When the bound or the time to live is reached, then the least recently used or expired answer is read again', async () => {
    const m = memo();
    const r = reader();
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b'])
      await m.remember(1, key, r.read(key), () => true);
    expect(r.reads).toEqual(['a', 'b', 'c', 'b']); // 'b', least recently used, left for 'c'
    clock += 1000;
    await m.remember(1, 'a', r.read('a'), () => true);
    expect(r.reads).toHaveLength(5);
  });
});
