/**
 * Errors of the Open Badges core: programming and format errors (a PNG that is not a PNG, a
 * key of the wrong type). Verification never throws these at its caller: it returns a report.
 */
export type BadgeErrorCode =
  | 'invalid_input'
  | 'invalid_png'
  | 'invalid_svg'
  | 'bake_conflict'
  | 'not_baked'
  | 'compressed_chunk'
  | 'duplicate_chunk'
  | 'invalid_key'
  | 'invalid_document'
  | 'signing_failed'
  | 'unsupported';

export class BadgeError extends Error {
  readonly code: BadgeErrorCode;
  constructor(code: BadgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadgeError';
    this.code = code;
  }
}
