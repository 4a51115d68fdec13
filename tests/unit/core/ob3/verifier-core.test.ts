import {
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  buildControllerDocument,
  buildMultikeyDocument,
  buildOpenBadgeCredential,
  generateEd25519KeyMaterial,
  signCredentialDataIntegrity,
  type Ed25519KeyMaterial,
} from '../../../../src/core/index.js';
import { awardInput } from './fixture-support.js';

/**
 * A second, independent verifier: DCC's @digitalcredentials/verifier-core (what the Learner
 * Credential Wallet uses). Its document loader is built inside the package and fetches HTTP
 * URLs with the global fetch, so the test replaces global fetch with an in-memory map: nothing
 * leaves the machine. It has no VC-JWT support (it takes a JSON-LD credential with an
 * embedded proof), so only our Data Integrity form is checked here.
 */
const issuerId = awardInput.issuer.id;
const keyUrl = `${issuerId}/keys/ed25519-1`;
const statusUrl = 'https://badges.example/status/revocation/1';
const created = new Date('2026-01-02T10:00:00Z');

const served = new Map<string, unknown>();
const requested: string[] = [];
const realFetch = globalThis.fetch;
const realLog = console.log;
const realError = console.error;
let key: Ed25519KeyMaterial;

type Log = { id: string; valid?: boolean }[];
interface CoreResult {
  log?: Log;
  errors?: { name: string; message: string }[];
  additionalInformation?: { id: string; results: unknown }[];
}

beforeAll(async () => {
  // verifier-core logs its failed schema download; keep the test output readable.
  console.log = () => undefined;
  console.error = () => undefined;
  globalThis.fetch = (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requested.push(url);
    const doc = served.get(url.split('#')[0]!);
    if (doc === undefined) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(doc), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  key = await generateEd25519KeyMaterial({
    controller: issuerId,
    keyId: keyUrl,
    seed: new Uint8Array(32).fill(1),
  });
  served.set(issuerId, buildControllerDocument({ id: issuerId, multikeys: [key] }));
  served.set(keyUrl, buildMultikeyDocument(key));
  const list = buildBitstringStatusListCredential({
    id: statusUrl,
    issuer: issuerId,
    validFrom: created,
    setIndexes: [5],
  });
  served.set(statusUrl, await signCredentialDataIntegrity(list, key, { created }));
});

afterAll(() => {
  globalThis.fetch = realFetch;
  console.log = realLog;
  console.error = realError;
});

async function verifyWithCore(index: number): Promise<CoreResult> {
  const credential = await signCredentialDataIntegrity(
    buildOpenBadgeCredential({
      ...awardInput,
      credentialStatus: buildBitstringStatusListEntry({
        statusListCredential: statusUrl,
        statusListIndex: index,
      }),
    }),
    key,
    { created },
  );
  const { verifyCredential } = await import('@digitalcredentials/verifier-core');
  return (await verifyCredential({
    credential: credential as never,
    knownDIDRegistries: [] as never,
  })) as CoreResult;
}

const stepOf = (r: CoreResult, id: string) => r.log?.find((s) => s.id === id)?.valid;

describe('Our credentials checked by @digitalcredentials/verifier-core (offline)', () => {
  it('When our DI credential is verified, then the signature, expiry and status are valid', async () => {
    const result = await verifyWithCore(4);
    expect(result.errors).toBeUndefined();
    expect(stepOf(result, 'valid_signature')).toBe(true);
    expect(stepOf(result, 'expiration')).toBe(true);
    expect(stepOf(result, 'revocation_status')).toBe(true);
    // No issuer registry is given, so "registered issuer" is false by construction.
    expect(stepOf(result, 'registered_issuer')).toBe(false);
    // It fetches the canonical 1EdTech JSON Schema from the web; offline that fails softly.
    expect(result.additionalInformation).toEqual([
      { id: 'schema_check', results: 'INVALID_SCHEMA - possibly not a valid url' },
    ]);
    expect(requested).toEqual(expect.arrayContaining([keyUrl, issuerId, statusUrl]));
    expect(requested.every((u) => served.has(u) || u.includes('/spec/ob/v3p0/schema/'))).toBe(true);
  });

  it('When the status bit of our credential is set, then verifier-core reports it revoked', async () => {
    const result = await verifyWithCore(5);
    expect(stepOf(result, 'valid_signature')).toBe(true);
    expect(stepOf(result, 'revocation_status')).toBe(false);
  });

  it('When the issuer is a did:web, then verifier-core resolves its did.json and the signature is valid', async () => {
    const did = 'did:web:badges.example:issuers:coop';
    const didKey = await generateEd25519KeyMaterial({
      controller: did,
      keyId: `${did}#key-1`,
      seed: new Uint8Array(32).fill(5),
    });
    served.set(
      'https://badges.example/issuers/coop/did.json',
      buildControllerDocument({ id: did, multikeys: [didKey] }),
    );
    const credential = await signCredentialDataIntegrity(
      buildOpenBadgeCredential({ ...awardInput, issuer: { ...awardInput.issuer, id: did } }),
      didKey,
      { created },
    );
    const { verifyCredential } = await import('@digitalcredentials/verifier-core');
    const result = (await verifyCredential({
      credential: credential as never,
      knownDIDRegistries: [] as never,
    })) as CoreResult;
    expect(result.errors).toBeUndefined();
    expect(stepOf(result, 'valid_signature')).toBe(true);
  });

  it('When the key is given as issuer#z6Mk… (1EdTech style), then verifier-core cannot resolve it', async () => {
    // A URL fragment is not sent to the server: verifier-core gets the controller document
    // where it expects the key itself, and reports an invalid signature. Hence our
    // recommendation: key URLs that return the Multikey document, or did:web.
    const fragmentKey = { ...key, id: `${issuerId}#${key.publicKeyMultibase}` };
    const credential = await signCredentialDataIntegrity(
      buildOpenBadgeCredential(awardInput),
      fragmentKey,
      { created },
    );
    const { verifyCredential } = await import('@digitalcredentials/verifier-core');
    const result = (await verifyCredential({
      credential: credential as never,
      knownDIDRegistries: [] as never,
    })) as CoreResult;
    expect(result.errors?.[0]?.name).toBe('invalid_signature');
  });
});
