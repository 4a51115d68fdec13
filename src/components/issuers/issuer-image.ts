import { createHash } from 'node:crypto';
import type { IssuerImage } from './issuer.model.js';

/** Logos are small: they are stored in the issuer record and served from it. */
export const ISSUER_IMAGE_MAX_BYTES = 200 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The uploaded logo as stored, or `invalid`: a PNG (by its signature) or an SVG document (by
 * its root element), whatever name or type the browser gave it. SVGs are served with a
 * sandboxing CSP, so a script inside one never runs.
 */
export function issuerImageFrom(
  file: { buffer: Buffer; size: number } | undefined,
): IssuerImage | undefined | 'invalid' {
  if (!file || file.size === 0) return undefined;
  if (file.size > ISSUER_IMAGE_MAX_BYTES) return 'invalid';
  const data = file.buffer;
  let contentType: IssuerImage['contentType'] | undefined;
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) contentType = 'image/png';
  else {
    const head = data
      .subarray(0, 2048)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    if (
      /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)
    ) {
      contentType = 'image/svg+xml';
    }
  }
  if (!contentType) return 'invalid';
  return {
    contentType,
    data: Buffer.from(data),
    etag: createHash('sha256').update(data).digest('base64url').slice(0, 16),
  };
}
