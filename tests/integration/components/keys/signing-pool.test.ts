import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { workerExecArgv } from '../../../../src/components/keys/signing-pool.js';
import { projectRoot } from '../../../../src/libraries/paths.js';

describe('signing threads', () => {
  it('When the server is started with a V8 heap option, then its signing threads still start and answer', () => {
    // An operator's `node --max-old-space-size=… server.js`: Node refused to start a thread
    // given that option, and every signature failed.
    const pool = pathToFileURL(path.join(projectRoot, 'src/components/keys/signing-pool.ts')).href;
    const script = `
      const { createSigningPool } = await import(${JSON.stringify(pool)});
      const { randomBytes } = await import('node:crypto');
      const pool = createSigningPool({ size: 1, masterKey: randomBytes(32) });
      // Keys sealed under another master key: the thread must run to refuse them.
      const sealed = { doc: { _id: 'k', encryptedPrivateKey: { v: 'v1', iv: 'AAAA', tag: 'AAAA', data: 'AAAA' } }, aad: 'k' };
      try {
        await pool.sign({ rsa: sealed, ed: sealed, verificationMethod: 'x', jwtKid: 'y' }, { ob2: '{}', credential: {}, created: new Date().toISOString() });
        console.log('signed');
      } catch (e) {
        console.log('answered: ' + e.message);
      }
      await pool.close();
    `;
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=200', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).not.toMatch(/ERR_WORKER_INVALID_EXEC_ARGV|invalid execArgv/);
    expect(child.stdout).toMatch(/^answered: /m);
    expect(child.stdout).not.toMatch(/signing thread (exited|stopped)|execArgv/);
  });

  it('When options are passed on to a thread, then only message and source-map options pass', () => {
    expect(
      workerExecArgv([
        '--max-old-space-size=200',
        '--import',
        'tsx',
        '--experimental-vm-modules',
        '--enable-source-maps',
        '--no-warnings=ExperimentalWarning',
        '--stack-size=2000',
      ]),
    ).toEqual(['--enable-source-maps', '--no-warnings=ExperimentalWarning']);
  });
});
