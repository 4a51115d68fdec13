import { importSPKI, type CryptoKey } from 'jose';

/**
 * Imported RS256 public keys, by key id and PEM (a key document that changes gets a new entry),
 * so verifying many badges of one issuer parses its key once. Bounded: the oldest entry goes.
 */
export class Ob2KeyCache {
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(private readonly maxEntries = 1000) {}

  get(keyId: string, publicKeyPem: string): Promise<CryptoKey> {
    const cacheKey = `${keyId}\n${publicKeyPem}`;
    let key = this.keys.get(cacheKey);
    if (!key) {
      key = importSPKI(publicKeyPem, 'RS256');
      // A PEM that fails to import is not kept: the next attempt reports it again.
      key.catch(() => this.keys.delete(cacheKey));
      if (this.keys.size >= this.maxEntries) {
        this.keys.delete(this.keys.keys().next().value!);
      }
      this.keys.set(cacheKey, key);
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}
