/**
 * A real app for benchmarks: the stack of scripts/lib/stack.ts (temporary FerretDB and data
 * directory, the app on a loopback port) and an issuer with one badge class. Everything is
 * removed by `close()`.
 */
import { readBadgeClassForm } from '../../src/components/achievements/achievements.use-case.js';
import type { BadgeClassDoc } from '../../src/components/achievements/badge-class.model.js';
import { spawn } from 'node:child_process';
import { projectRoot } from '../../src/libraries/paths.js';
import { startStack, type Stack } from '../lib/stack.js';

export const BENCH_ACTOR = { id: 'bench', email: 'bench@localhost', isAdmin: true, roles: {} };

export interface BenchApp extends Stack {
  badge: BadgeClassDoc;
}

export async function startBenchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const stack = await startStack({ name: 'bench', env });
  try {
    await stack.app.services.issuerRepo.insert({
      _id: 'roubaix',
      name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
      url: 'https://www.ville-roubaix.fr',
      email: 'coop@ville-roubaix.fr',
      description: '',
      createdAt: new Date(),
      createdBy: 'bench',
    });
    const badge = await stack.app.services.achievements.createBadgeClass({
      actor: BENCH_ACTOR,
      issuerId: 'roubaix',
      ip: '127.0.0.1',
      values: readBadgeClassForm({
        name: 'Accompagner une démarche en ligne',
        description: 'Accompagne une personne dans une démarche administrative en ligne.',
        criteriaNarrative: 'A accompagné au moins cinq personnes jusqu’au bout de leur démarche.',
        template: 'medal',
        alignments: ['crcn:2.1', 'remn:CCP1'],
        evidenceRequired: 'non',
      }),
    });
    return { ...stack, badge };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

/**
 * Runs a load client as its own process (it must not share the server's event loop): `stdin`
 * is sent as JSON, the one JSON line it prints is the result.
 */
export function runJsonChild<T>(script: string, args: string[], stdin: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: projectRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim()) as T)
        : reject(new Error(`${script} exited ${code}`)),
    );
    child.stdin.end(JSON.stringify(stdin));
  });
}
