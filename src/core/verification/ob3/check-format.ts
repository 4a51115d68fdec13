import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import { OB3_CONTEXT, VC_V1_CONTEXT, VC_V2_CONTEXT } from '../../ob3/credential-types.js';
import { credentialKind } from './check-credential-shape.js';
import { asArray, parsedOf, step, type Json, type Ob3Context } from './ob3-context.js';

const OB3_CONTEXT_PREFIX = 'https://purl.imsglobal.org/spec/ob/v3p0/context';

function checkCredentialFormat(credential: Json, steps: VerificationStep[]): boolean {
  const contexts = asArray(credential['@context']).filter(
    (c): c is string => typeof c === 'string',
  );
  const types = asArray(credential.type);
  if (contexts.length === 0 || !types.includes('VerifiableCredential')) {
    steps.push(step(StepId.format, false, 'error', 'verify.steps.format.not_credential'));
    return false;
  }
  const kind = credentialKind(credential);
  if (!kind) {
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.wrong_type', {
        detail: `type: ${JSON.stringify(credential.type)}`,
      }),
    );
    return false;
  }
  const hasVc = contexts[0] === VC_V2_CONTEXT || contexts[0] === VC_V1_CONTEXT;
  const obContext = contexts.find((c) => c.startsWith(OB3_CONTEXT_PREFIX));
  if (!hasVc || (kind !== 'BitstringStatusListCredential' && !obContext)) {
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.missing_context', {
        detail: `@context: ${contexts.join(', ')}`,
      }),
    );
    return false;
  }
  const outdated =
    contexts[0] === VC_V1_CONTEXT || (obContext !== undefined && obContext !== OB3_CONTEXT);
  steps.push(
    outdated
      ? step(StepId.format, true, 'warning', 'verify.steps.format.outdated_context', {
          params: { kind },
          detail: `@context: ${contexts.join(', ')} (current: ${VC_V2_CONTEXT}, ${OB3_CONTEXT})`,
        })
      : step(StepId.format, true, 'info', 'verify.steps.format.recognised', { params: { kind } }),
  );
  return true;
}

/** A document that is not an OB 3.0 credential (type, contexts) ends the run. */
export const checkFormat: Check<Ob3Context> = {
  id: 'format',
  fatal: true,
  run(ctx) {
    if (checkCredentialFormat(parsedOf(ctx).credential, ctx.steps)) {
      ctx.kind = credentialKind(parsedOf(ctx).credential);
    }
  },
};
