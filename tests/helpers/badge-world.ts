import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import {
  bakePng,
  bakeSvg,
  buildAssertion,
  buildBadgeClass,
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  buildControllerDocument,
  buildCryptographicKey,
  buildEndorsement,
  buildIssuerProfile,
  buildMultikeyDocument,
  buildOpenBadgeCredential,
  buildRevocationList,
  generateEd25519KeyMaterial,
  signAssertion,
  signCredentialDataIntegrity,
  signCredentialJwt,
  type AssertionInput,
  type BadgeKeyword,
  type Ed25519KeyMaterial,
  type FetchResult,
  type Fetcher,
  type Ob2Assertion,
  type OpenBadgeCredentialJson,
} from '../../src/core/index.js';

/**
 * Badge worlds for verification tests: an issuer with its OB 2.0 documents (profile, key,
 * badge class, revocation list, an endorsement) and OB 3.0 documents (controller document or
 * did.json, Ed25519 and RSA keys, a signed Bitstring status list), all built with the core, in
 * a table of documents by URL. A foreign issuer serves the table over loopback HTTP; the
 * platform's own issuer hands it to the app as its own document source (`ownBadges`).
 */

export interface Served {
  status?: number;
  contentType?: string;
  body: string | Uint8Array | object;
}

export class DocumentTable {
  readonly docs = new Map<string, Served>();
  /** URLs asked for through `fetcher()` (the platform's own source). */
  readonly calls: string[] = [];

  set(url: string, body: Served['body'], options: Omit<Served, 'body'> = {}): void {
    this.docs.set(url, { body, ...options });
  }

  answer(url: string): FetchResult {
    const served = this.docs.get(url.split('#', 1)[0]!);
    if (!served) return { url, status: 404, contentType: 'text/plain', body: new Uint8Array() };
    const body =
      served.body instanceof Uint8Array
        ? served.body
        : new TextEncoder().encode(
            typeof served.body === 'string' ? served.body : JSON.stringify(served.body),
          );
    return {
      url,
      status: served.status ?? 200,
      contentType: served.contentType ?? 'application/ld+json',
      body,
    };
  }

  /** The table as a Fetcher (what the awards component's internal fetcher will be). */
  fetcher(): Fetcher {
    return async (url) => {
      this.calls.push(url);
      return this.answer(url);
    };
  }
}

/** A foreign issuer's web server on loopback, answering from a table. */
export async function serveTable(
  table: DocumentTable,
): Promise<{ origin: string; hostPort: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  let origin = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const found = table.answer(`${origin}${req.url ?? '/'}`);
    res.writeHead(found.status, { 'content-type': found.contentType });
    res.end(Buffer.from(found.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    hostPort: `127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const BASE_PNG = fs.readFileSync(
  path.resolve('tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png'),
);
export const BASE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="50" fill="#1f4e8c"/></svg>';

export const RECIPIENT = 'karim.benali@example.fr';

export interface IssuerWorld {
  table: DocumentTable;
  origin: string;
  /** OB 2.0 issuer profile URL. */
  issuerId: string;
  /** OB 3.0 issuer id: a did:web for the platform, a URL for foreign issuers. */
  ob3IssuerId: string;
  issuerName: string;
  badgeClassId: string;
  rsaKeyId: string;
  jwkUrl: string;
  /** The RSA key behind rsaKeyId and jwkUrl (OB 2.0 JWS and VC-JWT). */
  rsaPrivateKey: CryptoKey;
  statusListUrl: string;
  hosted(slug: string, extra?: Partial<AssertionInput>): Ob2Assertion;
  signed(slug: string, extra?: Partial<AssertionInput>): Promise<string>;
  /** OB 2.0: listed in the revocation list; hosted assertions then answer 410 Gone. */
  revokeOb2(assertionId: string, reason: string): void;
  ob3(
    slug: string,
    extra?: { validUntil?: string; email?: string; statusIndex?: number },
  ): OpenBadgeCredentialJson;
  ob3Di(
    slug: string,
    extra?: { validUntil?: string; email?: string; statusIndex?: number },
  ): Promise<OpenBadgeCredentialJson>;
  ob3Jwt(
    slug: string,
    extra?: { validUntil?: string; email?: string; statusIndex?: number },
  ): Promise<string>;
  /** OB 3.0: sets the bit in the status list (signed again). */
  revokeOb3(index: number): Promise<void>;
  png(keyword: BadgeKeyword, text: string): Uint8Array;
  svg(keyword: BadgeKeyword, text: string): string;
}

export async function createIssuerWorld(options: {
  table: DocumentTable;
  origin: string;
  slug: string;
  name: string;
  /** The platform's scheme: OB 3.0 issuer is did:web:<host>:emetteurs:<slug>. */
  didWeb?: boolean;
  now?: Date;
}): Promise<IssuerWorld> {
  const { table, origin, slug, name } = options;
  const created = options.now ?? new Date('2026-01-02T10:00:00Z');
  const issuerId = `${origin}/emetteurs/${slug}`;
  const host = new URL(origin).host;
  const ob3IssuerId = options.didWeb
    ? `did:web:${encodeURIComponent(host)}:emetteurs:${slug}`
    : `${origin}/ob3/emetteurs/${slug}`;
  const rsaKeyId = `${issuerId}/cles/rsa-1`;
  const jwkUrl = `${rsaKeyId}/jwk`;
  const revocationList = `${issuerId}/revocations`;
  const statusListUrl = `${issuerId}/statuts/1`;
  const badgeClassId = `${origin}/badges/${slug}-demarche`;
  const endorserId = `${origin}/emetteurs/${slug}-partenaire`;
  const endorsementId = `${origin}/recommandations/${slug}-1`;

  const rsa = await generateKeyPair('RS256', { extractable: true });
  const rsaPrivate: CryptoKey = rsa.privateKey;
  const rsaJwk: JWK = await exportJWK(rsa.publicKey);
  const ed: Ed25519KeyMaterial = await generateEd25519KeyMaterial({
    controller: ob3IssuerId,
    keyId: options.didWeb ? `${ob3IssuerId}#ed-1` : `${ob3IssuerId}/cles/ed-1`,
  });

  // OB 2.0
  table.set(
    issuerId,
    buildIssuerProfile({
      id: issuerId,
      name,
      url: origin,
      email: `contact@${slug}.example.fr`,
      publicKeys: [rsaKeyId],
      revocationList,
    }),
  );
  table.set(
    rsaKeyId,
    buildCryptographicKey({
      id: rsaKeyId,
      owner: issuerId,
      publicKeyPem: await exportSPKI(rsa.publicKey),
    }),
  );
  const revoked: { id: string; revocationReason?: string }[] = [];
  const publishRevocations = () =>
    table.set(
      revocationList,
      buildRevocationList({ id: revocationList, issuer: issuerId, revokedAssertions: revoked }),
    );
  publishRevocations();
  table.set(
    badgeClassId,
    Object.assign(
      buildBadgeClass({
        id: badgeClassId,
        name: 'Accompagner une démarche en ligne',
        description:
          'Aider une personne à réaliser une démarche administrative en ligne, de bout en bout.',
        image: `${badgeClassId}/image.png`,
        criteria: {
          narrative: 'Avoir accompagné au moins cinq personnes dans une démarche en ligne.',
        },
        issuer: issuerId,
        alignments: [
          {
            targetName: 'Interagir',
            targetUrl: 'https://pix.fr/competences/2.1',
            targetFramework: 'CRCN',
            targetCode: '2.1',
          },
        ],
        tags: ['médiation'],
      }),
      { endorsement: [endorsementId] },
    ),
  );
  table.set(
    endorserId,
    buildIssuerProfile({
      id: endorserId,
      name: 'Centre social Nautilus',
      url: origin,
      email: `nautilus@${slug}.example.fr`,
    }),
  );
  table.set(
    endorsementId,
    buildEndorsement({
      id: endorsementId,
      claim: { id: badgeClassId, endorsementComment: 'Un badge exigeant, utile sur le terrain.' },
      issuer: endorserId,
      issuedOn: new Date('2025-06-01T09:00:00Z'),
      verification: { type: 'hosted' },
    }),
  );
  table.set(`${badgeClassId}/image.png`, BASE_PNG, { contentType: 'image/png' });

  // OB 3.0
  const controller = buildControllerDocument({
    id: ob3IssuerId,
    multikeys: [ed],
    jsonWebKeys: [{ id: jwkUrl, publicKeyJwk: rsaJwk }],
  });
  if (options.didWeb) {
    table.set(`https://${host}/emetteurs/${slug}/did.json`, controller, {
      contentType: 'application/did+json',
    });
  } else {
    table.set(ob3IssuerId, controller, { contentType: 'application/json' });
    table.set(ed.id, buildMultikeyDocument(ed), { contentType: 'application/json' });
  }
  table.set(jwkUrl, rsaJwk, { contentType: 'application/jwk+json' });
  const statusBits = new Set<number>();
  const publishStatus = async () =>
    table.set(
      statusListUrl,
      await signCredentialDataIntegrity(
        buildBitstringStatusListCredential({
          id: statusListUrl,
          issuer: ob3IssuerId,
          validFrom: created,
          setIndexes: statusBits,
        }),
        ed,
        { created },
      ),
      { contentType: 'application/vc+ld+json' },
    );
  await publishStatus();

  const assertionInput = (
    assertionSlug: string,
    extra: Partial<AssertionInput>,
  ): AssertionInput => ({
    id: `${origin}/assertions/${assertionSlug}`,
    badge: badgeClassId,
    recipient: { email: RECIPIENT, salt: `sel-${assertionSlug}` },
    issuedOn: new Date('2025-03-03T10:00:00Z'),
    evidence: [
      {
        id: `${origin}/preuves/${assertionSlug}`,
        name: 'Compte rendu d’atelier',
        narrative: 'Atelier France Services du 3 mars',
      },
    ],
    verification: { type: 'hosted' },
    ...extra,
  });

  const ob3 = (
    credentialSlug: string,
    extra: { validUntil?: string; email?: string; statusIndex?: number } = {},
  ) =>
    buildOpenBadgeCredential({
      id: `${origin}/assertions/${credentialSlug}`,
      issuer: { id: ob3IssuerId, name, url: origin, email: `contact@${slug}.example.fr` },
      achievement: {
        id: badgeClassId,
        name: 'Accompagner une démarche en ligne',
        description:
          'Aider une personne à réaliser une démarche administrative en ligne, de bout en bout.',
        criteria: {
          narrative: 'Avoir accompagné au moins cinq personnes dans une démarche en ligne.',
        },
        image: `${badgeClassId}/image.png`,
        alignments: [
          {
            targetName: 'Interagir',
            targetUrl: 'https://pix.fr/competences/2.1',
            targetFramework: 'CRCN',
            targetCode: '2.1',
          },
        ],
      },
      recipient: { email: extra.email ?? RECIPIENT, salt: `sel-${credentialSlug}` },
      validFrom: created,
      ...(extra.validUntil ? { validUntil: extra.validUntil } : {}),
      evidence: [{ id: `${origin}/preuves/${credentialSlug}`, name: 'Compte rendu d’atelier' }],
      ...(extra.statusIndex !== undefined
        ? {
            credentialStatus: buildBitstringStatusListEntry({
              statusListCredential: statusListUrl,
              statusListIndex: extra.statusIndex,
            }),
          }
        : {}),
    });

  return {
    table,
    origin,
    issuerId,
    ob3IssuerId,
    issuerName: name,
    badgeClassId,
    rsaKeyId,
    jwkUrl,
    rsaPrivateKey: rsaPrivate,
    statusListUrl,
    hosted(assertionSlug, extra = {}) {
      const assertion = buildAssertion(assertionInput(assertionSlug, extra));
      table.set(assertion.id, assertion);
      return assertion;
    },
    async signed(assertionSlug, extra = {}) {
      const assertion = buildAssertion(
        assertionInput(assertionSlug, {
          verification: { type: 'signed', keyId: rsaKeyId },
          ...extra,
        }),
      );
      return signAssertion(assertion, rsaPrivate);
    },
    revokeOb2(assertionId, reason) {
      revoked.push({ id: assertionId, revocationReason: reason });
      publishRevocations();
      const hosted = table.docs.get(assertionId);
      if (hosted) {
        table.set(
          assertionId,
          { ...(hosted.body as object), revoked: true, revocationReason: reason },
          { status: 410 },
        );
      }
    },
    ob3,
    async ob3Di(credentialSlug, extra) {
      return signCredentialDataIntegrity(ob3(credentialSlug, extra), ed, { created });
    },
    async ob3Jwt(credentialSlug, extra) {
      return signCredentialJwt(ob3(credentialSlug, extra), rsaPrivate, {
        kid: jwkUrl,
        alg: 'RS256',
      });
    },
    async revokeOb3(index) {
      statusBits.add(index);
      await publishStatus();
    },
    png: (keyword, text) => bakePng(BASE_PNG, { keyword, text }),
    svg: (keyword, text) => bakeSvg(BASE_SVG, { keyword, text }),
  };
}
