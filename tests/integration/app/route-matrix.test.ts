/**
 * Route × role matrix: every route of the app, requested by every persona, must give the
 * expected outcome. The expectations below are keyed by "METHOD path" as declared in the
 * route table. A route missing here, a row for a route that no longer exists, or an express
 * route outside the route table makes this test fail.
 *
 * Adding a route: add a row with `expect` (use the shorthands: everyone, signedIn, staffOfA,
 * ownerOfA, adminOnly, ownersAnywhere), a `body` for forms that should succeed, and a `setup`
 * if the route's `example` path needs data (fixtures: issuers `emetteur-a` and `emetteur-b`,
 * user `membre-a` in issuer A, invitation `invitation-a` of issuer A).
 */
import fs from 'node:fs';
import path from 'node:path';
import request, { type Agent, type Response } from 'supertest';
import { badgeClassModel } from '../../../src/components/achievements/badge-class.model.js';
import { bulkRowModel, bulkRunModel } from '../../../src/components/bulk-issuing/bulk-run.model.js';
import { oneTimeTokenModel } from '../../../src/components/accounts/one-time-token.model.js';
import { issuerKeyModel } from '../../../src/components/keys/keys.model.js';
import { BAKED_VARIANTS } from '../../../src/components/awards/public-urls.js';
import type { CoopApp } from '../../../src/app/app.js';
import { SESSION_COOKIE } from '../../../src/components/accounts/session.js';
import type { RouteDef } from '../../../src/libraries/web/route-table.js';
import {
  createIssuer,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../helpers/accounts.js';
import { routeExampleFixtures } from '../../helpers/awards.js';
import { didKeyBadge } from '../../helpers/imports.js';
import { oauthClientModel } from '../../../src/components/ob-api/ob-api.model.js';
import { importedBadgeModel } from '../../../src/components/imports/imported-badge.model.js';
import { reviewExampleFixtures } from '../../helpers/review.js';
import { handBuiltFrench, visibleText } from '../../helpers/html.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

type Outcome = 'ok' | 'signIn' | 'forbidden' | 'notFound' | 'gone';
const personas = [
  'anonymous',
  'member',
  'coordinatorA',
  'ownerA',
  'coordinatorB',
  'admin',
] as const;
type Persona = (typeof personas)[number];
type Expectations = Record<Persona, Outcome>;

interface Ctx {
  t: TestApp;
  persona: Persona;
  person: Person | undefined;
  /** Grows at every request: for unique names and addresses. */
  n: number;
}

interface Row {
  expect: Expectations;
  /** Form fields (the CSRF token is added) so that allowed requests succeed. */
  body?: (ctx: Ctx) => Record<string, string>;
  /** Files for multipart forms (field name → content and file name): sent with the body fields. */
  files?: (ctx: Ctx) => Record<string, { content: string | Buffer; filename: string }>;
  /** Runs before each request of the row (data the example path needs). */
  setup?: (ctx: Ctx) => Promise<void>;
}

const everyone = (o: Outcome): Expectations =>
  Object.fromEntries(personas.map((p) => [p, o])) as Expectations;
const signedIn: Expectations = { ...everyone('ok'), anonymous: 'signIn' };
const staffOfA: Expectations = {
  anonymous: 'signIn',
  member: 'forbidden',
  coordinatorA: 'ok',
  ownerA: 'ok',
  coordinatorB: 'forbidden',
  admin: 'ok',
};
const ownerOfA: Expectations = { ...staffOfA, coordinatorA: 'forbidden' };
const ownersAnywhere: Expectations = { ...ownerOfA };
const adminOnly: Expectations = { ...everyone('forbidden'), anonymous: 'signIn', admin: 'ok' };

const OUTBOX_EXAMPLE = '20270101T000000000Z-00000000';
/** The pre-authorized code each persona redeems (wallet token endpoint row). */
const walletCodes = new Map<string, string>();

const matrix: Record<string, Row> = {
  'GET /healthz': { expect: everyone('ok') },
  'GET /readyz': { expect: everyone('ok') },
  // No METRICS_TOKEN here: the route does not exist (401/200 in components/metrics).
  'GET /metrics': { expect: everyone('notFound') },
  'GET /': { expect: everyone('ok') },
  'GET /accessibilite': { expect: everyone('ok') },
  'GET /plan-du-site': { expect: everyone('ok') },
  'GET /static/brand.css': { expect: everyone('ok') },
  'GET /referentiels': { expect: everyone('ok') },
  'GET /referentiels/:frameworkId': { expect: everyone('ok') },
  'GET /admin/referentiels/importer': { expect: adminOnly },
  'POST /admin/referentiels': {
    expect: adminOnly,
    body: ({ n }) => ({ id: `referentiel-${n}`, name: `Référentiel ${n}`, lang: 'fr' }),
    files: () => ({
      fichier: {
        content:
          'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;Accueil;1.1;Accueillir\n',
        filename: 'referentiel.csv',
      },
    }),
  },
  'GET /modeles-de-badges': { expect: everyone('ok') },
  'GET /modeles-de-badges/pictogrammes/:picto.svg': { expect: everyone('ok') },
  'GET /modeles-de-badges/:template/apercu.svg': { expect: everyone('ok') },
  'GET /modeles-de-badges/:template/apercu.png': { expect: everyone('ok') },

  'GET /connexion': { expect: everyone('ok') },
  'POST /connexion': {
    expect: everyone('ok'),
    body: ({ person, t }) => {
      const who = person ?? (t as TestApp & { people: Record<string, Person> }).people.member!;
      return { email: who.email, password: who.password };
    },
  },
  'POST /deconnexion': { expect: everyone('ok') },
  'GET /mot-de-passe-oublie': { expect: everyone('ok') },
  'POST /mot-de-passe-oublie': {
    expect: everyone('ok'),
    body: () => ({ email: 'personne@example.org' }),
  },
  'GET /mot-de-passe/nouveau/:token': { expect: everyone('gone') },
  'POST /mot-de-passe/nouveau/:token': { expect: everyone('gone') },

  'GET /compte': { expect: signedIn },
  'POST /compte/profil': {
    expect: signedIn,
    body: ({ person }) => ({ name: person?.name ?? 'X', language: 'fr' }),
  },
  'POST /compte/mot-de-passe': {
    expect: signedIn,
    // The same password again: the persona can still sign in afterwards.
    body: ({ person }) => ({
      currentPassword: person?.password ?? '',
      newPassword: person?.password ?? '',
      newPasswordConfirm: person?.password ?? '',
    }),
  },
  'POST /compte/adresse': {
    expect: signedIn,
    body: ({ person, n }) => ({
      newEmail: `nouvelle-${n}@example.org`,
      emailPassword: person?.password ?? '',
    }),
  },
  'POST /compte/sessions/deconnecter-les-autres': { expect: signedIn },
  'GET /compte/adresse/confirmer/:token': { expect: everyone('gone') },
  'POST /compte/adresse/confirmer/:token': { expect: everyone('gone') },

  // My data (GDPR). Asking to delete only mails a link; issuer A gets a second owner so that
  // owner A is not its last one (that refusal is tested in tests/integration/components/my-data).
  'GET /confidentialite': { expect: everyone('ok') },
  'GET /mentions-legales': { expect: everyone('ok') },
  'GET /compte/mes-donnees.zip': { expect: signedIn },
  'GET /compte/suppression': { expect: signedIn },
  'POST /compte/suppression': { expect: signedIn, setup: ensureSecondOwnerA },
  'GET /compte/suppression/confirmer/:token': { expect: everyone('gone') },
  'POST /compte/suppression/confirmer/:token': { expect: everyone('gone') },

  // Accounts exist: the set-up page does not.
  'GET /installation': { expect: everyone('notFound') },
  'POST /installation': { expect: everyone('notFound') },

  'GET /invitation/:token': { expect: everyone('gone') },
  'POST /invitation/:token': { expect: everyone('gone') },

  'GET /structures': { expect: signedIn },
  'GET /admin/structures/nouvelle': { expect: adminOnly },
  'POST /admin/structures': {
    expect: adminOnly,
    body: ({ n }) => ({
      name: `Structure ${n}`,
      url: 'https://structure.example.org',
      email: 'contact@structure.example.org',
      ownerEmail: `responsable-${n}@example.org`,
    }),
  },
  'GET /structures/:issuerId/membres': { expect: staffOfA },
  'GET /structures/:issuerId/modifier': { expect: ownerOfA },
  'POST /structures/:issuerId/modifier': {
    expect: ownerOfA,
    // The same values as the fixture: the issuer's name stays what other rows expect.
    body: () => ({
      name: 'Émetteur A',
      url: 'https://emetteur-a.example.org',
      email: 'contact@emetteur-a.example.org',
    }),
  },
  'POST /structures/:issuerId/invitations': {
    expect: staffOfA,
    body: ({ n }) => ({ emails: `invitee-${n}@example.org` }),
  },
  'POST /structures/:issuerId/invitations/:invitationId/annuler': { expect: staffOfA },
  'POST /structures/:issuerId/membres/:userId/role': {
    expect: ownerOfA,
    body: () => ({ role: 'member' }),
    setup: ensureMemberA,
  },
  'POST /structures/:issuerId/membres/:userId/retirer': { expect: ownerOfA, setup: ensureMemberA },

  'GET /audit': { expect: ownersAnywhere },

  'GET /verifier': { expect: everyone('ok') },
  'POST /verifier': {
    expect: everyone('ok'),
    body: () => ({ way: 'text', text: 'pas un badge' }),
  },
  // The example asks for a loopback address: refused at once, answered as "not verified".
  'GET /api/v1/verify': { expect: everyone('ok') },
  'POST /api/v1/verify': { expect: everyone('ok'), body: () => ({ input: 'pas un badge' }) },
  'GET /api/v1/openapi.json': { expect: everyone('ok') },

  // Open Badges 3.0 API: the bearer token is the only authority, a session opens nothing (401).
  'GET /ims/ob/v3p0/discovery': { expect: everyone('ok') },
  'GET /ims/ob/v3p0/credentials': { expect: everyone('signIn') },
  'POST /ims/ob/v3p0/credentials': { expect: everyone('signIn') },
  'GET /ims/ob/v3p0/profile': { expect: everyone('signIn') },
  'PUT /ims/ob/v3p0/profile': { expect: everyone('signIn') },
  'POST /oauth/register': {
    expect: everyone('ok'),
    body: ({ n }) => ({
      client_name: `Appli ${n}`,
      client_uri: 'https://appli.example.org/',
      redirect_uris: 'https://appli.example.org/retour',
    }),
  },
  // No client credentials: 401 invalid_client.
  'POST /oauth/token': { expect: everyone('signIn') },
  'POST /oauth/revoke': { expect: everyone('signIn') },
  'GET /oauth/authorize': { expect: signedIn, setup: ensureOAuthClientA },
  'POST /oauth/authorize': {
    expect: signedIn,
    setup: ensureOAuthClientA,
    body: () => ({
      response_type: 'code',
      client_id: 'client-a',
      redirect_uri: 'https://appli.example.org/retour',
      scope: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      decision: 'refuse',
    }),
  },
  'GET /compte/acces': { expect: signedIn },
  'POST /compte/acces/:grantId/retirer': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
  },

  // Badges and awards (fixtures: badge `badge-a`, awards `assertion-a` and `assertion-r`,
  // retired key `cle-a`, all of issuer A).
  'GET /structures/:issuerId': { expect: staffOfA },
  'GET /structures/:issuerId/badges/nouveau': { expect: staffOfA },
  'POST /structures/:issuerId/badges': {
    expect: staffOfA,
    body: ({ n }) => ({
      name: `Badge ${n}`,
      description: 'Une description.',
      criteriaNarrative: 'Des critères.',
      template: 'medal',
      action: 'creer',
    }),
  },
  'GET /structures/:issuerId/badges': { expect: staffOfA },
  'GET /structures/:issuerId/badges/:badgeClassId/modifier': {
    expect: staffOfA,
    setup: ensureBadge('badge-modifiable'),
  },
  // Never issued: saved in place, so every persona's request finds the same badge.
  'POST /structures/:issuerId/badges/:badgeClassId/modifier': {
    expect: staffOfA,
    setup: ensureBadge('badge-modifiable'),
    body: ({ n }) => ({
      name: `Badge modifié ${n}`,
      description: 'Une description.',
      criteriaNarrative: 'Des critères.',
      template: 'medal',
      action: 'enregistrer',
    }),
  },
  'POST /structures/:issuerId/badges/:badgeClassId/archiver': {
    expect: staffOfA,
    setup: ensureBadge('badge-archivable', 'active'),
  },
  'POST /structures/:issuerId/badges/:badgeClassId/restaurer': {
    expect: staffOfA,
    setup: ensureBadge('badge-archivable', 'archived'),
  },
  'GET /structures/:issuerId/delivrer': { expect: staffOfA },
  'POST /structures/:issuerId/delivrer': {
    expect: staffOfA,
    body: ({ n }) => ({ badgeClassId: 'badge-a', recipientEmail: `recu-${n}@example.org` }),
  },
  'GET /structures/:issuerId/delivrer/fichier': { expect: staffOfA },
  'POST /structures/:issuerId/delivrer/fichier': {
    expect: staffOfA,
    body: () => ({ badgeClassId: 'badge-a', lang: 'fr' }),
    files: ({ n }) => ({
      fichier: {
        content: `email;commentaire\nlot-${n}@example.org;Atelier\n`,
        filename: 'lot.csv',
      },
    }),
  },
  'GET /structures/:issuerId/delivrer/fichier/:runId': { expect: staffOfA, setup: ensureRun },
  // The first allowed persona starts the run; confirming it again changes nothing.
  'POST /structures/:issuerId/delivrer/fichier/:runId/confirmer': {
    expect: staffOfA,
    setup: ensureRun,
  },
  'GET /structures/:issuerId/delivrer/fichier/:runId/etat.json': {
    expect: staffOfA,
    setup: ensureRun,
  },
  'GET /structures/:issuerId/delivrer/fichier/:runId/rapport.csv': {
    expect: staffOfA,
    setup: ensureRun,
  },
  // The confirmation page comes before the form that revokes `assertion-r` (route table order).
  'GET /structures/:issuerId/assertions/:assertionId/revoquer': { expect: staffOfA },
  'POST /structures/:issuerId/assertions/:assertionId/revoquer': {
    expect: staffOfA,
    body: () => ({ reason: 'Délivré par erreur' }),
  },
  'POST /structures/:issuerId/cles/renouveler': { expect: ownerOfA },
  // Compromised keys (fixture: key `cle-c` of issuer A, retired, created when missing; the first
  // allowed persona declares it compromised, the next ones are told it already is).
  'GET /structures/:issuerId/cles': { expect: ownerOfA },
  'GET /structures/:issuerId/cles/:keyId/declarer-compromise': {
    expect: ownerOfA,
    setup: ensureKeyC(false),
  },
  'POST /structures/:issuerId/cles/:keyId/declarer-compromise': {
    expect: ownerOfA,
    setup: ensureKeyC(false),
    body: () => ({ reason: 'Clé copiée par erreur' }),
  },
  'GET /structures/:issuerId/cles/:keyId/badges-concernes': {
    expect: ownerOfA,
    setup: ensureKeyC(true),
  },
  'GET /structures/:issuerId/cles/:keyId/delivrer-a-nouveau': {
    expect: ownerOfA,
    setup: ensureKeyC(true),
  },
  'POST /structures/:issuerId/cles/:keyId/delivrer-a-nouveau': {
    expect: ownerOfA,
    setup: ensureKeyC(true),
  },
  'GET /.well-known/did.json': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/profil.json': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/image': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/did.json': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/jwks.json': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/cles/:keyId': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/cles/:keyId/jwk': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/revocations': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/statuts/:listNo': { expect: everyone('ok') },
  'GET /badges/:badgeClassId': { expect: everyone('ok') },
  'GET /badges/:badgeClassId/image.png': { expect: everyone('ok') },
  'GET /badges/:badgeClassId/image.svg': { expect: everyone('ok') },
  'GET /assertions/:assertionId': { expect: everyone('ok') },
  'GET /assertions/:assertionId/jws': { expect: everyone('ok') },
  'GET /assertions/:assertionId/credential': { expect: everyone('ok') },
  'GET /assertions/:assertionId/credential.jwt': { expect: everyone('ok') },
  'GET /assertions/:assertionId/qr.png': { expect: everyone('ok') },
  'GET /assertions/:assertionId/qr.svg': { expect: everyone('ok') },
  'GET /assertions/:assertionId/attestation': { expect: everyone('ok') },
  'GET /assertions/:assertionId/attestation.pdf': { expect: everyone('ok') },
  // Wallets (src/components/wallet). No persona is the recipient of `assertion-a`: the page
  // offers an emailed link, and asking for an offer finds no award of theirs.
  'GET /assertions/:assertionId/portefeuille': { expect: everyone('ok') },
  'POST /assertions/:assertionId/portefeuille': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
  },
  'POST /assertions/:assertionId/portefeuille/lien': { expect: everyone('ok') },
  'GET /portefeuille/lien/:token': { expect: everyone('gone') },
  'POST /portefeuille/lien/:token': { expect: everyone('gone') },
  'GET /portefeuille/:assertionId/:token': { expect: everyone('gone') },
  'GET /.well-known/openid-credential-issuer': { expect: everyone('ok') },
  'GET /api/portefeuille/openapi.json': { expect: everyone('ok') },
  'GET /.well-known/oauth-authorization-server': { expect: everyone('ok') },
  'GET /api/portefeuille/:assertionId/offre/:token': { expect: everyone('notFound') },
  'POST /api/portefeuille/oid4vci/token': {
    expect: everyone('ok'),
    // A fresh offer of `assertion-a` for each request: its pre-authorized code works once.
    setup: async (ctx) => {
      const offer = await ctx.t.app.services.wallet.offerForRecipient({
        awardId: 'assertion-a',
        user: { id: 'destinataire', email: 'karim.mediateur@example.org' },
        withCode: false,
        ip: '127.0.0.1',
      });
      const uri = new URL(offer.offerLink).searchParams.get('credential_offer_uri')!;
      walletCodes.set(ctx.persona, uri.split('/').pop()!);
    },
    body: ({ persona }) => ({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': walletCodes.get(persona)!,
    }),
  },
  'POST /api/portefeuille/oid4vci/nonce': { expect: everyone('ok') },
  // No Bearer access token: 401 (invalid_token), as OAuth protected resources answer.
  'POST /api/portefeuille/oid4vci/credential': { expect: everyone('signIn') },
  'POST /api/portefeuille/:assertionId/echange/:token': { expect: everyone('notFound') },
  ...Object.fromEntries(
    BAKED_VARIANTS.map((v) => [`GET /assertions/:assertionId/${v}`, { expect: everyone('ok') }]),
  ),

  // Requests, recommendations, quorum, overview (fixtures: requests `demande-a` of `membre-a`
  // with a file and `demande-q` for badge `badge-q` needing recommendations; recommendation
  // `assertion-a.0` by `personne-a`, the profile of `membre-a`).
  'GET /mes-badges': { expect: signedIn },
  // Backpack: `assertion-a` belongs to none of the personas (issued to RECIPIENT).
  'POST /mes-badges/:awardId/accepter': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
    body: () => ({ showName: 'short' }),
  },
  'POST /mes-badges/:awardId/masquer': { expect: { ...everyone('notFound'), anonymous: 'signIn' } },
  'POST /mes-badges/:awardId/afficher': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
  },
  'GET /mon-profil-public': { expect: signedIn },
  'POST /mon-profil-public': { expect: signedIn, body: () => ({ bio: 'Médiation numérique.' }) },
  'POST /mon-profil-public/desactiver': { expect: signedIn },
  'GET /profils/:slug': { expect: everyone('notFound') },
  'GET /demandes/nouvelle': { expect: signedIn },
  'POST /demandes': {
    expect: { ...signedIn, coordinatorB: 'forbidden' },
    body: ({ n }) => ({ badgeClassId: 'badge-a', text: `Ce que j'ai fait (${n}).` }),
  },
  // Only the requester, the issuer's staff and (when peers are required) its peers see a
  // request; another member of the issuer is told why not (403), others learn nothing (404).
  'GET /demandes/:requestId': {
    expect: { ...staffOfA, member: 'forbidden', coordinatorB: 'notFound' },
  },
  'GET /demandes/:requestId/modifier': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
  },
  'POST /demandes/:requestId/modifier': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
    body: () => ({ text: 'Complété.' }),
  },
  'GET /demandes/:requestId/fichier': {
    expect: { ...staffOfA, member: 'notFound', coordinatorB: 'notFound' },
  },
  'POST /demandes/:requestId/recommander': {
    expect: { ...staffOfA, member: 'ok', coordinatorB: 'notFound', admin: 'forbidden' },
    body: () => ({ comment: 'Je recommande.' }),
  },
  'GET /structures/:issuerId/demandes': { expect: staffOfA },
  'POST /structures/:issuerId/demandes/:requestId/approuver': { expect: staffOfA },
  'POST /structures/:issuerId/demandes/:requestId/a-completer': {
    expect: staffOfA,
    body: () => ({ returnComment: 'Ajoutez un lien.' }),
  },
  'POST /structures/:issuerId/demandes/:requestId/refuser': {
    expect: staffOfA,
    body: () => ({ reason: 'Hors du champ du badge.' }),
  },
  'GET /structures/:issuerId/badges/:badgeClassId/recommandations-requises': { expect: staffOfA },
  'POST /structures/:issuerId/badges/:badgeClassId/recommandations-requises': {
    expect: staffOfA,
    body: () => ({ coordinators: '0', peers: '0' }),
  },
  'GET /recommandations/:endorsementId': { expect: everyone('ok') },
  'GET /recommandations/:endorsementId/jws': { expect: everyone('ok') },
  'GET /recommandations/:endorsementId/credential': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/personnes/:personId': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/personnes/:personId/did.json': { expect: everyone('ok') },
  'GET /emetteurs/:issuerId/personnes/:personId/cles/:keyId': { expect: everyone('ok') },
  // Those who may not recommend are sent back to the award page with the reason.
  'GET /assertions/:assertionId/recommander': { expect: signedIn },
  'POST /assertions/:assertionId/recommander': {
    expect: { ...staffOfA, member: 'ok', admin: 'forbidden' },
    body: () => ({ comment: 'Je recommande ce badge.' }),
  },
  'GET /badges/:badgeClassId/recommander': {
    expect: { ...staffOfA, member: 'ok', admin: 'forbidden' },
  },
  'POST /badges/:badgeClassId/recommander': {
    expect: { ...staffOfA, member: 'ok', admin: 'forbidden' },
    body: () => ({ comment: 'Une compétence utile.' }),
  },
  'GET /structures/:issuerId/tableau-de-bord': { expect: staffOfA },
  'GET /structures/:issuerId/mediateurs': { expect: staffOfA },
  'GET /structures/:issuerId/badges/:badgeClassId/attributions': { expect: staffOfA },
  // Without `confirmer`, the answer is the confirmation page (nothing is revoked).
  'POST /structures/:issuerId/badges/:badgeClassId/revoquer': {
    expect: staffOfA,
    body: () => ({ awardIds: 'assertion-a', reason: 'Délivré par erreur' }),
  },

  // Imported badges (fixture: import `import-a` of `membre-a`, on her public profile, with an
  // image; each persona imports a badge of another platform awarded to its own address).
  'GET /mes-badges/importes': { expect: signedIn },
  'GET /mes-badges/importer': { expect: signedIn },
  'POST /mes-badges/importer': {
    expect: signedIn,
    setup: async ({ person, n }) => {
      if (person && !importPngs.has(person.email)) {
        importPngs.set(person.email, (await didKeyBadge(person.email, `m${n}`)).png);
      }
    },
    body: () => ({ way: 'file' }),
    files: ({ person }) => ({
      fichier: {
        content: Buffer.from(importPngs.get(person?.email ?? '') ?? new Uint8Array()),
        filename: 'badge.png',
      },
    }),
  },
  // Someone else's import: 404 for everyone else.
  'GET /mes-badges/importes/:importId': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
    setup: ensureImportA,
  },
  'POST /mes-badges/importes/:importId/supprimer': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
    setup: ensureImportA,
  },
  'POST /mes-badges/importes/:importId/profil': {
    expect: { ...everyone('notFound'), anonymous: 'signIn' },
    setup: ensureImportA,
    body: () => ({ visible: 'non' }),
  },
  // On its owner's public profile: anyone may load the image.
  'GET /badges-importes/:importId/image': { expect: everyone('ok'), setup: ensureImportA },

  'GET /dev/courriels': { expect: everyone('ok') },
  'GET /dev/courriels/:id': {
    expect: everyone('ok'),
    setup: async ({ t }) => {
      const dir = path.join(t.config.dataDir, 'outbox');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, `${OUTBOX_EXAMPLE}.json`),
        JSON.stringify({
          id: OUTBOX_EXAMPLE,
          to: 'a@example.org',
          subject: 'Essai',
          date: '2027-01-01T00:00:00Z',
          text: 'Bonjour',
        }),
      );
    },
  },
  // Open data (src/components/open-data): public page and files, admin settings.
  'GET /donnees': { expect: everyone('ok') },
  'GET /donnees/statistiques-mensuelles.csv': { expect: everyone('ok') },
  'GET /donnees/statistiques-mensuelles.json': { expect: everyone('ok') },
  'GET /donnees/schema.json': { expect: everyone('ok') },
  'GET /donnees/exemple.csv': { expect: everyone('ok') },
  'GET /donnees/datapackage.json': { expect: everyone('ok') },
  'GET /admin/donnees': { expect: adminOnly },
  'GET /admin/donnees/:issuerId': { expect: adminOnly },
  'POST /admin/donnees/:issuerId': {
    expect: adminOnly,
    body: () => ({ publish: 'oui', fromMonth: '2027-01', communeCode: '59512' }),
  },
};

/** Baked badges of another platform, one per persona's address (built once). */
const importPngs = new Map<string, Uint8Array>();

/** Import `import-a` of `membre-a`, shown on her profile, with a tiny image (created if missing). */
async function ensureImportA({ t }: Ctx): Promise<void> {
  const Imported = importedBadgeModel(t.db);
  if (await Imported.findById('import-a').lean()) return;
  await Imported.create({
    _id: 'import-a',
    userId: 'membre-a',
    dedupeKey: 'membre-a:import-a',
    way: 'text',
    original: Buffer.from('{}'),
    name: 'Badge importé A',
    issuerName: 'Ailleurs',
    image: {
      contentType: 'image/svg+xml',
      data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    },
    recipientEmail: 'membre-a@example.org',
    verdict: 'warning',
    checkedAt: new Date(),
    visibleOnProfile: true,
    importedAt: new Date(),
  });
}

async function ensureMemberA({ t }: Ctx): Promise<void> {
  await t.app.services.issuerRepo.addMembership({
    issuerId: 'emetteur-a',
    userId: 'membre-a',
    role: 'member',
    createdAt: new Date(),
  });
}

/** The application `client-a` of the OAuth example paths (registered once). */
async function ensureOAuthClientA({ t }: Ctx): Promise<void> {
  await oauthClientModel(t.db).updateOne(
    { _id: 'client-a' },
    {
      $setOnInsert: {
        secretHash: '00',
        name: 'Appli A',
        uri: 'https://appli.example.org/',
        redirectUris: ['https://appli.example.org/retour'],
        scopes: ['https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly'],
        createdAt: new Date(),
      },
    },
    { upsert: true },
  );
}

async function ensureSecondOwnerA({ t }: Ctx): Promise<void> {
  await t.app.services.issuerRepo.addMembership({
    issuerId: 'emetteur-a',
    userId: 'second-responsable-a',
    role: 'owner',
    createdAt: new Date(),
  });
}

/** A badge of issuer A that was never issued, with the given status (created if missing). */
function ensureBadge(id: string, status?: 'active' | 'archived') {
  return async ({ t }: Ctx): Promise<void> => {
    const BadgeClass = badgeClassModel(t.db);
    if (!(await BadgeClass.findById(id).lean())) {
      const model = await BadgeClass.findById('badge-a').lean();
      await BadgeClass.create({ ...model, _id: id, name: `Badge ${id}`, status: 'active' });
    }
    if (status) await BadgeClass.updateOne({ _id: id }, { $set: { status } });
  };
}

/** Key `cle-c` of issuer A (a retired copy of its RSA key), compromised when asked. */
function ensureKeyC(compromised: boolean) {
  return async ({ t }: Ctx): Promise<void> => {
    const Key = issuerKeyModel(t.db);
    if (!(await Key.findById('cle-c').lean())) {
      const model = await Key.findOne({ issuerId: 'emetteur-a', type: 'RSA' }).lean();
      await Key.create({ ...model, _id: 'cle-c', status: 'retired', retiredAt: new Date() });
    }
    if (compromised) {
      await Key.updateOne(
        { _id: 'cle-c', status: { $ne: 'compromised' } },
        {
          $set: {
            status: 'compromised',
            compromisedAt: new Date(),
            compromisedBy: 'test',
            compromiseReason: 'Essai',
          },
        },
      );
    }
  };
}

/** CSV run `envoi-a` of issuer A (one row for badge-a), previewed, if missing. */
async function ensureRun({ t }: Ctx): Promise<void> {
  if (await bulkRunModel(t.db).findById('envoi-a').lean()) return;
  await t.app.services.bulk.idle();
  await bulkRowModel(t.db).create({
    _id: 'envoi-a:0',
    runId: 'envoi-a',
    index: 0,
    line: 2,
    email: 'envoi-a@example.org',
    evidence: [],
    narrative: '',
    problems: [],
  });
  await bulkRunModel(t.db).create({
    _id: 'envoi-a',
    issuerId: 'emetteur-a',
    badgeClassId: 'badge-a',
    fileName: 'envoi.csv',
    status: 'preview',
    actor: { id: 'admin', isAdmin: true },
    ip: '',
    lang: 'fr',
    rows: 1,
    validRows: 1,
    invalidRows: 0,
    progress: { processed: 0, issued: 0, already: 0, failed: 0 },
    createdAt: new Date(),
  });
}

/** The session cookie a response sets (sessions are rolling: every answer renews it). */
function sessionCookieOf(res: Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
}

const key = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`;

/** Every route express would answer, found by walking its router stack. */
function expressRoutes(app: CoopApp): string[] {
  const found: string[] = [];
  const walk = (stack: unknown[], prefix: string) => {
    for (const layer of stack as {
      route?: { path: string; methods: Record<string, boolean> };
      name?: string;
      rawPath?: string;
      handle?: { stack?: unknown[] };
    }[]) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all')
            found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
        }
      } else if (layer.name === 'router' && layer.handle?.stack) {
        const mount = layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack, '');
  return found;
}

function outcomeOf(res: Response, route: RouteDef): Outcome | `unexpected ${number}` {
  const location = String(res.headers.location ?? '');
  const toSignIn = /^\/connexion(\?retour=|$)/.test(location);
  if (route.api && res.status === 401) return 'signIn';
  if ((res.status === 302 || res.status === 303) && toSignIn) return 'signIn';
  if (res.status === 403) return 'forbidden';
  if (res.status === 404) return 'notFound';
  if (res.status === 410) return 'gone';
  if (res.status >= 200 && res.status < 400) return 'ok';
  return `unexpected ${res.status}`;
}

describe('route × role matrix', () => {
  let t: TestApp & { people: Record<string, Person> };
  /** One signed-in session per persona, kept across requests until a POST ends or renews it. */
  const agents = new Map<Persona, { agent: Agent; token?: string; sid?: string }>();
  let n = 0;
  /** What every HTML answer of the matrix says (all personas speak French): checked below. */
  const frenchPages: { label: string; text: string }[] = [];

  async function sessionFor(persona: Persona) {
    let session = agents.get(persona);
    if (!session) {
      const agent = request.agent(t.app);
      if (persona !== 'anonymous') await signIn(t.app, t.people[persona]!, agent);
      session = { agent };
      agents.set(persona, session);
    }
    return session;
  }

  /** A CSRF token from a page of this persona's own session (valid while the session lives). */
  async function tokenFor(session: { agent: Agent; token?: string; sid?: string }) {
    if (!session.token) {
      let page = await session.agent.get('/connexion');
      if (page.status !== 200) page = await session.agent.get('/compte');
      session.token = csrfFrom(page.text);
      session.sid = sessionCookieOf(page);
    }
    return session.token;
  }

  beforeAll(async () => {
    const base = await createTestApp({ env: relaxedLimits });
    const app = base.app;
    await createIssuer(app, 'emetteur-a', 'Émetteur A');
    await createIssuer(app, 'emetteur-b', 'Émetteur B');
    const make = async (email: string, extra: { isAdmin?: boolean; id?: string } = {}) => {
      const password = `${email} a une phrase de passe`;
      const id = extra.id ?? email.split('@')[0]!;
      await app.services.users.insert({
        _id: id,
        email,
        name: email.split('@')[0]!,
        language: 'fr',
        isAdmin: extra.isAdmin ?? false,
        passwordHash: await app.services.hasher.hash(password),
        createdAt: new Date(),
      });
      return { id, email, password, name: email.split('@')[0]! };
    };
    const people: Record<string, Person> = {
      member: await make('mediatrice@example.org'),
      coordinatorA: await make('coordinatrice-a@example.org'),
      ownerA: await make('responsable-a@example.org'),
      coordinatorB: await make('coordinateur-b@example.org'),
      admin: await make('admin@example.org', { isAdmin: true }),
    };
    await make('membre-a@example.org', { id: 'membre-a' });
    const add = (userId: string, issuerId: string, role: 'owner' | 'coordinator' | 'member') =>
      app.services.issuerRepo.addMembership({ issuerId, userId, role, createdAt: new Date() });
    await add(people.member!.id, 'emetteur-a', 'member');
    await add(people.coordinatorA!.id, 'emetteur-a', 'coordinator');
    await add(people.ownerA!.id, 'emetteur-a', 'owner');
    await add(people.coordinatorB!.id, 'emetteur-b', 'coordinator');
    await add('membre-a', 'emetteur-a', 'member');
    await oneTimeTokenModel(base.db).create({
      _id: 'invitation-a',
      purpose: 'invitation',
      email: 'invitee@example.org',
      issuerId: 'emetteur-a',
      role: 'member',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 7 * 24 * 3600_000),
    });
    await routeExampleFixtures(base);
    await reviewExampleFixtures(base);
    t = Object.assign(base, { people });
  });
  afterAll(async () => {
    await t?.app.services.bulk.idle();
    await t?.close();
  });

  it('When the route table changes, then every route has a row here and every row a route', () => {
    const routes = t.app.routeTable.map(key);
    expect(routes.filter((k) => !(k in matrix))).toEqual([]);
    expect(Object.keys(matrix).filter((k) => !routes.includes(k))).toEqual([]);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('When a route has parameters, then it gives an example path for tests', () => {
    const missing = t.app.routeTable.filter((r) => r.path.includes(':') && !r.example).map(key);
    expect(missing).toEqual([]);
  });

  it('When express is walked, then it serves no route outside the route table', () => {
    const table = new Set(t.app.routeTable.map(key));
    expect(expressRoutes(t.app).filter((r) => !table.has(r))).toEqual([]);
    expect(expressRoutes(t.app).length).toBe(table.size);
  });

  it('When every persona calls every route, then each gets the expected outcome', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routeTable) {
      const row = matrix[key(route)];
      if (!row) continue;
      const url = route.example ?? route.path;
      for (const persona of personas) {
        const ctx: Ctx = { t, persona, person: t.people[persona], n: ++n };
        await row.setup?.(ctx);
        const session = await sessionFor(persona);
        const agent = session.agent;
        let res: Response;
        if (route.method === 'get') {
          res = await agent.get(url).set('Accept', route.api ? 'application/json' : 'text/html');
        } else {
          const fields = { _csrf: await tokenFor(session), ...(row.body?.(ctx) ?? {}) };
          if (row.files) {
            const req = agent[route.method](url);
            for (const [k, v] of Object.entries(fields)) req.field(k, v);
            for (const [k, f] of Object.entries(row.files(ctx))) {
              req.attach(k, Buffer.from(f.content), f.filename);
            }
            res = await req;
          } else {
            res = await agent[route.method](url).type('form').send(fields);
          }
          // A POST that ends or renews the session (sign-out, sign-in, password) answers without
          // the session cookie or with another one: start afresh next time.
          const sid = sessionCookieOf(res);
          if (!session.sid || sid !== session.sid) agents.delete(persona);
        }
        if (/text\/html/.test(String(res.headers['content-type']))) {
          frenchPages.push({
            label: `${key(route)} as ${persona}`,
            text: visibleText(res.text, { blocks: true }),
          });
        }
        const got = outcomeOf(res, route);
        const want = row.expect[persona];
        if (got !== want) {
          mismatches.push(`${key(route)} (${url}) as ${persona}: expected ${want}, got ${got}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 420_000); // Every route × six personas, some signing badges: longer than one request.

  it('When the pages of the matrix are read in French, then none hedges with "(s)" or says "de le"', () => {
    expect(frenchPages.length).toBeGreaterThan(100);
    const found = frenchPages.flatMap(({ label, text }) =>
      handBuiltFrench(text).map((bit) => `${label}: …${bit}…`),
    );
    expect(found).toEqual([]);
  });
});
