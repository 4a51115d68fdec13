/**
 * The verification table: for each kind of input, the verdict the page and the API
 * give. Foreign badges come from an issuer served over loopback HTTP (allowed through
 * VERIFY_ALLOW_HOSTS); the platform's own badges come from the injected document source
 * (`ownBadges`, what the awards component's internal fetcher will be), under a PUBLIC_URL that
 * points at a canary server: any HTTP request for our own documents would reach it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../../src/libraries/paths.js';
import { relaxedLimits } from '../../../helpers/accounts.js';
import {
  DocumentTable,
  RECIPIENT,
  createIssuerWorld,
  serveTable,
  type IssuerWorld,
} from '../../../helpers/badge-world.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import {
  callApi,
  pageText,
  pageVerdict,
  startCanary,
  submitPage,
  type TestInput,
  type Verdict,
} from '../../../helpers/verification.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const OWN_REVOKED_AT = '2026-02-20T09:30:00.000Z';

interface Row {
  kind: string;
  issuer: 'ours' | 'foreign';
  input: () => Promise<TestInput>;
  email?: string;
  expect: Verdict;
  /** A sentence the page must show. */
  says?: string;
}

describe('verification table: every input kind through the page and the API', () => {
  let t: TestApp;
  let foreign: IssuerWorld;
  let own: IssuerWorld;
  let ownTable: DocumentTable;
  let foreignServer: Awaited<ReturnType<typeof serveTable>>;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  const results: string[] = [];

  beforeAll(async () => {
    canary = await startCanary();
    const publicUrl = `http://127.0.0.1:${canary.port}`;
    const foreignTable = new DocumentTable();
    foreignServer = await serveTable(foreignTable);
    foreign = await createIssuerWorld({
      table: foreignTable,
      origin: foreignServer.origin,
      slug: 'ailleurs',
      name: 'Association Numérique Ailleurs',
    });
    ownTable = new DocumentTable();
    own = await createIssuerWorld({
      table: ownTable,
      origin: publicUrl,
      slug: 'coop',
      name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
      didWeb: true,
    });
    const revocations = new Map<string, { revokedAt: string; reason: string }>();
    t = await createTestApp({
      clock: () => NOW,
      env: {
        ...relaxedLimits,
        PUBLIC_URL: publicUrl,
        // The canary is allowed too: a request for our own documents over HTTP would reach it.
        VERIFY_ALLOW_HOSTS: `${foreignServer.hostPort},127.0.0.1:${canary.port}`,
      },
      ownBadges: {
        documents: ownTable.fetcher(),
        isKnownIssuer: (id) => id === own.issuerId || id === own.ob3IssuerId,
        revocationOf: async (id) => revocations.get(id),
      },
    });

    // What both worlds serve by URL.
    for (const world of [foreign, own]) {
      world.hosted('en-ligne');
      world.hosted('perime', { expires: new Date('2026-01-31T00:00:00Z') });
      world.hosted('revoque');
      world.revokeOb2(`${world.origin}/assertions/revoque`, 'délivré par erreur');
      world.table.set(
        `${world.origin}/assertions/ob3-en-ligne/credential`,
        await world.ob3Di('ob3-en-ligne'),
        {
          contentType: 'application/vc+ld+json',
        },
      );
      world.table.set(
        `${world.origin}/assertions/ob3-jwt/credential.jwt`,
        await world.ob3Jwt('ob3-jwt'),
        {
          contentType: 'text/plain',
        },
      );
      await world.revokeOb3(7);
    }
    revocations.set(`${own.origin}/assertions/revoque`, {
      revokedAt: OWN_REVOKED_AT,
      reason: 'délivré par erreur',
    });
    revocations.set(`${own.origin}/assertions/ob3-revoque`, {
      revokedAt: OWN_REVOKED_AT,
      reason: 'délivré par erreur',
    });
  });

  afterAll(async () => {
    const header = [
      '| # | Input kind | Issuer | Page verdict | API verdict | Line the page shows |',
      '|---|------------|--------|--------------|-------------|---------------------|',
    ];
    const file = path.join(projectRoot, 'test-results', 'verification-table.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, [...header, ...results].join('\n') + '\n');
    await t?.close();
    await foreignServer?.close();
    await canary?.close();
  });

  const tamperJws = (jws: string) => {
    const [h, p, s] = jws.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
    payload.issuedOn = '2024-01-01T00:00:00Z';
    return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
  };

  const rows = (w: () => IssuerWorld, issuer: 'ours' | 'foreign'): Row[] => {
    const valid: Verdict = issuer === 'ours' ? 'verified' : 'warning';
    const origin = () => w().origin;
    return [
      {
        kind: 'OB 2.0 hosted assertion URL',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/en-ligne` }),
        expect: valid,
        says:
          issuer === 'ours'
            ? 'Ce badge a bien été délivré par Ville de Roubaix'
            : "n'est pas une structure connue de cette plateforme",
      },
      {
        kind: 'OB 2.0 signed (compact JWS, pasted)',
        issuer,
        input: async () => ({ way: 'text', text: await w().signed('signe') }),
        expect: valid,
        says: 'La signature est valide',
      },
      {
        kind: 'OB 2.0 baked PNG (signed)',
        issuer,
        input: async () => ({
          way: 'file',
          bytes: w().png('openbadges', await w().signed('png')),
          name: 'badge.png',
        }),
        expect: valid,
        says: "Badge reconnu dans l'image PNG",
      },
      {
        kind: 'OB 2.0 baked SVG (hosted)',
        issuer,
        input: async () => ({
          way: 'file',
          bytes: w().svg('openbadges', JSON.stringify(w().hosted('svg'))),
          name: 'badge.svg',
        }),
        expect: valid,
        says: "Badge reconnu dans l'image SVG",
      },
      {
        kind: 'OB 3.0 VC-JWT (pasted)',
        issuer,
        input: async () => ({ way: 'text', text: await w().ob3Jwt('jwt-colle') }),
        expect: valid,
        says: 'Badge reconnu : format Open Badges 3.0',
      },
      {
        kind: 'OB 3.0 VC-JWT URL',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/ob3-jwt/credential.jwt` }),
        expect: valid,
      },
      {
        kind: 'OB 3.0 Data Integrity (pasted JSON)',
        issuer,
        input: async () => ({ way: 'text', text: JSON.stringify(await w().ob3Di('di-colle')) }),
        expect: valid,
        says: 'La signature est valide',
      },
      {
        kind: 'OB 3.0 Data Integrity URL',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/ob3-en-ligne/credential` }),
        expect: valid,
      },
      {
        kind: 'OB 3.0 baked PNG (VC-JWT)',
        issuer,
        input: async () => ({
          way: 'file',
          bytes: w().png('openbadgecredential', await w().ob3Jwt('jwt-png')),
          name: 'credential.png',
        }),
        expect: valid,
        says: "Badge reconnu dans l'image PNG : format Open Badges 3.0",
      },
      {
        kind: 'OB 3.0 baked SVG (Data Integrity JSON)',
        issuer,
        input: async () => ({
          way: 'file',
          bytes: w().svg('openbadgecredential', JSON.stringify(await w().ob3Di('di-svg'))),
          name: 'credential.svg',
        }),
        expect: valid,
      },
      {
        kind: 'expired (OB 2.0 hosted URL)',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/perime` }),
        expect: 'warning',
        says: 'Ce badge a expiré le 31 janvier 2026.',
      },
      {
        kind: 'expired (OB 3.0 VC-JWT)',
        issuer,
        input: async () => ({
          way: 'text',
          text: await w().ob3Jwt('jwt-perime', { validUntil: '2026-02-01T00:00:00Z' }),
        }),
        expect: 'warning',
        says: 'Ce badge a expiré le 1er février 2026.',
      },
      {
        kind: 'revoked (OB 2.0 hosted URL, 410)',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/revoque` }),
        expect: 'not_verified',
        says:
          issuer === 'ours'
            ? 'Ce badge a été révoqué le 20 février 2026. Motif : délivré par erreur.'
            : 'Ce badge a été révoqué par son émetteur. Motif : délivré par erreur.',
      },
      {
        kind: 'revoked (OB 2.0 signed, revocation list)',
        issuer,
        input: async () => {
          const jws = await w().signed('signe-revoque');
          w().revokeOb2(`${origin()}/assertions/signe-revoque`, 'délivré par erreur');
          return { way: 'text', text: jws };
        },
        expect: 'not_verified',
        says: 'Motif : délivré par erreur.',
      },
      {
        kind: 'revoked (OB 3.0 Data Integrity, status list)',
        issuer,
        input: async () => ({
          way: 'text',
          text: JSON.stringify(await w().ob3Di('ob3-revoque', { statusIndex: 7 })),
        }),
        expect: 'not_verified',
        says:
          issuer === 'ours'
            ? 'Ce badge a été révoqué le 20 février 2026. Motif : délivré par erreur.'
            : 'Ce badge a été révoqué par son émetteur : il n’est plus valable.'.replace('’', "'"),
      },
      {
        kind: 'tampered (OB 2.0 JWS, payload changed)',
        issuer,
        input: async () => ({ way: 'text', text: tamperJws(await w().signed('modifie')) }),
        expect: 'not_verified',
        says: 'La signature ne correspond pas',
      },
      {
        kind: 'tampered (OB 3.0 Data Integrity, name changed)',
        issuer,
        input: async () => {
          const credential = await w().ob3Di('di-modifie');
          credential.credentialSubject.achievement.name = 'Expert en cybersécurité';
          return { way: 'text', text: JSON.stringify(credential) };
        },
        expect: 'not_verified',
        says: 'La signature ne correspond pas',
      },
      {
        kind: 'right recipient email (OB 2.0 hosted URL)',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/en-ligne` }),
        email: RECIPIENT.toUpperCase(),
        expect: valid,
        says: "L'adresse e-mail que vous avez saisie correspond à la personne qui a reçu ce badge.",
      },
      {
        kind: 'wrong recipient email (OB 2.0 hosted URL)',
        issuer,
        input: async () => ({ way: 'url', url: `${origin()}/assertions/en-ligne` }),
        email: 'quelqu.un@example.fr',
        expect: 'not_verified',
        says: 'ne correspond pas à la personne qui a reçu ce badge',
      },
      {
        kind: 'wrong recipient email (OB 3.0 VC-JWT)',
        issuer,
        input: async () => ({ way: 'text', text: await w().ob3Jwt('jwt-email') }),
        email: 'quelqu.un@example.fr',
        expect: 'not_verified',
        says: 'ne correspond pas à la personne qui a reçu ce badge',
      },
    ];
  };

  const garbage: Row[] = [
    {
      kind: 'garbage text',
      issuer: 'foreign',
      input: async () => ({ way: 'text', text: 'Bonjour, voici mon badge !' }),
      expect: 'not_verified',
      says: "Nous n'avons pas pu lire ce texte comme un badge.",
    },
    {
      kind: 'garbage JSON',
      issuer: 'foreign',
      input: async () => ({ way: 'text', text: '{"nom": "Karim", "badge": true}' }),
      expect: 'not_verified',
    },
    {
      kind: 'PNG without a badge',
      issuer: 'foreign',
      input: async () => ({
        way: 'file',
        bytes: fs.readFileSync(
          'tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png',
        ),
        name: 'photo.png',
      }),
      expect: 'not_verified',
      says: 'Cette image ne contient pas de badge.',
    },
    {
      kind: 'URL of a page without a badge',
      issuer: 'foreign',
      input: async () => {
        foreign.table.set(`${foreign.origin}/cv`, '<!doctype html><title>CV</title><p>Karim</p>', {
          contentType: 'text/html',
        });
        return { way: 'url', url: `${foreign.origin}/cv` };
      },
      expect: 'not_verified',
      says: "Nous n'avons pas trouvé de badge à cette adresse.",
    },
    {
      kind: 'URL that answers 404',
      issuer: 'foreign',
      input: async () => ({ way: 'url', url: `${foreign.origin}/assertions/inconnue` }),
      expect: 'not_verified',
      says: 'Aucun badge n’a été trouvé à cette adresse (erreur 404).'.replace('’', "'"),
    },
  ];

  const all: Row[] = [...rows(() => own, 'ours'), ...rows(() => foreign, 'foreign'), ...garbage];

  it.each(all.map((r) => [r.kind, r.issuer, r] as const))(
    'When %s (%s issuer) is verified, then the page and the API agree on the verdict',
    async (_kind, _issuer, row) => {
      const input = await row.input();
      t.app.verification.clearCache();
      const page = await submitPage(t.app, input, row.email ?? '');
      t.app.verification.clearCache();
      const api = await callApi(t.app, input, row.email ?? '');
      const pageResult = pageVerdict(page);
      const apiResult = api.status === 200 ? (api.body.verdict as string) : `HTTP ${api.status}`;
      const text = pageText(page.text);
      const shown = row.says && text.includes(row.says) ? row.says : '';
      results.push(
        `| ${results.length + 1} | ${row.kind} | ${row.issuer === 'ours' ? 'this platform' : 'foreign (loopback)'} | ${pageResult} | ${apiResult} | ${shown || '—'} |`,
      );
      expect({ page: pageResult, api: apiResult }).toEqual({ page: row.expect, api: row.expect });
      if (row.says) expect(text).toContain(row.says);
    },
  );

  it('When our own badges were verified, then every document came from our source and no HTTP request reached PUBLIC_URL', () => {
    expect(ownTable.calls.length).toBeGreaterThan(20);
    expect(ownTable.calls.some((u) => u.startsWith('https://'))).toBe(true); // did:web
    expect(canary.connections()).toBe(0);
  });
});
