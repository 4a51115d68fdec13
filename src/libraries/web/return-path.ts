const BASE = 'http://same.invalid';

/** A path a browser reads as a path of this site: one `/`, then neither `/` nor `\`. */
function isSingleSlashPath(path: string): boolean {
  return path.startsWith('/') && path[1] !== '/' && path[1] !== '\\';
}

/**
 * Where to go after signing in: only a path of this site ("/compte?x=1"), never another
 * origin ("//evil.example", "/\\evil.example", "https://…").
 *
 * Every check runs on what is returned, after the URL parser has normalised it: the parser
 * turns "/.//evil.example", "/x/..//evil.example" and "/%2e//evil.example" into
 * "//evil.example", which a browser follows to another site. The decoded path is checked too,
 * for proxies and browsers that decode "%2f" or "%5c" before reading the path.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return undefined;
  // Raw control characters and backslashes: the URL parser drops tabs and line breaks and
  // reads "\" as "/", so "/\t/evil.example" or "/\\evil.example" would become "//evil.example".
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value) || !isSingleSlashPath(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const path = url.pathname + url.search;
  if (!isSingleSlashPath(url.pathname)) return undefined;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (!isSingleSlashPath(decodedPath) || decodedPath.includes('\\')) return undefined;
  // What the browser will do with the answer's Location: it must land here, on this very path.
  const again = new URL(path, BASE);
  if (again.origin !== BASE || again.pathname + again.search !== path) return undefined;
  return path;
}
