import type { FieldError } from '../../libraries/errors/app-error.js';
import { ValidationError } from '../../libraries/errors/app-error.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { FrameworksRepository } from './frameworks.repository.js';
import { parseFrameworkCsv, parseFrameworkJson, type FrameworkMeta } from './framework-file.js';

/**
 * An administrator imports another competency framework from a CSV or JSON file. The file
 * format is recognised from its content, not its name; nothing is stored unless every line is
 * valid, and an existing identifier is never overwritten.
 */
export async function importFramework(
  deps: { repo: FrameworksRepository; audit: Audit; clock: () => Date },
  input: {
    meta: FrameworkMeta;
    file: Buffer | undefined;
    actor: { id: string; email?: string };
    ip: string;
  },
): Promise<{ id: string; competencies: number }> {
  const errors: FieldError[] = [];
  if (!input.file || input.file.length === 0) {
    errors.push({ field: 'fichier', messageKey: 'frameworks.import.errors.noFile' });
    throw new ValidationError(errors);
  }
  const text = input.file.toString('utf8');
  if (text.includes('\u0000') || text.includes('\ufffd')) {
    throw new ValidationError([
      { field: 'fichier', messageKey: 'frameworks.import.errors.encoding' },
    ]);
  }
  const looksJson = /^\s*[[{]/.test(text.replace(/^\ufeff/, ''));
  const result = looksJson
    ? parseFrameworkJson(text, input.meta)
    : parseFrameworkCsv(text, input.meta);
  if (!result.ok) {
    // Errors about the file point at the file field of the form.
    throw new ValidationError(
      result.errors.map((e) => (e.field === 'file' ? { ...e, field: 'fichier' } : e)),
    );
  }
  const framework = { ...result.framework, importedAt: deps.clock(), importedBy: input.actor.id };
  if (!(await deps.repo.insert(framework))) {
    throw new ValidationError([{ field: 'id', messageKey: 'frameworks.import.errors.idTaken' }]);
  }
  const competencies = framework.domains.reduce((n, d) => n + d.competencies.length, 0);
  await deps.audit.record({
    action: 'framework.imported',
    actor: input.actor,
    target: { type: 'framework', id: framework.id },
    ip: input.ip,
    details: { name: framework.name, competencies },
  });
  return { id: framework.id, competencies };
}
