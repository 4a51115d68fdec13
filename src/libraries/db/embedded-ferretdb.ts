import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * A FerretDB server (SQLite backend) run as a child process on a loopback port, with its data
 * in a directory. Used by `npm start` when MONGODB_URI is not set, and by the tests.
 */
export interface EmbeddedFerretdb {
  readonly uri: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Resolves when the process has exited. */
  stop(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

export interface StartOptions {
  binary: string;
  /** Directory for the SQLite files; created if missing. */
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
  /** Milliseconds to wait for the port to accept connections. */
  startTimeoutMs?: number;
}

export async function startFerretdb(options: StartOptions): Promise<EmbeddedFerretdb> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freeLoopbackPort());
  const dir = options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`;
  const child: ChildProcess = spawn(
    options.binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--state-dir=-',
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Go collects garbage when its heap has grown by GOGC %: at 400 instead of 100, FerretDB
      // spent about 12 % less CPU per request under the load bench, for 8 MB more memory
      // (docs/operations.md). A GOGC the operator set is kept: it is the Go runtime's setting.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, GOGC: process.env.GOGC ?? '400' },
    },
  );
  let output = '';
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));

  const deadline = Date.now() + (options.startTimeoutMs ?? 15000);
  while (!(await canConnect(port))) {
    if (spawnError)
      throw new Error(`Could not run FerretDB (${options.binary}): ${spawnError.message}`);
    if (child.exitCode !== null) {
      throw new Error(`FerretDB exited at start with code ${child.exitCode}:\n${output.trim()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `FerretDB did not accept connections on 127.0.0.1:${port}:\n${output.trim()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
