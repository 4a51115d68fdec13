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
  tags?: { id: string; name: string; examples: string[] };
}

let shippedCache: { frameworks: Framework[]; tags: string[] } | undefined;

/** The frameworks shipped in resources/frameworks.json, read once. */
export function shippedFrameworks(): { frameworks: Framework[]; tags: string[] } {
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
    tags: file.tags?.examples ?? [],
  };
  return shippedCache;
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
