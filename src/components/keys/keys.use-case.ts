import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { CompactSign, type CompactJWSHeaderParameters } from 'jose';
import {
  createPrivateKey,
  generateKeyPair as generateKeyPairCb,
  randomBytes,
  sign as nodeSign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { NotFoundError } from '../../libraries/errors/app-error.js';
import type { IssuerKeyDoc, KeyType } from './keys.model.js';
import type { KeysRepository } from './keys.repository.js';
import type { MasterKey } from './master-key.js';
import {
  signAwardForms,
  signingTools,
  type AwardFormsJob,
  type SignedAwardForms,
} from './award-forms.js';
import type { SigningPool } from './signing-pool.js';
import type { DocumentLoader } from '../../core/index.js';

const generateKeyPair = promisify(generateKeyPairCb);

/** What the rest of the app may know about a key: never the private part. */
export type PublicKeyInfo = Omit<IssuerKeyDoc, 'encryptedPrivateKey'>;

/** A Data Integrity signer as jsonld-signatures / the digitalbazaar cryptosuites expect it. */
export interface DataIntegritySigner {
  id: string;
  algorithm: 'Ed25519';
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}

/** Signs the three forms of awards with an issuer's active RSA and Ed25519 keys. */
export interface AwardFormsSigner {
  rsaKeyId: string;
  edKeyId: string;
  sign(job: AwardFormsJob): Promise<SignedAwardForms>;
}

/** Signs compact JWS (RS256) with one RSA key of an issuer. */
export interface JwsSigner {
  keyId: string;
  sign(
    payload: string | Uint8Array,
    header?: Omit<CompactJWSHeaderParameters, 'alg'>,
  ): Promise<string>;
}

function publicInfo(doc: IssuerKeyDoc): PublicKeyInfo {
  const { encryptedPrivateKey: _omit, ...rest } = doc;
  return rest;
}

/** A key as the signing threads receive it: encrypted, named by id (for their cache). */
function sealedOf(doc: IssuerKeyDoc) {
  return { _id: doc._id, encryptedPrivateKey: doc.encryptedPrivateKey };
}

function aadFor(doc: Pick<IssuerKeyDoc, '_id' | 'issuerId' | 'type'>): string {
  return `coop-badges/issuer-key/${doc.issuerId}/${doc._id}/${doc.type}`;
}

export function newKeyId(type: KeyType): string {
  return `${type === 'RSA' ? 'rsa' : 'ed'}-${randomBytes(8).toString('hex')}`;
}

/**
 * The key module: generates issuers' key pairs, keeps private keys encrypted at rest, and signs.
 * Private keys never leave it: callers get signatures, signers bound to a key, or public keys.
 */
export function createKeyService(deps: {
  repo: KeysRepository;
  masterKey: MasterKey;
  clock: () => Date;
  /** Contexts for Data Integrity signing in this thread. */
  documentLoader?: DocumentLoader;
  /** Signing threads (they decrypt the keys themselves); none: award forms sign here. */
  pool?: SigningPool | undefined;
}) {
  const { repo, masterKey, clock } = deps;
  // Decrypted keys, imported once per process (signing 10,000 badges must not decrypt 10,000 times).
  const privateKeys = new Map<string, KeyObject>();
  // Contexts and canonical templates for signing in this thread (SIGNING_THREADS=0).
  let tools: ReturnType<typeof signingTools> | undefined;

  async function generate(issuerId: string, type: KeyType): Promise<IssuerKeyDoc> {
    const pair =
      type === 'RSA'
        ? await generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
        : await generateKeyPair('ed25519');
    const id = newKeyId(type);
    const publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const doc: IssuerKeyDoc = {
      _id: id,
      issuerId,
      type,
      status: 'active',
      createdAt: clock(),
      publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      publicJwk,
      encryptedPrivateKey: masterKey.encrypt(pkcs8, aadFor({ _id: id, issuerId, type })),
    };
    pkcs8.fill(0);
    if (type === 'Ed25519') {
      const multikey = await Ed25519Multikey.fromJwk({ jwk: publicJwk });
      doc.publicKeyMultibase = multikey.publicKeyMultibase;
    }
    await repo.insert(doc);
    privateKeys.set(id, pair.privateKey);
    return doc;
  }

  async function privateKeyOf(doc: IssuerKeyDoc): Promise<KeyObject> {
    const cached = privateKeys.get(doc._id);
    if (cached) return cached;
    const der = masterKey.decrypt(doc.encryptedPrivateKey, aadFor(doc));
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    der.fill(0);
    privateKeys.set(doc._id, key);
    return key;
  }

  async function activeDoc(issuerId: string, type: KeyType): Promise<IssuerKeyDoc> {
    const doc = await repo.newestActive(issuerId, type);
    if (!doc) throw new NotFoundError({ detail: `No active ${type} key for issuer ${issuerId}` });
    return doc;
  }

  async function createIssuerKeys(issuerId: string): Promise<PublicKeyInfo[]> {
    const docs = [await generate(issuerId, 'RSA'), await generate(issuerId, 'Ed25519')];
    return docs.map(publicInfo);
  }
  // Issuers known to have keys, and key creations in progress (one per issuer at a time).
  const withKeys = new Set<string>();
  const creating = new Map<string, Promise<void>>();

  return {
    /** At issuer creation: an RSA-2048 key (OB 2.0 RS256, VC-JWT) and an Ed25519 key (Data Integrity). */
    async createIssuerKeys(issuerId: string): Promise<PublicKeyInfo[]> {
      const created = await createIssuerKeys(issuerId);
      withKeys.add(issuerId);
      return created;
    },

    /**
     * Gives keys to an issuer created before keys existed (or whose creation step failed):
     * called before signing, so such issuers get their keys on their first badge. Concurrent
     * calls in this process wait for one creation.
     */
    async ensureIssuerKeys(issuerId: string): Promise<void> {
      if (withKeys.has(issuerId)) return;
      let pending = creating.get(issuerId);
      if (!pending) {
        pending = (async () => {
          const keys = (await repo.listByIssuer(issuerId)).filter((k) => k.status === 'active');
          const missing = (['RSA', 'Ed25519'] as const).filter(
            (type) => !keys.some((k) => k.type === type),
          );
          for (const type of missing) await generate(issuerId, type);
          withKeys.add(issuerId);
        })().finally(() => creating.delete(issuerId));
        creating.set(issuerId, pending);
      }
      await pending;
    },

    /** New keys sign from now on; old keys stay published (retired) so old badges still verify. */
    async rotateIssuerKeys(
      issuerId: string,
    ): Promise<{ created: PublicKeyInfo[]; retired: string[] }> {
      const before = (await repo.listByIssuer(issuerId)).filter((k) => k.status === 'active');
      const created = [await generate(issuerId, 'RSA'), await generate(issuerId, 'Ed25519')];
      const retired = before.map((k) => k._id);
      await repo.retire(retired, clock());
      return { created: created.map(publicInfo), retired };
    },

    /**
     * Declares a key compromised. When it was the active key of its type, a new key of that
     * type is created first (signing never finds the issuer without an active key), then the
     * old one is marked. `already`: it was compromised before (nothing changed).
     */
    async compromiseKey(
      issuerId: string,
      keyId: string,
      input: { by: string; reason: string },
    ): Promise<{ key: PublicKeyInfo; replacement?: PublicKeyInfo; already: boolean }> {
      const doc = await repo.findById(keyId);
      if (!doc || doc.issuerId !== issuerId) throw new NotFoundError();
      if (doc.status === 'compromised') return { key: publicInfo(doc), already: true };
      const replacement = doc.status === 'active' ? await generate(issuerId, doc.type) : undefined;
      const at = clock();
      const changed = await repo.markCompromised(keyId, { at, by: input.by, reason: input.reason });
      // The decrypted key must not sign again in this process.
      privateKeys.delete(keyId);
      deps.pool?.forget(keyId);
      const key = (await repo.findById(keyId))!;
      return {
        key: publicInfo(key),
        ...(replacement ? { replacement: publicInfo(replacement) } : {}),
        already: !changed,
      };
    },

    /** Every key of the issuer, compromised ones included (the owner's list; never published). */
    async listPublicKeys(issuerId: string): Promise<PublicKeyInfo[]> {
      return (await repo.listByIssuer(issuerId)).map(publicInfo);
    },

    /** The keys public documents may list: active and retired, never compromised. */
    async publishedKeys(issuerId: string): Promise<PublicKeyInfo[]> {
      return (await repo.listByIssuer(issuerId))
        .filter((k) => k.status !== 'compromised')
        .map(publicInfo);
    },

    async findPublicKey(keyId: string): Promise<PublicKeyInfo | null> {
      const doc = await repo.findById(keyId);
      return doc ? publicInfo(doc) : null;
    },

    async activePublicKey(issuerId: string, type: KeyType): Promise<PublicKeyInfo> {
      return publicInfo(await activeDoc(issuerId, type));
    },

    /**
     * Signs `payload` as a compact JWS (RS256) with the issuer's active RSA key. `header` may
     * add `kid`/`typ`; returns the key id used, for the document's creator / kid.
     */
    async signCompactJws(
      issuerId: string,
      payload: string | Uint8Array,
      header: (keyId: string) => Omit<CompactJWSHeaderParameters, 'alg'> = () => ({}),
    ): Promise<{ jws: string; keyId: string }> {
      const doc = await activeDoc(issuerId, 'RSA');
      const key = await privateKeyOf(doc);
      const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
      const jws = await new CompactSign(bytes)
        .setProtectedHeader({ ...header(doc._id), alg: 'RS256' })
        .sign(key);
      return { jws, keyId: doc._id };
    },

    /**
     * A compact-JWS (RS256) signer bound to the issuer's active RSA key, for documents that
     * name their key inside the signed payload (OB 2.0 `verification.creator`): read
     * `keyId` first, build the payload, then sign with that same key. Reusable for a batch.
     */
    async jwsSigner(issuerId: string): Promise<JwsSigner> {
      const doc = await activeDoc(issuerId, 'RSA');
      const key = await privateKeyOf(doc);
      return {
        keyId: doc._id,
        async sign(payload, header = {}) {
          const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
          return new CompactSign(bytes).setProtectedHeader({ ...header, alg: 'RS256' }).sign(key);
        },
      };
    },

    /**
     * Signs awards' three forms with the issuer's active keys: on the signing threads when
     * there are some (each receives the key still encrypted, and decrypts it itself), or here.
     */
    async awardFormsSigner(
      issuerId: string,
      names: {
        verificationMethod: (key: PublicKeyInfo) => string;
        jwtKid: (key: PublicKeyInfo) => string;
      },
    ): Promise<AwardFormsSigner> {
      const active = await repo.newestActiveByType(issuerId);
      const rsaDoc = active.RSA;
      const edDoc = active.Ed25519;
      if (!rsaDoc || !edDoc) {
        const missing = rsaDoc ? 'Ed25519' : 'RSA';
        throw new NotFoundError({ detail: `No active ${missing} key for issuer ${issuerId}` });
      }
      const verificationMethod = names.verificationMethod(publicInfo(edDoc));
      const jwtKid = names.jwtKid(publicInfo(rsaDoc));
      const ids = { rsaKeyId: rsaDoc._id, edKeyId: edDoc._id };
      const { pool } = deps;
      if (pool) {
        const sealed = {
          rsa: { doc: sealedOf(rsaDoc), aad: aadFor(rsaDoc) },
          ed: { doc: sealedOf(edDoc), aad: aadFor(edDoc) },
          verificationMethod,
          jwtKid,
        };
        return { ...ids, sign: (job) => pool.sign(sealed, job) };
      }
      const imported = {
        rsa: await privateKeyOf(rsaDoc),
        ed: await privateKeyOf(edDoc),
        verificationMethod,
        jwtKid,
      };
      tools ??= signingTools(deps.documentLoader);
      const inThread = tools;
      return { ...ids, sign: (job) => signAwardForms(imported, job, inThread) };
    },

    /** A signer bound to the issuer's active Ed25519 key; `verificationMethod` names it. */
    async dataIntegritySigner(
      issuerId: string,
      verificationMethod: (key: PublicKeyInfo) => string,
    ): Promise<DataIntegritySigner & { keyId: string }> {
      const doc = await activeDoc(issuerId, 'Ed25519');
      const key = await privateKeyOf(doc);
      return {
        keyId: doc._id,
        id: verificationMethod(publicInfo(doc)),
        algorithm: 'Ed25519',
        async sign({ data }) {
          return new Uint8Array(nodeSign(null, data, key));
        },
      };
    },
  };
}
export type KeyService = ReturnType<typeof createKeyService>;
