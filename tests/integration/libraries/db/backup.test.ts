/**
 * Backup and restore, as an operator runs them (`npm run admin -- backup` / `restore`): the
 * restored database holds the same documents (counts and hashes), every badge verifies as
 * before (the revoked one stays revoked) and the restored platform can go on issuing; an
 * archive restored over data, a damaged archive and the wrong master key are refused with
 * nothing written.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { verifyOb2Badge, verifyOb3Credential } from '../../../../src/core/index.js';
import { connectDatabase } from '../../../../src/libraries/db/connection.js';
import { digestDatabase } from '../../../../src/libraries/db/backup.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import { runAdminCli } from '../../../helpers/admin-cli.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { createTestApp, testDatabaseUri, type TestApp } from '../../../helpers/test-app.js';

const newDbName = () => `t_${randomBytes(6).toString('hex')}`;

describe('backup and restore', () => {
  const source = newDbName();
  const restored = newDbName();
  let t: TestApp;
  let work: string;
  let archive: string;
  const awards: AwardDoc[] = [];
  const cli = (args: string[], dbName: string, dataDir = t.dataDir) =>
    runAdminCli(args, {
      MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
    });
  const openDb = (dbName: string) =>
    connectDatabase({ uri: testDatabaseUri(), dbName, attempts: 5, intervalMs: 200 });
  const documentCount = async (dbName: string) => {
    const db = await openDb(dbName);
    try {
      return (await digestDatabase(db)).reduce((sum, c) => sum + c.count, 0);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ dbName: source });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-backup-'));
    archive = path.join(work, 'sauvegarde.ndjson.gz');
    const badge = await issuerWithBadge(t.app);
    for (const who of ['ana', 'bruno', 'chloe']) {
      awards.push(await issueTo(t.app, badge, { recipientEmail: `${who}@example.org` }));
    }
    await t.app.services.awards.revokeAward({
      actor: { id: 'admin', isAdmin: true, roles: {} },
      ip: '',
      issuerId: badge.issuerId,
      awardId: awards[2]!._id,
      reason: 'Délivré par erreur',
    });
  });
  afterAll(async () => {
    for (const name of [restored]) {
      const db = await openDb(name);
      await db.dropDatabase().catch(() => {});
      await db.close();
    }
    await t?.db.dropDatabase().catch(() => {});
    await t?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('When an operator backs up and restores into an empty database, then every document comes back identical and every badge verifies as before', async () => {
    const backup = await cli(['backup', '--file', archive], source);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/^Backup written to .*: \d+ documents\./);
    expect(backup.out).toContain('  assertions: 3');
    expect(fs.readdirSync(work)).toEqual(['sauvegarde.ndjson.gz']);

    const restore = await cli(['restore', '--file', archive], restored);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toContain('  assertions: 3');

    const before = await digestDatabase(t.db);
    const db = await openDb(restored);
    try {
      expect(await digestDatabase(db)).toEqual(before);
    } finally {
      await db.close();
    }
    expect(before.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'assertions',
        'badge_classes',
        'issuers',
        'issuer_keys',
        'revocations',
      ]),
    );

    // The platform restored from the archive (same public address, same master key).
    const again = await createTestApp({ dbName: restored, env: { DATA_DIR: t.dataDir } });
    try {
      const fetch = again.app.services.internalFetcher;
      const now = new Date();
      const verdicts = [];
      for (const award of awards) {
        const stored = await again.app.services.awards.getAward(award._id);
        verdicts.push([
          (await verifyOb2Badge(again.app.services.urls.assertion(award._id), { fetch, now }))
            .verdict,
          (await verifyOb3Credential(stored.ob3.credential, { fetch, now })).verdict,
        ]);
      }
      expect(verdicts).toEqual([
        ['verified', 'verified'],
        ['verified', 'verified'],
        ['not_verified', 'not_verified'],
      ]);
      // The encrypted signing keys work under the same master key: issuing goes on.
      const badge = await again.app.services.achievements.getBadgeClass(awards[0]!.badgeClassId);
      const fresh = await issueTo(again.app, badge, { recipientEmail: 'dora@example.org' });
      const later = new Date();
      expect((await verifyOb3Credential(fresh.ob3.credential, { fetch, now: later })).verdict).toBe(
        'verified',
      );
    } finally {
      await again.close();
    }
  }, 180_000); // Each command line starts its own Node process.

  it('When the target database already has data, then the restore is refused and nothing is written', async () => {
    const count = await documentCount(restored);
    const run = await cli(['restore', '--file', archive], restored);
    expect(run.code).toBe(65);
    expect(run.err).toMatch(/^A backup is restored only into an empty database; this one has data/);
    expect(await documentCount(restored)).toBe(count);
  }, 90_000); // Each command line starts its own Node process.

  it('When the archive is damaged or cut short, then the restore is refused and the database stays empty', async () => {
    const lines = zlib.gunzipSync(fs.readFileSync(archive)).toString().split('\n');
    const tampered = path.join(work, 'modifiee.ndjson.gz');
    // One badge's recipient changed: the collection no longer matches its hash.
    const i = lines.findIndex((l) => l.startsWith('{"c":"assertions"'));
    lines[i] = lines[i]!.replace(/"email":"[^"]+"/, '"email":"eve@example.org"');
    expect(lines[i]).toContain('eve@example.org');
    fs.writeFileSync(tampered, zlib.gzipSync(lines.join('\n')));
    const cut = path.join(work, 'coupee.ndjson.gz');
    fs.writeFileSync(cut, zlib.gzipSync(lines.slice(0, -2).join('\n')));

    for (const [file, message] of [
      [
        tampered,
        /^The archive does not match its manifest \(assertions: documents changed since the backup\)/,
      ],
      [cut, /^This file is not a complete Coop Badges backup/],
    ] as const) {
      const target = newDbName();
      const run = await cli(['restore', '--file', file], target);
      expect([run.code, run.err]).toEqual([65, expect.stringMatching(message)]);
      expect(await documentCount(target)).toBe(0);
      const db = await openDb(target);
      await db.dropDatabase();
      await db.close();
    }
  }, 90_000); // Each command line starts its own Node process.

  it('When the configured master key is not the backup’s, then the restore is refused before any write', async () => {
    const otherDataDir = fs.mkdtempSync(path.join(work, 'autre-'));
    const target = newDbName();
    const run = await cli(['restore', '--file', archive], target, otherDataDir);
    expect(run.code).toBe(65);
    expect(run.err).toMatch(/^The master key configured here is not the one of the backup/);
    expect(await documentCount(target)).toBe(0);
    const db = await openDb(target);
    await db.dropDatabase();
    await db.close();
  }, 90_000); // Each command line starts its own Node process.
});
