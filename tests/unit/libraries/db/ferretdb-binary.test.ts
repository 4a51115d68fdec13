import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cachedBinaryPath,
  FERRETDB_PATCH_LEVEL,
  patchSource,
  SOURCE_PATCHES,
} from '../../../../src/libraries/db/ferretdb-binary.js';

/** The source patches applied to FerretDB before it is compiled (see SOURCE_PATCHES). */
describe('FerretDB source patches', () => {
  let src: string;
  beforeEach(() => {
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'coopbadges-patch-'));
  });
  afterEach(() => fs.rmSync(src, { recursive: true, force: true }));

  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
    fs.writeFileSync(path.join(src, file), text);
  };

  it('Given the upstream line, when patched, then only that line changes', () => {
    const [patch] = SOURCE_PATCHES;
    write(patch!.file, `package metadata\n\nconst (\n${patch!.from}\n)\n`);
    patchSource(src);
    expect(fs.readFileSync(path.join(src, patch!.file), 'utf8')).toBe(
      `package metadata\n\nconst (\n${patch!.to}\n)\n`,
    );
  });

  it('Given a source where the line is not found (another FerretDB version), then the build stops and says which line', () => {
    const [patch] = SOURCE_PATCHES;
    write(patch!.file, 'package metadata\n');
    expect(() => patchSource(src)).toThrow(
      /expected the line .* once in .*metadata\.go, found it 0 times/,
    );
  });

  it('A binary built at another patch level is not reused', () => {
    expect(cachedBinaryPath('/cache')).toBe(`/cache/v1.24.2-patch${FERRETDB_PATCH_LEVEL}/ferretdb`);
  });
});
