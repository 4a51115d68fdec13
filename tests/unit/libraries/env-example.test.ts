import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../../src/libraries/config/config.js';
import { projectRoot } from '../../../src/libraries/paths.js';

describe('documentation of settings', () => {
  const keys = Object.keys(configSchema.shape);

  it('When a setting exists, then .env.example documents it', () => {
    const example = fs.readFileSync(path.join(projectRoot, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
    expect([...documented].filter((k) => !keys.includes(k!))).toEqual([]);
  });

  it('When a setting exists, then the README configuration table lists it', () => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    expect(keys.filter((k) => !readme.includes(`| \`${k}\``))).toEqual([]);
  });
});
