import { BadgeError } from '../errors.js';
import { unbakePng } from '../baking/unbake-png.js';
import { unbakeSvg } from '../baking/unbake-svg.js';

/**
 * Recognising a badge by its content (never by a file name): which verifier reads it. Pure:
 * the safety checks on untrusted files (size, SVG scripts…) stay with the caller.
 */
type Json = Record<string, unknown>;

const VC_CONTEXTS = new Set([
  'https://www.w3.org/ns/credentials/v2',
  'https://www.w3.org/2018/credentials/v1',
]);
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type BadgeFamily = 'ob2' | 'ob3';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A W3C Verifiable Credential (OB 3.0) rather than an OB 2.0 document. */
export function isVerifiableCredential(doc: Json): boolean {
  return (
    asList(doc['@context']).some((c) => typeof c === 'string' && VC_CONTEXTS.has(c)) ||
    asList(doc.type).includes('VerifiableCredential')
  );
}

/** SVG markup (and not an HTML page that contains some). */
export function looksLikeSvg(text: string): boolean {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('<')) return false;
  const head = t.slice(0, 4096);
  return /<svg[\s>/]/i.test(head) && !/^<(!doctype\s+html|html)[\s>]/i.test(head);
}

export function isPngBytes(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Text as one of the forms a badge takes, judged from its content. */
export type BadgeText =
  | { kind: 'json'; doc: Json }
  | { kind: 'jws'; family: BadgeFamily }
  | { kind: 'url'; url: string }
  | { kind: 'svg' }
  | { kind: 'html' }
  | { kind: 'other' };

/**
 * JSON (an object), a compact JWS (OB 3.0 when its payload has `vc` or is a VC, else an OB 2.0
 * signed assertion), an http(s) URL, SVG, HTML, or something else.
 */
export function classifyBadgeText(raw: string): BadgeText {
  const text = raw.trim();
  if (looksLikeSvg(text)) return { kind: 'svg' };
  if (text.startsWith('{')) {
    try {
      const doc = JSON.parse(text) as unknown;
      return isObject(doc) ? { kind: 'json', doc } : { kind: 'other' };
    } catch {
      return { kind: 'other' };
    }
  }
  if (COMPACT_JWS.test(text)) {
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString('utf8'));
    } catch {
      return { kind: 'other' };
    }
    if (!isObject(payload)) return { kind: 'other' };
    const vc = isObject(payload.vc) || isVerifiableCredential(payload);
    return { kind: 'jws', family: vc ? 'ob3' : 'ob2' };
  }
  if (/^https?:\/\/\S+$/i.test(text)) return { kind: 'url', url: text };
  if (text.startsWith('<')) return { kind: 'html' };
  return { kind: 'other' };
}

/**
 * The OB 3.0 credential baked in a PNG (bytes) or SVG (text) under the `openbadgecredential`
 * keyword, as the OB 3.0 verifier takes it (parsed JSON, or the VC-JWT text); undefined when
 * the image holds no such credential (OB 2.0, not baked, two badges…: the OB 2.0 verifier
 * words each case).
 */
export function bakedCredential(
  container: 'png' | 'svg',
  content: Uint8Array | string,
): Json | string | undefined {
  let unbaked: { keyword: string; text: string } | undefined;
  try {
    unbaked = container === 'png' ? unbakePng(content as Uint8Array) : unbakeSvg(content as string);
  } catch (e) {
    if (!(e instanceof BadgeError)) throw e;
  }
  if (unbaked?.keyword !== 'openbadgecredential') return undefined;
  const kind = classifyBadgeText(unbaked.text);
  return kind.kind === 'json' ? kind.doc : unbaked.text;
}
