import {
  contrast,
  mix,
  paletteFor,
  readableOn,
  textOn,
  WHITE,
  INK,
} from '../../../../src/libraries/badge-art/colors.js';

describe('badge colours', () => {
  it('When contrast is computed, then it follows WCAG (black on white is 21:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('When colours are mixed, then the ends are the inputs', () => {
    expect(mix('#1f4e8c', '#ffffff', 0)).toBe('#1f4e8c');
    expect(mix('#1f4e8c', '#ffffff', 1)).toBe('#ffffff');
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  it('When text sits on a dark or a light colour, then it is white or ink accordingly', () => {
    expect(textOn('#1f4e8c')).toBe(WHITE);
    expect(textOn('#ffd54f')).toBe(INK);
  });

  it('When a light colour is asked to read on white, then it is darkened until it reaches 4.5:1', () => {
    const c = readableOn('#ffd54f', WHITE);
    expect(contrast(c, WHITE)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(['#ffd54f', '#1f4e8c', '#00ff00', '#ffffff', '#000000', '#808080', '#c8102e'])(
    'When the primary colour is %s, then every text colour of the palette meets WCAG AA',
    (primary) => {
      const p = paletteFor(primary, primary);
      expect(contrast(p.title, p.panel)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.muted, p.panel)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.onPrimary, p.primary)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.onSecondary, p.secondary)).toBeGreaterThanOrEqual(4.5);
    },
  );
});
