import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFerretdb } from '../../src/libraries/db/embedded-ferretdb.js';
import { ensureFerretdbBinary } from '../../src/libraries/db/ferretdb-binary.js';
import { projectRoot } from '../../src/libraries/paths.js';

/**
 * Starts one real FerretDB (SQLite backend, temp directory) for the whole jest run. Each test
 * file connects with its own database name (tests/helpers/test-app.ts), so files are isolated.
 */
export default async function globalSetup(): Promise<void> {
  const binary = await ensureFerretdbBinary({
    cacheDir: path.resolve(projectRoot, process.env.FERRETDB_CACHE_DIR ?? '.cache/ferretdb'),
    binary: process.env.FERRETDB_BIN,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-test-db-'));
  const server = await startFerretdb({ binary, dataDir });
  process.env.TEST_MONGODB_URI = server.uri;
  process.env.TEST_FERRETDB_BIN = binary;
  (globalThis as Record<string, unknown>).__FERRETDB__ = { server, dataDir };
}
