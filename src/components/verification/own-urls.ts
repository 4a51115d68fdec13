/**
 * Which URLs and issuer ids are this platform's own: everything under PUBLIC_URL, and the https
 * form a did:web of our host resolves to (`did:web:<host>:emetteurs:x` →
 * `https://<host>/emetteurs/x/did.json`, https even when PUBLIC_URL is http in development).
 * Our own documents are read from the database (never over HTTP) and never cached.
 */
export interface OwnUrls {
  isOwnUrl(url: string): boolean;
  /** An issuer id (https URL or did:web) of this platform. */
  isOwnIssuerId(id: string): boolean;
}

export function ownUrls(publicUrl: string): OwnUrls {
  const base = new URL(publicUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origins = new Set([base.origin, `https://${base.host}`]);
  const underBase = (pathname: string) =>
    basePath === '' || pathname === basePath || pathname.startsWith(`${basePath}/`);

  const isOwnUrl = (url: string): boolean => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.username || u.password) return false;
    return origins.has(u.origin) && underBase(u.pathname);
  };

  const isOwnIssuerId = (id: string): boolean => {
    if (id.startsWith('did:web:')) {
      const host = decodeURIComponent(id.slice('did:web:'.length).split(':')[0] ?? '');
      return host.toLowerCase() === base.host.toLowerCase();
    }
    return isOwnUrl(id);
  };

  return { isOwnUrl, isOwnIssuerId };
}
