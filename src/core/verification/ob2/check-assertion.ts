import type { Check } from '../engine.js';
import type { Ob2Context } from './ob2-context.js';

/** The assertion's shape and context (the hosted copy when there is one). */
export const checkAssertion: Check<Ob2Context> = {
  id: 'assertion',
  fatal: false,
  run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    ctx.addProblems(ctx.validateDocument(ctx.assertion, 'Assertion', true));
  },
};
