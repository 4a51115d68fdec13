/**
 * Render timings of badge images: node --import tsx scripts/bench-badge-art.ts [runs]
 * Each run uses a new level so that the PNG cache never answers.
 */
import { listTemplates, renderBadgePng, renderBadgeSvg } from '../src/libraries/badge-art/index.js';

const runs = Number(process.argv[2] ?? 30);
const title = 'Accompagner une démarche administrative en ligne';

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median=${at(0.5).toFixed(1)}ms p95=${at(0.95).toFixed(1)}ms`;
}

// Warm up: template compilation, font lookup, the native module.
await renderBadgePng('medal', { title: 'warm-up' }, { size: 512 });

for (const t of listTemplates()) {
  const svgMs: number[] = [];
  const pngMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = { title, level: `Niveau ${i}`, issuer: 'Ville de Roubaix' };
    let start = performance.now();
    renderBadgeSvg(t.id, input);
    svgMs.push(performance.now() - start);
    start = performance.now();
    await renderBadgePng(t.id, input, { size: 512 });
    pngMs.push(performance.now() - start);
  }
  console.log(`${t.id.padEnd(8)} svg ${stats(svgMs)}  png512 ${stats(pngMs)}`);
}
const start = performance.now();
await renderBadgePng(
  'medal',
  { title, level: 'Niveau 0', issuer: 'Ville de Roubaix' },
  { size: 512 },
);
console.log(`cached png512 ${(performance.now() - start).toFixed(2)}ms`);
