import {
  runChecks,
  type Check,
  type CheckContext,
} from '../../../../src/core/verification/engine.js';
import { verifyOb3Credential, type VerificationStep } from '../../../../src/core/index.js';

interface Ctx extends CheckContext {
  ran: string[];
}

function check(id: string, fatal: boolean, level?: VerificationStep['level']): Check<Ctx> {
  return {
    id,
    fatal,
    async run(ctx) {
      await Promise.resolve();
      ctx.ran.push(id);
      if (level) ctx.steps.push({ id: 'format', ok: level !== 'error', level, message: id });
    },
  };
}

describe('the verification engine', () => {
  it('runs every check in order when none fails fatally', async () => {
    const ctx: Ctx = { steps: [], ran: [] };
    const outcome = await runChecks(
      [check('a', true, 'info'), check('b', false, 'error'), check('c', true, 'warning')],
      ctx,
    );
    expect(ctx.ran).toEqual(['a', 'b', 'c']);
    expect(ctx.steps.map((s) => s.message)).toEqual(['a', 'b', 'c']);
    expect(outcome.skipped).toEqual([]);
  });

  it('stops after a fatal check leaves an error and reports the rest as skipped', async () => {
    const ctx: Ctx = { steps: [], ran: [] };
    const outcome = await runChecks(
      [check('a', false, 'info'), check('b', true, 'error'), check('c', false), check('d', true)],
      ctx,
    );
    expect(ctx.ran).toEqual(['a', 'b']);
    expect(outcome.skipped).toEqual(['c', 'd']);
  });

  it('does not stop on an error left by an earlier check, nor on a fatal warning', async () => {
    const ctx: Ctx = { steps: [], ran: [] };
    const outcome = await runChecks(
      [
        check('a', false, 'error'),
        check('b', true, 'warning'),
        check('c', true),
        check('d', false),
      ],
      ctx,
    );
    expect(ctx.ran).toEqual(['a', 'b', 'c', 'd']);
    expect(outcome.skipped).toEqual([]);
  });

  it('lets a verifier report the checks an unreadable badge did not reach', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const fetch = () => Promise.reject(new Error('no network in this test'));
    const unreadable = await verifyOb3Credential('not a badge', { fetch, now });
    expect(unreadable.verdict).toBe('not_verified');
    expect(unreadable.steps.map((s) => s.message)).toEqual(['verify.steps.format.unreadable']);
    expect(unreadable.skipped?.[0]).toBe('format');
    expect(unreadable.skipped).toContain('signature-jwt');
    const notBadge = await verifyOb3Credential({ '@context': [], type: ['Thing'] }, { fetch, now });
    expect(notBadge.steps.map((s) => s.message)).toEqual(['verify.steps.format.not_credential']);
    expect(notBadge.skipped?.[0]).toBe('shape');
  });
});
