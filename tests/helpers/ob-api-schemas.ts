import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';

const dir = path.resolve('resources/ob-api/schemas');
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
const imsx = ajv.compile(
  JSON.parse(fs.readFileSync(path.join(dir, 'imsx_statusinfo.json'), 'utf8')),
);

/** The errors of an Imsx_StatusInfo body against 1EdTech's schema ([] when valid). */
export function imsxErrors(body: unknown): string[] {
  return imsx(body) ? [] : (imsx.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const COMPACT_JWS = /^[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]*\.[a-zA-Z0-9_-]+$/;

/**
 * GetOpenBadgeCredentialsResponse (OB 3.0 § B.2.1): only `credential` (objects) and
 * `compactJwsString` (compact JWS strings, the schema's pattern), both optional arrays.
 */
export function credentialsResponseErrors(body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['not an object'];
  const errors: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'compactJwsString') {
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && COMPACT_JWS.test(s)))
        errors.push('compactJwsString must be an array of compact JWS');
    } else if (k === 'credential') {
      if (!Array.isArray(v) || !v.every((c) => c && typeof c === 'object'))
        errors.push('credential must be an array of objects');
    } else errors.push(`unexpected property ${k}`);
  }
  return errors;
}
