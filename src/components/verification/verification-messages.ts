import type { FetchErrorCode } from '../../core/index.js';
import type { ContentRefusal } from './inspect-content.js';

/**
 * The i18n keys this component adds to reports (besides the verifiers' own, listed in
 * Ob2Message and OB3_VERIFICATION_MESSAGES): what went wrong before a verifier could start.
 */
export const VerificationMessage = {
  fetch: (code: FetchErrorCode) => `verify.fetch.${code}` as const,
  /** {status} */
  httpStatus: 'verify.fetch.http_status',
  notBadgeUrl: 'verify.input.not_badge_url',
  notBadgeText: 'verify.input.not_badge_text',
  notBadgeFile: 'verify.input.not_badge_file',
  refused: (reason: ContentRefusal) => `verify.refused.${reason}` as const,
  unexpected: 'verify.steps.format.unexpected',
  recipientNotChecked: 'verify.steps.recipient.not_checked',
} as const;

export const FETCH_ERROR_CODES: readonly FetchErrorCode[] = [
  'bad_scheme',
  'blocked_address',
  'too_large',
  'timeout',
  'too_many_redirects',
  'network',
  'not_found',
];

export const CONTENT_REFUSALS: readonly ContentRefusal[] = [
  'png_structure',
  'png_dimensions',
  'png_text_too_large',
  'svg_unsafe',
  'svg_script',
  'svg_invalid',
  'unsupported_file',
];

/** Every key this component itself may put in a report step (for the locale test). */
export const COMPONENT_STEP_MESSAGES: readonly string[] = [
  ...FETCH_ERROR_CODES.map(VerificationMessage.fetch),
  VerificationMessage.httpStatus,
  VerificationMessage.notBadgeUrl,
  VerificationMessage.notBadgeText,
  VerificationMessage.notBadgeFile,
  ...CONTENT_REFUSALS.map(VerificationMessage.refused),
  VerificationMessage.unexpected,
  VerificationMessage.recipientNotChecked,
];
