import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import {
  FONT_FAMILY,
  listTemplates,
  renderBadgeSvg,
  resolveFonts,
  systemFonts,
  useBadgeFonts,
  type FontSetup,
} from '../../../../src/libraries/badge-art/index.js';
import { ValidationError } from '../../../../src/libraries/errors/app-error.js';
import { elements, parseSvg } from '../../../helpers/svg.js';

const system = systemFonts();

/** A font folder holding only DejaVu Sans, as on a minimal Debian server (fonts-dejavu-core). */
function dejavuOnly(): { dir: string; setup: FontSetup } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'badge-fonts-'));
  for (const file of system.files.filter((f) => /DejaVuSans(-Bold)?\.ttf$/.test(f))) {
    fs.copyFileSync(file, path.join(dir, path.basename(file)));
  }
  return { dir, setup: resolveFonts([dir]) };
}

/** The width resvg really gives `text` with these fonts. */
function renderedWidth(text: string, fontSize: number, weight: string, setup: FontSetup): number {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="200" font-family="${FONT_FAMILY}"><text x="10" y="100" font-size="${fontSize}" font-weight="${weight}">${escaped}</text></svg>`;
  return new Resvg(svg, { font: setup.options }).getBBox()?.width ?? 0;
}

describe('badge fonts', () => {
  it('When this machine is set up, then Liberation Sans is found and the system scan is off', () => {
    expect(system.family).toBe('Liberation Sans');
    expect(system.widthFactor).toBe(1);
    expect(system.options.loadSystemFonts).toBe(false);
    expect(system.files.some((f) => f.endsWith('LiberationSans-Bold.ttf'))).toBe(true);
  });

  it('When only DejaVu Sans is installed, then it is used with a wider width factor', () => {
    const { dir, setup } = dejavuOnly();
    try {
      expect(setup.family).toBe('DejaVu Sans');
      expect(setup.widthFactor).toBeGreaterThan(1.1);
      expect(setup.options.sansSerifFamily).toBe('DejaVu Sans');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('When no known font is installed, then resvg scans the system fonts with a safe width factor', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'badge-fonts-'));
    try {
      const setup = resolveFonts([empty]);
      expect(setup.options.loadSystemFonts).toBe(true);
      expect(setup.widthFactor).toBeGreaterThan(1.12);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  const titles = [
    'Accompagner une démarche administrative en ligne',
    'WWWWWWWWWW MMMMMMMMMM WWWWWWWWWW',
    'Éducation aux médias : déjouer les « fake news »',
  ];

  describe.each([
    ['Liberation Sans', () => ({ dir: '', setup: system }), false],
    ['DejaVu Sans only', dejavuOnly, true],
  ] as const)('with %s', (_name, make, mayRefuse) => {
    let dir = '';
    let setup: FontSetup;
    beforeAll(() => {
      ({ dir, setup } = make());
      useBadgeFonts(setup);
    });
    afterAll(() => {
      useBadgeFonts(system);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it.each(listTemplates().flatMap((t) => titles.map((title) => [t.id, title] as const)))(
      'When %s is titled %j, then each rendered line is narrower than the title box',
      (id, title) => {
        const meta = listTemplates().find((t) => t.id === id)!;
        let svg: string;
        try {
          svg = renderBadgeSvg(id, { title, level: 'Initié / Confirmé / Expert' });
        } catch (err) {
          // With a wider font, a long name may be refused as too long for the template (a
          // clear error), never drawn past its box.
          expect(mayRefuse).toBe(true);
          expect(err).toBeInstanceOf(ValidationError);
          expect((err as ValidationError).fieldErrors[0]!.messageKey).toBe(
            'badgeArt.errors.titleDoesNotFit',
          );
          return;
        }
        const doc = parseSvg(svg);
        const titleText = elements(doc, 'tspan')[0]!.parentNode as unknown as {
          getAttribute(n: string): string;
        };
        const fontSize = Number(titleText.getAttribute('font-size'));
        for (const tspan of elements(doc, 'tspan')) {
          const width = renderedWidth(tspan.textContent ?? '', fontSize, '700', setup);
          expect(width).toBeGreaterThan(0);
          expect(width).toBeLessThanOrEqual(meta.slots.title.box.width);
        }
      },
    );
  });
});
