import os from 'node:os';
// ESM TypeScript: @swc/jest strips types (tsc --noEmit type-checks separately) and jest runs
// native ES modules under --experimental-vm-modules, so ESM-only packages (jose, the
// digitalbazaar Data Integrity libraries) load the same way in tests as in the app.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
  // One real FerretDB for the whole run; each test file uses its own database name.
  globalSetup: '<rootDir>/tests/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.mjs',
  testTimeout: 30000,
  // Two test files at a time even on 2 cores: much of a file's time is spent waiting on
  // FerretDB, Chromium or a child process (measured: 116 s → 84 s on 2 cores; 3 gave no more).
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
};
