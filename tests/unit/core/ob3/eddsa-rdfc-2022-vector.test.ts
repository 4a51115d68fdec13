import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import {
  createDocumentLoader,
  signCredentialDataIntegrity,
  verifyOb3Credential,
  type VerifiableCredentialJson,
} from '../../../../src/core/index.js';
import { fixturesDir, mapFetcher } from './fixture-support.js';

const vectorDir = path.join(fixturesDir, 'spec-test-vectors');
const vector = JSON.parse(
  fs.readFileSync(path.join(vectorDir, 'eddsa-rdfc-2022-vector.json'), 'utf8'),
);
const documentCanon = fs.readFileSync(
  path.join(vectorDir, vector.expected.documentCanonicalFile),
  'utf8',
);
const proofCanon = fs.readFileSync(
  path.join(vectorDir, vector.expected.proofCanonicalFile),
  'utf8',
);
const loader = createDocumentLoader();

function canonize(doc: object): Promise<string> {
  return jsonld.canonize(
    doc as jsonld.JsonLdDocument,
    {
      algorithm: 'URDNA2015',
      format: 'application/n-quads',
      documentLoader: loader as never,
      safe: true,
    } as jsonld.Options.Normalize,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function signVector(): Promise<VerifiableCredentialJson> {
  return signCredentialDataIntegrity(
    vector.unsignedCredential as VerifiableCredentialJson,
    {
      id: vector.key.id,
      controller: vector.key.controller,
      publicKeyMultibase: vector.key.publicKeyMultibase,
      secretKeyMultibase: vector.key.secretKeyMultibase,
    },
    { created: new Date(vector.proofOptions.created) },
  );
}

const options = {
  fetch: mapFetcher({}),
  now: new Date('2026-01-01T00:00:00Z'),
  policy: { unconfirmedKey: 'accept' as const },
};

describe('eddsa-rdfc-2022 spec test vector (OB 3.0 implementation guide)', () => {
  it('When the unsigned credential is canonicalised with our loader, then it equals document-canon.txt and its hash', async () => {
    const canon = await canonize(vector.unsignedCredential);
    expect(canon).toBe(documentCanon);
    expect(sha256(canon)).toBe(vector.expected.documentHashHex);
  });

  it('When the proof options are canonicalised, then they equal proof-canon.txt and its hash', async () => {
    const canon = await canonize({
      '@context': vector.unsignedCredential['@context'],
      ...vector.proofOptions,
    });
    expect(canon).toBe(proofCanon);
    expect(sha256(canon)).toBe(vector.expected.proofHashHex);
  });

  it('When our signer signs it with the vector key, then the proofValue is exactly the expected one', async () => {
    const signed = await signVector();
    expect(signed.proof).toEqual({
      ...vector.proofOptions,
      proofValue: vector.expected.proofValue,
    });
    const signature = Buffer.from(vector.expected.signatureHex, 'hex');
    expect(signature).toHaveLength(64);
  });

  it('When our verifier checks the signed vector, then the signature is valid', async () => {
    const report = await verifyOb3Credential(await signVector(), options);
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      ok: true,
      message: 'verify.steps.signature.valid',
    });
    expect(report.verdict).toBe('verified');
  });

  it('When one byte of the signed vector changes, then our verifier rejects the signature', async () => {
    const signed = await signVector();
    const text = JSON.stringify(signed).replace('Teamwork Badge', 'Teamwork Badgf');
    const report = await verifyOb3Credential(text, options);
    expect(report.verdict).toBe('not_verified');
    expect(report.steps.find((s) => s.id === 'signature')).toMatchObject({
      ok: false,
      message: 'verify.steps.signature.invalid',
    });
  });

  it('When one character of the proofValue changes, then our verifier rejects the signature', async () => {
    const signed = await signVector();
    const proof = signed.proof as { proofValue: string };
    proof.proofValue = proof.proofValue.slice(0, -1) + (proof.proofValue.endsWith('r') ? 's' : 'r');
    const report = await verifyOb3Credential(signed, options);
    expect(report.verdict).toBe('not_verified');
  });
});
