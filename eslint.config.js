// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The app shell (src/app: composition root, express app, server) depends on components, never
// the reverse; components use the web toolkit in src/libraries/web.
const serverImport = {
  regex: '(^|/)app/.+|(^|/)(app|server)(\\.js)?$',
  message: 'src/components must not import src/app (the app shell and server).',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.cache/', 'coverage/', 'tests/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    // Only the config module reads the environment.
    files: ['src/**/*.ts'],
    ignores: ['src/libraries/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings from the typed config (src/libraries/config).',
        },
      ],
    },
  },
  {
    // The core is a pure Open Badges library: no web framework, no database, no app config.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'src/core must stay free of express.' },
            { name: 'mongoose', message: 'src/core must stay free of mongoose.' },
            { name: 'passport', message: 'src/core must stay free of passport.' },
          ],
          patterns: [
            {
              group: ['**/components/**', '**/components'],
              message: 'src/core must not import components.',
            },
            {
              group: ['**/libraries/**', '**/libraries'],
              message: 'src/core must not import app libraries (config, db, logger).',
            },
            {
              group: ['**/web/**', '**/app/**'],
              message: 'src/core must not import the web layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Components never reach back into the process entry point.
    files: ['src/components/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImport] }] },
  },
  {
    // Controllers talk to use cases only: storage and other controllers stay behind them.
    files: ['src/components/**/*.controller.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            serverImport,
            {
              regex: '\\.(repository|model)(\\.js)?$',
              message: 'A controller talks to use cases only: no repository or model import.',
            },
            {
              regex: '\\.controller(\\.js)?$',
              message: 'A controller must not import another controller.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'tests/**/*.ts', '*.js'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off' },
  },
  {
    // Progressive-enhancement scripts served from /static: plain browser scripts, no build.
    files: ['public/js/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'fetch',
          'setTimeout',
          'clearTimeout',
          'URLSearchParams',
          'RadioNodeList',
          'Intl',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
