import type { Request } from 'express';

/** A form or query field as a string: anything else (absent, repeated, nested) reads as ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A form or query field as a string, without surrounding spaces. */
export function trimmedStr(v: unknown): string {
  return str(v).trim();
}

/** A route parameter (`/structures/:issuerId`) as a string, '' when absent. */
export function param(req: Request, name: string): string {
  return str((req.params as Record<string, unknown>)[name]);
}
