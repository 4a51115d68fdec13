/**
 * Two instances of the app on one database, as two processes of one site, and a log of the
 * reads some collections receive: for the caches kept while the change epoch stands, which
 * must read nothing once warm and see a change made by the other instance.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { createTestApp, type TestApp } from './test-app.js';

export async function twoInstances(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; other: TestApp }> {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  const t = await createTestApp({ dbName, env });
  // Same data directory: the same key-encryption secret, as two processes of one site.
  const other = await createTestApp({ dbName, env: { ...env, DATA_DIR: t.dataDir } });
  return { t, other };
}

/**
 * Records each read of `collections` as `collection.method` until `stop()`. The change epoch's
 * own look (counts, the last issuer edit; at most once a second) is not a read of a record.
 */
export function recordReads(collections: ReadonlySet<string>): {
  reads: string[];
  stop(): void;
} {
  const reads: string[] = [];
  mongoose.set('debug', (collection: string, method: string, query: unknown) => {
    const epochLook =
      method === 'estimatedDocumentCount' ||
      JSON.stringify(query) === '{"updatedAt":{"$exists":true}}';
    if (collections.has(collection) && !epochLook) reads.push(`${collection}.${method}`);
  });
  return { reads, stop: () => mongoose.set('debug', false) };
}
