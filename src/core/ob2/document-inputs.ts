import { BadgeError } from '../errors.js';
import type { Ob2AssertionVerification, Ob2VerificationInput } from './ob2-documents.js';

/**
 * Small guards shared by the OB 2.0 builders: a builder given a bad value throws
 * BadgeError('invalid_input') rather than publishing a document the validator rejects.
 */
export function requireUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isHttpUrl(value)) {
    throw new BadgeError('invalid_input', `${field} must be an absolute http(s) URL`);
  }
  return value;
}

export function optionalUrl(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : requireUrl(value, field);
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadgeError('invalid_input', `${field} must be a non-empty string`);
  }
  return value;
}

export function requireEmail(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(value.trim())) {
    throw new BadgeError('invalid_input', `${field} must be an email address`);
  }
  return value.trim();
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** ISO 8601 in UTC to the second ("2016-12-31T23:59:59Z"), the form every validator parses. */
export function isoDate(value: unknown, field: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new BadgeError('invalid_input', `${field} must be a valid Date`);
  }
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function verificationOf(input: Ob2VerificationInput): Ob2AssertionVerification {
  if (input.type === 'hosted') return { type: 'hosted' };
  if (input.type === 'signed') {
    return { type: 'SignedBadge', creator: requireUrl(input.keyId, 'verification.keyId') };
  }
  throw new BadgeError('invalid_input', 'verification.type must be "hosted" or "signed"');
}

/** Copies only the keys whose value is defined, so documents carry no `undefined` members. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
