import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { projectRoot } from '../../libraries/paths.js';
import { frameworkModel, type Framework, type ImportedFrameworkDoc } from './frameworks.model.js';

interface ShippedFile {
  frameworks: {
    id: string;
    name: string;
    lang: string;
    source?: string;
    url?: string;
    levels?: number | null;
    note?: string;
    domains: { code: string; label: string; competencies: [string, string][] }[];
  }[];
  tags?: { id: string; name: string; groups: ThematiqueGroup[] };
}

/**
 * The national "thématiques" of La Coop de la médiation numérique, offered as badge tags: the
 * value stored is the national API value (`aide_aux_demarches_administratives`), so figures
 * agree with the national tool; pages show the French label.
 */
export interface ThematiqueGroup {
  id: string;
  label: string;
  values: { id: string; label: string }[];
}

let shippedCache: { frameworks: Framework[]; thematiques: ThematiqueGroup[] } | undefined;

/** The frameworks and thématiques shipped in resources/frameworks.json, read once. */
export function shippedFrameworks(): { frameworks: Framework[]; thematiques: ThematiqueGroup[] } {
  if (shippedCache) return shippedCache;
  const file = JSON.parse(
    fs.readFileSync(path.join(projectRoot, 'resources', 'frameworks.json'), 'utf8'),
  ) as ShippedFile;
  shippedCache = {
    frameworks: file.frameworks.map((f) => ({
      id: f.id,
      name: f.name,
      lang: f.lang,
      ...(f.source ? { source: f.source } : {}),
      ...(f.url ? { url: f.url } : {}),
      ...(typeof f.levels === 'number' ? { levels: f.levels } : {}),
      ...(f.note ? { note: f.note } : {}),
      origin: 'shipped' as const,
      domains: f.domains.map((d) => ({
        code: d.code,
        label: d.label,
        competencies: d.competencies.map(([code, label]) => ({ code, label })),
      })),
    })),
    thematiques: file.tags?.groups ?? [],
  };
  return shippedCache;
}

let labels: Map<string, string> | undefined;

/** The French label of a thématique tag, or undefined for a free tag. */
export function thematiqueLabel(tag: string): string | undefined {
  labels ??= new Map(
    shippedFrameworks().thematiques.flatMap((g) => g.values.map((v) => [v.id, v.label])),
  );
  return labels.get(tag);
}

function fromDoc(doc: ImportedFrameworkDoc): Framework {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id, origin: 'imported' };
}

export function frameworksRepository(db: Connection) {
  const Model = frameworkModel(db);
  return {
    async list(): Promise<Framework[]> {
      const imported = await Model.find({}).sort({ _id: 1 }).lean<ImportedFrameworkDoc[]>().exec();
      return [...shippedFrameworks().frameworks, ...imported.map(fromDoc)];
    },
    async findById(id: string): Promise<Framework | null> {
      const shipped = shippedFrameworks().frameworks.find((f) => f.id === id);
      if (shipped) return shipped;
      const doc = await Model.findById(id).lean<ImportedFrameworkDoc>().exec();
      return doc ? fromDoc(doc) : null;
    },
    /** Inserts a new imported framework; false when the id is taken (unique `_id`). */
    async insert(framework: Omit<Framework, 'origin'>): Promise<boolean> {
      if (shippedFrameworks().frameworks.some((f) => f.id === framework.id)) return false;
      const { id, ...rest } = framework;
      try {
        await Model.create({ _id: id, ...rest });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
  };
}
export type FrameworksRepository = ReturnType<typeof frameworksRepository>;
