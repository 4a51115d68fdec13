import type { VerificationStep } from './report.js';

/**
 * Verification as an ordered list of checks (after @digitalcredentials/verifier-core): each
 * check reads and extends a shared context and pushes its findings to `ctx.steps`. The
 * verdict still follows from the steps alone (`verdictOf`); the engine only decides what runs.
 */
export interface CheckContext {
  steps: VerificationStep[];
}

export interface Check<C extends CheckContext> {
  /** Stable name, reported in `skipped` when the check did not run. */
  id: string;
  /**
   * When true, an `error` step left by this check ends the run: what follows depends on what
   * it failed to establish (an unreadable input has no signature to check).
   */
  fatal: boolean;
  run(ctx: C): Promise<void> | void;
}

export interface ChecksOutcome {
  /** Ids of the checks not run because a fatal check failed, in their order. */
  skipped: string[];
}

/**
 * Runs the checks in order over `ctx`. Exceptions are not caught here: each verifier decides
 * how a library failing on hostile input is reported (the steps pushed so far stay in `ctx`).
 */
export async function runChecks<C extends CheckContext>(
  checks: readonly Check<C>[],
  ctx: C,
): Promise<ChecksOutcome> {
  for (const [index, check] of checks.entries()) {
    const before = ctx.steps.length;
    await check.run(ctx);
    if (check.fatal && ctx.steps.slice(before).some((s) => s.level === 'error')) {
      return { skipped: checks.slice(index + 1).map((c) => c.id) };
    }
  }
  return { skipped: [] };
}
