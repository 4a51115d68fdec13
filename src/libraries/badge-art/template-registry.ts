import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { z } from 'zod';
import { HEX_COLOR } from './colors.js';
import { pictograms } from './pictograms.js';

/**
 * Badge templates are data: `badge-templates/<id>/badge.svg.hbs` and `meta.json`, plus shared
 * partials in `badge-templates/_partials/`. They are read and compiled once per process, in a
 * Handlebars environment of their own (no app helpers), in strict mode and with known helpers
 * only, so a template cannot call anything but `if`, `each`, `with` and the partials.
 */

const bilingual = z.object({ fr: z.string().min(1), en: z.string().min(1) });
const hex = z.string().regex(HEX_COLOR, 'expected #rrggbb');
const positive = z.number().positive();

const textBox = z.object({
  cx: z.number(),
  cy: z.number(),
  width: positive,
  height: positive,
  maxLines: z.number().int().min(1).max(3),
  maxFontSize: positive,
  minFontSize: positive,
  lineHeight: positive,
});

const lineBox = z.object({
  cx: z.number(),
  y: z.number(),
  width: positive,
  maxFontSize: positive,
  minFontSize: positive,
});

export const templateMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
    order: z.number().int(),
    name: bilingual,
    description: bilingual,
    viewBox: z.object({ width: positive, height: positive }),
    defaults: z.object({
      primaryColor: hex,
      secondaryColor: hex,
      pictogram: z.string().refine((id) => pictograms.some((p) => p.id === id), {
        message: 'unknown pictogram',
      }),
    }),
    slots: z.object({
      title: z.object({ description: bilingual, box: textBox }),
      level: z.object({ description: bilingual, box: lineBox }),
      issuer: z.object({ description: bilingual, box: lineBox }),
      pictogram: z.object({
        description: bilingual,
        box: z.object({ cx: z.number(), cy: z.number(), size: positive }),
      }),
      primaryColor: z.object({ description: bilingual }),
      secondaryColor: z.object({ description: bilingual }),
    }),
  })
  .strict();

export type BadgeTemplateMeta = z.infer<typeof templateMetaSchema>;

export interface CompiledTemplate {
  meta: BadgeTemplateMeta;
  render: Handlebars.TemplateDelegate;
  /** Changes whenever the template, its partials or the pictograms change (for ETags). */
  version: string;
}

/** Bump when the renderer's output changes for the same template files. */
const RENDERER_REVISION = '1';

export class TemplateRegistry {
  readonly templates: ReadonlyMap<string, CompiledTemplate>;

  constructor(dir: string) {
    const hbs = Handlebars.create();
    const partialsDir = path.join(dir, '_partials');
    const digest = createHash('sha256').update(RENDERER_REVISION);
    digest.update(JSON.stringify(pictograms));
    if (fs.existsSync(partialsDir)) {
      for (const file of fs.readdirSync(partialsDir).sort()) {
        if (!file.endsWith('.svg.hbs')) continue;
        const source = fs.readFileSync(path.join(partialsDir, file), 'utf8');
        hbs.registerPartial(file.slice(0, -'.svg.hbs'.length), source);
        digest.update(source);
      }
    }
    const common = digest.digest('hex');
    const templates = new Map<string, CompiledTemplate>();
    const folders = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('_'))
      .map((e) => e.name);
    for (const folder of folders) {
      const metaText = fs.readFileSync(path.join(dir, folder, 'meta.json'), 'utf8');
      const parsed = templateMetaSchema.safeParse(JSON.parse(metaText));
      if (!parsed.success) {
        throw new Error(
          `badge-templates/${folder}/meta.json is invalid: ${parsed.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')}`,
        );
      }
      const meta = parsed.data;
      if (meta.id !== folder) {
        throw new Error(`badge-templates/${folder}/meta.json: id "${meta.id}" must be "${folder}"`);
      }
      const source = fs.readFileSync(path.join(dir, folder, 'badge.svg.hbs'), 'utf8');
      const render = hbs.compile(source, { strict: true, knownHelpersOnly: true });
      const version = createHash('sha256')
        .update(common)
        .update(metaText)
        .update(source)
        .digest('hex')
        .slice(0, 16);
      templates.set(meta.id, { meta, render, version });
    }
    this.templates = new Map(
      [...templates.entries()].sort(([, a], [, b]) => a.meta.order - b.meta.order),
    );
  }
}
