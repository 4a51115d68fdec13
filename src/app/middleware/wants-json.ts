import type { Request } from 'express';

/**
 * API paths, `.json` documents and clients that prefer JSON get problem+json; browsers get HTML
 * pages.
 */
export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.path.endsWith('.json')) return true;
  const accepted = req.accepts(['html', 'json', 'application/problem+json']);
  return accepted === 'json' || accepted === 'application/problem+json';
}
