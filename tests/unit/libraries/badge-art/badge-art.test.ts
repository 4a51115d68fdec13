import fs from 'node:fs';
import path from 'node:path';
import {
  badgeArtKey,
  listPictograms,
  listTemplates,
  renderBadgePng,
  renderBadgeSvg,
  validateBadgeArt,
  LEVEL_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '../../../../src/libraries/badge-art/index.js';
import { ValidationError } from '../../../../src/libraries/errors/app-error.js';
import { badgeTemplatesDir, projectRoot } from '../../../../src/libraries/paths.js';
import { readPngHeader } from '../../../helpers/png.js';
import { elements, parseSvg, titleLines } from '../../../helpers/svg.js';

const templateIds = listTemplates().map((t) => t.id);

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fieldErrors.map((f) => f.field);
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('badge templates', () => {
  it('When templates are listed, then the five designs are there with French and English names', () => {
    expect(templateIds).toEqual(['medal', 'shield', 'hexagon', 'ribbon', 'seal']);
    for (const t of listTemplates()) {
      expect(t.name.fr).not.toBe('');
      expect(t.name.en).not.toBe('');
      expect(t.viewBox).toEqual({ width: 600, height: 600 });
      expect(t.defaults.primaryColor).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('When pictograms are listed, then the built-in set is there, each made of paths only', () => {
    const ids = listPictograms().map((p) => p.id);
    for (const id of [
      'ordinateur',
      'smartphone',
      'accompagnement',
      'demarche',
      'securite',
      'reseau',
      'etoile',
      'livre',
    ]) {
      expect(ids).toContain(id);
    }
    for (const p of listPictograms()) {
      for (const shape of p.shapes) expect(shape.d).toMatch(/^[MmLlHhVvCcSsQqTtAaZz0-9 .,-]+$/);
    }
  });

  it('When template files are read, then none uses raw output, script, style or external references', () => {
    const files = fs
      .readdirSync(badgeTemplatesDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.hbs'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const text = fs.readFileSync(path.join(badgeTemplatesDir, file), 'utf8');
      expect({ file, raw: text.includes('{{{') }).toEqual({ file, raw: false });
      expect(text).not.toMatch(
        /<script|<style|style=|<image|<foreignObject|url\((?!#)|href="(?!#)/i,
      );
    }
  });
});

describe('renderBadgeSvg', () => {
  it.each(templateIds)(
    'When the %s template is rendered, then it is well-formed XML with its name as <title>',
    (id) => {
      const svg = renderBadgeSvg(id, {
        title: 'Accompagner une démarche administrative en ligne',
        level: 'Niveau 2',
        issuer: 'Ville de Roubaix',
      });
      const doc = parseSvg(svg);
      const root = doc.documentElement!;
      expect(root.nodeName).toBe('svg');
      expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
      expect(root.getAttribute('viewBox')).toBe('0 0 600 600');
      expect(elements(doc, 'title')[0]!.textContent).toBe(
        'Accompagner une démarche administrative en ligne — Niveau 2 — Ville de Roubaix',
      );
      expect(titleLines(doc).join(' ')).toBe('Accompagner une démarche administrative en ligne');
      expect(svg).toContain('Niveau 2');
      expect(svg).toContain('Ville de Roubaix');
    },
  );

  const hostile = [
    '</text><script>alert(1)</script>',
    'Fin de CDATA ]]> ici',
    'Tom & Jerry',
    `Les "guillemets" et l'apostrophe`,
    '<![CDATA[ x ]]>',
    '{{title}} et `backticks` = 1',
    '&amp; déjà échappé',
  ];

  it.each(templateIds.flatMap((id) => hostile.map((title) => [id, title] as const)))(
    'When the %s badge is named %j, then the name renders as that text and nothing else',
    (id, title) => {
      const svg = renderBadgeSvg(id, { title, level: title.slice(0, 30), issuer: title });
      const doc = parseSvg(svg);
      expect(svg).not.toMatch(/<script/i);
      expect(elements(doc, 'script')).toHaveLength(0);
      expect(svg).not.toContain('<![CDATA[');
      expect(elements(doc, 'title')[0]!.textContent).toContain(title);
      // Visible lines are the title, cut only between words or after punctuation.
      const visible = titleLines(doc);
      expect([visible.join(' '), visible.join('')]).toContain(title);
    },
  );

  it('When the same values are rendered twice, then the SVG is identical (cacheable)', () => {
    const a = renderBadgeSvg('medal', { title: 'Smartphone' });
    expect(renderBadgeSvg('medal', { title: 'Smartphone' })).toBe(a);
  });

  it('When colours and pictogram are given, then they are used; when absent, the defaults are', () => {
    const custom = renderBadgeSvg('hexagon', {
      title: 'Réseau',
      primaryColor: '#123456',
      secondaryColor: '#ABCDEF',
      pictogram: 'livre',
    });
    expect(custom).toContain('#123456');
    expect(custom).toContain('#abcdef');
    const livre = listPictograms().find((p) => p.id === 'livre')!;
    expect(custom).toContain(livre.shapes[0]!.d);
    const defaults = renderBadgeSvg('hexagon', { title: 'Réseau' });
    const meta = listTemplates().find((t) => t.id === 'hexagon')!;
    expect(defaults).toContain(meta.defaults.primaryColor);
  });

  it('When level and issuer are absent, then no empty text is drawn for them', () => {
    const svg = renderBadgeSvg('ribbon', { title: 'Smartphone' });
    const texts = elements(parseSvg(svg), 'text').map((t) => t.textContent);
    expect(texts).toEqual(['Smartphone']);
  });

  it('When the title has line breaks, tabs or repeated spaces, then they become single spaces', () => {
    const svg = renderBadgeSvg('seal', { title: '  Sécurité\n\tnumérique  ' });
    expect(elements(parseSvg(svg), 'title')[0]!.textContent).toBe('Sécurité numérique');
  });

  it('When two different badges are inlined in one page, then their element ids do not clash', () => {
    const id = (svg: string) => /<title id="([^"]+)"/.exec(svg)![1];
    expect(id(renderBadgeSvg('medal', { title: 'A' }))).not.toBe(
      id(renderBadgeSvg('medal', { title: 'B' })),
    );
  });
});

describe('validateBadgeArt', () => {
  it('When the template is unknown, then a ValidationError names the template field', () => {
    expect(fieldsOf(() => renderBadgeSvg('../../etc/passwd', { title: 'x' }))).toEqual([
      'template',
    ]);
    expect(fieldsOf(() => renderBadgeSvg('__proto__', { title: 'x' }))).toEqual(['template']);
  });

  it('When every value is wrong, then every field is reported at once', () => {
    expect(
      fieldsOf(() =>
        validateBadgeArt('medal', {
          title: '',
          level: 'x'.repeat(31),
          issuer: 'y'.repeat(41),
          primaryColor: 'red',
          secondaryColor: '#12345',
          pictogram: 'licorne',
        }),
      ),
    ).toEqual(['title', 'level', 'issuer', 'primaryColor', 'secondaryColor', 'pictogram']);
  });

  it('When colours are not #rrggbb, then they are refused (no CSS injection through attributes)', () => {
    for (const color of ['#fff', 'url(#x)', '#1234567', '" onload="x', 'rgb(0,0,0)', '#12345g']) {
      expect(
        fieldsOf(() => validateBadgeArt('medal', { title: 't', primaryColor: color })),
      ).toEqual(['primaryColor']);
    }
  });

  it('When the title is longer than the limit, then the error gives the limit', () => {
    try {
      validateBadgeArt('medal', { title: 'a'.repeat(TITLE_MAX_LENGTH + 1) });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).fieldErrors[0]).toMatchObject({
        field: 'title',
        messageKey: 'badgeArt.errors.tooLong',
        params: { max: TITLE_MAX_LENGTH },
      });
    }
    // Characters, not UTF-16 units: an astral letter counts once.
    const level = '𝔸'.repeat(LEVEL_MAX_LENGTH);
    expect(validateBadgeArt('medal', { title: 't', level }).level).toBe(level);
    expect(fieldsOf(() => validateBadgeArt('medal', { title: 't', level: `${level}𝔸` }))).toEqual([
      'level',
    ]);
  });

  it('When text holds control or bidirectional override characters or a lone surrogate, then it is refused', () => {
    for (const title of ['a\u0000b', 'a\u0007b', 'abc\u202edcba', 'a\ud800b', 'x\u0085y']) {
      expect(fieldsOf(() => validateBadgeArt('medal', { title }))).toEqual(['title']);
    }
  });

  it('When the name cannot fit whole on a template even in small print, then that template refuses it, and the ribbon takes it', () => {
    const title = "Concevoir et animer un atelier collectif d'initiation au numérique pour seniors";
    expect(fieldsOf(() => validateBadgeArt('medal', { title }))).toEqual(['title']);
    try {
      validateBadgeArt('medal', { title });
    } catch (err) {
      expect((err as ValidationError).fieldErrors[0]!.messageKey).toBe(
        'badgeArt.errors.titleDoesNotFit',
      );
    }
    expect(validateBadgeArt('ribbon', { title }).title).toBe(title);
    const doc = parseSvg(renderBadgeSvg('ribbon', { title }));
    expect(titleLines(doc).join(' ')).toBe(title);
  });

  it('When values are valid, then they are normalised and defaults are filled in', () => {
    expect(
      validateBadgeArt('shield', { title: ' Cafe\u0301 ', level: '', primaryColor: '#ABCDEF' }),
    ).toEqual({
      title: 'Café',
      level: null,
      issuer: null,
      primaryColor: '#abcdef',
      secondaryColor: listTemplates().find((t) => t.id === 'shield')!.defaults.secondaryColor,
      pictogram: listTemplates().find((t) => t.id === 'shield')!.defaults.pictogram,
    });
  });

  it('When the values differ, then the rendering key differs; when equal, it is stable', () => {
    const v = validateBadgeArt('medal', { title: 'A' });
    expect(badgeArtKey('medal', v, 512)).toBe(badgeArtKey('medal', { ...v }, 512));
    expect(badgeArtKey('medal', v, 512)).not.toBe(badgeArtKey('medal', v, 256));
    expect(badgeArtKey('medal', v)).not.toBe(badgeArtKey('seal', v));
  });
});

describe('renderBadgePng', () => {
  const out = path.join(projectRoot, 'test-results', 'badges');
  beforeAll(() => fs.mkdirSync(out, { recursive: true }));

  it.each(templateIds)(
    'When the %s template is rendered to PNG, then it is a 512 × 512 RGBA PNG',
    async (id) => {
      const png = await renderBadgePng(id, {
        title: 'Accompagner une démarche administrative en ligne',
        level: 'Niveau 2',
        issuer: 'Ville de Roubaix',
        pictogram: 'demarche',
      });
      fs.writeFileSync(path.join(out, `${id}-512.png`), png);
      expect(readPngHeader(png)).toEqual({
        signatureOk: true,
        width: 512,
        height: 512,
        bitDepth: 8,
        colorType: 6,
      });
    },
  );

  it('When a size is asked for, then the PNG has that size', async () => {
    for (const size of [64, 120, 1024]) {
      const header = readPngHeader(await renderBadgePng('seal', { title: 'Étoile' }, { size }));
      expect([header.width, header.height]).toEqual([size, size]);
    }
  });

  it('When the size is out of range or not a whole number, then a ValidationError names the size', async () => {
    for (const size of [63, 1025, 100.5, Number.NaN]) {
      await expect(renderBadgePng('seal', { title: 'x' }, { size })).rejects.toMatchObject({
        fieldErrors: [{ field: 'size', messageKey: 'badgeArt.errors.invalidSize' }],
      });
    }
  });

  it('When the same PNG is asked twice, then equal bytes come back, and changing them does not change the next', async () => {
    const a = await renderBadgePng('shield', { title: 'Cache' }, { size: 64 });
    a.fill(0);
    const b = await renderBadgePng('shield', { title: 'Cache' }, { size: 64 });
    expect(readPngHeader(b).signatureOk).toBe(true);
  });
});

describe('renderBadgePng under load', () => {
  it('When many renders are asked at once, then 2 run, 32 wait, and the rest get 429 at once', async () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      renderBadgePng('medal', { title: `Charge ${i}` }, { size: 64 }).then(
        () => 'rendered',
        (err: { status?: number }) => `refused ${err.status}`,
      ),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'rendered')).toHaveLength(34);
    expect(results.filter((r) => r === 'refused 429')).toHaveLength(6);
    // Afterwards the slots are free again.
    await expect(renderBadgePng('medal', { title: 'Après' }, { size: 64 })).resolves.toBeInstanceOf(
      Buffer,
    );
  });
});
