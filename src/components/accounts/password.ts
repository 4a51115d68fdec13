import * as argon2 from '@node-rs/argon2';
import pLimit from 'p-limit';
import type { Config } from '../../libraries/config/config.js';

/**
 * argon2id hashing (@node-rs/argon2: the Rust implementation, about a third less CPU per check
 * than node-argon2's C one on the same parameters; it reads the hashes node-argon2 wrote).
 * Unknown accounts are checked against a dummy hash with the same parameters so that "no such
 * account" costs as long as "wrong password".
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string | undefined, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
}

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 cost grows with the input: refuse novels. */
export const PASSWORD_MAX_LENGTH = 256;

export function createPasswordHasher(config: Config): PasswordHasher {
  const options = {
    // Algorithm.Argon2id: the library's enum is a `const enum`, which tsx cannot inline.
    algorithm: 2,
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
  } as const;
  // Queued here rather than in libuv's thread pool, where they would hold up files and gzip.
  const limit = pLimit(config.ARGON2_CONCURRENCY);
  let dummy: Promise<string> | undefined;
  const dummyHash = () =>
    (dummy ??= limit(() => argon2.hash('dummy password for timing', options)));
  return {
    hash: (password) => limit(() => argon2.hash(password, options)),
    async verify(hash, password) {
      if (password.length > PASSWORD_MAX_LENGTH) password = password.slice(0, PASSWORD_MAX_LENGTH);
      if (!hash) {
        const known = await dummyHash();
        await limit(() => argon2.verify(known, password)).catch(() => false);
        return false;
      }
      try {
        return await limit(() => argon2.verify(hash, password));
      } catch {
        return false;
      }
    },
    // Another algorithm, version or cost than the configured ones (v=19 is Version.V0x13 = 1).
    needsRehash(hash) {
      try {
        const used = argon2.parseOptions(hash);
        return (
          used.algorithm !== options.algorithm ||
          used.version !== 1 ||
          used.memoryCost !== options.memoryCost ||
          used.timeCost !== options.timeCost ||
          used.parallelism !== options.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}

/** A few long but obvious passwords people reach for when asked for 12 characters. */
const OBVIOUS = new Set([
  'motdepasse123',
  'motdepasse1234',
  'azertyuiop123',
  'azertyuiopqsdf',
  'azertyuiop1234',
  '123456789012',
  '1234567890123',
  'qwertyuiop123',
  'password1234',
  'passwordpassword',
  'motdepassemotdepasse',
  'roubaix123456',
  'coopbadges123',
  'aaaaaaaaaaaa',
]);

/**
 * ANSSI-style rules kept simple for people who are not technical: at least 12 characters
 * (a passphrase of several words is encouraged), not the email address, not an obvious one.
 * Returns the i18n key of the problem, or undefined.
 */
export function passwordProblem(
  password: string,
  context: { email?: string | undefined; name?: string | undefined } = {},
): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'accounts.password.tooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'accounts.password.tooLong';
  const lower = password.toLowerCase().replace(/\s+/g, '');
  const email = context.email?.toLowerCase();
  if (email && (lower === email.replace(/\s+/g, '') || lower === email.split('@')[0])) {
    return 'accounts.password.isEmail';
  }
  if (OBVIOUS.has(lower) || /^(.)\1+$/.test(lower)) return 'accounts.password.obvious';
  return undefined;
}
