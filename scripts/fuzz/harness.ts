/**
 * Runs generated inputs through the real verification service (the one the app builds, with
 * the platform's configuration defaults), in process, and checks per input:
 * - no crash: a report comes back (or the documented VerificationInputError for refused
 *   input), and the service logged no unexpected error;
 * - no hang: an answer within the time limit;
 * - no `verified` / `warning` for an input no key of its claimed issuer signed
 *   (`false_verified`); genuine inputs that fail are counted too (false negatives).
 * The first failure is replayed by fast-check from its seed and path and shrunk.
 */
import fc from 'fast-check';
import {
  VerificationInputError,
  createVerificationService,
  type VerificationService,
} from '../../src/components/verification/verification.use-case.js';
import { VerificationMessage } from '../../src/components/verification/verification-messages.js';
import { loadConfig } from '../../src/libraries/config/config.js';
import { createLogger } from '../../src/libraries/logger/logger.js';
import { buildInput, type Built, type Label } from './build.js';
import { recipeArb, type Recipe } from './recipes.js';
import { NOW, PUBLIC_URL, createWorld, type World } from './world.js';

export type Problem = 'crash' | 'false_verified' | 'hang' | 'false_negative';

export interface Outcome {
  label: Label;
  kind: string;
  container: string;
  /** verified | warning | not_verified | refused (input error) | hang | crash */
  result: string;
  problem?: Problem;
  detail?: string;
}

export interface Failure {
  problem: Problem;
  run: number;
  recipe: Recipe;
  outcome: Outcome;
  shrunk?: { recipe: Recipe; outcome: Outcome; path: string };
}

export interface FuzzSummary {
  seed: number;
  inputs: number;
  crashes: number;
  falseVerified: number;
  hangs: number;
  falseNegatives: number;
  ms: number;
  kinds: Record<string, number>;
  containers: Record<string, number>;
  /** label → result → count */
  results: Record<string, Record<string, number>>;
  failures: Failure[];
  /** A few unshrunk examples of each problem (printed with --verbose). */
  examples: Failure[];
}

export interface FuzzOptions {
  inputs: number;
  seed: number;
  /** Per-input time limit (ms). */
  timeoutMs?: number;
  /** Replay and shrink the first failure (default true). */
  shrink?: boolean;
  /** Time fast-check may spend shrinking one failure (ms). */
  shrinkMs?: number;
  log?: (line: string) => void;
}

interface Harness {
  world: World;
  service: VerificationService;
  run(recipe: Recipe): Promise<Outcome>;
  close(): Promise<void>;
}

export async function createHarness(timeoutMs = 5000): Promise<Harness> {
  const world = await createWorld();
  // The platform's defaults; only PUBLIC_URL names the victim's host.
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL });
  let loggedErrors = 0;
  let lastError = '';
  const logger = createLogger(
    { level: 'error', name: 'fuzz' },
    {
      write(line: string) {
        loggedErrors++;
        lastError = line.slice(0, 600);
      },
    },
  );
  const own = world.parties.own;
  const ownKeys = new Set([...Object.values(own.ob2Refs), ...Object.values(own.ob3Refs)]);
  const service = createVerificationService({
    config,
    logger,
    clock: () => NOW,
    externalFetcher: world.fetch,
    ownBadges: {
      documents: world.fetch,
      isKnownIssuer: (id) => id === own.ob2Id || id === own.ob3Id,
      // Our issuer's stored keys, as the awards component answers from the database.
      issuerKeyStatus: async (issuerId, keyId) =>
        (issuerId === own.ob2Id || issuerId === own.ob3Id) && ownKeys.has(keyId)
          ? 'active'
          : undefined,
    },
  });

  async function verifyOnce(built: Built): Promise<Omit<Outcome, 'label' | 'kind' | 'container'>> {
    const before = loggedErrors;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'hang'>((resolve) => {
      timer = setTimeout(() => resolve('hang'), timeoutMs);
    });
    const answer = await Promise.race([
      service.verify(built.input, built.email ? { expectedEmail: built.email } : {}).then(
        (o) => ({ o }),
        (e: unknown) => ({ e }),
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (answer === 'hang')
      return { result: 'hang', problem: 'hang', detail: `no answer in ${timeoutMs} ms` };
    if ('e' in answer) {
      if (answer.e instanceof VerificationInputError) return { result: 'refused' };
      return {
        result: 'crash',
        problem: 'crash',
        detail: String((answer.e as Error)?.stack ?? answer.e),
      };
    }
    const report = answer.o?.report;
    if (!report || !['verified', 'warning', 'not_verified'].includes(report.verdict)) {
      return {
        result: 'crash',
        problem: 'crash',
        detail: `no report: ${JSON.stringify(answer.o)?.slice(0, 300)}`,
      };
    }
    const unexpected = report.steps.some((s) => s.message === VerificationMessage.unexpected);
    if (unexpected || loggedErrors > before) {
      return { result: 'crash', problem: 'crash', detail: lastError || 'unexpected error step' };
    }
    const steps = report.steps
      .map(
        (s) => `${s.id}:${s.level}:${s.message}${s.detail ? ` (${s.detail.slice(0, 160)})` : ''}`,
      )
      .join(' | ');
    return { result: report.verdict, detail: `issuer=${report.badge?.issuer?.id ?? '-'} ${steps}` };
  }

  return {
    world,
    service,
    async run(recipe) {
      const built = await buildInput(recipe, world);
      try {
        const o = await verifyOnce(built);
        let problem = o.problem;
        if (
          !problem &&
          built.label === 'forged' &&
          (o.result === 'verified' || o.result === 'warning')
        ) {
          problem = 'false_verified';
        }
        if (
          !problem &&
          built.label === 'genuine' &&
          o.result !== 'verified' &&
          o.result !== 'warning'
        ) {
          problem = 'false_negative';
        }
        return {
          label: built.label,
          kind: built.kind,
          container: built.container,
          result: o.result,
          ...(problem ? { problem } : {}),
          ...(o.detail ? { detail: o.detail } : {}),
        };
      } finally {
        for (const url of built.served) world.unserve(url);
      }
    },
    close: () => service.close(),
  };
}

const PRIORITY: Problem[] = ['false_verified', 'crash', 'false_negative', 'hang'];

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const { inputs, seed } = options;
  const log = options.log ?? (() => {});
  const harness = await createHarness(options.timeoutMs ?? 5000);
  const summary: FuzzSummary = {
    seed,
    inputs: 0,
    crashes: 0,
    falseVerified: 0,
    hangs: 0,
    falseNegatives: 0,
    ms: 0,
    kinds: {},
    containers: {},
    results: {},
    failures: [],
    examples: [],
  };
  const first = new Map<Problem, Failure>();
  const started = Date.now();
  let run = 0;
  try {
    await fc.assert(
      fc.asyncProperty(recipeArb, async (recipe) => {
        const index = run++;
        const outcome = await harness.run(recipe);
        summary.inputs++;
        summary.kinds[outcome.kind] = (summary.kinds[outcome.kind] ?? 0) + 1;
        summary.containers[outcome.container] = (summary.containers[outcome.container] ?? 0) + 1;
        const byLabel = (summary.results[outcome.label] ??= {});
        byLabel[outcome.result] = (byLabel[outcome.result] ?? 0) + 1;
        if (outcome.problem === 'crash') summary.crashes++;
        if (outcome.problem === 'hang') summary.hangs++;
        if (outcome.problem === 'false_verified') summary.falseVerified++;
        if (outcome.problem === 'false_negative') summary.falseNegatives++;
        if (outcome.problem) {
          const same = summary.examples.filter((e) => e.problem === outcome.problem).length;
          if (same < 5)
            summary.examples.push({ problem: outcome.problem, run: index, recipe, outcome });
          if (!first.has(outcome.problem)) {
            first.set(outcome.problem, { problem: outcome.problem, run: index, recipe, outcome });
          }
        }
        if (summary.inputs % 1000 === 0) {
          log(
            `fuzz: … ${summary.inputs} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s, crashes=${summary.crashes} false_verified=${summary.falseVerified} hangs=${summary.hangs}`,
          );
        }
        return true;
      }),
      { seed, numRuns: inputs },
    );
    summary.ms = Date.now() - started;

    for (const problem of PRIORITY) {
      const failure = first.get(problem);
      if (!failure) continue;
      summary.failures.push(failure);
      if (options.shrink !== false && problem !== 'hang') {
        failure.shrunk = await shrink(harness, seed, inputs, failure, options.shrinkMs ?? 120_000);
      }
    }
  } finally {
    await harness.close();
  }
  return summary;
}

/** Replays run `failure.run` of the same seed and lets fast-check shrink it. */
async function shrink(
  harness: Harness,
  seed: number,
  inputs: number,
  failure: Failure,
  limitMs: number,
): Promise<Failure['shrunk']> {
  let last: { recipe: Recipe; outcome: Outcome } | undefined;
  const details = await fc.check(
    fc.asyncProperty(recipeArb, async (recipe) => {
      const outcome = await harness.run(recipe);
      if (outcome.problem === failure.problem) {
        last = { recipe, outcome };
        return false;
      }
      return true;
    }),
    { seed, path: String(failure.run), numRuns: inputs, interruptAfterTimeLimit: limitMs },
  );
  if (!details.failed || !last) return undefined;
  return { ...last, path: details.counterexamplePath ?? String(failure.run) };
}

/** A recipe as one line of JSON (byte arrays shown in hex, long strings cut). */
export function showRecipe(recipe: Recipe): string {
  return JSON.stringify(recipe, (_k, v: unknown) => {
    if (v instanceof Uint8Array)
      return `hex:${Buffer.from(v.subarray(0, 64)).toString('hex')}${v.length > 64 ? `…(${v.length} bytes)` : ''}`;
    if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}…(${v.length} chars)`;
    return v;
  });
}

export function summaryLines(s: FuzzSummary, verbose = false): string[] {
  const counts = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  const lines = [
    `fuzz: seed=${s.seed} (rerun: npm run fuzz -- --seed ${s.seed} --inputs ${s.inputs})`,
    `fuzz: time=${(s.ms / 1000).toFixed(1)} s (${((s.inputs / Math.max(s.ms, 1)) * 1000).toFixed(0)} inputs/s)`,
    `fuzz: kinds ${counts(s.kinds)}`,
    `fuzz: containers ${counts(s.containers)}`,
    ...Object.entries(s.results).map(([label, r]) => `fuzz: ${label} inputs → ${counts(r)}`),
    `fuzz: genuine inputs not verified (false negatives)=${s.falseNegatives}`,
  ];
  if (verbose) {
    for (const e of s.examples) {
      lines.push(
        `fuzz: example ${e.problem} run ${e.run}: ${showRecipe(e.recipe)}`,
        `fuzz:   → ${e.outcome.result} (${e.outcome.label}) ${e.outcome.detail?.slice(0, 1500) ?? ''}`,
      );
    }
  }
  for (const f of s.failures) {
    lines.push(
      `fuzz: first ${f.problem} at run ${f.run} (seed ${s.seed}, path "${f.run}"): ${showRecipe(f.recipe)}`,
      `fuzz:   → ${f.outcome.result} (${f.outcome.label}) ${f.outcome.detail?.slice(0, 1500) ?? ''}`,
    );
    if (f.shrunk) {
      lines.push(
        `fuzz:   shrunk (seed ${s.seed}, path "${f.shrunk.path}"): ${showRecipe(f.shrunk.recipe)}`,
        `fuzz:   → ${f.shrunk.outcome.result} (${f.shrunk.outcome.label}) ${f.shrunk.outcome.detail?.slice(0, 1500) ?? ''}`,
      );
    }
  }
  lines.push(
    `fuzz: inputs=${s.inputs} crashes=${s.crashes} false_verified=${s.falseVerified} hangs=${s.hangs}`,
  );
  return lines;
}
