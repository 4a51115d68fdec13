import type { Fetcher, FetchResult } from '../../src/core/verification/fetcher.js';

export interface MemoryRoute {
  status?: number;
  contentType?: string;
  body: string | Uint8Array | object;
}

/**
 * A Fetcher over an in-memory URL table (404 for anything else), recording every URL asked:
 * verifiers under test never touch the network.
 */
export function memoryFetcher(
  routes:
    Record<string, MemoryRoute | object | string> | ((url: string) => MemoryRoute | undefined),
): Fetcher & { calls: string[] } {
  const calls: string[] = [];
  const lookup = typeof routes === 'function' ? routes : (url: string) => toRoute(routes[url]);
  const fetcher = async (url: string): Promise<FetchResult> => {
    calls.push(url);
    const route = lookup(url);
    if (!route) return { url, status: 404, contentType: 'text/plain', body: new Uint8Array() };
    const body =
      route.body instanceof Uint8Array
        ? route.body
        : new TextEncoder().encode(
            typeof route.body === 'string' ? route.body : JSON.stringify(route.body),
          );
    return {
      url,
      status: route.status ?? 200,
      contentType: route.contentType ?? 'application/ld+json',
      body,
    };
  };
  return Object.assign(fetcher, { calls });
}

function toRoute(value: MemoryRoute | object | string | undefined): MemoryRoute | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && 'body' in value) return value as MemoryRoute;
  return { body: value };
}
