import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../libraries/errors/app-error.js';

/**
 * The master key encrypts issuers' private keys at rest (AES-256-GCM). It comes from the
 * MASTER_KEY setting, or a key file; in development and tests the file is generated under
 * DATA_DIR on first run. In production a missing master key stops the start.
 */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export interface MasterKey {
  /** Short fingerprint-free label: which key encrypted a record (for future re-keying). */
  readonly version: string;
  encrypt(plaintext: Buffer, aad: string): EncryptedBlob;
  decrypt(blob: EncryptedBlob, aad: string): Buffer;
  /**
   * A copy of the raw key for the signing threads (workerData, once at their start): they
   * decrypt issuers' keys themselves, so that no private key crosses a message port.
   */
  forSigningThreads(): Buffer;
}

export interface EncryptedBlob {
  alg: 'A256GCM';
  keyVersion: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new MasterKeyError(
      `${source} must hold 32 random bytes, in base64 (openssl rand -base64 32) or hex (openssl rand -hex 32).`,
    );
  }
  return key;
}

export function masterKeyFromBytes(key: Buffer, version = 'v1'): MasterKey {
  if (key.length !== 32) throw new MasterKeyError('The master key must be 32 bytes.');
  // Keep the raw key inside this closure only.
  const raw = Buffer.from(key);
  return {
    version,
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', raw, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return {
        alg: 'A256GCM',
        keyVersion: version,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      };
    },
    forSigningThreads() {
      return Buffer.from(raw);
    },
    decrypt(blob, aad) {
      if (blob.alg !== 'A256GCM') throw new MasterKeyError(`Unsupported encryption ${blob.alg}`);
      const decipher = createDecipheriv('aes-256-gcm', raw, Buffer.from(blob.iv, 'base64'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(blob.tag, 'base64'));
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(blob.ciphertext, 'base64')),
          decipher.final(),
        ]);
      } catch {
        // Wrong master key, or a record tampered with or moved to another key id.
        throw new AppError(500, 'key_decryption_failed', {
          detail: 'A private key could not be decrypted.',
        });
      }
    },
  };
}

export interface MasterKeySource {
  /** MASTER_KEY setting (base64 or hex). */
  value?: string | undefined;
  /** MASTER_KEY_FILE setting. */
  file?: string | undefined;
  dataDir: string;
  production: boolean;
}

/** Loads the master key, generating the development key file on first run. */
export function loadMasterKey(source: MasterKeySource): MasterKey {
  if (source.value) return masterKeyFromBytes(parseKey(source.value, 'MASTER_KEY'));
  const file =
    source.file ?? (source.production ? undefined : path.join(source.dataDir, 'master.key'));
  if (!file) {
    throw new MasterKeyError(
      "MASTER_KEY is not set: in production the key that encrypts the issuers' signing keys must be " +
        'given (MASTER_KEY=$(openssl rand -base64 32), or MASTER_KEY_FILE=/path/to/file). Keep a copy: ' +
        'without it, existing keys cannot be used.',
    );
  }
  if (fs.existsSync(file)) return masterKeyFromBytes(parseKey(fs.readFileSync(file, 'utf8'), file));
  if (source.file) throw new MasterKeyError(`MASTER_KEY_FILE ${file} does not exist.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  // wx: never overwrite a key that appeared meanwhile (two processes starting at once).
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return masterKeyFromBytes(parseKey(fs.readFileSync(file, 'utf8'), file));
    }
    throw err;
  }
  return masterKeyFromBytes(key);
}
