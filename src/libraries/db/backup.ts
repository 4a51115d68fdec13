import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import mongoose, { type Connection } from 'mongoose';

/**
 * Backup archive of the whole database: every collection, every document in canonical
 * Extended JSON (types kept: dates, binaries, numbers), one gzip'd JSON line per document, then
 * a manifest line with each collection's count and SHA-256. Every piece of state the platform
 * needs to verify and go on issuing lives in the database (images, encrypted signing keys,
 * settings); only the master key stays outside, on purpose (it must never sit beside the
 * keys it protects), and the manifest carries a check value proving which one is needed.
 */
const EJSON = mongoose.mongo.BSON.EJSON;
export const BACKUP_FORMAT = 'coop-badges-backup';
export const BACKUP_VERSION = 1;

/** Collections never worth restoring: sign-in sessions die with the old server. */
const SKIPPED = new Set(['sessions']);

export interface CollectionDigest {
  name: string;
  count: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  collections: CollectionDigest[];
  /** The master key's check value: a known text encrypted with it (see `masterKeyCheck`). */
  masterKeyCheck?: unknown;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

type Line = { c: string; d: unknown } | { manifest: BackupManifest };

async function collectionNames(db: Connection): Promise<string[]> {
  const list = await db.db!.listCollections({}, { nameOnly: true }).toArray();
  return list
    .map((c) => c.name)
    .filter((n) => !SKIPPED.has(n) && !n.startsWith('system.'))
    .sort();
}

/** Each collection in `_id` order as canonical Extended JSON lines, with its count and hash. */
async function* documentLines(
  db: Connection,
  name: string,
  digest: CollectionDigest,
): AsyncGenerator<string> {
  const hash = createHash('sha256');
  for await (const doc of db.db!.collection(name).find({}).sort({ _id: 1 })) {
    const line = EJSON.stringify(doc, { relaxed: false });
    hash.update(line).update('\n');
    digest.count++;
    yield line;
  }
  digest.sha256 = hash.digest('hex');
}

/** Counts and hashes of the database as it is now (the same digest as an archive's). */
export async function digestDatabase(db: Connection): Promise<CollectionDigest[]> {
  const digests: CollectionDigest[] = [];
  for (const name of await collectionNames(db)) {
    const digest = { name, count: 0, sha256: '' };
    for await (const line of documentLines(db, name, digest)) void line;
    if (digest.count > 0) digests.push(digest);
  }
  return digests;
}

/**
 * Writes the archive to `file` (through a temporary file renamed at the end: never a half
 * archive under the final name). Neither FerretDB nor a single MongoDB node gives a snapshot
 * without transactions, so the counts are read before and after: if anything was written
 * meanwhile, the archive is refused and the operator told to retry or stop the server.
 */
export async function writeBackup(
  db: Connection,
  file: string,
  options: { now: Date; masterKeyCheck?: unknown },
): Promise<BackupManifest> {
  const before = await quickCounts(db);
  const collections: CollectionDigest[] = [];
  async function* lines(): AsyncGenerator<string> {
    for (const name of await collectionNames(db)) {
      const digest = { name, count: 0, sha256: '' };
      for await (const line of documentLines(db, name, digest)) {
        yield `{"c":${JSON.stringify(name)},"d":${line}}\n`;
      }
      if (digest.count > 0) collections.push(digest);
    }
  }
  const temp = `${file}.partial-${process.pid}`;
  try {
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(temp));
    const after = await quickCounts(db);
    if (before !== after) {
      throw new BackupError(
        'The database changed while it was being copied: run the backup again, or stop the server for the time of the backup.',
      );
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: options.now.toISOString(),
      collections,
      ...(options.masterKeyCheck ? { masterKeyCheck: options.masterKeyCheck } : {}),
    };
    // The manifest is a last gzip member: readers see one stream.
    fs.appendFileSync(temp, zlib.gzipSync(`${JSON.stringify({ manifest })}\n`));
    fs.renameSync(temp, file);
    return manifest;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

async function quickCounts(db: Connection): Promise<string> {
  const names = await collectionNames(db);
  const counts = await Promise.all(
    names.map(async (n) => `${n}=${await db.db!.collection(n).countDocuments({})}`),
  );
  return counts.join(',');
}

async function* readLines(file: string): AsyncGenerator<Line> {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  let n = 0;
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (!text) continue;
    try {
      yield JSON.parse(text) as Line;
    } catch {
      throw new BackupError(`Line ${n} of the archive is not JSON: the file is damaged.`);
    }
  }
}

/** Reads the whole archive once and checks every collection against the manifest. */
export async function checkBackup(file: string): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new BackupError(`No file ${file}.`);
  const found = new Map<string, { count: number; hash: ReturnType<typeof createHash> }>();
  let manifest: BackupManifest | undefined;
  try {
    for await (const line of readLines(file)) {
      if ('manifest' in line) {
        manifest = line.manifest;
        continue;
      }
      if (manifest) throw new BackupError('Documents follow the manifest: the file is damaged.');
      const entry = found.get(line.c) ?? { count: 0, hash: createHash('sha256') };
      entry.count++;
      entry.hash.update(JSON.stringify(line.d)).update('\n');
      found.set(line.c, entry);
    }
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`The archive cannot be read (${(e as Error).message}).`);
  }
  if (manifest?.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) {
    throw new BackupError('This file is not a complete Coop Badges backup (no manifest).');
  }
  const problems: string[] = [];
  for (const want of manifest.collections) {
    const got = found.get(want.name);
    const sha256 = got?.hash.digest('hex');
    if (got?.count !== want.count) {
      problems.push(`${want.name}: ${got?.count ?? 0} documents, expected ${want.count}`);
    } else if (sha256 !== want.sha256) {
      problems.push(`${want.name}: documents changed since the backup`);
    }
  }
  for (const name of found.keys()) {
    if (!manifest.collections.some((c) => c.name === name)) problems.push(`${name}: unexpected`);
  }
  if (problems.length > 0) {
    throw new BackupError(
      `The archive does not match its manifest (${problems.join('; ')}): it is damaged.`,
    );
  }
  return manifest;
}

/**
 * Restores an archive into an empty database. The archive is checked whole before the first
 * write; if an insert fails, what was inserted is removed again, so the database is either
 * restored or left empty.
 */
export async function restoreBackup(
  db: Connection,
  file: string,
  options: { checkMasterKey?: (check: unknown) => boolean; batchSize?: number } = {},
): Promise<BackupManifest> {
  const manifest = await checkBackup(file);
  if (manifest.masterKeyCheck !== undefined && options.checkMasterKey) {
    if (!options.checkMasterKey(manifest.masterKeyCheck)) {
      throw new BackupError(
        "The master key configured here is not the one of the backup: set MASTER_KEY (or MASTER_KEY_FILE) to the saved key, otherwise the issuers' signing keys cannot be used.",
      );
    }
  }
  const nonEmpty: string[] = [];
  for (const name of await collectionNames(db)) {
    if ((await db.db!.collection(name).countDocuments({}, { limit: 1 })) > 0) nonEmpty.push(name);
  }
  if (nonEmpty.length > 0) {
    throw new BackupError(
      `A backup is restored only into an empty database; this one has data (${nonEmpty.join(', ')}).`,
    );
  }
  const batchSize = options.batchSize ?? 500;
  const touched = new Set<string>();
  let batch: { name: string; docs: Record<string, unknown>[] } | undefined;
  const flush = async () => {
    if (!batch || batch.docs.length === 0) return;
    touched.add(batch.name);
    await db.db!.collection(batch.name).insertMany(batch.docs, { ordered: true });
    batch.docs = [];
  };
  try {
    for await (const line of readLines(file)) {
      if ('manifest' in line) continue;
      if (batch?.name !== line.c) {
        await flush();
        batch = { name: line.c, docs: [] };
      }
      batch.docs.push(EJSON.deserialize(line.d as Record<string, unknown>, { relaxed: false }));
      if (batch.docs.length >= batchSize) await flush();
    }
    await flush();
  } catch (e) {
    for (const name of touched) await db.db!.collection(name).deleteMany({});
    throw e instanceof BackupError
      ? e
      : new BackupError(`The restore stopped and was undone: ${(e as Error).message}`);
  }
  return manifest;
}
