import type { Audit } from '../audit/audit.use-case.js';
import type { Framework } from './frameworks.model.js';
import { importFramework } from './import-framework.use-case.js';
import {
  shippedFrameworks,
  thematiqueLabel,
  type FrameworksRepository,
  type ThematiqueGroup,
} from './frameworks.repository.js';

export { thematiqueLabel, type ThematiqueGroup };

/** The national thématiques offered as badge tags, grouped as the national tool groups them. */
export function thematiqueGroups(): ThematiqueGroup[] {
  return shippedFrameworks().thematiques;
}

/** Reading the frameworks (shipped and imported) and importing a new one. */
export function frameworksUseCases(deps: {
  repo: FrameworksRepository;
  audit: Audit;
  clock: () => Date;
}) {
  return {
    list: (): Promise<Framework[]> => deps.repo.list(),
    findById: (id: string): Promise<Framework | null> => deps.repo.findById(id),
    importFramework: (input: Parameters<typeof importFramework>[1]) => importFramework(deps, input),
  };
}
export type FrameworksUseCases = ReturnType<typeof frameworksUseCases>;

/** The read side alone, for pages that only list the frameworks. */
export function frameworksReader(repo: FrameworksRepository): Pick<FrameworksUseCases, 'list'> {
  return { list: () => repo.list() };
}
