/**
 * A real app for benchmarks: a temporary FerretDB and data directory, the app served on a
 * loopback port whose URL is its PUBLIC_URL, and an issuer with one badge class. Everything is
 * removed by `close()`. Only loopback is ever used.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readBadgeClassForm } from '../../src/components/achievements/achievements.use-case.js';
import type { BadgeClassDoc } from '../../src/components/achievements/badge-class.model.js';
import { loadConfig } from '../../src/libraries/config/config.js';
import { connectDatabase, type Connection } from '../../src/libraries/db/connection.js';
import { freeLoopbackPort, startFerretdb } from '../../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../../src/libraries/db/ferretdb-binary.js';
import { ensureIndexes } from '../../src/libraries/db/indexes.js';
import { createLogger } from '../../src/libraries/logger/logger.js';
import { projectRoot } from '../../src/libraries/paths.js';
import { createApp, type CoopApp } from '../../src/web/app.js';

export const BENCH_ACTOR = { id: 'bench', email: 'bench@localhost', isAdmin: true, roles: {} };

export interface BenchApp {
  app: CoopApp;
  db: Connection;
  url: string;
  badge: BadgeClassDoc;
  close(): Promise<void>;
}

export async function startBenchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-bench-'));
  const binary = await ensureFerretdbBinary({
    cacheDir: path.resolve(projectRoot, '.cache/ferretdb'),
  });
  const ferret = await startFerretdb({ binary, dataDir: path.join(work, 'ferretdb') });
  const db = await connectDatabase({
    uri: ferret.uri,
    dbName: 'bench',
    attempts: 20,
    intervalMs: 200,
  });
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(work, 'data'),
    PUBLIC_URL: url,
    PORT: String(port),
    ...env,
  });
  const app = createApp({ config, logger: createLogger({ level: 'warn' }, process.stderr), db });
  await ensureIndexes(db);
  await app.services.issuerRepo.insert({
    _id: 'roubaix',
    name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
    url: 'https://www.ville-roubaix.fr',
    email: 'coop@ville-roubaix.fr',
    description: '',
    createdAt: new Date(),
    createdBy: 'bench',
  });
  const badge = await app.services.achievements.createBadgeClass({
    actor: BENCH_ACTOR,
    issuerId: 'roubaix',
    ip: '127.0.0.1',
    values: readBadgeClassForm({
      name: 'Accompagner une démarche en ligne',
      description: 'Accompagne une personne dans une démarche administrative en ligne.',
      criteriaNarrative: 'A accompagné au moins cinq personnes jusqu’au bout de leur démarche.',
      template: 'medal',
      alignments: ['crcn:2.1', 'remn:CCP1'],
      evidenceRequired: 'non',
    }),
  });
  const server: Server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    app,
    db,
    url,
    badge,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.verification.close();
      await db.close();
      await ferret.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
