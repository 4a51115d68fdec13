import fs from 'node:fs';
import type { EmbeddedFerretdb } from '../../src/libraries/db/embedded-ferretdb.js';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__FERRETDB__ as
    { server: EmbeddedFerretdb; dataDir: string } | undefined;
  if (!state) return;
  await state.server.stop();
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
