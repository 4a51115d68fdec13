import fs from 'node:fs';
import path from 'node:path';
import { compactVerify, exportPKCS8, exportSPKI, generateKeyPair, importSPKI } from 'jose';
import { BadgeError } from '../../../../src/core/errors.js';
import { buildAssertion } from '../../../../src/core/ob2/build-assertion.js';
import { buildBadgeClass } from '../../../../src/core/ob2/build-badge-class.js';
import { buildCryptographicKey } from '../../../../src/core/ob2/build-cryptographic-key.js';
import { buildEndorsement } from '../../../../src/core/ob2/build-endorsement.js';
import { buildIssuerProfile } from '../../../../src/core/ob2/build-issuer-profile.js';
import { buildRevocationList } from '../../../../src/core/ob2/build-revocation-list.js';
import { OB2_CONTEXT } from '../../../../src/core/ob2/ob2-context.js';
import { signAssertion } from '../../../../src/core/ob2/sign-assertion.js';
import { identityMatches } from '../../../../src/core/identity/hash-identity.js';

const base = 'https://badges.example.fr';
const issuedOn = new Date('2025-03-01T10:00:00.000Z');

function assertion(verification: Parameters<typeof buildAssertion>[0]['verification']) {
  return buildAssertion({
    id: `${base}/assertions/a1`,
    badge: `${base}/badges/b1`,
    recipient: { email: 'a@example.com', salt: 'Kosher' },
    issuedOn,
    verification,
  });
}

describe('OB 2.0 builders', () => {
  it('When the context constant is compared with resources/contexts/ob-v2p0.json, then they are equal', () => {
    const file = JSON.parse(
      fs.readFileSync(path.resolve('resources/contexts/ob-v2p0.json'), 'utf8'),
    ) as { '@context': unknown };
    expect(OB2_CONTEXT).toEqual(file['@context']);
  });

  it('When an assertion is built for a@example.com with salt Kosher, then the identity is the spec vector', () => {
    const a = assertion({ type: 'hosted' });
    expect(a.recipient.type).toBe('email');
    expect(a.recipient.hashed).toBe(true);
    expect(a.recipient.salt).toBe('Kosher');
    expect(a.recipient.identity.startsWith('sha256$b5809d8a')).toBe(true);
    expect(a.recipient.identity.endsWith('f399')).toBe(true);
    expect(a.recipient.identity).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(identityMatches(' A@Example.com ', a.recipient)).toBe(true);
  });

  it('When a hosted assertion is built, then it has the spec shape and second-precision UTC dates', () => {
    const a = buildAssertion({
      id: `${base}/assertions/a1`,
      badge: `${base}/badges/b1`,
      recipient: { email: 'Marie@Example.fr', salt: 'abc' },
      issuedOn,
      expires: new Date('2027-03-01T10:00:00Z'),
      image: `${base}/assertions/a1/image.png`,
      evidence: [`${base}/evidence/1`, { narrative: 'Atelier animé le 3 mars' }],
      narrative: 'Très bon travail',
      verification: { type: 'hosted' },
    });
    expect(a).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Assertion',
      id: `${base}/assertions/a1`,
      recipient: expect.objectContaining({ type: 'email', hashed: true, salt: 'abc' }),
      badge: `${base}/badges/b1`,
      verification: { type: 'hosted' },
      issuedOn: '2025-03-01T10:00:00Z',
      expires: '2027-03-01T10:00:00Z',
      image: `${base}/assertions/a1/image.png`,
      narrative: 'Très bon travail',
      evidence: [{ id: `${base}/evidence/1` }, { narrative: 'Atelier animé le 3 mars' }],
    });
    // The email is hashed in its normalised form.
    expect(identityMatches('marie@example.fr', a.recipient)).toBe(true);
  });

  it('When a signed assertion is built, then verification names the key as creator', () => {
    expect(assertion({ type: 'signed', keyId: `${base}/keys/k1` }).verification).toEqual({
      type: 'SignedBadge',
      creator: `${base}/keys/k1`,
    });
  });

  it('When expires is before issuedOn or an id is not a URL, then building throws invalid_input', () => {
    expect(() =>
      buildAssertion({
        id: `${base}/a`,
        badge: `${base}/b`,
        recipient: { email: 'a@example.com', salt: 's' },
        issuedOn,
        expires: new Date('2020-01-01T00:00:00Z'),
        verification: { type: 'hosted' },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() =>
      buildAssertion({
        id: 'urn:uuid:1',
        badge: `${base}/b`,
        recipient: { email: 'a@example.com', salt: 's' },
        issuedOn,
        verification: { type: 'hosted' },
      }),
    ).toThrow(BadgeError);
  });

  it('When an issuer profile is built, then it has id, type, name, url, email, publicKey list and revocationList', () => {
    const issuer = buildIssuerProfile({
      id: `${base}/issuers/roubaix`,
      name: 'Coopérative des médiateurs numériques de Roubaix',
      url: base,
      email: 'contact@badges.example.fr',
      publicKeys: [`${base}/keys/k1`, `${base}/keys/k2`],
      revocationList: `${base}/issuers/roubaix/revocations`,
    });
    expect(issuer).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Issuer',
      id: `${base}/issuers/roubaix`,
      name: 'Coopérative des médiateurs numériques de Roubaix',
      url: base,
      email: 'contact@badges.example.fr',
      publicKey: [`${base}/keys/k1`, `${base}/keys/k2`],
      revocationList: `${base}/issuers/roubaix/revocations`,
    });
    expect(() =>
      buildIssuerProfile({
        id: `${base}/i`,
        name: 'X',
        url: base,
        email: 'x@example.fr',
        verification: { allowedOrigins: ['example.fr:8443'] },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('When a badge class is built, then criteria is {narrative, id?} and alignments carry target fields', () => {
    const bc = buildBadgeClass({
      id: `${base}/badges/b1`,
      name: 'Accompagner une démarche en ligne',
      description: 'Aider un usager à réaliser une démarche administrative en ligne.',
      image: `${base}/badges/b1/image.png`,
      criteria: { narrative: 'Avoir accompagné 5 usagers.', id: `${base}/badges/b1/criteria` },
      issuer: `${base}/issuers/roubaix`,
      alignments: [
        {
          targetName: 'Pix — Interagir',
          targetUrl: 'https://pix.fr/competences',
          targetFramework: 'Pix',
          targetCode: '2.1',
        },
      ],
      tags: ['médiation', ' ', 'démarches'],
    });
    expect(bc).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'BadgeClass',
      id: `${base}/badges/b1`,
      name: 'Accompagner une démarche en ligne',
      description: 'Aider un usager à réaliser une démarche administrative en ligne.',
      image: `${base}/badges/b1/image.png`,
      criteria: { id: `${base}/badges/b1/criteria`, narrative: 'Avoir accompagné 5 usagers.' },
      issuer: `${base}/issuers/roubaix`,
      alignment: [
        {
          targetName: 'Pix — Interagir',
          targetUrl: 'https://pix.fr/competences',
          targetFramework: 'Pix',
          targetCode: '2.1',
        },
      ],
      tags: ['médiation', 'démarches'],
    });
  });

  it('When a key, a revocation list and an endorsement are built, then they have the spec shapes', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----';
    expect(
      buildCryptographicKey({
        id: `${base}/keys/k1`,
        owner: `${base}/issuers/r`,
        publicKeyPem: pem,
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'CryptographicKey',
      id: `${base}/keys/k1`,
      owner: `${base}/issuers/r`,
      publicKeyPem: pem,
    });
    expect(() =>
      buildCryptographicKey({ id: `${base}/k`, owner: `${base}/i`, publicKeyPem: 'nope' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(
      buildRevocationList({
        id: `${base}/issuers/r/revocations`,
        issuer: `${base}/issuers/r`,
        revokedAssertions: [`${base}/a/1`, { id: `${base}/a/2`, revocationReason: 'Erreur' }],
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'RevocationList',
      id: `${base}/issuers/r/revocations`,
      issuer: `${base}/issuers/r`,
      revokedAssertions: [{ id: `${base}/a/1` }, { id: `${base}/a/2`, revocationReason: 'Erreur' }],
    });
    expect(
      buildEndorsement({
        id: `${base}/endorsements/e1`,
        claim: { id: `${base}/badges/b1`, endorsementComment: 'Badge reconnu par la ville' },
        issuer: 'https://ville.example.fr/issuer',
        issuedOn,
        verification: { type: 'hosted' },
      }),
    ).toEqual({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Endorsement',
      id: `${base}/endorsements/e1`,
      claim: { id: `${base}/badges/b1`, endorsementComment: 'Badge reconnu par la ville' },
      issuer: 'https://ville.example.fr/issuer',
      issuedOn: '2025-03-01T10:00:00Z',
      verification: { type: 'hosted' },
    });
  });

  it('When endorsement URLs are given, then the assertion and the badge class list them (and only URLs)', () => {
    const e = [`${base}/recommandations/a1.0`, `${base}/recommandations/a1.1`];
    const a = buildAssertion({
      id: `${base}/assertions/a1`,
      badge: `${base}/badges/b1`,
      recipient: { email: 'a@example.com', salt: 'Kosher' },
      issuedOn,
      verification: { type: 'hosted' },
      endorsements: e,
    });
    expect(a.endorsement).toEqual(e);
    expect(assertion({ type: 'hosted' })).not.toHaveProperty('endorsement');
    const b = buildBadgeClass({
      id: `${base}/badges/b1`,
      name: 'Badge',
      description: 'Description',
      image: `${base}/badges/b1/image.png`,
      criteria: { narrative: 'Critères' },
      issuer: `${base}/emetteurs/i1`,
      endorsements: [e[0]!],
    });
    expect(b.endorsement).toEqual([e[0]]);
    expect(() =>
      buildAssertion({
        id: `${base}/assertions/a1`,
        badge: `${base}/badges/b1`,
        recipient: { email: 'a@example.com', salt: 'Kosher' },
        issuedOn,
        verification: { type: 'hosted' },
        endorsements: ['pas une URL'],
      }),
    ).toThrow(BadgeError);
  });

  it('When an assertion is signed, then it is a compact RS256 JWS whose payload is the assertion', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const a = assertion({ type: 'signed', keyId: `${base}/keys/k1` });
    for (const key of [privateKey, await exportPKCS8(privateKey)]) {
      const jws = await signAssertion(a, key);
      expect(jws.split('.')).toHaveLength(3);
      const spki = await importSPKI(await exportSPKI(publicKey), 'RS256');
      const { payload, protectedHeader } = await compactVerify(jws, spki);
      expect(protectedHeader).toEqual({ alg: 'RS256' });
      expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(a);
    }
  });

  it('When a hosted assertion or a non-RSA key is given to signAssertion, then it throws a BadgeError', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expect(signAssertion(assertion({ type: 'hosted' }), privateKey)).rejects.toMatchObject({
      code: 'invalid_document',
    });
    const ec = await generateKeyPair('ES256');
    await expect(
      signAssertion(assertion({ type: 'signed', keyId: `${base}/k` }), ec.privateKey),
    ).rejects.toMatchObject({ code: 'signing_failed' });
    await expect(
      signAssertion(assertion({ type: 'signed', keyId: `${base}/k` }), 'not a pem'),
    ).rejects.toMatchObject({ code: 'invalid_key' });
  });
});
