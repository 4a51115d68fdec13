import { createHash, randomBytes } from 'node:crypto';

/**
 * Hashed recipient identity, as OB 2.0 `recipient.identity` and OB 3.0
 * `IdentityObject.identityHash`: "sha256$" + hex(sha256(identity + salt)).
 */
export function hashIdentity(identity: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(identity + salt, 'utf8')
    .digest('hex')}`;
}

/** Emails are compared case-insensitively (what users expect; the spec leaves it open). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** One random salt per assertion, so equal emails never give equal hashes across badges. */
export function newSalt(random: (n: number) => Buffer = randomBytes): string {
  return random(16).toString('hex');
}

/**
 * True when `candidate` matches a hashed identity (or a plain one). Tries the candidate as
 * typed and normalised, since other issuers may hash the address as the user wrote it.
 */
export function identityMatches(
  candidate: string,
  target: { identity: string; hashed: boolean; salt?: string | undefined },
): boolean {
  const forms = [...new Set([candidate.trim(), normaliseEmail(candidate)])];
  if (!target.hashed)
    return forms.some((f) => f === target.identity.trim() || f === normaliseEmail(target.identity));
  const [alg] = target.identity.split('$');
  if (alg?.toLowerCase() !== 'sha256') return false;
  const expected = target.identity.toLowerCase();
  return forms.some((f) => hashIdentity(f, target.salt ?? '').toLowerCase() === expected);
}
