/**
 * Value checks of the OB 2.0 primitive types, after openbadges-validator-core
 * (openbadges/verifier/tasks/validation.py, PrimitiveValueValidator).
 */
const URN_UUID =
  /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return false;
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}

/** http(s) URLs, blank node ids and urn:uuid — the IRIs the reference validator accepts. */
export function isIri(value: unknown): boolean {
  return (
    typeof value === 'string' && (isUrl(value) || value.startsWith('_:') || URN_UUID.test(value))
  );
}

export function isDataUri(value: unknown): value is string {
  return typeof value === 'string' && /^data:[^,]*,/i.test(value);
}

export function isText(value: unknown): value is string {
  return typeof value === 'string';
}

export function isEmail(value: unknown): boolean {
  return typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value);
}

export function isTelephone(value: unknown): boolean {
  return typeof value === 'string' && /^\+?[1-9]\d{1,14}(;ext=\d+)?$/.test(value);
}

export function isLanguage(value: unknown): boolean {
  return typeof value === 'string' && /^[a-z]{2,8}(-[a-z0-9]{1,8})*$/i.test(value);
}

/** A bare host name, as `allowedOrigins` entries must be (no scheme, no port, no path). */
export function isUrlAuthority(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length >= 4 &&
    /^((?!-)[a-z0-9-]{0,62}[a-z0-9]\.)+[a-z]{2,63}$/i.test(value)
  );
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * An ISO 8601 date-time with a time zone ("2016-12-31T23:59:59Z", "2017-10-01T00:00Z",
 * "2016-12-31T23:59:59+01:00"); undefined for anything else, including dates without a zone.
 */
export function parseDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const tz =
    zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.length > 3 ? zone!.slice(-2) : '00'}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${tz}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject calendar overflow (2017-02-30) that Date silently rolls over.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return date;
}

export function isDateTime(value: unknown): boolean {
  return parseDateTime(value) !== undefined;
}

/** `recipient.identity` when hashed: sha256$<64 hex> or md5$<32 hex>. */
export function isHashedIdentity(value: unknown): boolean {
  return typeof value === 'string' && /^(sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32})$/i.test(value);
}

/** The values of a property that may hold one value or a list. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The id of a node given by reference (string) or embedded (object with `id`). */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function reasonParams(reason: string | undefined): Record<string, string> {
  return reason ? { reason } : {};
}

export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The answer came from the origin that was asked (redirects stayed on that site). */
export function fromOwnOrigin(result: { url: string }, requested: string): boolean {
  return sameOrigin(result.url || requested, requested);
}
