/**
 * The 1EdTech reference validator runs here, offline, against badges served on loopback.
 * Everything is built by hand (no app code) so this proves the validator tooling alone: a tiny
 * node:http server serves an Issuer, BadgeClass, CryptographicKey, RevocationList and a hosted
 * Assertion; signed assertions are compact RS256 JWS made with jose.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { CompactSign } from 'jose';
import { runReferenceValidator, type ReferenceValidatorReport } from '../helpers/validator.js';

const OB2 = 'https://w3id.org/openbadges/v2';
const RECIPIENT = 'camille.mediatrice@example.org';
const SALT = 'c0ffee-salt';
// A valid 1×1 PNG, the badge class image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

type Doc = Record<string, unknown>;

interface Served {
  status: number;
  type: string;
  body: Buffer;
}

/** What the validator asked for, to check the Accept headers it sends. */
interface Hit {
  path: string;
  accept: string | undefined;
}

let server: http.Server;
let base: string;
let tmp: string;
let privateKey: KeyObject;
const routes = new Map<string, Served>();
const hits: Hit[] = [];

function serveJson(path: string, doc: Doc, status = 200): void {
  routes.set(path, {
    status,
    type: 'application/ld+json',
    body: Buffer.from(JSON.stringify(doc)),
  });
}

function hashedRecipient(email: string) {
  return {
    type: 'email',
    hashed: true,
    salt: SALT,
    identity: `sha256$${createHash('sha256')
      .update(email + SALT)
      .digest('hex')}`,
  };
}

function assertion(id: string, verification: Doc): Doc {
  return {
    '@context': OB2,
    id: `${base}${id}`,
    type: 'Assertion',
    recipient: hashedRecipient(RECIPIENT),
    badge: `${base}/badges/mediation-numerique`,
    issuedOn: '2025-03-14T10:00:00+00:00',
    narrative: 'Atelier mené auprès de seniors au centre social.',
    verification,
  };
}

const signed = (id: string): Doc =>
  assertion(id, { type: 'SignedBadge', creator: `${base}/issuer/keys/1` });

async function signJws(doc: Doc): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(doc)))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(privateKey);
}

function revocationList(revokedAssertions: Doc[]): Doc {
  return {
    '@context': OB2,
    id: `${base}/issuer/revocations`,
    type: 'RevocationList',
    issuer: `${base}/issuer`,
    revokedAssertions,
  };
}

/**
 * Bakes by hand (the core's bakers are written elsewhere): one uncompressed iTXt chunk, keyword
 * `openbadges`, empty language and translated keyword, inserted before IEND.
 */
function bakePng(png: Buffer, text: string): Buffer {
  const data = Buffer.concat([
    Buffer.from('openbadges\0', 'latin1'),
    Buffer.from([0, 0]), // compression flag, method: uncompressed
    Buffer.from('\0\0', 'latin1'), // empty language tag and translated keyword
    Buffer.from(text, 'utf8'),
  ]);
  const typeAndData = Buffer.concat([Buffer.from('iTXt', 'latin1'), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData) >>> 0, 8 + data.length);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

function bakeSvg(jws: string): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" ' +
    'width="10" height="10" viewBox="0 0 10 10">' +
    `<openbadges:assertion verify="${jws}"/>` +
    '<rect width="10" height="10" fill="#1d4e89"/></svg>'
  );
}

/** The task the validator queued under this name (it must have run, not been skipped). */
function task(report: ReferenceValidatorReport, name: string, nodeId?: string) {
  const found = report.tasks.filter(
    (t) => t.name === name && (nodeId === undefined || t.node_id === nodeId),
  );
  expect(found).toHaveLength(1);
  expect(found[0]?.complete).toBe(true);
  return found[0]!;
}

function errors(report: ReferenceValidatorReport) {
  return report.messages.filter((m) => m.level === 'ERROR');
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push({ path, accept: req.headers.accept });
    const served = routes.get(path);
    if (!served) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(served.status, { 'Content-Type': served.type }).end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coop-validator-'));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = pair.privateKey;

  serveJson('/issuer', {
    '@context': OB2,
    id: `${base}/issuer`,
    type: 'Issuer',
    name: 'Coopérative des médiateurs numériques de Roubaix',
    url: `${base}/`,
    email: 'contact@example.org',
    publicKey: `${base}/issuer/keys/1`,
    revocationList: `${base}/issuer/revocations`,
  });
  serveJson('/issuer/keys/1', {
    '@context': OB2,
    id: `${base}/issuer/keys/1`,
    type: 'CryptographicKey',
    owner: `${base}/issuer`,
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  });
  serveJson('/issuer/revocations', revocationList([]));
  serveJson('/badges/mediation-numerique', {
    '@context': OB2,
    id: `${base}/badges/mediation-numerique`,
    type: 'BadgeClass',
    name: 'Médiation numérique — niveau 1',
    description: 'Accompagner un public dans ses premiers usages numériques.',
    image: `${base}/badges/mediation-numerique/image.png`,
    criteria: { narrative: 'Animer trois ateliers et en rédiger le bilan.' },
    issuer: `${base}/issuer`,
  });
  routes.set('/badges/mediation-numerique/image.png', {
    status: 200,
    type: 'image/png',
    body: PNG,
  });
  serveJson('/assertions/hosted-1', assertion('/assertions/hosted-1', { type: 'hosted' }));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeTmp(name: string, content: Buffer | string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('the reference validator (openbadges-validator-core 1.1.2)', () => {
  it('When given a hosted assertion URL on 127.0.0.1, then it is valid with 0 errors and every check ran', async () => {
    const url = `${base}/assertions/hosted-1`;
    hits.length = 0;

    const report = await runReferenceValidator(url, { recipient: RECIPIENT });

    expect(errors(report)).toEqual([]);
    expect(report).toMatchObject({
      valid: true,
      errorCount: 0,
      warningCount: 0,
      openBadgesVersion: '2.0',
      validationSubject: url,
      inputType: 'url',
    });
    expect(task(report, 'VERIFY_RECIPIENT_IDENTIFIER').success).toBe(true);
    expect(task(report, 'HOSTED_ID_IN_VERIFICATION_SCOPE').result).toBe(
      `Assertion ${url} origin matches allowed value in issuer verification policy ${base.slice(7)}.`,
    );
    expect(report.tasks.every((t) => t.complete)).toBe(true);
    // It fetched the assertion, badge class, issuer and image, asking for JSON-LD first.
    expect(hits.map((h) => h.path)).toEqual(
      expect.arrayContaining([
        '/assertions/hosted-1',
        '/badges/mediation-numerique',
        '/issuer',
        '/badges/mediation-numerique/image.png',
      ]),
    );
    for (const hit of hits) expect(hit.accept).toMatch(/^application\/ld\+json, application\/json/);
  });

  it('When given a compact RS256 JWS, then the signature, key ownership and revocation list all pass', async () => {
    const doc = signed('/assertions/signed-1');
    const report = await runReferenceValidator(await signJws(doc), { recipient: RECIPIENT });

    expect(errors(report)).toEqual([]);
    expect(report).toMatchObject({ valid: true, errorCount: 0, warningCount: 0 });
    expect(report.inputType).toBe('jws');
    expect(task(report, 'VERIFY_JWS').result).toBe(
      `Signature for node ${doc.id} passed verification`,
    );
    expect(task(report, 'VERIFY_KEY_OWNERSHIP').result).toBe(
      `Assertion signing key ${base}/issuer/keys/1 is properly declared in issuer profile`,
    );
    expect(task(report, 'VERIFY_SIGNED_ASSERTION_NOT_REVOKED').result).toBe(
      `Assertion ${doc.id} is not marked as revoked in RevocationList ${base}/issuer/revocations`,
    );
    expect(report.tasks.every((t) => t.complete)).toBe(true);
  });

  it('When one character of the signed payload is changed, then the signature fails verification', async () => {
    const doc = signed('/assertions/signed-2');
    const [header, payload, signature] = (await signJws(doc)).split('.') as [
      string,
      string,
      string,
    ];
    const json = Buffer.from(payload, 'base64url').toString('utf8');
    const tampered = json.replace('seniors', 'seniorS');
    expect(tampered).not.toBe(json);
    expect(tampered.length).toBe(json.length);
    const jws = `${header}.${Buffer.from(tampered).toString('base64url')}.${signature}`;

    const report = await runReferenceValidator(jws);

    expect(report.valid).toBe(false);
    expect(report.errorCount).toBe(1);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        name: 'VERIFY_JWS',
        result: `Signature for node ${doc.id} failed verification :: Signature verification failed.`,
      }),
    ]);
  });

  it('When a signed assertion is listed in the revocation list, then it is reported revoked', async () => {
    const doc = signed('/assertions/signed-revoked');
    serveJson(
      '/issuer/revocations',
      revocationList([{ id: doc.id as string, revocationReason: 'Délivré par erreur' }]),
    );
    try {
      const report = await runReferenceValidator(await signJws(doc));

      expect(report.valid).toBe(false);
      expect(report.errorCount).toBe(1);
      expect(errors(report)).toEqual([
        expect.objectContaining({
          name: 'VERIFY_SIGNED_ASSERTION_NOT_REVOKED',
          result: `Assertion ${doc.id} has been revoked in RevocationList ${base}/issuer/revocations with reason: Délivré par erreur`,
        }),
      ]);
      // The signature itself is still good: only revocation fails.
      expect(task(report, 'VERIFY_JWS').success).toBe(true);
    } finally {
      serveJson('/issuer/revocations', revocationList([]));
    }
  });
  it('When given a PNG baked with a signed assertion, then it unbakes it and finds it valid', async () => {
    const doc = signed('/assertions/signed-png');
    const file = writeTmp('signed.png', bakePng(PNG, await signJws(doc)));

    const report = await runReferenceValidator({ file }, { recipient: RECIPIENT });

    expect(errors(report)).toEqual([]);
    expect(report).toMatchObject({ valid: true, errorCount: 0, validationSubject: doc.id });
    expect(task(report, 'VERIFY_JWS').success).toBe(true);
    expect(task(report, 'VERIFY_SIGNED_ASSERTION_NOT_REVOKED').success).toBe(true);
  });

  it('When given a PNG baked with a hosted assertion, then it fetches the assertion and finds it valid', async () => {
    const url = `${base}/assertions/hosted-1`;
    const file = writeTmp(
      'hosted.png',
      bakePng(PNG, routes.get('/assertions/hosted-1')!.body.toString()),
    );

    const report = await runReferenceValidator({ file });

    expect(errors(report)).toEqual([]);
    expect(report).toMatchObject({ valid: true, errorCount: 0, validationSubject: url });
    expect(task(report, 'HOSTED_ID_IN_VERIFICATION_SCOPE').success).toBe(true);
  });

  it('When given an SVG baked with a signed assertion, then it finds it valid', async () => {
    const doc = signed('/assertions/signed-svg');
    const file = writeTmp('signed.svg', bakeSvg(await signJws(doc)));

    const report = await runReferenceValidator({ file });

    expect(errors(report)).toEqual([]);
    expect(report).toMatchObject({ valid: true, errorCount: 0, validationSubject: doc.id });
    expect(task(report, 'VERIFY_JWS').success).toBe(true);
  });

  it('When given a PNG with no badge in it, then it says no Open Badges metadata was found', async () => {
    const report = await runReferenceValidator({ file: writeTmp('plain.png', PNG) });

    expect(report).toMatchObject({ valid: false, errorCount: 1 });
    expect(errors(report)).toEqual([
      expect.objectContaining({
        name: 'DETECT_INPUT_TYPE',
        result: 'Could not find Open Badges metadata in file.',
      }),
    ]);
  });

  it('When a signed assertion has expired, then the timestamp check fails', async () => {
    const doc: Doc = {
      ...signed('/assertions/signed-expired'),
      expires: '2025-04-01T00:00:00+00:00',
    };
    const report = await runReferenceValidator(await signJws(doc));

    expect(report).toMatchObject({ valid: false, errorCount: 1 });
    expect(errors(report)).toEqual([
      expect.objectContaining({
        name: 'ASSERTION_TIMESTAMP_CHECKS',
        result: `Assertion ${doc.id} expired on 2025-04-01T00:00:00+00:00`,
      }),
    ]);
  });

  it('When the recipient email is not the hashed one, then the recipient check fails', async () => {
    const report = await runReferenceValidator(`${base}/assertions/hosted-1`, {
      recipient: 'quelqu.un@example.org',
    });

    expect(report.valid).toBe(false);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        name: 'VERIFY_RECIPIENT_IDENTIFIER',
        result: expect.stringContaining('quelqu.un@example.org of type email did not match'),
      }),
    ]);
  });
});

/** What the published validator does that the app must know about (see docs/reference-validator.md). */
describe('the reference validator, its known limits', () => {
  it('When unpatched and the revocation list holds exactly one entry, then 1.1.2 misses the revocation (the wrapper fixes it)', async () => {
    const doc = signed('/assertions/signed-revoked-alone');
    const other = `${base}/assertions/revoked-earlier`;
    try {
      serveJson('/issuer/revocations', revocationList([{ id: doc.id as string }]));
      const alone = await runReferenceValidator(await signJws(doc), { unpatched: true });
      expect(alone).toMatchObject({ valid: true, errorCount: 0 });
      expect(task(alone, 'VERIFY_SIGNED_ASSERTION_NOT_REVOKED').success).toBe(true);

      serveJson('/issuer/revocations', revocationList([{ id: other }, { id: doc.id as string }]));
      const two = await runReferenceValidator(await signJws(doc), { unpatched: true });
      expect(two).toMatchObject({ valid: false, errorCount: 1 });
      expect(task(two, 'VERIFY_SIGNED_ASSERTION_NOT_REVOKED').result).toBe(
        `Assertion ${doc.id} has been revoked in RevocationList ${base}/issuer/revocations`,
      );
    } finally {
      serveJson('/issuer/revocations', revocationList([]));
    }
  });

  it('When a hosted assertion answers 410 Gone with revoked: true, then it is still reported valid', async () => {
    const id = '/assertions/hosted-revoked';
    serveJson(id, { ...assertion(id, { type: 'hosted' }), revoked: true }, 410);

    const report = await runReferenceValidator(`${base}${id}`);

    expect(report).toMatchObject({ valid: true, errorCount: 0 });
  });

  it('When the assertion id uses localhost and the issuer id 127.0.0.1, then hosted verification fails', async () => {
    const id = `http://localhost:${base.split(':')[2]}/assertions/hosted-mixed`;
    serveJson('/assertions/hosted-mixed', { ...assertion('', { type: 'hosted' }), id });

    const report = await runReferenceValidator(`${base}/assertions/hosted-mixed`);

    expect(report.valid).toBe(false);
    expect(report.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'WARNING',
          result: `Node fetched from source ${base}/assertions/hosted-mixed declared its id as ${id}`,
        }),
        expect.objectContaining({
          level: 'ERROR',
          name: 'HOSTED_ID_IN_VERIFICATION_SCOPE',
          result: `Assertion ${id} not hosted in allowed origins ${base.slice(7)}`,
        }),
      ]),
    );
  });

  it('When the issuer declares allowedOrigins with a port or an IP address, then the validator rejects it', async () => {
    const issuer = JSON.parse(routes.get('/issuer')!.body.toString()) as Doc;
    try {
      serveJson('/issuer', {
        ...issuer,
        verification: { type: 'VerificationObject', allowedOrigins: base.slice(7) },
      });
      const report = await runReferenceValidator(`${base}/assertions/hosted-1`);

      expect(report.valid).toBe(false);
      expect(errors(report)).toEqual([
        expect.objectContaining({
          name: 'VALIDATE_PROPERTY',
          result: expect.stringContaining(
            `URL_AUTHORITY property allowedOrigins value ${base.slice(7)} not valid`,
          ),
        }),
      ]);
    } finally {
      serveJson('/issuer', issuer);
    }
  });
});

describe('runReferenceValidator', () => {
  it('When the input file does not exist, then it rejects with the Python error', async () => {
    await expect(runReferenceValidator({ file: path.join(tmp, 'absent.png') })).rejects.toThrow(
      /exited with 2:[\s\S]*FileNotFoundError/,
    );
  });

  it('When a badge points off this machine, then the fetch fails at once as offline', async () => {
    const report = await runReferenceValidator('https://badges.example.org/assertions/1');

    expect(report.valid).toBe(false);
    expect(errors(report)).toEqual([
      expect.objectContaining({
        name: 'FETCH_HTTP_NODE',
        result: expect.stringContaining(
          'offline: https://badges.example.org/assertions/1 is neither a local JSON-LD context nor a loopback URL',
        ),
      }),
    ]);
  });
});
