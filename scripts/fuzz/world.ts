/**
 * The fuzzer's world: this platform (the victim, a did:web issuer under PUBLIC_URL), two
 * genuine foreign issuers (one with an https controller document, one with did:web), an
 * attacker who is also a legitimate issuer of its own badges, a did:key issuer, two issuers
 * that do not exist, and keys listed by nobody. Every document is built with the core and
 * served from memory by one Fetcher (no network); the attacker's origin also answers, from
 * the URL alone, the documents an attacker would write to bind its keys to anyone.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import {
  buildAssertion,
  buildBadgeClass,
  buildControllerDocument,
  buildCryptographicKey,
  buildIssuerProfile,
  buildMultikeyDocument,
  generateEd25519KeyMaterial,
  type FetchResult,
  type Fetcher,
  type Ob2Assertion,
} from '../../src/core/index.js';
import { projectRoot } from '../../src/libraries/paths.js';

export const NOW = new Date('2026-03-01T12:00:00Z');
export const ISSUED = new Date('2026-01-02T10:00:00Z');
export const PUBLIC_URL = 'https://coop.example';
export const EVIL = 'https://evil.example';
export const EVIL_DID = 'did:web:evil.example';
export const RECIPIENT = 'karim.benali@example.fr';

export const KEY_NAMES = [
  'foreignEd',
  'foreignRsa',
  'didEd',
  'didRsa',
  'ownEd',
  'ownRsa',
  'evilEd',
  'evilRsa',
  'didkeyEd',
  'strayEd',
  'strayRsa',
] as const;
export type KeyName = (typeof KEY_NAMES)[number];

export const ISSUER_NAMES = [
  'foreign',
  'foreignDid',
  'own',
  'attacker',
  'didkey',
  'ghostOwn',
  'ghostForeign',
] as const;
export type IssuerName = (typeof ISSUER_NAMES)[number];
/** Issuers with an OB 2.0 identity (an issuer profile URL, served or not). */
export const OB2_ISSUER_NAMES = [
  'foreign',
  'foreignDid',
  'own',
  'attacker',
  'ghostOwn',
  'ghostForeign',
] as const satisfies readonly IssuerName[];

export interface FuzzKey {
  name: KeyName;
  type: 'ed' | 'rsa';
  privateKey: KeyObject;
  publicJwk: JWK;
  publicPem: string;
  /** Ed25519 keys: the Multikey forms. */
  multibase?: string;
  secretMultibase?: string;
}

export interface Party {
  name: IssuerName;
  /** OB 2.0 issuer profile URL (served only for real issuers). */
  ob2Id: string;
  /** OB 3.0 issuer id: https controller document, did:web or did:key. */
  ob3Id: string;
  /** Where documents "on the issuer's own site" live (orphan keys go under it). */
  base: string;
  /** Its OB 2.0 BadgeClass (for ghosts: one the attacker serves). */
  badgeClassId: string;
  /** Key id (verificationMethod / kid) for each key its OB 3.0 document lists. */
  ob3Refs: Partial<Record<KeyName, string>>;
  /** CryptographicKey URL for each key its OB 2.0 profile lists under publicKey. */
  ob2Refs: Partial<Record<KeyName, string>>;
  /** Genuine hosted OB 2.0 assertions. */
  hosted: string[];
}

export interface Served {
  status?: number;
  contentType?: string;
  body: string | Uint8Array | object;
}

export interface World {
  keys: Record<KeyName, FuzzKey>;
  parties: Record<IssuerName, Party>;
  /** Answers every URL of the world (404 for unknown ones); never touches the network. */
  fetch: Fetcher;
  /** Serves one document at a fresh attacker URL (for "verify by URL" inputs). */
  serve(doc: Served): string;
  /** Replaces what a served URL answers. */
  serveAt(url: string, doc: Served): void;
  unserve(url: string): void;
  basePng: Uint8Array;
  baseSvg: string;
  /** A zlib stream that inflates to 64 MB of zeros (decompression bomb). */
  bomb: Uint8Array;
  /** The hosted assertion documents by URL (genuine copies, for mirrors and edits). */
  hostedDocs: Map<string, Ob2Assertion>;
}

/** Ed25519 PKCS#8 DER prefix: the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

async function edKey(name: KeyName): Promise<FuzzKey> {
  const seed = createHash('sha256').update(`coop-badges fuzz ${name}`).digest();
  const material = await generateEd25519KeyMaterial({ controller: 'urn:fuzz', seed });
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return {
    name,
    type: 'ed',
    privateKey,
    publicJwk: publicKey.export({ format: 'jwk' }) as JWK,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    multibase: material.publicKeyMultibase,
    secretMultibase: material.secretKeyMultibase,
  };
}

function rsaKey(name: KeyName): FuzzKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    name,
    type: 'rsa',
    privateKey,
    publicJwk: publicKey.export({ format: 'jwk' }) as JWK,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** The owner of each key: the one issuer whose documents list it (stray keys: nobody). */
export const KEY_OWNER: Record<KeyName, IssuerName | undefined> = {
  foreignEd: 'foreign',
  foreignRsa: 'foreign',
  didEd: 'foreignDid',
  didRsa: 'foreignDid',
  ownEd: 'own',
  ownRsa: 'own',
  evilEd: 'attacker',
  evilRsa: 'attacker',
  didkeyEd: 'didkey',
  strayEd: undefined,
  strayRsa: undefined,
};

/** Attacker key documents: `${EVIL}/k/<style>/<issuer>/<key>` (and orphans on an issuer's site). */
export const KEY_DOC_STYLES = ['multikey', 'controller', 'jwk', 'jwks', 'ob2key'] as const;
export type KeyDocStyle = (typeof KEY_DOC_STYLES)[number];

export function evilKeyUrl(style: KeyDocStyle, claim: IssuerName, key: KeyName): string {
  return `${EVIL}/k/${style}/${claim}/${key}`;
}

/** A key document on the claimed issuer's own site that its profile does not list. */
export function orphanKeyUrl(
  party: Party,
  style: KeyDocStyle,
  claim: IssuerName,
  key: KeyName,
): string {
  return `${party.base}/cles/orphelines/${style}/${claim}/${key}`;
}

export function evilDidMethod(claim: IssuerName, key: KeyName): string {
  return `${EVIL_DID}#${claim}-${key}`;
}

export function didKeyOf(key: FuzzKey): string {
  return `did:key:${key.multibase!}`;
}

const CONTROLLER_CONTEXT = [
  'https://www.w3.org/ns/did/v1',
  'https://w3id.org/security/multikey/v1',
  'https://w3id.org/security/jwk/v1',
];

function methodOf(id: string, controller: string, key: FuzzKey): Record<string, unknown> {
  return key.type === 'ed'
    ? { id, type: 'Multikey', controller, publicKeyMultibase: key.multibase }
    : { id, type: 'JsonWebKey', controller, publicKeyJwk: key.publicJwk };
}

/** What the attacker writes at a key URL to claim `key` belongs to `claimant`. */
function keyDocument(
  style: KeyDocStyle,
  url: string,
  claimant: Party,
  key: FuzzKey,
): Served['body'] {
  switch (style) {
    case 'multikey':
      return key.type === 'ed'
        ? buildMultikeyDocument({
            id: url,
            controller: claimant.ob3Id,
            publicKeyMultibase: key.multibase!,
          })
        : {
            '@context': 'https://w3id.org/security/jwk/v1',
            ...methodOf(url, claimant.ob3Id, key),
          };
    case 'controller': {
      const method = methodOf(url, claimant.ob3Id, key);
      return {
        '@context': CONTROLLER_CONTEXT,
        id: claimant.ob3Id,
        verificationMethod: [method],
        assertionMethod: [url],
      };
    }
    case 'jwk':
      return { ...key.publicJwk, kid: url };
    case 'jwks':
      return { keys: [{ ...key.publicJwk, kid: url }] };
    case 'ob2key':
      return {
        '@context': 'https://w3id.org/openbadges/v2',
        type: 'CryptographicKey',
        id: url,
        owner: claimant.ob2Id,
        publicKeyPem: key.publicPem,
      };
  }
}

export async function createWorld(): Promise<World> {
  const keys = {} as Record<KeyName, FuzzKey>;
  for (const name of KEY_NAMES) {
    keys[name] = name.endsWith('Ed') ? await edKey(name) : rsaKey(name);
  }

  const docs = new Map<string, Served>();
  const set = (url: string, body: Served['body'], options: Omit<Served, 'body'> = {}) =>
    docs.set(url, { body, ...options });
  const hostedDocs = new Map<string, Ob2Assertion>();

  /** A real issuer: OB 2.0 profile, key, badge class, hosted assertions; OB 3.0 documents. */
  function realIssuer(input: {
    name: IssuerName;
    origin: string;
    slug: string;
    title: string;
    did: boolean;
    ed: KeyName;
    rsa: KeyName;
  }): Party {
    const { origin, slug } = input;
    const ob2Id = `${origin}/emetteurs/${slug}`;
    const host = new URL(origin).host;
    const ob3Id = input.did
      ? `did:web:${host}:emetteurs:${slug}`
      : `${origin}/ob3/emetteurs/${slug}`;
    const base = input.did ? ob2Id : ob3Id;
    const rsaKeyId = `${ob2Id}/cles/rsa-1`;
    const jwkUrl = `${rsaKeyId}/jwk`;
    const edId = input.did ? `${ob3Id}#ed-1` : `${ob3Id}/cles/ed-1`;
    const badgeClassId = `${origin}/badges/${slug}-demarche`;
    const ed = keys[input.ed];
    const rsa = keys[input.rsa];
    set(
      ob2Id,
      buildIssuerProfile({
        id: ob2Id,
        name: input.title,
        url: origin,
        email: `contact@${slug}.example.fr`,
        publicKeys: [rsaKeyId],
      }),
    );
    set(
      rsaKeyId,
      buildCryptographicKey({ id: rsaKeyId, owner: ob2Id, publicKeyPem: rsa.publicPem }),
    );
    set(
      badgeClassId,
      buildBadgeClass({
        id: badgeClassId,
        name: 'Accompagner une démarche en ligne',
        description: 'Aider une personne à réaliser une démarche administrative en ligne.',
        image: `${badgeClassId}/image.png`,
        criteria: { narrative: 'Avoir accompagné au moins cinq personnes.' },
        issuer: ob2Id,
      }),
    );
    const hosted: string[] = [];
    for (const n of [1, 2]) {
      const assertion = buildAssertion({
        id: `${origin}/assertions/${slug}-${n}`,
        badge: badgeClassId,
        recipient: { email: RECIPIENT, salt: `sel-${slug}-${n}` },
        issuedOn: ISSUED,
        verification: { type: 'hosted' },
      });
      set(assertion.id, assertion);
      hostedDocs.set(assertion.id, assertion);
      hosted.push(assertion.id);
    }
    const controller = buildControllerDocument({
      id: ob3Id,
      multikeys: [{ id: edId, publicKeyMultibase: ed.multibase! }],
      jsonWebKeys: [{ id: jwkUrl, publicKeyJwk: rsa.publicJwk }],
    });
    if (input.did) {
      set(`https://${host}/emetteurs/${slug}/did.json`, controller, {
        contentType: 'application/did+json',
      });
    } else {
      set(ob3Id, controller, { contentType: 'application/json' });
      set(
        edId,
        buildMultikeyDocument({ id: edId, controller: ob3Id, publicKeyMultibase: ed.multibase! }),
        { contentType: 'application/json' },
      );
    }
    set(jwkUrl, rsa.publicJwk, { contentType: 'application/jwk+json' });
    return {
      name: input.name,
      ob2Id,
      ob3Id,
      base,
      badgeClassId,
      ob3Refs: { [input.ed]: edId, [input.rsa]: jwkUrl },
      ob2Refs: { [input.rsa]: rsaKeyId },
      hosted,
    };
  }

  const parties: Record<IssuerName, Party> = {
    foreign: realIssuer({
      name: 'foreign',
      origin: 'https://issuer.example',
      slug: 'ailleurs',
      title: 'Association Numérique Ailleurs',
      did: false,
      ed: 'foreignEd',
      rsa: 'foreignRsa',
    }),
    foreignDid: realIssuer({
      name: 'foreignDid',
      origin: 'https://did.example',
      slug: 'autre',
      title: 'Réseau Autre',
      did: true,
      ed: 'didEd',
      rsa: 'didRsa',
    }),
    own: realIssuer({
      name: 'own',
      origin: PUBLIC_URL,
      slug: 'coop',
      title: 'Ville de Roubaix — Coopérative des médiateurs numériques',
      did: true,
      ed: 'ownEd',
      rsa: 'ownRsa',
    }),
    attacker: realIssuer({
      name: 'attacker',
      origin: EVIL,
      slug: 'evil',
      title: 'Badges Vraiment Officiels',
      did: false,
      ed: 'evilEd',
      rsa: 'evilRsa',
    }),
    didkey: {
      name: 'didkey',
      ob2Id: `${EVIL}/emetteurs/didkey`,
      ob3Id: didKeyOf(keys.didkeyEd),
      base: `${EVIL}/didkey`,
      badgeClassId: `${EVIL}/classes/didkey`,
      ob3Refs: { didkeyEd: `${didKeyOf(keys.didkeyEd)}#${keys.didkeyEd.multibase!}` },
      ob2Refs: {},
      hosted: [],
    },
    ghostOwn: {
      name: 'ghostOwn',
      ob2Id: `${PUBLIC_URL}/emetteurs/fantome`,
      ob3Id: 'did:web:coop.example:emetteurs:fantome',
      base: `${PUBLIC_URL}/emetteurs/fantome`,
      badgeClassId: `${EVIL}/classes/ghostOwn`,
      ob3Refs: {},
      ob2Refs: {},
      hosted: [],
    },
    ghostForeign: {
      name: 'ghostForeign',
      ob2Id: 'https://nowhere.example/emetteurs/x',
      ob3Id: 'https://nowhere.example/ob3/emetteurs/x',
      base: 'https://nowhere.example/ob3/emetteurs/x',
      badgeClassId: `${EVIL}/classes/ghostForeign`,
      ob3Refs: {},
      ob2Refs: {},
      hosted: [],
    },
  };

  // The attacker's did:web lists every key "for" every issuer (controller = the victim).
  const evilMethods = ISSUER_NAMES.flatMap((claim) =>
    KEY_NAMES.map((k) => methodOf(evilDidMethod(claim, k), parties[claim].ob3Id, keys[k])),
  );
  set(
    `${EVIL}/.well-known/did.json`,
    {
      '@context': CONTROLLER_CONTEXT,
      id: EVIL_DID,
      verificationMethod: evilMethods,
      assertionMethod: evilMethods.map((m) => m.id),
    },
    { contentType: 'application/did+json' },
  );

  /** Documents computed from the URL: attacker key documents, classes and hosted copies. */
  function dynamic(url: string): Served | undefined {
    const u = url.split('#', 1)[0]!;
    const keyDoc = /\/k\/([a-z0-9]+)\/([A-Za-z]+)\/([A-Za-z]+)$/.exec(u);
    const orphan = /\/cles\/orphelines\/([a-z0-9]+)\/([A-Za-z]+)\/([A-Za-z]+)$/.exec(u);
    const m = orphan ?? (u.startsWith(`${EVIL}/k/`) ? keyDoc : null);
    if (m) {
      const [, style, claim, key] = m;
      if (
        !KEY_DOC_STYLES.includes(style as KeyDocStyle) ||
        !(claim! in parties) ||
        !(key! in keys)
      ) {
        return undefined;
      }
      const claimant = parties[claim as IssuerName];
      if (orphan && !u.startsWith(`${claimant.base}/`)) return undefined;
      return {
        body: keyDocument(style as KeyDocStyle, u, claimant, keys[key as KeyName]),
        contentType: 'application/json',
      };
    }
    const cls = /^https:\/\/evil\.example\/classes\/([A-Za-z]+)$/.exec(u);
    if (cls && cls[1]! in parties) {
      const claimant = parties[cls[1] as IssuerName];
      return {
        body: buildBadgeClass({
          id: u,
          name: 'Accompagner une démarche en ligne',
          description: 'Aider une personne à réaliser une démarche administrative en ligne.',
          image: `${u}/image.png`,
          criteria: { narrative: 'Avoir accompagné au moins cinq personnes.' },
          issuer: claimant.ob2Id,
        }),
      };
    }
    return undefined;
  }

  const basePng = new Uint8Array(
    fs.readFileSync(
      path.join(
        projectRoot,
        'tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png',
      ),
    ),
  );
  set(`${PUBLIC_URL}/badges/coop-demarche/image.png`, basePng, { contentType: 'image/png' });
  const baseSvg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="50" fill="#1f4e8c"/></svg>';
  const zlib = await import('node:zlib');
  const bomb = new Uint8Array(zlib.deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));

  let served = 0;
  const answer = (url: string): FetchResult => {
    const found = docs.get(url.split('#', 1)[0]!) ?? dynamic(url);
    if (!found) return { url, status: 404, contentType: 'text/plain', body: new Uint8Array() };
    const body =
      found.body instanceof Uint8Array
        ? found.body
        : new TextEncoder().encode(
            typeof found.body === 'string' ? found.body : JSON.stringify(found.body),
          );
    return {
      url,
      status: found.status ?? 200,
      contentType: found.contentType ?? 'application/ld+json',
      body,
    };
  };

  return {
    keys,
    parties,
    fetch: async (url) => answer(url),
    serve(doc) {
      const url = `${EVIL}/servi/${++served}`;
      docs.set(url, doc);
      return url;
    },
    serveAt(url, doc) {
      docs.set(url, doc);
    },
    unserve(url) {
      docs.delete(url);
    },
    basePng,
    baseSvg,
    bomb,
    hostedDocs,
  };
}
