import { Worker } from 'node:worker_threads';
import type { Logger } from '../../libraries/logger/logger.js';
import type { AwardFormsJob, SignedAwardForms } from './award-forms.js';
import type { EncryptedBlob } from './master-key.js';

/** An issuer's keys as a signing thread receives them: still encrypted under the master key. */
export interface SealedIssuerKeys {
  rsa: { doc: { _id: string; encryptedPrivateKey: EncryptedBlob }; aad: string };
  ed: { doc: { _id: string; encryptedPrivateKey: EncryptedBlob }; aad: string };
  verificationMethod: string;
  jwtKid: string;
}

export interface SigningPool {
  readonly size: number;
  sign(keys: SealedIssuerKeys, job: AwardFormsJob): Promise<SignedAwardForms>;
  /** Drops the decrypted keys of the threads (a key compromised or retired). */
  forget(keyId: string): void;
  close(): Promise<void>;
}

interface Pending {
  resolve: (forms: SignedAwardForms) => void;
  reject: (error: Error) => void;
}

/**
 * The worker beside this file: the compiled `.js` in dist/; under tsx and jest (sources in
 * TypeScript) a two-line bootstrap registers tsx in the thread, then imports the `.ts` file.
 */
function workerSource(): { source: URL | string; eval: boolean } {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./signing.worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return { source: url, eval: false };
  const bootstrap =
    `import('tsx/esm/api').then(({ register }) => { register(); ` +
    `return import(${JSON.stringify(url.href)}); });`;
  return { source: bootstrap, eval: true };
}

const DEFAULT_HEAP_MB = 64;
const YOUNG_GENERATION_MB = 8;

/**
 * The options of this process a signing thread gets. Node refuses to start a thread given a V8
 * option (`node --max-old-space-size=… server.js` stopped every signature), jest's
 * --experimental-vm-modules means nothing to a plain thread, and tsx is registered by the
 * thread's own bootstrap: only options about messages and source maps pass.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  return execArgv.filter((a) =>
    /^--(enable-source-maps|no-warnings|no-deprecation|trace-warnings)(=|$)/.test(a),
  );
}

/**
 * Threads that sign awards (RS256 JWS, VC-JWT, eddsa-rdfc-2022 proofs) on every core. The
 * master key reaches each thread once, at its start (workerData); each job carries the
 * issuer's keys encrypted, which the thread decrypts once and keeps. Threads are unref'd when
 * idle, so they never keep a process alive.
 */
export function createSigningPool(options: {
  size: number;
  /** Old-generation heap of each thread (MiB), 64 by default (SIGNING_THREAD_HEAP_MB). */
  heapMb?: number;
  masterKey: Buffer;
  logger?: Logger | undefined;
}): SigningPool {
  const { source, eval: isEval } = workerSource();
  const execArgv = workerExecArgv(process.execArgv);
  type Thread = {
    worker: Worker;
    pending: Map<number, Pending>;
    dead: Error | null;
  };
  const spawn = (): Thread => {
    const worker = new Worker(source, {
      eval: isEval,
      workerData: { masterKey: options.masterKey },
      execArgv,
      resourceLimits: {
        maxOldGenerationSizeMb: options.heapMb ?? DEFAULT_HEAP_MB,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
    });
    const thread = { worker, pending: new Map<number, Pending>(), dead: null as Error | null };
    worker.unref();
    worker.on('message', (msg: { id: number; forms?: SignedAwardForms; error?: string }) => {
      const p = thread.pending.get(msg.id);
      if (!p) return;
      thread.pending.delete(msg.id);
      if (thread.pending.size === 0) worker.unref();
      if (msg.forms) p.resolve(msg.forms);
      else p.reject(new Error(msg.error ?? 'signing failed'));
    });
    const fail = (error: Error) => {
      thread.dead = error;
      options.logger?.error({ err: error.message }, 'signing thread stopped');
      for (const p of thread.pending.values()) p.reject(error);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!thread.dead) fail(new Error(`signing thread exited (${code})`));
    });
    return thread;
  };
  // Started at the first signature: most processes (a CLI command, a test app, a server that
  // only verifies) never sign, and each thread loads the whole signing stack.
  let threads: Thread[] | null = null;
  const started = (): Thread[] => {
    if (!threads) {
      threads = Array.from({ length: options.size }, spawn);
      options.masterKey.fill(0);
    }
    return threads;
  };
  let nextId = 0;
  return {
    size: options.size,
    sign(keys, job) {
      const alive = started().filter((t) => !t.dead);
      if (alive.length === 0) return Promise.reject(new Error('no signing thread is running'));
      // The least busy thread: a batch keeps every core at work.
      const thread = alive.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<SignedAwardForms>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.ref();
        thread.worker.postMessage({ id, keys, job });
      });
    },
    forget(keyId) {
      for (const t of threads ?? []) if (!t.dead) t.worker.postMessage({ forget: keyId });
    },
    async close() {
      const all = threads ?? [];
      // Closed before any signature: no thread will ever start with the key.
      options.masterKey.fill(0);
      threads = [];
      for (const t of all) t.dead ??= new Error('the signing threads were closed');
      await Promise.all(all.map((t) => t.worker.terminate()));
    },
  };
}
