import { createHash } from 'node:crypto';
import { renderAsync } from '@resvg/resvg-js';
import { TooManyRequestsError, ValidationError, type FieldError } from '../errors/app-error.js';
import { badgeTemplatesDir } from '../paths.js';
import { HEX_COLOR, paletteFor, type BadgePalette } from './colors.js';
import { FONT_FAMILY, systemFonts, type FontSetup } from './fonts.js';
import { findPictogram, PICTOGRAM_GRID, pictograms, type Pictogram } from './pictograms.js';
import {
  TemplateRegistry,
  type BadgeTemplateMeta,
  type CompiledTemplate,
} from './template-registry.js';
import { layoutLine, layoutTitle, type LineLayout, type TitleLayout } from './text-layout.js';

/**
 * Badge images: a coordinator picks a template, colours and a pictogram; this renders the SVG
 * (served as is, or baked) and the PNG (for baking and sharing). All text goes through
 * Handlebars' escaping inside the templates and is validated here first.
 */

export const TITLE_MAX_LENGTH = 80;
export const LEVEL_MAX_LENGTH = 30;
export const ISSUER_MAX_LENGTH = 40;
export const PNG_MIN_SIZE = 64;
export const PNG_MAX_SIZE = 1024;
export const PNG_DEFAULT_SIZE = 512;
/** Largest PNG of a public template preview: the size of a real badge image, no more. */
export const PREVIEW_PNG_MAX_SIZE = 512;

export interface BadgeArtInput {
  /** The badge name. */
  title: string;
  /** E.g. "Niveau 2", "Confirmé". */
  level?: string | null | undefined;
  /** The issuer's short name. */
  issuer?: string | null | undefined;
  /** #rrggbb; the template's default when absent. */
  primaryColor?: string | null | undefined;
  secondaryColor?: string | null | undefined;
  /** A pictogram id from listPictograms(); the template's default when absent. */
  pictogram?: string | null | undefined;
}

/** Input after validation and normalisation, with every default filled in. */
export interface BadgeArtValues {
  title: string;
  level: string | null;
  issuer: string | null;
  primaryColor: string;
  secondaryColor: string;
  pictogram: string;
}

export type BadgeTemplateSummary = BadgeTemplateMeta;
export type { Pictogram };

let registry: TemplateRegistry | undefined;
let fontSetup: FontSetup | undefined;

function fonts(): FontSetup {
  fontSetup ??= systemFonts();
  return fontSetup;
}

/**
 * Renders with these fonts from now on (see resolveFonts): for tests, and for machines whose
 * fonts live outside the usual folders.
 */
export function useBadgeFonts(setup: FontSetup): void {
  fontSetup = setup;
  pngCache.clear();
  pngCacheBytes = 0;
}

function templates(): ReadonlyMap<string, CompiledTemplate> {
  registry ??= new TemplateRegistry(badgeTemplatesDir);
  return registry.templates;
}

/** Every template, in display order. */
export function listTemplates(): BadgeTemplateSummary[] {
  return [...templates().values()].map((t) => t.meta);
}

export function listPictograms(): readonly Pictogram[] {
  return pictograms;
}

export function isTemplateId(id: string): boolean {
  return templates().has(id);
}

// C0 and C1 controls, bidirectional overrides (they reorder text invisibly), non-characters.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function cleanText(
  value: unknown,
  field: string,
  max: number,
  errors: FieldError[],
  required: boolean,
): string | null {
  if (value === undefined || value === null) {
    if (required) errors.push({ field, messageKey: 'badgeArt.errors.required', params: { field } });
    return null;
  }
  if (typeof value !== 'string') {
    errors.push({ field, messageKey: 'badgeArt.errors.notText', params: { field } });
    return null;
  }
  if (LONE_SURROGATE.test(value)) {
    errors.push({ field, messageKey: 'badgeArt.errors.invalidCharacters', params: { field } });
    return null;
  }
  // Line breaks and tabs are layout, not content: the renderer decides the line breaks.
  const text = value
    .normalize('NFC')
    .replace(/[\t\n\r\f\v ]+/g, ' ')
    .trim();
  if (FORBIDDEN_CHARS.test(text)) {
    errors.push({ field, messageKey: 'badgeArt.errors.invalidCharacters', params: { field } });
    return null;
  }
  if (text === '') {
    if (required) errors.push({ field, messageKey: 'badgeArt.errors.required', params: { field } });
    return null;
  }
  const length = [...text].length;
  if (length > max) {
    errors.push({ field, messageKey: 'badgeArt.errors.tooLong', params: { field, max, length } });
    return null;
  }
  return text;
}

function cleanColor(value: unknown, field: string, fallback: string, errors: FieldError[]): string {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || !HEX_COLOR.test(value)) {
    errors.push({ field, messageKey: 'badgeArt.errors.invalidColor', params: { field } });
    return fallback;
  }
  return value.toLowerCase();
}

/** A wider rendering font gets a narrower measure, so that its text fits the same box. */
function narrow<B extends { width: number }>(box: B): B {
  return { ...box, width: box.width / fonts().widthFactor };
}

function templateOrThrow(templateId: string): CompiledTemplate {
  const template = templates().get(templateId);
  if (!template) {
    throw new ValidationError([
      {
        field: 'template',
        messageKey: 'badgeArt.errors.unknownTemplate',
        params: { field: 'template', ids: [...templates().keys()].join(', ') },
      },
    ]);
  }
  return template;
}

/**
 * Checks and normalises what a coordinator typed. Throws a ValidationError listing every
 * problem (fields: template, title, level, issuer, primaryColor, secondaryColor, pictogram).
 */
export function validateBadgeArt(templateId: string, input: BadgeArtInput): BadgeArtValues {
  const template = templateOrThrow(templateId);
  const defaults = template.meta.defaults;
  const errors: FieldError[] = [];
  const title = cleanText(input.title, 'title', TITLE_MAX_LENGTH, errors, true);
  const level = cleanText(input.level, 'level', LEVEL_MAX_LENGTH, errors, false);
  const issuer = cleanText(input.issuer, 'issuer', ISSUER_MAX_LENGTH, errors, false);
  const primaryColor = cleanColor(
    input.primaryColor,
    'primaryColor',
    defaults.primaryColor,
    errors,
  );
  const secondaryColor = cleanColor(
    input.secondaryColor,
    'secondaryColor',
    defaults.secondaryColor,
    errors,
  );
  let pictogram = defaults.pictogram;
  if (input.pictogram !== undefined && input.pictogram !== null && input.pictogram !== '') {
    if (typeof input.pictogram === 'string' && findPictogram(input.pictogram)) {
      pictogram = input.pictogram;
    } else {
      errors.push({
        field: 'pictogram',
        messageKey: 'badgeArt.errors.unknownPictogram',
        params: { field: 'pictogram', ids: pictograms.map((p) => p.id).join(', ') },
      });
    }
  }
  if (errors.length > 0 || title === null) throw new ValidationError(errors);
  // A badge name is never shown cut short: refuse it, so the coordinator shortens it or picks
  // a roomier template. (Level and issuer, secondary texts, end with an ellipsis instead.)
  if (layoutTitle(title, narrow(template.meta.slots.title.box)).truncated) {
    throw new ValidationError([
      { field: 'title', messageKey: 'badgeArt.errors.titleDoesNotFit', params: { field: 'title' } },
    ]);
  }
  return { title, level, issuer, primaryColor, secondaryColor, pictogram };
}

/** What a template sees. Every key is present (strict mode): absent slots are null. */
interface TemplateContext {
  id: string;
  width: number;
  height: number;
  font: string;
  colors: BadgePalette;
  accessibleName: string;
  title: TitleLayout;
  level: LineLayout | null;
  issuer: LineLayout | null;
  pictogram: { transform: string; shapes: { d: string; fill: boolean }[] };
}

function contextFor(
  template: CompiledTemplate,
  values: BadgeArtValues,
  key: string,
): TemplateContext {
  const { meta } = template;
  const slots = meta.slots;
  const picto = findPictogram(values.pictogram)!;
  const box = slots.pictogram.box;
  const scale = box.size / PICTOGRAM_GRID;
  return {
    // Element ids are unique per rendering, so several badges can be inlined in one page.
    id: `b${key.slice(0, 10)}`,
    width: meta.viewBox.width,
    height: meta.viewBox.height,
    font: FONT_FAMILY,
    colors: paletteFor(values.primaryColor, values.secondaryColor),
    accessibleName: [values.title, values.level, values.issuer].filter(Boolean).join(' — '),
    title: layoutTitle(values.title, narrow(slots.title.box)),
    level: values.level ? layoutLine(values.level, narrow(slots.level.box)) : null,
    issuer: values.issuer ? layoutLine(values.issuer, narrow(slots.issuer.box), 'regular') : null,
    pictogram: {
      transform: `translate(${box.cx - box.size / 2} ${box.cy - box.size / 2}) scale(${scale})`,
      shapes: picto.shapes.map((shape) => ({ d: shape.d, fill: shape.fill === true })),
    },
  };
}

/**
 * One pictogram alone, as a small SVG (for pickers and galleries). `color` is #rrggbb.
 * Returns undefined for an unknown pictogram id.
 */
export function renderPictogramSvg(id: string, color = '#1b1b1f'): string | undefined {
  const picto = findPictogram(id);
  if (!picto || !HEX_COLOR.test(color)) return undefined;
  const g = PICTOGRAM_GRID;
  const paths = picto.shapes
    .map((s) => `<path d="${s.d}"${s.fill ? ` fill="${color}"` : ''}/>`)
    .join('');
  // Ids and path data are our own constants and the colour is checked: nothing to escape.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${g * 2}" height="${g * 2}" viewBox="-1 -1 ${g + 2} ${g + 2}" fill="none" stroke="${color}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;
}

/** A stable key for a rendering: same template version and values, same image (for ETags). */
export function badgeArtKey(templateId: string, values: BadgeArtValues, size?: number): string {
  const template = templateOrThrow(templateId);
  return createHash('sha256')
    .update(JSON.stringify([template.version, fonts().family, templateId, values, size ?? null]))
    .digest('hex');
}

/** The badge image as an SVG document (UTF-8 text). Validates `input` first. */
export function renderBadgeSvg(templateId: string, input: BadgeArtInput): string {
  const values = validateBadgeArt(templateId, input);
  const template = templateOrThrow(templateId);
  return template.render(contextFor(template, values, badgeArtKey(templateId, values)));
}

function checkSize(size: unknown): number {
  if (
    typeof size !== 'number' ||
    !Number.isInteger(size) ||
    size < PNG_MIN_SIZE ||
    size > PNG_MAX_SIZE
  ) {
    throw new ValidationError([
      {
        field: 'size',
        messageKey: 'badgeArt.errors.invalidSize',
        params: { field: 'size', min: PNG_MIN_SIZE, max: PNG_MAX_SIZE },
      },
    ]);
  }
  return size;
}

/** At most `maxRunning` renders at a time; beyond `maxWaiting` waiting ones, a 429. */
export interface RenderQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createRenderQueue(maxRunning: number, maxWaiting: number): RenderQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (running < maxRunning) {
        running++;
      } else {
        if (waiting.length >= maxWaiting) {
          throw new TooManyRequestsError({ headers: { 'Retry-After': '5' } });
        }
        // The slot is handed over by the render that finishes: `running` stays as it is.
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}

// Rendering runs on libuv's thread pool, which password hashing and file I/O share: at most
// two renders at a time, and a bounded queue so a flood gets 429s, not a backlog.
const badgeQueue = createRenderQueue(2, 32);

/**
 * The public template previews (anyone, any text) render in a queue of their own: a flood of
 * previews fills this one and gets 429s, while the images of real badges keep theirs.
 */
export const previewRenderQueue = createRenderQueue(1, 8);

// Recently rendered PNGs, keyed by badgeArtKey: the gallery and catalogue ask for the same
// few images again and again. Bounded in bytes.
const PNG_CACHE_BYTES = 16 * 1024 * 1024;
const pngCache = new Map<string, Buffer>();
let pngCacheBytes = 0;

function remember(key: string, png: Buffer): void {
  pngCache.set(key, png);
  pngCacheBytes += png.length;
  for (const [k, v] of pngCache) {
    if (pngCacheBytes <= PNG_CACHE_BYTES) break;
    pngCache.delete(k);
    pngCacheBytes -= v.length;
  }
}

/** The badge image as a square PNG of `size` pixels (64–1024, default 512), transparent corners. */
export async function renderBadgePng(
  templateId: string,
  input: BadgeArtInput,
  options: { size?: number; queue?: RenderQueue } = {},
): Promise<Buffer> {
  const size = checkSize(options.size ?? PNG_DEFAULT_SIZE);
  const values = validateBadgeArt(templateId, input);
  const key = badgeArtKey(templateId, values, size);
  const hit = pngCache.get(key);
  if (hit) {
    // Refresh its place in the LRU order.
    pngCache.delete(key);
    pngCache.set(key, hit);
    // A copy: callers (bakers) may write into the buffer they get.
    return Buffer.from(hit);
  }
  const svg = renderBadgeSvg(templateId, values);
  const png = await (options.queue ?? badgeQueue).run(async () => {
    const image = await renderAsync(svg, {
      fitTo: { mode: 'width', value: size },
      font: fonts().options,
      shapeRendering: 2,
      textRendering: 1,
      logLevel: 'off',
    });
    return image.asPng();
  });
  remember(key, png);
  return Buffer.from(png);
}
