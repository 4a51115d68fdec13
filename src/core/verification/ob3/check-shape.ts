import type { Check } from '../engine.js';
import { checkCredentialShape } from './check-credential-shape.js';
import { parsedOf, type Ob3Context } from './ob3-context.js';

/**
 * Structural problems (check-credential-shape). They are reported by check-jsonld together with
 * the JSON-LD ones, as one "schema" line placed here, before the signature.
 */
export const checkShape: Check<Ob3Context> = {
  id: 'shape',
  fatal: false,
  run(ctx) {
    const parsed = parsedOf(ctx);
    ctx.shapeProblems = checkCredentialShape(parsed.credential, ctx.kind!, {
      proofRequired: !parsed.jwt,
    });
    ctx.schemaAt = ctx.steps.length;
  },
};
