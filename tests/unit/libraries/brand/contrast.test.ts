import {
  contrastRatio,
  formatRatio,
  parseHexColor,
  relativeLuminance,
} from '../../../../src/libraries/brand/contrast.js';
import { ConfigError, loadConfig } from '../../../../src/libraries/config/config.js';

const ratio = (a: string, b: string) => contrastRatio(parseHexColor(a)!, parseHexColor(b)!);

describe('WCAG 2.1 contrast ratio', () => {
  it.each([
    ['#000000', '#ffffff', '21.00:1'],
    ['#777', '#fff', '4.47:1'], // 4.478…: the classic grey that just fails AA
    ['#767676', '#ffffff', '4.54:1'], // the lightest grey that passes AA on white
    ['#1f4e8c', '#ffffff', '8.31:1'],
    ['#ffffff', '#ffffff', '1.00:1'],
  ])('When %s is on %s, then the ratio is %s', (text, background, expected) => {
    expect(formatRatio(ratio(text, background))).toBe(expected);
    // The ratio does not depend on which colour is the text.
    expect(ratio(background, text)).toBeCloseTo(ratio(text, background), 10);
  });

  it('When #777 is on white, then it fails AA and #767676 passes', () => {
    expect(ratio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(ratio('#777777', '#ffffff')).toBeGreaterThan(4.47);
    expect(ratio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('When luminance is asked of black and white, then it is 0 and 1', () => {
    expect(relativeLuminance(parseHexColor('#000')!)).toBe(0);
    expect(relativeLuminance(parseHexColor('#FFF')!)).toBe(1);
  });

  it.each(['red', '#12345', '#gggggg', 'rgb(0,0,0)', ''])(
    'When %j is read as a colour, then it is refused',
    (value) => {
      expect(parseHexColor(value)).toBeUndefined();
    },
  );
});

describe('brand palette in the configuration', () => {
  it('When nothing is set, then the neutral palette starts', () => {
    const c = loadConfig({});
    expect(c.BRAND_NAME).toBe('Coop Badges');
    expect(c.BRAND_FOOTER_LINKS).toEqual([]);
  });

  it('When the link colour is #777, then the start is refused with the ratio and the rule', () => {
    expect(() => loadConfig({ BRAND_LINK_COLOR: '#777' })).toThrow(ConfigError);
    expect(() => loadConfig({ BRAND_LINK_COLOR: '#777' })).toThrow(
      'Invalid configuration: BRAND_LINK_COLOR #777777 on white (#ffffff) has a contrast of 4.47:1, below the 4.5:1 WCAG 2.1 AA requires for links on the page: choose a darker link colour',
    );
  });

  it('When the link colour passes on white but not on the footer grey, then the start is refused', () => {
    // #767676: 4.54:1 on white, 4.15:1 on #f3f4f7.
    expect(() => loadConfig({ BRAND_LINK_COLOR: '#767676' })).toThrow(
      /^Invalid configuration: BRAND_LINK_COLOR #767676 on the footer grey \(#f3f4f7\) has a contrast of 4\.\d\d:1/,
    );
  });

  it('When the header text is white on a light primary, then the start is refused', () => {
    expect(() =>
      loadConfig({ BRAND_PRIMARY_COLOR: '#ff6b6b', BRAND_ON_PRIMARY_COLOR: '#ffffff' }),
    ).toThrow(
      /^Invalid configuration: BRAND_ON_PRIMARY_COLOR #ffffff on BRAND_PRIMARY_COLOR \(#ff6b6b\) has a contrast of 2\.\d\d:1, below the 4\.5:1 WCAG 2\.1 AA requires for header and button text/,
    );
  });

  it('When Roubaix sets a dark red with white text and black links, then it starts', () => {
    const c = loadConfig({
      BRAND_NAME: 'Badges de Roubaix',
      BRAND_PRIMARY_COLOR: '#A8001E',
      BRAND_ON_PRIMARY_COLOR: '#fff',
      BRAND_LINK_COLOR: '#1b1b1f',
      BRAND_FOOTER_LINKS:
        'Ville de Roubaix|https://www.ville-roubaix.fr;Contact|https://www.ville-roubaix.fr/contact',
    });
    expect(c.BRAND_PRIMARY_COLOR).toBe('#a8001e');
    expect(c.BRAND_FOOTER_LINKS).toEqual([
      { label: 'Ville de Roubaix', url: 'https://www.ville-roubaix.fr' },
      { label: 'Contact', url: 'https://www.ville-roubaix.fr/contact' },
    ]);
  });

  it.each([
    ['BRAND_PRIMARY_COLOR', 'blue'],
    ['BRAND_FOOTER_LINKS', 'Ville|javascript:alert(1)'],
    ['BRAND_FOOTER_LINKS', 'https://www.ville-roubaix.fr'],
    ['BRAND_LOGO_FILE', '../secrets.svg'],
    ['BRAND_LOGO_FILE', 'brand/absent.svg'],
  ])('When %s=%s, then the start is refused naming that variable', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${key} `),
    );
  });

  it('When the logo is a file under public/, then it starts', () => {
    expect(loadConfig({ BRAND_LOGO_FILE: 'favicon.svg' }).BRAND_LOGO_FILE).toBe('favicon.svg');
  });
});
