/**
 * Benchmarks: `npm run bench` runs every benchmark, `npm run bench -- <name> [<name>…]` only
 * those. Each prints its figures and one summary line `<name>: key=value …` (ratios included),
 * never a pass/fail: performance targets are read from these numbers, not asserted in tests.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  art: () => import('./art.js'),
  bulk: () => import('./bulk.js'),
  ferretdb: () => import('./ferretdb.js'),
  issuing: () => import('./issuing.js'),
  load: () => import('./load.js'),
  verify: () => import('./verify.js'),
};

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}.`,
  );
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(benches)) {
  console.log(`== ${name}`);
  const mod = await benches[name]!();
  await mod.run();
}
process.exit(0);
