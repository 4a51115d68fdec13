import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/libraries/config/config.js';
import { projectRoot } from '../../../src/libraries/paths.js';

describe('loadConfig', () => {
  it('When nothing is set, then every key has a safe default', () => {
    const c = loadConfig({});
    expect(c.NODE_ENV).toBe('development');
    expect(c.PORT).toBe(3000);
    expect(c.PUBLIC_URL).toBe('http://localhost:3000');
    expect(c.dataDir).toBe(path.join(projectRoot, 'data'));
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.VERIFY_ALLOW_HOSTS).toEqual([]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('When PORT is not a number, then the error names PORT and what is expected', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'abc' });
    } catch (err) {
      expect((err as ConfigError).variable).toBe('PORT');
      expect((err as Error).message).toMatch(
        /^Invalid configuration: PORT is invalid: expected a port number/,
      );
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it.each([
    ['PORT', '70000'],
    ['PUBLIC_URL', 'not a url'],
    ['PUBLIC_URL', 'ftp://example.org'],
    ['NODE_ENV', 'staging'],
    ['MONGODB_URI', 'postgres://x'],
    ['LOG_LEVEL', 'loud'],
    ['VERIFY_ALLOW_HOSTS', 'example.org'],
  ])('When %s=%s, then the start is refused naming that variable', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${key} `),
    );
  });

  it('When PUBLIC_URL has a trailing slash, then it is removed so ids never get a double slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://badges.roubaix.fr/' }).PUBLIC_URL).toBe(
      'https://badges.roubaix.fr',
    );
  });

  it('When the verification allow-list is set in production, then the start is refused', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        SESSION_SECRET: 's'.repeat(40),
        VERIFY_ALLOW_HOSTS: '127.0.0.1:4000',
      }),
    ).toThrow(/VERIFY_ALLOW_HOSTS .*production/);
    expect(
      loadConfig({ NODE_ENV: 'test', VERIFY_ALLOW_HOSTS: '127.0.0.1:4000, [::1]:5000' })
        .VERIFY_ALLOW_HOSTS,
    ).toEqual(['127.0.0.1:4000', '[::1]:5000']);
  });

  it('When a value is empty, then the default applies (blank lines of .env files)', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});

describe('loadConfig: master key', () => {
  it('When production has no MASTER_KEY nor MASTER_KEY_FILE, then the start is refused naming MASTER_KEY', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^Invalid configuration: MASTER_KEY is required in production/,
    );
    expect(
      loadConfig({
        NODE_ENV: 'production',
        MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        SESSION_SECRET: 's'.repeat(40),
      }).isProduction,
    ).toBe(true);
  });
  it('When MASTER_KEY is malformed, then the start is refused', () => {
    expect(() => loadConfig({ MASTER_KEY: 'tooshort' })).toThrow(
      /^Invalid configuration: MASTER_KEY is invalid/,
    );
  });
});
