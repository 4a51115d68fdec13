import type { RequestHandler } from 'express';
import multer from 'multer';

/**
 * Longest text field of a multipart form, in bytes. Multer's default is 1 MB per field (30
 * fields by default): far more than any of our forms needs. 8 KB holds a 2,000-character
 * description even in 3-byte UTF-8 characters.
 */
export const UPLOAD_FIELD_MAX_BYTES = 8 * 1024;

/**
 * The name of the file field of every HTML form (and the id its error links to). The public
 * JSON API, in English for other software, names its multipart file `file` (see openapi.ts).
 */
export const FILE_FIELD = 'fichier';
export const API_FILE_FIELD = 'file';

/**
 * The parser of a multipart form with at most one file: in memory only (nothing touches the
 * disk), and every limit of the parser set, so that what one request can make us hold is
 * bounded: `fields` text fields of `fieldSize` bytes and one file of `fileSize` bytes. A
 * limit passed answers 413 with a plain page (see toAppError), before any handler runs.
 *
 * Mount it with `parse:` in the route table, which puts the rate limit and the access check
 * before it (see mountRoutes).
 */
export function singleFileUpload(
  limits: { fileSize: number; fields: number; fieldSize?: number },
  field: string = FILE_FIELD,
): RequestHandler {
  return multer({
    storage: multer.memoryStorage(),
    limits: {
      fieldSize: limits.fieldSize ?? UPLOAD_FIELD_MAX_BYTES,
      fields: limits.fields,
      files: 1,
      parts: limits.fields + 1,
      fileSize: limits.fileSize,
      fieldNameSize: 100,
      headerPairs: 20,
    },
  }).single(field);
}
