/**
 * Badge image render timings: every template, uncached (a new level each run), as SVG and as
 * a 512 px PNG. Prints one line per template and the summary line
 * `art: templates=… svg_median_ms=… png512_median_ms=… png512_cached_ms=…`.
 */
import {
  listTemplates,
  renderBadgePng,
  renderBadgeSvg,
} from '../../src/libraries/badge-art/index.js';
import { median, percentile } from './stats.js';

export async function run(options: { runs?: number } = {}): Promise<void> {
  const runs = options.runs ?? 30;
  const title = 'Accompagner une démarche administrative en ligne';
  // Warm up: template compilation, font lookup, the native module.
  await renderBadgePng('medal', { title: 'warm-up' }, { size: 512 });

  const allSvg: number[] = [];
  const allPng: number[] = [];
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
    allSvg.push(...svgMs);
    allPng.push(...pngMs);
    console.log(
      `  ${t.id.padEnd(8)} svg median ${median(svgMs).toFixed(2)} ms p95 ${percentile(svgMs, 0.95).toFixed(2)} ms; ` +
        `png512 median ${median(pngMs).toFixed(1)} ms p95 ${percentile(pngMs, 0.95).toFixed(1)} ms`,
    );
  }
  const start = performance.now();
  await renderBadgePng(
    'medal',
    { title, level: 'Niveau 0', issuer: 'Ville de Roubaix' },
    { size: 512 },
  );
  const cached = performance.now() - start;
  console.log(
    `art: templates=${listTemplates().length} svg_median_ms=${median(allSvg).toFixed(2)} ` +
      `png512_median_ms=${median(allPng).toFixed(1)} png512_cached_ms=${cached.toFixed(2)}`,
  );
}
