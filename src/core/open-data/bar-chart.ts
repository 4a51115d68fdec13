/**
 * A horizontal bar chart as SVG text, drawn on the server (no client script). It carries its
 * own text alternative (role="img", <title> and <desc>); the page puts the same figures in a
 * table next to it. Colours are presentation attributes: the CSP forbids inline styles.
 */
export interface Bar {
  label: string;
  /** null: not published (statistical secrecy). */
  value: number | null;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(opts: {
  id: string;
  title: string;
  /** One sentence that says what the chart shows (read by screen readers). */
  description: string;
  bars: Bar[];
  /** Text drawn for a bar whose value is not published. */
  secretLabel: string;
}): string {
  const labelWidth = 260;
  const barArea = 300;
  const valueWidth = 90;
  const rowH = 28;
  const width = labelWidth + barArea + valueWidth;
  const height = Math.max(1, opts.bars.length) * rowH + 8;
  const max = Math.max(1, ...opts.bars.map((b) => b.value ?? 0));
  const titleId = `${opts.id}-titre`;
  const descId = `${opts.id}-desc`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${esc(opts.id)}" role="img" viewBox="0 0 ${width} ${height}" width="100%" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${esc(opts.title)}</title>`,
    `<desc id="${descId}">${esc(opts.description)}</desc>`,
  ];
  opts.bars.forEach((b, i) => {
    const y = 4 + i * rowH;
    const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 18}" text-anchor="end" font-size="14" fill="#1e1e1e">${esc(label)}</text>`,
    );
    if (b.value === null) {
      parts.push(
        `<rect x="${labelWidth}" y="${y + 4}" width="${barArea}" height="${rowH - 10}" fill="none" stroke="#666" stroke-dasharray="4 3"/>`,
        `<text x="${labelWidth + barArea + 6}" y="${y + 18}" font-size="14" fill="#1e1e1e">${esc(opts.secretLabel)}</text>`,
      );
    } else {
      const w = Math.max(1, Math.round((b.value / max) * barArea));
      parts.push(
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="#000091"/>`,
        `<text x="${labelWidth + w + 6}" y="${y + 18}" font-size="14" fill="#1e1e1e">${b.value}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
