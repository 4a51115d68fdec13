import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { splitSecrets, type Config } from '../config/config.js';

/**
 * The secrets that sign session cookies (first signs, all verify). Production requires
 * SESSION_SECRET (the config refuses to start without it). In development and tests one is
 * generated once and kept in $DATA_DIR/session-secret, so sessions survive restarts.
 */
export function resolveSessionSecrets(config: Config): string[] {
  const fromEnv = splitSecrets(config.SESSION_SECRET);
  if (fromEnv.length > 0) return fromEnv;
  if (config.isProduction) {
    throw new Error('SESSION_SECRET is required in production');
  }
  const file = path.join(config.dataDir, 'session-secret');
  try {
    const stored = fs.readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return [stored];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // 'wx': if another process wrote it first, keep theirs.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return [secret];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return [fs.readFileSync(file, 'utf8').trim()];
  }
}
