import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import { isObject, step, type Json, type Ob3Context, type Parsed } from './ob3-context.js';

const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** JSON object, JSON text or a compact VC-JWT (the credential is the payload, or its `vc`). */
export function parseOb3Input(input: unknown): Parsed | { error: string } {
  if (isObject(input))
    return { credential: input, format: input.proof ? 'ob3-data-integrity' : 'ob3-unsigned' };
  if (typeof input !== 'string') return { error: 'input is neither JSON nor a JWT' };
  const text = input.trim();
  if (text.startsWith('{')) {
    try {
      return parseOb3Input(JSON.parse(text) as unknown);
    } catch {
      return { error: 'invalid JSON' };
    }
  }
  if (!JWT_PATTERN.test(text)) return { error: 'input is neither JSON nor a JWT' };
  try {
    const header = decodeProtectedHeader(text) as Json;
    const payload = decodeJwt(text) as Json;
    const credential = isObject(payload.vc) ? payload.vc : payload;
    return { credential, format: 'ob3-jwt', jwt: { token: text, header, payload } };
  } catch {
    return { error: 'undecodable JWT' };
  }
}

/** Unreadable input ends the run: there is nothing to check. */
export const checkInput: Check<Ob3Context> = {
  id: 'parse-input',
  fatal: true,
  run(ctx) {
    const parsed = parseOb3Input(ctx.input);
    if ('error' in parsed) {
      ctx.steps.push(
        step(StepId.format, false, 'error', 'verify.steps.format.unreadable', {
          detail: parsed.error,
        }),
      );
      return;
    }
    ctx.parsed = parsed;
    ctx.format = parsed.format;
  },
};
