import { ownPathOf } from '../awards/public-url-map.js';

/**
 * Which URLs and issuer ids are this platform's own: everything under PUBLIC_URL, and the https
 * form a did:web of our host resolves to (`did:web:<host>:emetteurs:x` →
 * `https://<host>/emetteurs/x/did.json`, https even when PUBLIC_URL is http in development).
 * The same test as the internal fetcher's (the public URL map's ownPathOf). Our own documents
 * are read from the database (never over HTTP) and never cached.
 */
export interface OwnUrls {
  isOwnUrl(url: string): boolean;
  /** An issuer id (https URL or did:web) of this platform. */
  isOwnIssuerId(id: string): boolean;
}

export function ownUrls(publicUrl: string): OwnUrls {
  const host = new URL(publicUrl).host.toLowerCase();
  const pathOf = ownPathOf(publicUrl);
  const isOwnUrl = (url: string): boolean => pathOf(url) !== undefined;

  const isOwnIssuerId = (id: string): boolean => {
    if (id.startsWith('did:web:')) {
      const didHost = decodeURIComponent(id.slice('did:web:'.length).split(':')[0] ?? '');
      return didHost.toLowerCase() === host;
    }
    return isOwnUrl(id);
  };

  return { isOwnUrl, isOwnIssuerId };
}
