import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Builds FerretDB from the Go module proxy once and caches the binary, keyed by version and
 * patch level. A plain `go install …@v1.24.2` panics at start because build/version/version.txt
 * is absent from the module zip (upstream issue #2982), so we copy the module source and write
 * it first; and we apply SOURCE_PATCHES (see there) before compiling.
 */
export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';

/**
 * Source edits applied before compiling, each an exact line that must be found once (the build
 * fails loudly otherwise). Raise FERRETDB_PATCH_LEVEL when this list changes: cached binaries
 * are kept per level, so an older build is not reused.
 *
 * - The SQLite backend looks documents up with `_ferretdb_sjson->'$._id' = ?` while the unique
 *   index it creates on every collection is on `_ferretdb_sjson->"_id"`: SQLite only uses an
 *   expression index for the same expression, so every lookup, update and delete by `_id` read
 *   the whole table (`EXPLAIN QUERY PLAN`: `SCAN`; 3,000 sessions: 15 ms a read, 44 ms an
 *   update). `->'_id'` is the same value (SQLite reads a bare label as `$.label`) and matches the
 *   index (`SEARCH … USING INDEX …__id_`), as FerretDB's PostgreSQL backend already spells it.
 *   Nothing else changes: same stored format, same files, same answers.
 */
export const FERRETDB_PATCH_LEVEL = 1;
export const SOURCE_PATCHES: { file: string; from: string; to: string }[] = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `\tIDColumn = DefaultColumn + "->'$._id'"`,
    to: `\tIDColumn = DefaultColumn + "->'_id'"`,
  },
];

/** Applies SOURCE_PATCHES to a copy of the module source. */
export function patchSource(src: string): void {
  for (const patch of SOURCE_PATCHES) {
    const file = path.join(src, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const at = lines.flatMap((line, i) => (line === patch.from ? [i] : []));
    if (at.length !== 1) {
      throw new Error(
        `FerretDB ${FERRETDB_VERSION} source patch: expected the line ${JSON.stringify(patch.from)} once in ${patch.file}, found it ${at.length} times`,
      );
    }
    lines[at[0]!] = patch.to;
    fs.writeFileSync(file, lines.join('\n'));
  }
}

export class FerretdbUnavailableError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'FerretdbUnavailableError';
  }
}

export interface EnsureOptions {
  cacheDir: string;
  /** An existing binary to use instead of building one. */
  binary?: string | undefined;
  log?: (line: string) => void;
}

export function cachedBinaryPath(cacheDir: string): string {
  return path.join(cacheDir, `${FERRETDB_VERSION}-patch${FERRETDB_PATCH_LEVEL}`, 'ferretdb');
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; log: (l: string) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      err += text;
      for (const line of text.split('\n')) if (line.trim()) opts.log(`  ${line.trim()}`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${err.slice(-4000)}`));
    });
  });
}

/** Returns the path of a runnable FerretDB binary, building it if needed. */
export async function ensureFerretdbBinary(options: EnsureOptions): Promise<string> {
  const log = options.log ?? (() => {});
  if (options.binary) {
    if (!fs.existsSync(options.binary)) {
      throw new FerretdbUnavailableError(
        `FERRETDB_BIN points to ${options.binary}, which does not exist.`,
        'Unset FERRETDB_BIN to let the app build FerretDB, or point it to a ferretdb binary.',
      );
    }
    return options.binary;
  }
  const target = cachedBinaryPath(options.cacheDir);
  if (fs.existsSync(target)) return target;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new FerretdbUnavailableError(
      'Go is needed once to build the embedded database (FerretDB), and `go` was not found.',
      'Install Go 1.22 or newer (for example `apt-get install golang` or https://go.dev/dl/), ' +
        'or set MONGODB_URI to an existing MongoDB or FerretDB server.',
    );
  }

  const work = path.join(options.cacheDir, 'build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  // The Go toolchain needs the user's environment (PATH, HOME, GOPATH, proxies): not a setting.
  // eslint-disable-next-line no-restricted-properties
  const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0', GOWORK: 'off' };
  const started = Date.now();
  log(
    `Building FerretDB ${FERRETDB_VERSION} (once; about 2 minutes on 2 cores) with ${go.stdout.trim()}…`,
  );

  fs.writeFileSync(path.join(work, 'go.mod'), 'module coopbadges/ferretdb-build\n\ngo 1.21\n');
  log('  [1/3] downloading the module source from the Go module proxy');
  const info = JSON.parse(
    await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
      cwd: work,
      env,
      log,
    }),
  ) as { Dir?: string; Error?: string };
  if (!info.Dir)
    throw new Error(`go mod download failed: ${info.Error ?? 'no directory returned'}`);

  const src = path.join(work, 'src');
  fs.cpSync(info.Dir, src, { recursive: true });
  makeWritable(src);
  fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  patchSource(src);

  log('  [2/3] compiling (pure Go, SQLite backend)');
  const out = path.join(work, 'ferretdb');
  const tmpOut = `${out}.partial`;
  let built = 0;
  await run('go', ['build', '-v', '-trimpath', '-buildvcs=false', '-o', tmpOut, './cmd/ferretdb'], {
    cwd: src,
    env,
    // `go build -v` names each package as it compiles: show a count, not hundreds of lines.
    log: () => {
      built += 1;
      if (built % 50 === 0) log(`        ${built} packages compiled…`);
    },
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(tmpOut, target);
  fs.rmSync(work, { recursive: true, force: true });
  log(`  [3/3] cached at ${target} (${Math.round((Date.now() - started) / 1000)} s)`);
  return target;
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(p);
  }
  fs.chmodSync(dir, 0o755);
}
