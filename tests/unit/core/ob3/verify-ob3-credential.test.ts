import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import {
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  buildControllerDocument,
  buildMultikeyDocument,
  buildOpenBadgeCredential,
  buildRevocationListEntry,
  createDataIntegritySigner,
  generateEd25519KeyMaterial,
  signCredentialDataIntegrity,
  signCredentialJwt,
  verifyOb3Credential,
  type Ed25519KeyMaterial,
  type Fetcher,
  type JoseSigningKey,
  type OpenBadgeCredentialInput,
  type VerificationReport,
  type VerifyOb3Options,
} from '../../../../src/core/index.js';
import { awardInput, mapFetcher } from './fixture-support.js';

const issuerId = awardInput.issuer.id;
const keyUrl = `${issuerId}/keys/ed25519-1`;
const jwkUrl = `${issuerId}/keys/rsa-1`;
const statusUrl = 'https://badges.example/status/revocation/1';
const now = new Date('2026-03-01T00:00:00Z');
const created = new Date('2026-01-02T10:00:00Z');

let key: Ed25519KeyMaterial;
let rsa: { privateKey: JoseSigningKey; jwk: JWK };
let docs: Record<string, unknown>;

function stepOf(report: VerificationReport, id: string) {
  return report.steps.find((s) => s.id === id);
}

function options(
  extra: Partial<VerifyOb3Options> = {},
  fetch: Fetcher = mapFetcher(docs),
): VerifyOb3Options {
  return { fetch, now, ...extra };
}

async function signedDi(
  input: Partial<OpenBadgeCredentialInput> = {},
  k: Ed25519KeyMaterial = key,
) {
  return signCredentialDataIntegrity(buildOpenBadgeCredential({ ...awardInput, ...input }), k, {
    created,
  });
}

async function statusList(setIndexes: number[], issuer = issuerId, k = key) {
  const list = buildBitstringStatusListCredential({
    id: statusUrl,
    issuer,
    validFrom: created,
    setIndexes,
  });
  return signCredentialDataIntegrity(list, k, { created });
}

beforeAll(async () => {
  key = await generateEd25519KeyMaterial({
    controller: issuerId,
    keyId: keyUrl,
    seed: new Uint8Array(32).fill(1),
  });
  const pair = await generateKeyPair('RS256', { extractable: true });
  rsa = { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
  docs = {
    // Our issuer: its id URL is its controller document; each key URL returns one key.
    [issuerId]: buildControllerDocument({
      id: issuerId,
      multikeys: [key],
      jsonWebKeys: [{ id: jwkUrl, publicKeyJwk: rsa.jwk }],
    }),
    [keyUrl]: buildMultikeyDocument(key),
    [jwkUrl]: rsa.jwk,
    [statusUrl]: await statusList([7]),
  };
});

describe('verifyOb3Credential with Data Integrity (eddsa-rdfc-2022)', () => {
  it('When our issuer signs a credential, then it is verified and the key is confirmed by the issuer', async () => {
    const report = await verifyOb3Credential(await signedDi(), options());
    expect(report.verdict).toBe('verified');
    expect(report.steps.map((s) => [s.id, s.message])).toEqual([
      ['format', 'verify.steps.format.recognised'],
      ['schema', 'verify.steps.schema.valid'],
      ['signature', 'verify.steps.signature.valid'],
      ['issuer', 'verify.steps.issuer.confirmed'],
      ['status', 'verify.steps.status.none'],
      ['validity', 'verify.steps.validity.valid'],
    ]);
    expect(report.badge).toMatchObject({
      format: 'ob3-data-integrity',
      id: awardInput.id,
      name: 'Accueil numérique',
      issuer: { id: issuerId, name: awardInput.issuer.name, email: 'contact@badges.example' },
      criteria: { narrative: 'Avoir accueilli 20 personnes.' },
      alignments: [{ targetName: 'Interagir', targetCode: '2.1' }],
      issuedOn: '2026-01-02T10:00:00Z',
      recipient: { hashed: true, type: 'emailAddress' },
      evidence: [{ url: 'https://badges.example/evidence/1', narrative: 'Attestation' }],
    });
  });

  it('When the key is issuer#z6Mk… and the issuer lists it, then it is confirmed; unlisted, then mismatch', async () => {
    const fragmentKey = await generateEd25519KeyMaterial({
      controller: issuerId,
      seed: new Uint8Array(32).fill(2),
    });
    const credential = await signedDi({}, fragmentKey);
    const listed = {
      [issuerId]: buildControllerDocument({ id: issuerId, multikeys: [fragmentKey] }),
    };
    const ok = await verifyOb3Credential(credential, options({}, mapFetcher(listed)));
    expect(stepOf(ok, 'issuer')).toMatchObject({
      level: 'info',
      message: 'verify.steps.issuer.confirmed',
    });
    const unlisted = await verifyOb3Credential(credential, options());
    expect(unlisted.verdict).toBe('not_verified');
    expect(stepOf(unlisted, 'issuer')).toMatchObject({
      level: 'error',
      message: 'verify.steps.issuer.key_mismatch',
    });
  });

  it('When nobody publishes the fragment key, then it is not verified by default and accepted under 1EdTech policy', async () => {
    const fragmentKey = await generateEd25519KeyMaterial({
      controller: issuerId,
      seed: new Uint8Array(32).fill(3),
    });
    const credential = await signedDi({}, fragmentKey);
    const strict = await verifyOb3Credential(credential, options({}, mapFetcher({})));
    expect(strict.verdict).toBe('not_verified');
    expect(stepOf(strict, 'issuer')).toMatchObject({
      level: 'error',
      message: 'verify.steps.issuer.unconfirmed',
    });
    const lenient = await verifyOb3Credential(
      credential,
      options({ policy: { unconfirmedKey: 'accept' } }, mapFetcher({})),
    );
    expect(lenient.verdict).toBe('verified');
  });

  it('When the key belongs to another controller, then the issuer step fails', async () => {
    const other = await generateEd25519KeyMaterial({
      controller: 'https://other.example/issuer',
      seed: new Uint8Array(32).fill(4),
    });
    const report = await verifyOb3Credential(await signedDi({}, other), options());
    // The bytes are intact, but by someone else's key: never "not altered since it was issued".
    expect(stepOf(report, 'signature')).toMatchObject({
      ok: false,
      level: 'warning',
      message: 'verify.steps.signature.valid_other_key',
    });
    expect(stepOf(report, 'issuer')).toMatchObject({
      level: 'error',
      message: 'verify.steps.issuer.key_mismatch',
    });
  });

  it('When the issuer is a did:web, then its did.json is fetched and the key confirmed', async () => {
    const did = 'did:web:badges.example:issuers:coop';
    const didKey = await generateEd25519KeyMaterial({
      controller: did,
      keyId: `${did}#key-1`,
      seed: new Uint8Array(32).fill(5),
    });
    const credential = await signedDi({ issuer: { ...awardInput.issuer, id: did } }, didKey);
    const fetched: string[] = [];
    const fetch = mapFetcher(
      {
        'https://badges.example/issuers/coop/did.json': buildControllerDocument({
          id: did,
          multikeys: [didKey],
        }),
      },
      fetched,
    );
    const report = await verifyOb3Credential(credential, options({}, fetch));
    expect(report.verdict).toBe('verified');
    expect(fetched).toContain('https://badges.example/issuers/coop/did.json');
  });

  it('When a did:web issuer signs a VC-JWT whose https kid its did.json lists, then the key is confirmed', async () => {
    // The platform's scheme: issuer did:web, kid = an https URL returning one JWK, listed in the
    // did.json as a JsonWebKey under assertionMethod.
    const did = 'did:web:badges.example:issuers:coop';
    const kid = 'https://badges.example/issuers/coop/cles/rsa-1/jwk';
    const jwt = await signCredentialJwt(
      buildOpenBadgeCredential({ ...awardInput, issuer: { ...awardInput.issuer, id: did } }),
      rsa.privateKey,
      { kid, alg: 'RS256' },
    );
    const listed = mapFetcher({
      [kid]: rsa.jwk,
      'https://badges.example/issuers/coop/did.json': buildControllerDocument({
        id: did,
        jsonWebKeys: [{ id: kid, publicKeyJwk: rsa.jwk }],
      }),
    });
    const report = await verifyOb3Credential(jwt, options({}, listed));
    expect(report.verdict).toBe('verified');
    expect(stepOf(report, 'issuer')?.message).toBe('verify.steps.issuer.confirmed');
    const unlisted = await verifyOb3Credential(
      jwt,
      options(
        {},
        mapFetcher({
          [kid]: rsa.jwk,
          'https://badges.example/issuers/coop/did.json': buildControllerDocument({ id: did }),
        }),
      ),
    );
    expect(unlisted.verdict).toBe('not_verified');
    expect(stepOf(unlisted, 'issuer')?.message).toBe('verify.steps.issuer.key_mismatch');
  });

  it('When a credential is altered after signing, then the signature is invalid', async () => {
    const credential = await signedDi();
    credential.credentialSubject.achievement.name = 'Autre badge';
    const report = await verifyOb3Credential(credential, options());
    expect(report.verdict).toBe('not_verified');
    expect(stepOf(report, 'signature')).toMatchObject({
      message: 'verify.steps.signature.invalid',
    });
  });

  it('When the credential has no proof, then it is not verified', async () => {
    const report = await verifyOb3Credential(buildOpenBadgeCredential(awardInput), options());
    expect(report.verdict).toBe('not_verified');
    expect(report.badge?.format).toBe('ob3-unsigned');
    expect(stepOf(report, 'signature')).toMatchObject({
      message: 'verify.steps.signature.missing',
    });
  });
});

describe('verifyOb3Credential with VC-JWT', () => {
  it('When our issuer signs RS256 with a kid URL returning one JWK, then it is verified', async () => {
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(awardInput), rsa.privateKey, {
      kid: jwkUrl,
      alg: 'RS256',
    });
    const [header, payload] = jwt
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'RS256', kid: jwkUrl, typ: 'JWT' });
    expect(payload).toMatchObject({
      iss: issuerId,
      jti: awardInput.id,
      nbf: Date.parse('2026-01-02T10:00:00Z') / 1000,
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
    });
    expect(payload.sub).toBeUndefined();
    expect(payload.vc).toBeUndefined();
    const report = await verifyOb3Credential(jwt, options());
    expect(report.verdict).toBe('verified');
    expect(report.badge?.format).toBe('ob3-jwt');
    expect(stepOf(report, 'issuer')?.message).toBe('verify.steps.issuer.confirmed');
  });

  it('When signed ES256 with validUntil and a JWK key, then exp is set and the JWT verifies', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(pair.privateKey);
    const url = `${issuerId}/keys/p256-1`;
    const credential = buildOpenBadgeCredential({
      ...awardInput,
      validUntil: '2027-01-01T00:00:00Z',
    });
    const jwt = await signCredentialJwt(credential, privateJwk, { kid: url, alg: 'ES256' });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload.exp).toBe(Date.parse('2027-01-01T00:00:00Z') / 1000);
    const publicKeyJwk = await exportJWK(pair.publicKey);
    // A key URL under the issuer's path is not the issuer's until its profile lists it.
    const fetch = mapFetcher({ ...docs, [url]: publicKeyJwk });
    expect((await verifyOb3Credential(jwt, options({}, fetch))).verdict).toBe('not_verified');
    const listing = buildControllerDocument({
      id: issuerId,
      multikeys: [key],
      jsonWebKeys: [
        { id: jwkUrl, publicKeyJwk: rsa.jwk },
        { id: url, publicKeyJwk },
      ],
    });
    const listed = mapFetcher({ ...docs, [issuerId]: listing, [url]: publicKeyJwk });
    expect((await verifyOb3Credential(jwt, options({}, listed))).verdict).toBe('verified');
  });

  it('When the kid is outside the issuer, then it is confirmed only if the issuer lists it', async () => {
    const foreign = 'https://keys.example/rsa-1';
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(awardInput), rsa.privateKey, {
      kid: foreign,
      alg: 'RS256',
    });
    const unlisted = await verifyOb3Credential(
      jwt,
      options({}, mapFetcher({ ...docs, [foreign]: rsa.jwk })),
    );
    expect(stepOf(unlisted, 'issuer')).toMatchObject({
      level: 'error',
      message: 'verify.steps.issuer.key_mismatch',
    });
    const controller = buildControllerDocument({
      id: issuerId,
      jsonWebKeys: [{ id: foreign, publicKeyJwk: rsa.jwk }],
    });
    const listed = await verifyOb3Credential(
      jwt,
      options({}, mapFetcher({ ...docs, [foreign]: rsa.jwk, [issuerId]: controller })),
    );
    expect(stepOf(listed, 'issuer')).toMatchObject({
      level: 'info',
      message: 'verify.steps.issuer.confirmed',
    });
  });

  it('When the JWT payload is altered, then the signature is invalid', async () => {
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(awardInput), rsa.privateKey, {
      kid: jwkUrl,
      alg: 'RS256',
    });
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
    payload.name = 'Autre';
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const report = await verifyOb3Credential(forged, options());
    expect(stepOf(report, 'signature')).toMatchObject({
      ok: false,
      message: 'verify.steps.signature.invalid',
    });
  });

  it('When the claims do not match the credential, then the signature step fails', async () => {
    const credential = buildOpenBadgeCredential(awardInput);
    const jwt = await new SignJWT({
      ...credential,
      iss: 'https://evil.example',
      jti: credential.id,
      nbf: 1,
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwkUrl, typ: 'JWT' })
      .sign(rsa.privateKey);
    const report = await verifyOb3Credential(jwt, options());
    expect(stepOf(report, 'signature')).toMatchObject({
      message: 'verify.steps.signature.claims_mismatch',
      detail: 'iss ≠ issuer.id; nbf ≠ validFrom',
    });
  });

  it('When the kid cannot be fetched or the alg is HS256, then it is not verified', async () => {
    const credential = buildOpenBadgeCredential(awardInput);
    const lost = await signCredentialJwt(credential, rsa.privateKey, {
      kid: `${issuerId}/keys/gone`,
      alg: 'RS256',
    });
    expect(stepOf(await verifyOb3Credential(lost, options()), 'signature')?.message).toBe(
      'verify.steps.signature.key_not_found',
    );
    const hmac = await new SignJWT({ ...credential })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    expect(stepOf(await verifyOb3Credential(hmac, options()), 'signature')?.message).toBe(
      'verify.steps.signature.unsupported',
    );
  });
});

describe('verifyOb3Credential status, validity and recipient', () => {
  it('When the status bit is set, then the credential is revoked and never verified', async () => {
    const revoked = await signedDi({
      credentialStatus: buildBitstringStatusListEntry({
        statusListCredential: statusUrl,
        statusListIndex: 7,
      }),
    });
    const report = await verifyOb3Credential(revoked, options());
    expect(report.verdict).toBe('not_verified');
    expect(stepOf(report, 'status')).toMatchObject({
      level: 'error',
      message: 'verify.steps.status.revoked',
    });
    expect(report.badge?.revoked).toBe(true);
    const active = await signedDi({
      credentialStatus: buildBitstringStatusListEntry({
        statusListCredential: statusUrl,
        statusListIndex: 8,
      }),
    });
    const ok = await verifyOb3Credential(active, options());
    expect(stepOf(ok, 'status')).toMatchObject({
      level: 'info',
      message: 'verify.steps.status.active',
    });
    expect(ok.badge?.revoked).toBe(false);
  });

  it('When the status list is missing or signed by someone else, then the status is a warning', async () => {
    const credential = await signedDi({
      credentialStatus: buildBitstringStatusListEntry({
        statusListCredential: statusUrl,
        statusListIndex: 7,
      }),
    });
    const missing = await verifyOb3Credential(
      credential,
      options({}, mapFetcher({ ...docs, [statusUrl]: undefined })),
    );
    expect(stepOf(missing, 'status')).toMatchObject({
      level: 'warning',
      message: 'verify.steps.status.unavailable',
    });
    const other = await generateEd25519KeyMaterial({
      controller: 'https://evil.example',
      seed: new Uint8Array(32).fill(9),
    });
    const forgedList = await statusList([], 'https://evil.example', other);
    const forged = await verifyOb3Credential(
      credential,
      options({}, mapFetcher({ ...docs, [statusUrl]: forgedList })),
    );
    expect(stepOf(forged, 'status')).toMatchObject({
      level: 'warning',
      message: 'verify.steps.status.unavailable',
    });
  });

  it('When a 1EdTechRevocationList is used, then DI signing needs the extensions context and the list is read', async () => {
    const entry = buildRevocationListEntry(`${issuerId}/revocations`);
    const credential = await signedDi({ credentialStatus: entry });
    expect(credential['@context']).toContain(
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    );
    // Without that context, JSON-LD safe mode refuses the term.
    const withoutExtensions = { ...buildOpenBadgeCredential(awardInput), credentialStatus: entry };
    await expect(
      signCredentialDataIntegrity(withoutExtensions, key, { created }),
    ).rejects.toMatchObject({
      code: 'signing_failed',
    });
    const list = {
      revokedCredentials: [{ id: awardInput.id, revoked: true, revocationReason: 'Erreur' }],
    };
    const report = await verifyOb3Credential(
      credential,
      options({}, mapFetcher({ ...docs, [entry.id]: list })),
    );
    expect(stepOf(report, 'status')).toMatchObject({
      message: 'verify.steps.status.revoked',
      params: { reason: 'Erreur' },
    });
  });

  it('When expired, then it is a warning by default and an error under the 1EdTech policy', async () => {
    const credential = await signedDi({ validUntil: '2026-02-01T00:00:00Z' });
    const report = await verifyOb3Credential(credential, options());
    expect(report.verdict).toBe('warning');
    expect(stepOf(report, 'validity')).toMatchObject({
      message: 'verify.steps.validity.expired',
      params: { date: '2026-02-01T00:00:00Z' },
    });
    expect(
      (await verifyOb3Credential(credential, options({ policy: { expired: 'error' } }))).verdict,
    ).toBe('not_verified');
  });

  it('When validFrom is in the future, then it is not verified', async () => {
    const report = await verifyOb3Credential(
      await signedDi({ validFrom: '2027-01-01T00:00:00Z' }),
      options(),
    );
    expect(stepOf(report, 'validity')).toMatchObject({
      level: 'error',
      message: 'verify.steps.validity.not_yet_valid',
    });
  });

  it('When an expected email is given, then the IdentityObject is compared case-insensitively', async () => {
    const credential = await signedDi();
    const match = await verifyOb3Credential(
      credential,
      options({ expectedEmail: 'a@EXAMPLE.com' }),
    );
    expect(stepOf(match, 'recipient')).toMatchObject({
      ok: true,
      message: 'verify.steps.recipient.match',
    });
    const other = await verifyOb3Credential(
      credential,
      options({ expectedEmail: 'b@example.com' }),
    );
    expect(other.verdict).toBe('not_verified');
    expect(stepOf(other, 'recipient')?.message).toBe('verify.steps.recipient.no_match');
  });

  it('When the platform does not know the issuer, then the issuer step is a warning', async () => {
    const report = await verifyOb3Credential(
      await signedDi(),
      options({ isKnownIssuer: async () => false }),
    );
    expect(report.verdict).toBe('warning');
    expect(stepOf(report, 'issuer')?.message).toBe('verify.steps.issuer.unknown');
  });

  it('When the input is garbage, then a report comes back instead of an exception', async () => {
    for (const input of ['', 'not a badge', '{"a":', 'a.b.c', 42, null, { '@context': 'x' }]) {
      const report = await verifyOb3Credential(input, options());
      expect(report.verdict).toBe('not_verified');
      expect(stepOf(report, 'format')?.ok).toBe(false);
    }
  });

  it('When one DI proof and one JWS are verified 20 times, then the timings are reported (not asserted)', async () => {
    const credential = await signedDi();
    const jwt = await signCredentialJwt(buildOpenBadgeCredential(awardInput), rsa.privateKey, {
      kid: jwkUrl,
      alg: 'RS256',
    });
    const signer = await createDataIntegritySigner(key);
    const time = async (f: () => Promise<unknown>) => {
      await f();
      const t = performance.now();
      for (let i = 0; i < 20; i++) await f();
      return (performance.now() - t) / 20;
    };
    const di = await time(() => verifyOb3Credential(credential, options()));
    const jws = await time(() => verifyOb3Credential(jwt, options()));
    const sign = await time(() =>
      signCredentialDataIntegrity(buildOpenBadgeCredential(awardInput), signer, { created }),
    );
    console.log(
      `OB3 verify (whole report): DI ${di.toFixed(1)} ms, VC-JWT ${jws.toFixed(1)} ms; DI sign ${sign.toFixed(1)} ms`,
    );
    expect(Number.isFinite(di + jws + sign)).toBe(true);
  });
});
