import path from 'node:path';
import { ESLint } from 'eslint';

// The project's own eslint.config.js, applied to planted files that are never written to disk.
const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.js') });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const controller = 'src/components/planted/planted.controller.ts';

describe('component boundaries (ESLint)', () => {
  it('rejects a controller that imports a repository', async () => {
    const errors = await boundaryErrors(
      controller,
      "import { awardsRepository } from '../awards/awards.repository.js';\n" +
        'export const x = awardsRepository;\n',
    );
    expect(errors).toEqual([
      expect.stringContaining(
        'A controller talks to use cases only: no repository or model import',
      ),
    ]);
  });

  it('rejects a controller that imports a model, even for a type', async () => {
    const errors = await boundaryErrors(
      controller,
      "import type { AwardDoc } from './award.model.js';\nexport type X = AwardDoc;\n",
    );
    expect(errors).toEqual([expect.stringContaining('no repository or model import')]);
  });

  it('rejects a controller that imports another controller', async () => {
    const errors = await boundaryErrors(
      controller,
      "import { homeController } from '../home/home.controller.js';\n" +
        'export const x = homeController;\n',
    );
    expect(errors).toEqual([expect.stringContaining('must not import another controller')]);
  });

  it('rejects a component that imports the app shell or the server entry point', async () => {
    for (const target of ['../../app/server.js', '../../app/app.js', '../../app/services.js']) {
      const errors = await boundaryErrors(
        'src/components/planted/planted.use-case.ts',
        `import '${target}';\n`,
      );
      expect(errors).toEqual([expect.stringContaining('must not import src/app')]);
    }
  });

  it('lets a controller import use cases and libraries', async () => {
    const errors = await boundaryErrors(
      controller,
      "import type { Audit } from '../audit/audit.use-case.js';\n" +
        "import { NotFoundError } from '../../libraries/errors/app-error.js';\n" +
        'export type X = Audit;\nexport const y = NotFoundError;\n',
    );
    expect(errors).toEqual([]);
  });
});
