import { jsonBody, type Fetcher } from '../fetcher.js';

/** A verification method as found in a controller or DID document (Multikey or JWK form). */
export interface VerificationMethodJson {
  id: string;
  type?: string;
  controller?: string;
  publicKeyMultibase?: string;
  publicKeyJwk?: Record<string, unknown>;
  [key: string]: unknown;
}

function absolute(id: string, base: string): string {
  return id.startsWith('#') ? `${base}${id}` : id;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Whether the document declares keys at all (a controller/DID document, not a web page). */
export function isControllerDocument(doc: unknown): doc is Record<string, unknown> {
  return (
    isObject(doc) && (doc.verificationMethod !== undefined || doc.assertionMethod !== undefined)
  );
}

/**
 * The method `methodId` of a controller document and whether it may assert credentials
 * (listed under `assertionMethod`, by reference or embedded).
 */
export function findVerificationMethod(
  doc: Record<string, unknown>,
  methodId: string,
): { method?: VerificationMethodJson; assertion: boolean } {
  const base = typeof doc.id === 'string' ? doc.id : '';
  let method: VerificationMethodJson | undefined;
  let assertion = false;
  for (const vm of asArray(doc.verificationMethod)) {
    if (isObject(vm) && typeof vm.id === 'string' && absolute(vm.id, base) === methodId) {
      method = { ...vm, id: methodId } as VerificationMethodJson;
    }
  }
  for (const am of asArray(doc.assertionMethod)) {
    if (typeof am === 'string' && absolute(am, base) === methodId) assertion = true;
    if (isObject(am) && typeof am.id === 'string' && absolute(am.id, base) === methodId) {
      assertion = true;
      method ??= { ...am, id: methodId } as VerificationMethodJson;
    }
  }
  return method ? { method, assertion } : { assertion };
}

/** Fetches a JSON document (fragment stripped); undefined for any failure or non-JSON answer. */
export async function fetchJsonDocument(
  url: string,
  fetch: Fetcher,
): Promise<{ body?: unknown; detail: string }> {
  const target = url.split('#', 1)[0]!;
  try {
    const res = await fetch(target, { kind: 'json' });
    if (res.status < 200 || res.status >= 300) return { detail: `${target}: HTTP ${res.status}` };
    const body = jsonBody(res);
    return body === undefined ? { detail: `${target}: not JSON` } : { body, detail: target };
  } catch (error) {
    return { detail: `${target}: ${(error as Error).message}` };
  }
}
