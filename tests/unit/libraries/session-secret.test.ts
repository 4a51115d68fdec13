import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/libraries/config/config.js';
import { resolveSessionSecrets } from '../../../src/libraries/secrets/session-secret.js';

describe('session secret', () => {
  it('When production has no SESSION_SECRET, then the start is refused with a clear message', () => {
    const MASTER_KEY = Buffer.alloc(32, 1).toString('base64');
    expect(() => loadConfig({ NODE_ENV: 'production', MASTER_KEY })).toThrow(
      /^Invalid configuration: SESSION_SECRET is required in production.*openssl rand/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', MASTER_KEY, SESSION_SECRET: 'trop-court' }),
    ).toThrow(/at least 32 characters/);
    const c = loadConfig({
      NODE_ENV: 'production',
      MASTER_KEY,
      SESSION_SECRET: `${'a'.repeat(40)}, ${'b'.repeat(40)}`,
    });
    expect(resolveSessionSecrets(c)).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
  });

  it('When development has none, then one is generated once and kept in DATA_DIR', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-secret-'));
    try {
      const c = loadConfig({ DATA_DIR: dir });
      const first = resolveSessionSecrets(c);
      expect(first[0]!.length).toBeGreaterThanOrEqual(32);
      expect(resolveSessionSecrets(c)).toEqual(first);
      const file = path.join(dir, 'session-secret');
      expect(fs.statSync(file).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
