/**
 * Where to go after signing in: only a path of this site ("/compte?x=1"), never another
 * origin ("//evil.example", "/\\evil.example", "https://…").
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  try {
    const url = new URL(value, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid') return undefined;
    return url.pathname + url.search;
  } catch {
    return undefined;
  }
}
