import { loadConfig } from '../../../../src/libraries/config/config.js';
import { createPasswordHasher } from '../../../../src/components/accounts/password.js';

const PASSWORD = 'une phrase de passe assez longue';

/**
 * Written by node-argon2 0.45 (the library used before @node-rs/argon2) with the default
 * parameters: accounts created then must still sign in, without being asked to rehash. Its
 * parameters come in another order (m, p, t) than the reference's (m, t, p).
 */
const WRITTEN_BY_NODE_ARGON2 =
  '$argon2id$v=19$m=19456,p=1,t=2$mUytJrBnV/IRw2VxLhs95w$ddghRs+MIl7C5zta9qMX7SxSVeS2Ds2YjXc+INZwBBk';
/** The same password, node-argon2, lower costs (m=8192, t=1): to be rehashed at sign-in. */
const WEAKER_BY_NODE_ARGON2 =
  '$argon2id$v=19$m=8192,p=1,t=1$Mq8EzVZo8hAjpREQL8xPFA$q0QX/ojCPWf9g/hT7T+S2SwpdYm7K7QXnAjnnleRmlk';

describe('password hasher (argon2id)', () => {
  const hasher = createPasswordHasher(loadConfig({}));

  it('hashes with argon2id at the configured costs, each time with a new salt', async () => {
    const [a, b] = await Promise.all([hasher.hash(PASSWORD), hasher.hash(PASSWORD)]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, PASSWORD)).toBe(true);
    expect(await hasher.verify(a, `${PASSWORD}.`)).toBe(false);
    expect(hasher.needsRehash(a)).toBe(false);
  });

  it('still accepts the hashes the previous library wrote, and only those', async () => {
    expect(await hasher.verify(WRITTEN_BY_NODE_ARGON2, PASSWORD)).toBe(true);
    expect(await hasher.verify(WRITTEN_BY_NODE_ARGON2, 'une phrase de passe assez longuE')).toBe(
      false,
    );
    expect(hasher.needsRehash(WRITTEN_BY_NODE_ARGON2)).toBe(false);
    expect(await hasher.verify(WEAKER_BY_NODE_ARGON2, PASSWORD)).toBe(true);
    expect(hasher.needsRehash(WEAKER_BY_NODE_ARGON2)).toBe(true);
  });

  it('asks for a rehash when the configured costs change', () => {
    const stronger = createPasswordHasher(loadConfig({ ARGON2_TIME_COST: '3' }));
    expect(stronger.needsRehash(WRITTEN_BY_NODE_ARGON2)).toBe(true);
    const moreLanes = createPasswordHasher(loadConfig({ ARGON2_PARALLELISM: '2' }));
    expect(moreLanes.needsRehash(WRITTEN_BY_NODE_ARGON2)).toBe(true);
  });

  it('refuses what is not an argon2id hash, without throwing', async () => {
    const argon2i = WRITTEN_BY_NODE_ARGON2.replace('$argon2id$', '$argon2i$');
    expect(await hasher.verify(argon2i, PASSWORD)).toBe(false);
    expect(hasher.needsRehash(argon2i)).toBe(true);
    expect(await hasher.verify('not a hash', PASSWORD)).toBe(false);
    expect(hasher.needsRehash('not a hash')).toBe(true);
    expect(await hasher.verify(undefined, PASSWORD)).toBe(false);
  });
});
