import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { KeyProofError, jwkOfDidUrl, verifyKeyProof } from '../../../../src/core/index.js';

/** OpenID4VCI 1.0 Appendix F.1 key proofs, checked without a server. */
const AUD = 'https://badges.example';
const now = new Date('2027-03-01T09:00:00Z');
const iat = Math.floor(now.getTime() / 1000);

async function walletKey() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
  return { jwk, did, privateKey };
}

async function proof(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: Awaited<ReturnType<typeof walletKey>>,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', ...header })
    .sign(key.privateKey);
}

const check = (jwt: string) => verifyKeyProof(jwt, { audience: AUD, now, maxAgeSeconds: 300 });

describe('verifyKeyProof (OpenID4VCI 1.0 jwt proof type)', () => {
  it('When a did:jwk wallet signs a fresh proof for us, then its DID and nonce are returned', async () => {
    const key = await walletKey();
    const jwt = await proof({ kid: `${key.did}#0` }, { aud: AUD, iat, nonce: 'n1' }, key);
    await expect(check(jwt)).resolves.toMatchObject({ holderDid: key.did, nonce: 'n1' });
  });

  it('When a did:key names an Ed25519 key, then its JWK is the same public key', async () => {
    const pair = await Ed25519Multikey.generate();
    const did = `did:key:${pair.publicKeyMultibase}`;
    const found = jwkOfDidUrl(`${did}#${pair.publicKeyMultibase}`);
    expect(found?.jwk.x).toBe(Buffer.from(pair.publicKey).toString('base64url'));
    expect(jwkOfDidUrl(`${did}#autre`)).toBeUndefined();
  });

  it.each([
    ['the typ is another JWT type', { typ: 'JWT' }, {}],
    ['both kid and jwk name a key', { jwkToo: true }, {}],
    ['the audience is another issuer', {}, { aud: 'https://autre.example' }],
    ['iat is an hour old', {}, { iat: iat - 3600 }],
    ['there is no nonce', {}, { nonce: undefined }],
  ])('When %s, then the proof is refused as invalid_proof', async (_case, header, claims) => {
    const key = await walletKey();
    const { jwkToo, ...rest } = header as { jwkToo?: boolean };
    const jwt = await proof(
      { kid: `${key.did}#0`, ...(jwkToo ? { jwk: key.jwk } : {}), ...rest },
      { aud: AUD, iat, nonce: 'n1', ...claims },
      key,
    );
    await expect(check(jwt)).rejects.toBeInstanceOf(KeyProofError);
  });

  it('When another key signs a proof naming ours, then it is refused', async () => {
    const ours = await walletKey();
    const theirs = await walletKey();
    const jwt = await proof({ kid: `${ours.did}#0` }, { aud: AUD, iat, nonce: 'n1' }, theirs);
    await expect(check(jwt)).rejects.toMatchObject({ code: 'invalid_proof' });
  });

  it('When a did:jwk carries a private key, then it is not accepted as a DID', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const secret = await exportJWK(privateKey);
    expect(
      jwkOfDidUrl(`did:jwk:${Buffer.from(JSON.stringify(secret)).toString('base64url')}#0`),
    ).toBeUndefined();
  });
});
