/**
 * npm run fuzz [-- --inputs N] [--seed S] [--timeout-ms T] [--verbose]
 * npm run fuzz -- --recipe '<JSON recipe as printed>'   (replays one input, prints every step)
 * Generated hostile inputs against the real verification service (see harness.ts). The last
 * line is `fuzz: inputs=N crashes=C false_verified=F hangs=H`; the exit code is 1 when any of
 * the three counts is not zero.
 */
import { createHarness, runFuzz, summaryLines } from './harness.js';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function integer(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) {
    console.error(`fuzz: --${name} expects a whole number (got "${raw}")`);
    process.exit(2);
  }
  return n;
}

const recipe = option('recipe');
if (recipe !== undefined) {
  const harness = await createHarness();
  const outcome = await harness.run(JSON.parse(recipe));
  console.log(
    `${outcome.result} (${outcome.label}${outcome.problem ? `: ${outcome.problem}` : ''})`,
  );
  for (const step of outcome.detail?.split(' | ') ?? []) console.log(`  ${step}`);
  await harness.close();
  process.exit(outcome.problem && outcome.problem !== 'false_negative' ? 1 : 0);
}

const inputs = integer('inputs', 10_000);
const seed = integer('seed', Math.floor(Math.random() * 2 ** 31));
const timeoutMs = integer('timeout-ms', 5000);
console.log(`fuzz: seed=${seed} inputs=${inputs} per-input limit=${timeoutMs} ms`);
const summary = await runFuzz({ inputs, seed, timeoutMs, log: (l) => console.log(l) });
for (const line of summaryLines(summary, process.argv.includes('--verbose'))) console.log(line);
// A hung verification may still hold timers: leave now, with the verdict as exit code.
process.exit(summary.crashes + summary.falseVerified + summary.hangs > 0 ? 1 : 0);
