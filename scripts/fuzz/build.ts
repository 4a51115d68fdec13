/**
 * Turns a recipe into the input a person would hand to the verifier, and labels it from the
 * recipe alone:
 * - genuine: the exact content was signed by a key the claimed issuer lists, named as the
 *   issuer names it, in a clean container: it must be `verified` or `warning`;
 * - forged: no key the claimed issuer lists signed this content (wrong key, no signature,
 *   bytes changed after signing, badge removed from its image): it must be `not_verified`;
 * - any: signed by the issuer's key but presented oddly (extra JOSE headers, a copy of the
 *   key at another address, a damaged image around a genuine badge): either verdict is fair.
 */
import { createHmac, sign as cryptoSign } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import {
  OB2_CONTEXT_URL,
  OB3_CREDENTIAL_CONTEXTS,
  VC_V2_CONTEXT,
  bakePng,
  bakeSvg,
  buildAssertion,
  buildOpenBadgeCredential,
  hashIdentity,
  signCredentialDataIntegrity,
  type BadgeKeyword,
} from '../../src/core/index.js';
import type { VerificationInput } from '../../src/components/verification/verification.use-case.js';
import {
  genuineSigners,
  type Container,
  type DocEdit,
  type HeaderTrick,
  type HostedRecipe,
  type KeyRef,
  type NoiseRecipe,
  type PngHostile,
  type PostMutation,
  type PreEdit,
  type Recipe,
  type SignedRecipe,
  type SvgHostile,
} from './recipes.js';
import {
  EVIL,
  ISSUED,
  KEY_OWNER,
  RECIPIENT,
  didKeyOf,
  evilDidMethod,
  evilKeyUrl,
  orphanKeyUrl,
  type FuzzKey,
  type IssuerName,
  type KeyName,
  type Party,
  type World,
} from './world.js';

export type Label = 'genuine' | 'forged' | 'any';

export interface Built {
  input: VerificationInput;
  label: Label;
  /** For the per-kind counts: recipe kind and container. */
  kind: string;
  container: string;
  /** Attacker URLs served for this input only. */
  served: string[];
  /** The recipient the person checks (hosted OB 2.0: the attacker's own address). */
  email?: string;
}

type Json = Record<string, unknown>;

const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

// --- key references ------------------------------------------------------------------------

type Family = 'di' | 'jwt' | 'ob2';

function familyOf(kind: SignedRecipe['kind']): Family {
  return kind === 'ob3-di' ? 'di' : kind === 'ob3-jwt' ? 'jwt' : 'ob2';
}

function refsOf(party: Party, family: Family): Partial<Record<KeyName, string>> {
  return family === 'ob2' ? party.ob2Refs : party.ob3Refs;
}

/** The string an input puts in verificationMethod / kid / creator for this choice. */
export function refString(
  ref: KeyRef,
  world: World,
  claim: IssuerName,
  key: FuzzKey,
  family: Family,
): string {
  const party = world.parties[claim];
  const defaultStyle = family === 'ob2' ? 'ob2key' : family === 'jwt' ? 'jwk' : 'multikey';
  switch (ref.t) {
    case 'canonical': {
      const own = refsOf(party, family)[key.name];
      if (own) return own;
      const owner = KEY_OWNER[key.name];
      const ownerRef = owner ? refsOf(world.parties[owner], family)[key.name] : undefined;
      return ownerRef ?? evilKeyUrl(defaultStyle, 'attacker', key.name);
    }
    case 'claimRef': {
      const refs = Object.entries(refsOf(party, family)) as [KeyName, string][];
      const same = refs.find(([k]) => world.keys[k].type === key.type) ?? refs[0];
      return same ? same[1] : `${party.base}/cles/1`;
    }
    case 'evil':
      return evilKeyUrl(ref.style, claim, key.name);
    case 'orphan':
      return orphanKeyUrl(party, ref.style, claim, key.name);
    case 'evilDid':
      return evilDidMethod(claim, key.name);
    case 'didKey':
      return key.multibase
        ? `${didKeyOf(key)}#${key.multibase}`
        : 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme';
    case 'fragment':
      return `${family === 'ob2' ? party.ob2Id : party.ob3Id}#${key.multibase ?? 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'}`;
    case 'raw':
      return ref.value;
  }
}

// --- JWS -----------------------------------------------------------------------------------

function naturalAlg(key: FuzzKey): 'RS256' | 'EdDSA' {
  return key.type === 'rsa' ? 'RS256' : 'EdDSA';
}

/** Signs like a JOSE library would, but with whatever header the recipe wrote. */
function signJws(header: Json, payload: string, key: FuzzKey): string {
  const unencoded = header.b64 === false;
  const signingInput = `${b64u(JSON.stringify(header))}.${unencoded ? payload : b64u(payload)}`;
  let sig: Buffer;
  if (header.alg === 'none') sig = Buffer.alloc(0);
  else if (header.alg === 'HS256') {
    // Key confusion: an HMAC keyed with the public key the verifier will fetch.
    sig = createHmac('sha256', key.publicPem).update(signingInput).digest();
  } else if (key.type === 'rsa')
    sig = cryptoSign('sha256', Buffer.from(signingInput), key.privateKey);
  else sig = cryptoSign(null, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${b64u(sig)}`;
}

function applyHeaderTrick(
  header: Json,
  trick: HeaderTrick,
  world: World,
  claim: IssuerName,
  key: FuzzKey,
  family: Family,
): void {
  switch (trick.t) {
    case 'alg':
      header.alg = trick.alg;
      break;
    case 'jwk':
      header.jwk = key.publicJwk;
      break;
    case 'dropKid':
      delete header.kid;
      break;
    case 'jku':
      header.jku = evilKeyUrl('jwks', claim, key.name);
      break;
    case 'x5u':
      header.x5u = evilKeyUrl('jwk', claim, key.name);
      break;
    case 'x5c':
      header.x5c = [trick.value];
      break;
    case 'crit':
      header.crit = [trick.name];
      header[trick.name] = trick.name === 'exp' ? 1 : true;
      break;
    case 'b64false':
      header.b64 = false;
      header.crit = ['b64'];
      break;
    case 'typ':
      header.typ = trick.value;
      break;
    case 'kid':
      header.kid = refString(trick.ref, world, claim, key, family);
      break;
  }
}

// --- documents -----------------------------------------------------------------------------

function ob3Document(world: World, claim: IssuerName): Json {
  const party = world.parties[claim];
  return buildOpenBadgeCredential({
    id: `${party.base}/credentials/fuzz`,
    issuer: { id: party.ob3Id, name: `Émetteur ${claim}` },
    achievement: {
      id: party.badgeClassId,
      name: 'Accompagner une démarche en ligne',
      description: 'Aider une personne à réaliser une démarche administrative en ligne.',
      criteria: { narrative: 'Avoir accompagné au moins cinq personnes.' },
    },
    recipient: { email: RECIPIENT, salt: 'sel-fuzz' },
    validFrom: ISSUED,
  }) as unknown as Json;
}

function ob2Document(world: World, claim: IssuerName, evilClass: boolean, creator: string): Json {
  const party = world.parties[claim];
  const doc = buildAssertion({
    id: `${party.base}/assertions/signee`,
    badge: evilClass ? `${EVIL}/classes/${claim}` : party.badgeClassId,
    recipient: { email: RECIPIENT, salt: 'sel-fuzz' },
    issuedOn: ISSUED,
    verification: { type: 'signed', keyId: 'https://placeholder.example/k' },
  }) as unknown as Json;
  doc.verification = { type: 'SignedBadge', creator };
  return doc;
}

function ob3Context(doc: Json, variant: number): void {
  const ctx = asList(doc['@context']);
  const ob3 = ctx.filter((c) => c !== VC_V2_CONTEXT);
  switch (variant) {
    case 0:
      doc['@context'] = [VC_V2_CONTEXT];
      break;
    case 1:
      doc['@context'] = [VC_V2_CONTEXT, OB2_CONTEXT_URL];
      break;
    case 2:
      doc['@context'] = [...ctx, `${EVIL}/contexte.jsonld`];
      break;
    case 3:
      doc['@context'] = [...ob3, VC_V2_CONTEXT];
      break;
    default:
      doc['@context'] = [...ctx, { '@vocab': `${EVIL}/vocab#` }];
  }
}

function applyPre(doc: Json, edit: PreEdit, ob2: boolean, world: World, claim: IssuerName): void {
  switch (edit.t) {
    case 'rename':
      if (ob2) doc.narrative = `Récit ${edit.value}`;
      else doc.name = `Badge ${edit.value}`;
      break;
    case 'describe':
      if (ob2) doc.narrative = `Atelier ${edit.value}`;
      else doc.description = `Description ${edit.value}`;
      break;
    case 'drop': {
      const ob2Field: Record<string, string> = {
        name: 'recipient',
        validFrom: 'issuedOn',
        credentialSubject: 'badge',
      };
      delete doc[ob2 ? (ob2Field[edit.field] ?? edit.field) : edit.field];
      break;
    }
    case 'extraTerm':
      doc[edit.key] = edit.value;
      break;
    case 'typeTrick': {
      const variants: unknown[] = ob2
        ? [
            'BadgeClass',
            ['Assertion', 'Extra'],
            'Issuer',
            ['Assertion'],
            'Endorsement',
            'CryptographicKey',
          ]
        : [
            'OpenBadgeCredential',
            ['VerifiableCredential'],
            ['OpenBadgeCredential', 'VerifiableCredential'],
            ['VerifiableCredential', 'OpenBadgeCredential', 'AchievementCredential'],
            ['VerifiableCredential', 'OpenBadgeCredential', 'EndorsementCredential'],
            undefined,
          ];
      const v = variants[edit.variant % variants.length];
      if (v === undefined) {
        (doc.credentialSubject as Json).type = ['Profile'];
      } else doc.type = v;
      break;
    }
    case 'contextSwap':
      if (ob2) {
        const variants = [
          undefined,
          VC_V2_CONTEXT,
          `${EVIL}/contexte.jsonld`,
          [OB2_CONTEXT_URL, `${EVIL}/c`],
          [OB2_CONTEXT_URL, { '@vocab': `${EVIL}/vocab#` }],
        ];
        const v = variants[edit.variant % variants.length];
        if (v === undefined) delete doc['@context'];
        else doc['@context'] = v;
      } else ob3Context(doc, edit.variant);
      break;
    case 'expired':
      if (ob2) doc.expires = '2026-02-01T00:00:00Z';
      else doc.validUntil = '2026-02-01T00:00:00Z';
      break;
    case 'issuerString':
      if (ob2) {
        const party = world.parties[claim];
        doc.badge = {
          id: doc.badge,
          type: 'BadgeClass',
          name: 'Classe intégrée',
          description: 'Une classe de badge intégrée à l’assertion.',
          image: `${EVIL}/image.png`,
          criteria: { narrative: 'Aucun' },
          issuer: party.ob2Id,
        };
      } else {
        const issuer = doc.issuer as Json | string;
        doc.issuer = typeof issuer === 'string' ? issuer : issuer.id;
      }
      break;
    case 'issMismatch':
      break; // a JWT claim: applied to the payload below
  }
}

function applyDocEdit(doc: Json, edit: DocEdit, ob2: boolean, world: World): void {
  switch (edit.t) {
    case 'rename':
      if (ob2) doc.narrative = edit.value;
      else doc.name = edit.value;
      break;
    case 'issuer': {
      const party = world.parties[edit.claim];
      if (ob2) doc.badge = party.badgeClassId;
      else {
        const issuer = doc.issuer;
        if (typeof issuer === 'object' && issuer !== null) (issuer as Json).id = party.ob3Id;
        else doc.issuer = party.ob3Id;
        if ('iss' in doc) doc.iss = party.ob3Id;
      }
      break;
    }
    case 'extraTerm':
      doc[edit.key] = edit.value;
      break;
    case 'typeAppend':
      doc.type = [...asList(doc.type), ob2 ? 'Extra' : 'EndorsementCredential'];
      break;
    case 'dropOb3Context':
      if (ob2) delete doc['@context'];
      else doc['@context'] = asList(doc['@context']).filter((c) => c === VC_V2_CONTEXT);
      break;
    case 'inlineContext':
      doc['@context'] = [...asList(doc['@context']), { name: `${EVIL}/vocab#name` }];
      break;
  }
}

// --- JWS mutations after signing -------------------------------------------------------------

function mutateJws(
  token: string,
  m: PostMutation,
  world: World,
  claim: IssuerName,
  key: FuzzKey,
  family: Family,
  ob2: boolean,
): string {
  const parts = token.split('.');
  const [h, p, s] = [parts[0]!, parts[1]!, parts[2] ?? ''];
  const decodeJson = (part: string): Json | undefined => {
    try {
      const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
      return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
    } catch {
      return undefined;
    }
  };
  switch (m.t) {
    case 'flip': {
      const part = [h, p, s][m.part]!;
      const bytes = Buffer.from(part, 'base64url');
      if (bytes.length === 0) return token;
      const i = m.pos % bytes.length;
      bytes[i] = bytes[i]! ^ (1 << m.bit);
      const next = [h, p, s];
      next[m.part] = b64u(bytes);
      return next.join('.');
    }
    case 'truncSig': {
      if (s.length === 0) return token;
      return `${h}.${p}.${s.slice(0, m.keep % s.length)}`;
    }
    case 'dropSig':
      return `${h}.${p}.`;
    case 'headerEdit': {
      const header = decodeJson(h);
      if (!header) return token;
      applyHeaderTrick(header, m.trick, world, claim, key, family);
      return `${b64u(JSON.stringify(header))}.${p}.${s}`;
    }
    case 'payloadEdit': {
      const payload = decodeJson(p);
      if (!payload) return token;
      applyDocEdit(payload, m.edit, ob2, world);
      return `${h}.${b64u(JSON.stringify(payload))}.${s}`;
    }
    default:
      return token;
  }
}

// --- Data Integrity mutations after signing --------------------------------------------------

function mutateDi(doc: Json, m: PostMutation, world: World): void {
  const proof = doc.proof as Json | undefined;
  switch (m.t) {
    case 'proofValueChar': {
      const pv = proof?.proofValue;
      if (typeof pv !== 'string' || pv.length < 2) return;
      const i = 1 + (m.pos % (pv.length - 1));
      const at = BASE58.indexOf(pv[i]!);
      const c = BASE58[(Math.max(at, 0) + 1 + m.shift) % 58]!;
      proof!.proofValue = pv.slice(0, i) + c + pv.slice(i + 1);
      return;
    }
    case 'proofVm':
      if (proof) {
        proof.verificationMethod = refString(m.ref, world, m.claim, world.keys[m.key], 'di');
      }
      return;
    case 'cryptosuite':
      if (proof) proof.cryptosuite = m.name;
      return;
    case 'purpose':
      if (proof) proof.proofPurpose = m.name;
      return;
    case 'proofType':
      if (proof) proof.type = m.name;
      return;
    case 'created':
      if (proof) proof.created = '2026-02-01T00:00:00Z';
      return;
    case 'dropProof':
      delete doc.proof;
      return;
    case 'docEdit':
      applyDocEdit(doc, m.edit, false, world);
      return;
    case 'extraProof':
      if (proof) {
        doc.proof = [
          proof,
          {
            ...proof,
            verificationMethod: evilDidMethod('own', 'evilEd'),
            proofValue: `z${'3'.repeat(86)}`,
          },
        ];
      }
      return;
    default:
  }
}

// --- containers ------------------------------------------------------------------------------

interface Chunk {
  type: string;
  data: Uint8Array;
  /** Written with a wrong CRC. */
  badCrc?: boolean;
}

function readChunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    chunks.push({ type, data: png.slice(at + 8, at + 8 + length) });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

function writeChunks(chunks: Chunk[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const c of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(c.data.length, 0);
    head.write(c.type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    const value = crc32(Buffer.concat([head.subarray(4), c.data]));
    crc.writeUInt32BE(c.badCrc ? (value ^ 0xffffffff) >>> 0 : value, 0);
    parts.push(head, Buffer.from(c.data), crc);
  }
  return new Uint8Array(Buffer.concat(parts));
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** Applies a hostile change to a baked PNG; says whether the badge text is still in it. */
function hostilePng(
  png: Uint8Array,
  h: PngHostile,
  keyword: BadgeKeyword,
  text: string,
  world: World,
): { bytes: Uint8Array; keeps: boolean } {
  const chunks = readChunks(png);
  const badgeAt = chunks.findIndex((c) => c.type === 'iTXt');
  const beforeEnd = (extra: Chunk[]) => [
    ...chunks.slice(0, -1),
    ...extra,
    chunks[chunks.length - 1]!,
  ];
  switch (h.t) {
    case 'truncate':
      return { bytes: png.slice(0, Math.floor((png.length * h.permille) / 1000)), keeps: true };
    case 'lengthPastEnd': {
      const bytes = writeChunks(chunks);
      let at = 8;
      for (let i = 0; i < badgeAt; i++) at += 12 + chunks[i]!.data.length;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      view.setUint32(at, Math.min(0xffffffff, chunks[badgeAt]!.data.length + h.delta));
      return { bytes, keeps: true };
    }
    case 'dimensions': {
      const ihdr = Buffer.from(chunks[0]!.data);
      ihdr.writeUInt32BE(h.width >>> 0, 0);
      ihdr.writeUInt32BE(h.height >>> 0, 4);
      chunks[0] = { type: 'IHDR', data: ihdr };
      return { bytes: writeChunks(chunks), keeps: true };
    }
    case 'ztxtBomb': {
      const rest = chunks.filter((_, i) => i !== badgeAt);
      const data = Buffer.concat([latin1(`${keyword}\0\0`), world.bomb]);
      return {
        bytes: writeChunks([rest[0]!, { type: 'zTXt', data }, ...rest.slice(1)]),
        keeps: false,
      };
    }
    case 'itxtCompressed': {
      const body = h.bomb ? world.bomb : deflateSync(Buffer.from(text, 'utf8'));
      const data = Buffer.concat([latin1(`${keyword}\0\x01\x00\0\0`), body]);
      chunks[badgeAt] = { type: 'iTXt', data };
      return { bytes: writeChunks(chunks), keeps: !h.bomb };
    }
    case 'manyChunks': {
      const extra = Array.from({ length: h.n }, (_, i) => ({
        type: 'tEXt',
        data: latin1(`k${i}\0v`),
      }));
      return { bytes: writeChunks(beforeEnd(extra)), keeps: true };
    }
    case 'duplicate': {
      const forged = Buffer.concat([
        latin1(`${keyword}\0\0\0\0\0`),
        Buffer.from(
          text.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
          'utf8',
        ),
      ]);
      return { bytes: writeChunks(beforeEnd([{ type: 'iTXt', data: forged }])), keeps: true };
    }
    case 'badCrc':
      chunks[badgeAt] = { ...chunks[badgeAt]!, badCrc: true };
      return { bytes: writeChunks(chunks), keeps: true };
    case 'textTooLarge': {
      const data = Buffer.concat([latin1('Comment\0'), Buffer.alloc(h.kb * 1024, 0x78)]);
      return { bytes: writeChunks(beforeEnd([{ type: 'tEXt', data }])), keeps: true };
    }
  }
}

function hostileSvg(
  svg: string,
  h: SvgHostile,
  keyword: BadgeKeyword,
): { text: string; keeps: boolean } {
  const open = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  const insert = (s: string) => svg.slice(0, open) + s + svg.slice(open);
  switch (h.t) {
    case 'laughs': {
      let entities = '<!ENTITY l0 "lollollollol">';
      for (let i = 1; i <= h.levels; i++)
        entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
      const body = insert(`<text>&l${h.levels};</text>`);
      return { text: `<?xml version="1.0"?><!DOCTYPE svg [${entities}]>${body}`, keeps: true };
    }
    case 'cdata':
      return { text: insert(`<desc><![CDATA[${'x'.repeat(h.kb * 1024)}]]></desc>`), keeps: true };
    case 'nest':
      return { text: insert(`${'<g>'.repeat(h.depth)}${'</g>'.repeat(h.depth)}`), keeps: true };
    case 'script':
      return { text: insert('<script>alert(document.domain)</script>'), keeps: true };
    case 'onload':
      return { text: svg.replace('<svg', '<svg onload="alert(1)"'), keeps: true };
    case 'xxe': {
      const body = insert('<text>&x;</text>');
      return {
        text: `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>${body}`,
        keeps: true,
      };
    }
    case 'duplicate': {
      const el =
        keyword === 'openbadges'
          ? '<openbadges:assertion verify="https://evil.example/assertions/autre"/>'
          : '<openbadges:credential verify="eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."/>';
      return { text: svg.replace('</svg>', `${el}</svg>`), keeps: true };
    }
    case 'jsHref':
      return { text: insert('<a href=" java\tscript:alert(1)"><text>x</text></a>'), keeps: true };
    case 'truncate':
      return { text: svg.slice(0, Math.floor((svg.length * h.permille) / 1000)), keeps: true };
  }
}

interface Packed {
  input: VerificationInput;
  /** False when the container no longer holds the badge (it was replaced by a bomb). */
  keeps: boolean;
  clean: boolean;
  served: string[];
  name: string;
}

function pack(
  text: string,
  container: Container,
  keyword: BadgeKeyword,
  world: World,
  contentType: string,
): Packed {
  const bytes = () => new TextEncoder().encode(text);
  switch (container.way) {
    case 'text':
      return { input: { way: 'text', text }, keeps: true, clean: true, served: [], name: 'text' };
    case 'file':
      return {
        input: { way: 'file', bytes: bytes() },
        keeps: true,
        clean: true,
        served: [],
        name: 'file',
      };
    case 'url': {
      const url = world.serve({ body: text, contentType });
      return { input: { way: 'url', url }, keeps: true, clean: true, served: [url], name: 'url' };
    }
    case 'png': {
      let png: Uint8Array;
      try {
        png = bakePng(world.basePng, { keyword, text });
      } catch {
        return pack(text, { way: 'text' }, keyword, world, contentType);
      }
      if (!container.hostile)
        return {
          input: { way: 'file', bytes: png },
          keeps: true,
          clean: true,
          served: [],
          name: 'png',
        };
      const h = hostilePng(png, container.hostile, keyword, text, world);
      return {
        input: { way: 'file', bytes: h.bytes },
        keeps: h.keeps,
        clean: false,
        served: [],
        name: `png-${container.hostile.t}`,
      };
    }
    case 'svg': {
      let svg: string;
      try {
        svg = bakeSvg(world.baseSvg, { keyword, text });
      } catch {
        return pack(text, { way: 'text' }, keyword, world, contentType);
      }
      let keeps = true;
      if (container.hostile) ({ text: svg, keeps } = hostileSvg(svg, container.hostile, keyword));
      const input: VerificationInput = container.asFile
        ? { way: 'file', bytes: new TextEncoder().encode(svg) }
        : { way: 'text', text: svg };
      return {
        input,
        keeps,
        clean: !container.hostile,
        served: [],
        name: container.hostile ? `svg-${container.hostile.t}` : 'svg',
      };
    }
  }
}

// --- recipes ---------------------------------------------------------------------------------

/** DI proofs need an Ed25519 key: an RSA signer signs with its owner's Ed25519 key instead. */
function diSigner(name: KeyName): KeyName {
  const twin: Partial<Record<KeyName, KeyName>> = {
    foreignRsa: 'foreignEd',
    didRsa: 'didEd',
    ownRsa: 'ownEd',
    evilRsa: 'evilEd',
    strayRsa: 'strayEd',
  };
  return twin[name] ?? name;
}

/**
 * Data Integrity signing costs a JSON-LD canonicalisation; recipes often repeat the same
 * document and key, so signatures are kept (the verifier never sees this cache).
 */
const diCache = new Map<string, Promise<Json>>();

async function signDi(
  doc: Json,
  material: {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    secretKeyMultibase: string;
  },
): Promise<Json> {
  const key = JSON.stringify([doc, material.id, material.publicKeyMultibase]);
  let pending = diCache.get(key);
  if (!pending) {
    if (diCache.size >= 2000) diCache.clear();
    pending = signCredentialDataIntegrity(doc as never, material, { created: ISSUED });
    diCache.set(key, pending);
  }
  return structuredClone(await pending);
}

async function buildSigned(r: SignedRecipe, world: World): Promise<Built> {
  const family = familyOf(r.kind);
  const ob2 = family === 'ob2';
  const signerName = family === 'di' ? diSigner(r.signer) : r.signer;
  const key = world.keys[signerName];
  const party = world.parties[r.claim];
  const ref = refString(r.ref, world, r.claim, key, family);
  const canonicalRef = refString({ t: 'canonical' }, world, r.claim, key, family);
  const listed = genuineSigners(r.kind, r.claim).includes(signerName);
  const benignPre = r.pre.every((e) => e.t === 'rename' || e.t === 'describe');
  let forged = !listed;
  let clean = ref === canonicalRef && benignPre && r.headers.length === 0;
  if (ob2 && r.evilClass && party.badgeClassId !== `${EVIL}/classes/${r.claim}`) clean = false;

  let text: string;
  const keyword: BadgeKeyword = ob2 ? 'openbadges' : 'openbadgecredential';
  let contentType: string;
  if (family === 'di') {
    const doc = ob3Document(world, r.claim);
    const unedited = structuredClone(doc);
    for (const e of r.pre) applyPre(doc, e, false, world, r.claim);
    const material = {
      id: ref,
      controller: party.ob3Id,
      publicKeyMultibase: key.multibase!,
      secretKeyMultibase: key.secretMultibase!,
    };
    let signed: Json;
    try {
      signed = await signDi(doc, material);
    } catch {
      // Not signable (JSON-LD safe mode refused the edit or the method id): the edit and
      // the method id land after signing, which breaks the proof.
      signed = await signDi(unedited, {
        ...material,
        id: `${EVIL}/k/multikey/attacker/${key.name}`,
      });
      Object.assign(signed, doc, { proof: { ...(signed.proof as Json), verificationMethod: ref } });
      forged = true;
    }
    const before = JSON.stringify(signed);
    for (const m of r.post) {
      mutateDi(signed, m, world);
      if (m.t === 'extraProof') clean = false;
      else if (JSON.stringify(signed) !== before) forged = true;
    }
    text = JSON.stringify(signed);
    contentType = 'application/vc+ld+json';
  } else {
    let doc: Json;
    let header: Json;
    if (ob2) {
      doc = ob2Document(world, r.claim, r.evilClass, ref);
      header = { alg: 'RS256' };
    } else {
      doc = ob3Document(world, r.claim);
      header = { alg: naturalAlg(key), kid: ref, typ: 'JWT' };
    }
    for (const e of r.pre) applyPre(doc, e, ob2, world, r.claim);
    if (!ob2) {
      const issuer = doc.issuer;
      const issuerId = typeof issuer === 'string' ? issuer : (issuer as Json | undefined)?.id;
      const mismatch = r.pre.find((e) => e.t === 'issMismatch');
      doc = {
        ...doc,
        iss:
          mismatch && mismatch.t === 'issMismatch' ? world.parties[mismatch.claim].ob3Id : issuerId,
        jti: doc.id,
        nbf: Math.floor(ISSUED.getTime() / 1000),
      };
    }
    for (const t of r.headers) {
      applyHeaderTrick(header, t, world, r.claim, key, family);
      if (t.t === 'alg' && (t.alg === 'none' || t.alg === 'HS256')) forged = true;
    }
    const signed = signJws(header, JSON.stringify(doc), key);
    let token = signed;
    for (const m of r.post) token = mutateJws(token, m, world, r.claim, key, family, ob2);
    if (token !== signed) forged = true;
    text = token;
    contentType = ob2 ? 'text/plain' : 'application/vc+jwt';
  }
  const packed = pack(text, r.container, keyword, world, contentType);
  if (!packed.keeps) forged = true;
  const label: Label = forged ? 'forged' : clean && packed.clean ? 'genuine' : 'any';
  return {
    input: packed.input,
    label,
    kind: r.kind,
    container: packed.name,
    served: packed.served,
  };
}

const INTRUDER = 'intrus@evil.example';

function buildHosted(r: HostedRecipe, world: World): Built {
  const party = world.parties[r.claim];
  const genuineUrl = party.hosted[r.which];
  let variant = r.variant;
  if (!genuineUrl) variant = 'evilSelf';
  const served: string[] = [];
  let text: string;
  let label: Label;
  let direct: string | undefined;
  if (variant === 'genuine') {
    const doc = world.hostedDocs.get(genuineUrl!)!;
    text = JSON.stringify(doc);
    direct = genuineUrl;
    label = 'genuine';
  } else if (variant === 'editedPaste') {
    const doc = structuredClone(world.hostedDocs.get(genuineUrl!)!) as unknown as Json;
    doc.recipient = {
      type: 'email',
      hashed: true,
      salt: 'x',
      identity: hashIdentity(INTRUDER, 'x'),
    };
    text = JSON.stringify(doc);
    label = r.claim === 'attacker' ? 'any' : 'forged';
  } else {
    // The attacker serves an assertion of the claimed issuer's badge class from its own site.
    let body: Json | undefined;
    const url = world.serve({ body: '' });
    served.push(url);
    if (variant === 'mirror')
      body = structuredClone(world.hostedDocs.get(genuineUrl!)!) as unknown as Json;
    else {
      body = buildAssertion({
        id: variant === 'evilVictimId' && genuineUrl ? genuineUrl : url,
        badge: party.badgeClassId,
        recipient: { email: INTRUDER, salt: 'x' },
        issuedOn: ISSUED,
        verification: { type: 'hosted' },
      }) as unknown as Json;
    }
    world.serveAt(url, { body });
    text = JSON.stringify(body);
    direct = url;
    // The attacker hosting its own badges on its own site is legitimate.
    label = variant === 'mirror' || r.claim === 'attacker' ? 'any' : 'forged';
  }
  let packed: Packed;
  if (r.container.way === 'url' && direct) {
    packed = {
      input: { way: 'url', url: direct },
      keeps: true,
      clean: true,
      served: [],
      name: 'url',
    };
  } else packed = pack(text, r.container, 'openbadges', world, 'application/ld+json');
  if (!packed.keeps) label = 'forged';
  else if (!packed.clean && label === 'genuine') label = 'any';
  return {
    input: packed.input,
    label,
    kind: 'ob2-hosted',
    container: packed.name,
    served: [...served, ...packed.served],
    // Whoever shows a changed copy claims it names them: the check is against their address.
    ...(variant === 'mirror' || variant === 'genuine' ? {} : { email: INTRUDER }),
  };
}

function buildNoise(r: NoiseRecipe, world: World): Built {
  const done = (input: VerificationInput, container: string, served: string[] = []): Built => ({
    input,
    label: 'forged',
    kind: r.kind,
    container,
    served,
  });
  switch (r.kind) {
    case 'bytes':
      return r.asText
        ? done({ way: 'text', text: Buffer.from(r.bytes).toString('latin1') }, 'text')
        : done({ way: 'file', bytes: r.bytes }, 'file');
    case 'string':
      return r.way === 'text'
        ? done({ way: 'text', text: r.text }, 'text')
        : done({ way: 'file', bytes: new TextEncoder().encode(r.text) }, 'file');
    case 'json': {
      const party = world.parties[r.claim];
      const extra =
        typeof r.value === 'object' && r.value !== null && !Array.isArray(r.value)
          ? r.value
          : { value: r.value };
      let doc: unknown = r.value;
      if (r.flavor === 'ob3') {
        doc = {
          '@context': OB3_CREDENTIAL_CONTEXTS,
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
          issuer: { id: party.ob3Id, type: ['Profile'], name: 'X' },
          ...extra,
        };
      } else if (r.flavor === 'ob2') {
        doc = {
          '@context': OB2_CONTEXT_URL,
          type: 'Assertion',
          id: `${EVIL}/assertions/bruit`,
          badge: party.badgeClassId,
          verification: { type: 'hosted' },
          ...extra,
        };
      }
      return done({ way: 'text', text: JSON.stringify(doc) }, 'text');
    }
    case 'jwslike': {
      const payload =
        r.vc && typeof r.payload === 'object' && r.payload !== null && !Array.isArray(r.payload)
          ? { ...r.payload, vc: { type: ['VerifiableCredential'] } }
          : r.payload;
      const text = `${b64u(JSON.stringify(r.header))}.${b64u(JSON.stringify(payload) ?? 'null')}.${Buffer.from(r.sig, 'base64').toString('base64url')}`;
      return done({ way: 'text', text }, 'text');
    }
    case 'image': {
      const keyword: BadgeKeyword = r.text.length % 2 ? 'openbadges' : 'openbadgecredential';
      const packed = pack(r.text || 'x', r.container, keyword, world, 'text/plain');
      return done(packed.input, packed.name, packed.served);
    }
  }
}

export async function buildInput(recipe: Recipe, world: World): Promise<Built> {
  switch (recipe.kind) {
    case 'ob3-di':
    case 'ob3-jwt':
    case 'ob2-signed':
      return buildSigned(recipe, world);
    case 'ob2-hosted':
      return buildHosted(recipe, world);
    default:
      return buildNoise(recipe, world);
  }
}
