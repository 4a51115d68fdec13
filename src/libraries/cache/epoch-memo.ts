/**
 * Answers kept under the number they were read at (a change epoch): an answer is served again
 * only while that number stands, within a time to live; least recently used go first. The
 * caller takes the number BEFORE reading, so an answer read while a change lands is kept under
 * the old number and never served again. Only answers `keep` accepts are kept (e.g. not "not
 * found", when creating something does not change the number).
 */
export interface EpochMemo {
  remember<T>(
    epoch: number,
    key: string,
    read: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T>;
  readonly size: number;
  clear(): void;
}

export function createEpochMemo(options: {
  maxEntries: number;
  ttlMs: number;
  /** Milliseconds clock. */
  now: () => number;
}): EpochMemo {
  const { maxEntries, ttlMs, now } = options;
  const entries = new Map<string, { epoch: number; storedAt: number; value: unknown }>();
  return {
    async remember<T>(
      epoch: number,
      key: string,
      read: () => Promise<T>,
      keep: (value: T) => boolean,
    ): Promise<T> {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        if (hit.epoch === epoch && now() - hit.storedAt < ttlMs) {
          entries.set(key, hit); // most recently used last
          return hit.value as T;
        }
      }
      const value = await read();
      if (keep(value)) {
        entries.delete(key); // another read of the same key may have landed meanwhile
        entries.set(key, { epoch, storedAt: now(), value });
        while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      }
      return value;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
