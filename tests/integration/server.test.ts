import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { freeLoopbackPort } from '../../src/libraries/db/embedded-ferretdb.js';
import { projectRoot } from '../../src/libraries/paths.js';
import { testDatabaseUri } from '../helpers/test-app.js';

/** `npm start` as a user runs it: the real server process, its output, its signals. */
interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/server.ts'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => out, exited };
}

async function waitForOutput(
  r: Running,
  pattern: RegExp,
  timeoutMs = 30000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = r.output().match(pattern);
    if (m) return m;
    if (r.child.exitCode !== null) throw new Error(`server exited early:\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childPids(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe('the server process (npm start)', () => {
  const binary = process.env.TEST_FERRETDB_BIN!;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-server-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('When PORT=abc, then it exits non-zero with one line naming PORT', async () => {
    const r = startServer({ PORT: 'abc', DATA_DIR: tmp(), FERRETDB_BIN: binary });
    const code = await r.exited;
    expect(code).not.toBe(0);
    const lines = r.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
    expect(lines[0]).toMatch(/expected a port number/);
  });

  it('When MONGODB_URI is set, then it starts no database of its own', async () => {
    const port = await freeLoopbackPort();
    const r = startServer({
      PORT: String(port),
      DATA_DIR: tmp(),
      MONGODB_URI: `${testDatabaseUri()}/server_uri_test`,
      FERRETDB_BIN: '/nonexistent/ferretdb',
    });
    await waitForOutput(r, /Coop Badges is running at/);
    expect(r.output()).not.toMatch(/Embedded database/);
    expect(childPids(r.child.pid!)).toEqual([]);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('When started without MONGODB_URI, then FerretDB runs embedded, Ctrl-C stops it, and data survives a restart', async () => {
    const dataDir = tmp();
    const env = { DATA_DIR: dataDir, FERRETDB_BIN: binary };

    const port1 = await freeLoopbackPort();
    const first = startServer({ ...env, PORT: String(port1) });
    const [, dbUri1] = await waitForOutput(
      first,
      /Embedded database: FerretDB on (mongodb:\/\/\S+),/,
    );
    await waitForOutput(first, /running at http:\/\/localhost:\d+/);
    const home = await fetch(`http://127.0.0.1:${port1}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<html lang="fr">');
    expect((await fetch(`http://127.0.0.1:${port1}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port1}/readyz`)).status).toBe(200);
    const ferretPids = childPids(first.child.pid!);
    expect(ferretPids).toHaveLength(1);

    // Write a document while it runs.
    const probe = await mongoose.createConnection(`${dbUri1}/coopbadges`).asPromise();
    await probe
      .collection('persistence_probe')
      .insertOne({ _id: 'probe' as never, note: 'écrit avant redémarrage' });
    await probe.close();

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/Embedded database stopped/);
    expect(ferretPids.filter(isAlive)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'ferretdb'))).toBe(true);

    const port2 = await freeLoopbackPort();
    const second = startServer({ ...env, PORT: String(port2) });
    const [, dbUri2] = await waitForOutput(
      second,
      /Embedded database: FerretDB on (mongodb:\/\/\S+),/,
    );
    await waitForOutput(second, /running at/);
    const check = await mongoose.createConnection(`${dbUri2}/coopbadges`).asPromise();
    const doc = await check.collection('persistence_probe').findOne({ _id: 'probe' as never });
    await check.close();
    expect(doc?.note).toBe('écrit avant redémarrage');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
