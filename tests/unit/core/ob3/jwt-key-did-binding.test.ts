import { exportJWK, generateKeyPair } from 'jose';
import {
  buildControllerDocument,
  buildOpenBadgeCredential,
  signCredentialJwt,
  verifyOb3Credential,
} from '../../../../src/core/index.js';
import { awardInput, mapFetcher } from './fixture-support.js';

/**
 * A did:web issuer whose VC-JWT `kid` is an https URL returning one JWK (what 1EdTech's
 * validator dereferences): the key belongs to the issuer when the issuer's DID document lists
 * that URL for assertions with the same public key.
 */
const did = 'did:web:badges.example:emetteurs:roubaix';
const didUrl = 'https://badges.example/emetteurs/roubaix/did.json';
const kid = 'https://badges.example/emetteurs/roubaix/cles/rsa-1/jwk';
const now = new Date('2026-03-01T00:00:00Z');

async function rsaPair() {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
}

async function jwtFor(privateKey: Awaited<ReturnType<typeof rsaPair>>['privateKey']) {
  const credential = buildOpenBadgeCredential({
    ...awardInput,
    issuer: { ...awardInput.issuer, id: did },
    validFrom: new Date('2026-01-02T10:00:00Z'),
  });
  return signCredentialJwt(credential, privateKey, { kid, alg: 'RS256' });
}

const issuerStep = (steps: { id: string; message: string }[]) =>
  steps.find((s) => s.id === 'issuer')?.message;

describe('VC-JWT key of a did:web issuer', () => {
  it('When the DID document lists the https kid with the same key, then the issuer is confirmed', async () => {
    const { privateKey, jwk } = await rsaPair();
    const fetch = mapFetcher({
      [kid]: jwk,
      [didUrl]: buildControllerDocument({ id: did, jsonWebKeys: [{ id: kid, publicKeyJwk: jwk }] }),
    });
    const report = await verifyOb3Credential(await jwtFor(privateKey), { fetch, now });
    expect(issuerStep(report.steps)).toBe('verify.steps.issuer.confirmed');
    expect(report.verdict).toBe('verified');
  });

  it('When the DID document lists the kid with another key, then the key does not belong to the issuer', async () => {
    const { privateKey, jwk } = await rsaPair();
    const other = await rsaPair();
    const fetch = mapFetcher({
      [kid]: jwk,
      [didUrl]: buildControllerDocument({
        id: did,
        jsonWebKeys: [{ id: kid, publicKeyJwk: other.jwk }],
      }),
    });
    const report = await verifyOb3Credential(await jwtFor(privateKey), { fetch, now });
    // The signature is checked with the key the DID document lists, not the one at the kid.
    expect(report.steps.find((s) => s.id === 'signature')?.message).toBe(
      'verify.steps.signature.invalid',
    );
    expect(report.verdict).toBe('not_verified');
  });

  it("When the DID document does not list the kid, then the key is someone else's (not verified)", async () => {
    const { privateKey, jwk } = await rsaPair();
    const fetch = mapFetcher({
      [kid]: jwk,
      [didUrl]: buildControllerDocument({ id: did, jsonWebKeys: [] }),
    });
    const report = await verifyOb3Credential(await jwtFor(privateKey), { fetch, now });
    expect(issuerStep(report.steps)).toBe('verify.steps.issuer.key_mismatch');
    expect(report.verdict).toBe('not_verified');
  });
});
