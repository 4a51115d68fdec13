import { base64url } from 'jose';
import { isCompactJws } from '../../baking/badge-keyword.js';
import { unbakePng } from '../../baking/unbake-png.js';
import { unbakeSvg } from '../../baking/unbake-svg.js';
import { BadgeError } from '../../errors.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { isObject, isUrl, listOf } from './ob2-values.js';

/** What a user or a caller may hand to the verifier. */
/** `object`: parsed JSON, typed (Ob2Assertion) or not. */
export type Ob2Input = string | Uint8Array | object;

/** Where the badge came from, for the "format reconnu" line. */
export type Ob2Container = 'json' | 'jws' | 'url' | 'png' | 'svg';

export type DecodedOb2Input =
  | { kind: 'jws'; jws: string; payload: Record<string, unknown>; container: Ob2Container }
  | { kind: 'json'; doc: Record<string, unknown>; container: Ob2Container }
  | { kind: 'url'; url: string; container?: Ob2Container }
  | { kind: 'failed'; message: Ob2MessageKey; detail: string; params?: Record<string, string> };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Recognises the input: a hosted assertion URL, assertion JSON (text or object), a compact JWS,
 * or a baked PNG/SVG (unbaked here). Never throws: an unreadable input is a `failed` result.
 */
export function decodeOb2Input(input: Ob2Input, container?: Ob2Container): DecodedOb2Input {
  if (input instanceof Uint8Array) {
    if (PNG_SIGNATURE.every((b, i) => input[i] === b)) {
      return fromBaked(() => unbakePng(input), 'png');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      return failed(Ob2Message.formatUnreadable, 'neither a PNG nor UTF-8 text');
    }
    return decodeText(text, container);
  }
  if (typeof input === 'string') return decodeText(input, container);
  if (isObject(input)) return fromDocument(input, container ?? 'json');
  return failed(Ob2Message.formatUnreadable, 'input is neither text, bytes nor a JSON object');
}

function decodeText(raw: string, container?: Ob2Container): DecodedOb2Input {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('<')) return fromBaked(() => unbakeSvg(text), 'svg');
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return failed(Ob2Message.formatUnreadable, `invalid JSON: ${(e as Error).message}`);
    }
    return isObject(parsed)
      ? fromDocument(parsed, container ?? 'json')
      : failed(Ob2Message.formatUnreadable, 'JSON is not an object');
  }
  if (isCompactJws(text)) {
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(base64url.decode(text.split('.')[1]!)));
    } catch {
      return failed(Ob2Message.formatUnreadable, 'JWS payload is not JSON');
    }
    if (!isObject(payload))
      return failed(Ob2Message.formatUnreadable, 'JWS payload is not an object');
    if (isVerifiableCredential(payload) || isObject(payload.vc)) {
      return failed(Ob2Message.formatNotOb2, 'an Open Badges 3.0 / VC-JWT credential');
    }
    return { kind: 'jws', jws: text, payload, container: container ?? 'jws' };
  }
  if (isUrl(text)) return { kind: 'url', url: text, ...(container ? { container } : {}) };
  return failed(Ob2Message.formatUnreadable, 'not a URL, JSON, JWS, PNG or SVG');
}

function fromBaked(unbake: () => { keyword: string; text: string }, container: 'png' | 'svg') {
  let baked: { keyword: string; text: string };
  try {
    baked = unbake();
  } catch (e) {
    if (!(e instanceof BadgeError)) throw e;
    const message =
      e.code === 'not_baked'
        ? Ob2Message.formatNotBaked
        : e.code === 'duplicate_chunk'
          ? Ob2Message.formatDuplicateChunk
          : e.code === 'compressed_chunk'
            ? Ob2Message.formatCompressedChunk
            : Ob2Message.formatInvalidImage;
    return failed(message, e.message);
  }
  if (baked.keyword !== 'openbadges') {
    return failed(Ob2Message.formatNotOb2, `baked ${baked.keyword}: an Open Badges 3.0 credential`);
  }
  // A baked image holds JSON, a JWS or (older bakers) the assertion URL — never another image.
  const inner = baked.text.trim();
  if (inner.startsWith('<')) return failed(Ob2Message.formatUnreadable, 'nested baked image');
  return decodeText(inner, container);
}

function fromDocument(doc: Record<string, unknown>, container: Ob2Container): DecodedOb2Input {
  if (isVerifiableCredential(doc)) {
    return failed(Ob2Message.formatNotOb2, 'a Verifiable Credential (Open Badges 3.0)');
  }
  return { kind: 'json', doc, container };
}

function isVerifiableCredential(doc: Record<string, unknown>): boolean {
  const contexts = listOf(doc['@context']);
  return (
    contexts.some(
      (c) =>
        c === 'https://www.w3.org/ns/credentials/v2' ||
        c === 'https://www.w3.org/2018/credentials/v1',
    ) || listOf(doc.type).includes('VerifiableCredential')
  );
}

function failed(message: Ob2MessageKey, detail: string): DecodedOb2Input {
  return { kind: 'failed', message, detail };
}
