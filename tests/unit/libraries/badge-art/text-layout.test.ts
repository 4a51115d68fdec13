import {
  breakUnits,
  layoutLine,
  layoutTitle,
  measureText,
  truncateToFit,
  wrapText,
  type TextBox,
} from '../../../../src/libraries/badge-art/text-layout.js';

const box: TextBox = {
  cx: 300,
  cy: 300,
  width: 400,
  height: 190,
  maxLines: 3,
  maxFontSize: 64,
  minFontSize: 30,
  lineHeight: 1.1,
};

/** Width of the widest line of a layout, in the box's units. */
function widest(layout: ReturnType<typeof layoutTitle>): number {
  return Math.max(...layout.lines.map((l) => measureText(l.text) * layout.fontSize));
}

describe('measureText', () => {
  it('When text is measured, then wide letters count more than narrow ones', () => {
    expect(measureText('MMMM')).toBeGreaterThan(measureText('iiii') * 2);
  });

  it('When text has French accents, then they are measured like their base letters', () => {
    expect(measureText('é')).toBeCloseTo(measureText('e'), 1);
    expect(measureText('Œuvre')).toBeGreaterThan(measureText('Ouvre'));
  });

  it('When a character is not in the table, then it gets a safe (wide) width', () => {
    expect(measureText('字')).toBe(1);
    expect(measureText('Ж')).toBeGreaterThanOrEqual(0.7);
  });
});

describe('wrapText', () => {
  it('When words fit, then they share a line', () => {
    expect(wrapText('Niveau 2', 20)).toEqual(['Niveau 2']);
  });

  it('When a line is full, then the next word starts a new line', () => {
    const lines = wrapText('Accompagner une démarche administrative en ligne', 10);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('Accompagner une démarche administrative en ligne');
    for (const line of lines) expect(measureText(line)).toBeLessThanOrEqual(10);
  });

  it('When French punctuation stands after a space, then the line never breaks before it, nor after «', () => {
    expect(breakUnits('Éducation aux médias : déjouer les « fake news » !')).toEqual([
      'Éducation',
      'aux',
      'médias :',
      'déjouer',
      'les',
      '« fake',
      'news » !',
    ]);
    const title = 'Éducation aux médias : déjouer les « fake news » ?';
    // From the widest unit (narrower, a unit itself must be cut) to one line.
    const widest = Math.max(...breakUnits(title).map((u) => measureText(u)));
    for (let maxEm = widest; maxEm < 20; maxEm += 0.25) {
      for (const line of wrapText(title, maxEm)) {
        expect(line).not.toMatch(/^[:;!?»]|«$/);
      }
    }
  });

  it('When one word is wider than the line, then it is cut with a hyphen between letters', () => {
    const lines = wrapText('Anticonstitutionnellement', 6);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/-$/);
    expect(lines.join('').replace(/-/g, '')).toBe('Anticonstitutionnellement');
    for (const line of lines) expect(measureText(line)).toBeLessThanOrEqual(6);
  });

  it('When a long word holds punctuation, then it is cut after the punctuation, without hyphen', () => {
    const lines = wrapText('</text><script>alert(1)</script>', 9);
    expect(lines.join('')).toBe('</text><script>alert(1)</script>');
  });
});

describe('layoutTitle', () => {
  it('When the title is short, then it gets the largest size on one line', () => {
    const layout = layoutTitle('Smartphone', box);
    expect(layout.lines.map((l) => l.text)).toEqual(['Smartphone']);
    expect(layout.fontSize).toBeGreaterThan(50);
    expect(layout.lines[0]!.y).toBeGreaterThan(box.cy);
  });

  it('When the title is long, then it wraps over at most 3 lines and shrinks to fit the box', () => {
    const title = 'Accompagner une démarche administrative en ligne';
    const layout = layoutTitle(title, box);
    expect(layout.lines.length).toBeLessThanOrEqual(3);
    expect(layout.lines.map((l) => l.text).join(' ')).toBe(title);
    expect(layout.fontSize).toBeLessThan(box.maxFontSize);
    expect(layout.fontSize).toBeGreaterThanOrEqual(box.minFontSize);
    expect(widest(layout)).toBeLessThanOrEqual(box.width);
  });

  it('When lines are laid out, then they are centred on the box and stay inside it vertically', () => {
    const layout = layoutTitle('Éducation aux médias : déjouer les « fake news »', box);
    const first = layout.lines[0]!.y - 0.72 * layout.fontSize;
    const last = layout.lines[layout.lines.length - 1]!.y;
    expect(first).toBeGreaterThanOrEqual(box.cy - box.height / 2 - 0.5);
    expect(last).toBeLessThanOrEqual(box.cy + box.height / 2 + 0.5);
    expect(Math.abs((first + last) / 2 - box.cy)).toBeLessThan(1);
    for (const line of layout.lines) expect(line.x).toBe(box.cx);
  });

  it('When a single word is too wide at the largest size, then the font shrinks rather than cutting the word', () => {
    const layout = layoutTitle('Smartphonisation', { ...box, width: 300 });
    expect(layout.lines.map((l) => l.text)).toEqual(['Smartphonisation']);
  });

  it('When lines are wrapped, then they come out even rather than one long and one short', () => {
    const layout = layoutTitle('Accompagner une démarche en ligne', { ...box, maxLines: 2 });
    const widths = layout.lines.map((l) => measureText(l.text));
    expect(layout.lines.length).toBe(2);
    expect(Math.max(...widths) / Math.min(...widths)).toBeLessThan(1.6);
  });

  it('When the title cannot fit even at the smallest size, then it ends with an ellipsis and never overflows', () => {
    const title = 'Mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm mmmmmm';
    const layout = layoutTitle(title, box);
    expect(layout.fontSize).toBe(box.minFontSize);
    expect(layout.lines.length).toBe(3);
    expect(layout.lines[2]!.text).toMatch(/…$/);
    expect(widest(layout)).toBeLessThanOrEqual(box.width);
  });
});

describe('layoutLine and truncateToFit', () => {
  const line = { cx: 300, y: 450, width: 200, maxFontSize: 32, minFontSize: 16 };

  it('When the text is short, then it keeps the largest size', () => {
    expect(layoutLine('Expert', line)).toEqual({ text: 'Expert', fontSize: 32, x: 300, y: 450 });
  });

  it('When the text is long, then it shrinks, and is cut with an ellipsis at the smallest size', () => {
    const mid = layoutLine('Initié / Confirmé', line);
    expect(mid.fontSize).toBeLessThan(32);
    expect(measureText(mid.text) * mid.fontSize).toBeLessThanOrEqual(200);
    const long = layoutLine('Coopérative des médiateurs numériques de Roubaix', line);
    expect(long.fontSize).toBe(16);
    expect(long.text).toMatch(/…$/);
    expect(measureText(long.text) * 16).toBeLessThanOrEqual(200);
  });

  it('When text already fits, then truncateToFit leaves it alone', () => {
    expect(truncateToFit('Niveau 2', 10)).toBe('Niveau 2');
  });
});
