import type { Request, Response } from 'express';
import { NotFoundError } from '../errors/app-error.js';

/** A public document as sent over HTTP: status, type, bytes, validators, cache policy. */
export interface SentDocument {
  status: number;
  contentType: string;
  body: Buffer;
  /** A strong ETag (quoted), derived from the bytes. */
  etag: string;
  cacheControl: string;
  headers?: Record<string, string>;
}

/**
 * Content negotiation for URLs that are both a page and a document: browsers name text/html,
 * verifiers name JSON-LD or JSON (the reference validator asks `application/ld+json,
 * application/json, image/png, image/svg+xml`), and a bare `*\/*` gets the document.
 */
export function wantsDocument(req: Request): boolean {
  return req.accepts(['application/ld+json', 'application/json', 'text/html']) !== 'text/html';
}

/** Sends a public document with its status, validators, cache policy and CORS. */
export function sendDocument(_req: Request, res: Response, doc: SentDocument | null): void {
  if (!doc) throw new NotFoundError();
  res.status(doc.status);
  res.setHeader('Content-Type', doc.contentType);
  res.setHeader('Cache-Control', doc.cacheControl);
  res.setHeader('ETag', doc.etag);
  // Verifiers and wallets run in browsers: every public document and image may be read.
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.vary('Accept');
  for (const [k, v] of Object.entries(doc.headers ?? {})) res.setHeader(k, v);
  // express answers 304 itself when the client's ETag is fresh.
  res.send(doc.body);
}
