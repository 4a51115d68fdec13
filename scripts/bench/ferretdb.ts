/**
 * Lookups and updates by `_id` on the embedded FerretDB as a collection grows (session-sized
 * documents): `ferretdb: docs=… find_ms=… update_ms=…` per size. Constant figures mean the
 * `_id` index is used; with `FERRETDB_BIN` pointing at an unpatched 1.24.2 binary they grow
 * with the collection (docs/database.md, "One line patched"). Then
 * `ferretdb-scan: docs=… find_by_other_field_ms=…`: a filter on another field, which FerretDB
 * 1.24 reads in Go over the whole collection (docs/database.md, "Known limit").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/libraries/db/connection.js';
import { startFerretdb } from '../../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../../src/libraries/db/ferretdb-binary.js';
import { projectRoot } from '../../src/libraries/paths.js';

export async function run(): Promise<void> {
  const binary = await ensureFerretdbBinary({
    cacheDir: path.resolve(projectRoot, '.cache/ferretdb'),
    binary: process.env.FERRETDB_BIN,
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-bench-ferretdb-'));
  const ferret = await startFerretdb({ binary, dataDir });
  const db = await connectDatabase({
    uri: ferret.uri,
    dbName: 'bench',
    attempts: 20,
    intervalMs: 200,
  });
  try {
    const sessions = db.collection<{ _id: string }>('sessions');
    const idOf = (n: number) => `session-${n}-${'x'.repeat(24)}`;
    const random = (size: number) => idOf(Math.floor(Math.random() * size));
    let size = 0;
    for (const target of [1000, 3000, 6000]) {
      const batch = [];
      for (; size < target; size++) {
        batch.push({
          _id: idOf(size),
          expires: new Date(Date.now() + 86_400_000),
          session: {
            cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
            passport: { user: `user-${size % 50}` },
            meta: { createdAt: size, lastSeenAt: size, userAgent: 'Mozilla/5.0', ip: '127.0.0.1' },
          },
        });
      }
      await sessions.insertMany(batch);
      let started = performance.now();
      for (let i = 0; i < 200; i++) await sessions.findOne({ _id: random(size) });
      const findMs = (performance.now() - started) / 200;
      started = performance.now();
      for (let i = 0; i < 100; i++) {
        await sessions.updateOne(
          { _id: random(size) },
          { $set: { 'session.meta.lastSeenAt': i } },
          { upsert: true },
        );
      }
      const updateMs = (performance.now() - started) / 100;
      console.log(
        `ferretdb: docs=${size} find_ms=${findMs.toFixed(2)} update_ms=${updateMs.toFixed(2)}`,
      );
    }
    // A filter on any other field is read in Go, every document decoded: award-sized documents
    // (~8 KB, as the signed forms make them), one person's awards by address.
    const awards = db.collection<{ _id: string }>('assertions');
    const signed = 'x'.repeat(7800);
    let count = 0;
    for (const target of [1000, 5000, 10000]) {
      const batch = [];
      for (; count < target; count++) {
        batch.push({
          _id: `award-${count}`,
          issuerId: 'roubaix',
          recipient: { type: 'email', email: `personne${count}@exemple.fr` },
          issuedOn: new Date(),
          ob2: { jws: signed },
        });
      }
      for (let i = 0; i < batch.length; i += 500) await awards.insertMany(batch.slice(i, i + 500));
      const started = performance.now();
      for (let i = 0; i < 5; i++) {
        await awards.find({ 'recipient.email': `personne${i}@exemple.fr` }).toArray();
      }
      const scanMs = (performance.now() - started) / 5;
      console.log(
        `ferretdb-scan: docs=${count} doc_kb=8 find_by_other_field_ms=${scanMs.toFixed(0)}`,
      );
    }
  } finally {
    await db.close();
    await ferret.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
