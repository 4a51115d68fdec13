import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

/** 1EdTech's JSON schemas of the OB 3.0 API (resources/ob-api/schemas, see its README). */
const dir = path.resolve('resources/ob-api/schemas');
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const load = (file: string) =>
  ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as object);
const validators = {
  imsx: load('imsx_statusinfo.json'),
  credentials: load('getopenbadgecredentialsresponse.json'),
  profile: load('profile.json'),
};

/** The errors of `body` against one of the schemas ([] when valid). */
export function schemaErrors(schema: keyof typeof validators, body: unknown): string[] {
  const validate = validators[schema];
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

export const imsxErrors = (body: unknown) => schemaErrors('imsx', body);
export const credentialsResponseErrors = (body: unknown) => schemaErrors('credentials', body);
export const profileErrors = (body: unknown) => schemaErrors('profile', body);
