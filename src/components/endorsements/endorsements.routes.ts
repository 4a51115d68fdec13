import type { RouteDef } from '../../web/route-table.js';
import type { EndorsementsController } from './endorsements.controller.js';

const pub = { kind: 'public' } as const;
const signedIn = { kind: 'signedIn' } as const;

/**
 * Recommendations: their public pages and documents (OB 2.0 hosted and signed Endorsement,
 * OB 3.0 EndorsementCredential), the profiles of the people who make them, and the forms to
 * recommend an award or a badge (people of the issuer; the use case checks who).
 */
export function endorsementsRoutes(c: EndorsementsController): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/recommandations/:endorsementId',
      access: pub,
      db: true,
      example: '/recommandations/assertion-a.0',
      summary: 'Recommendation: public page, or the OB 2.0 hosted Endorsement (JSON-LD)',
      handlers: [c.show],
    },
    {
      method: 'get',
      path: '/recommandations/:endorsementId/jws',
      access: pub,
      api: true,
      db: true,
      example: '/recommandations/assertion-a.0/jws',
      summary: 'OB 2.0 signed Endorsement (compact JWS, RS256)',
      handlers: [c.endorsementJws],
    },
    {
      method: 'get',
      path: '/recommandations/:endorsementId/credential',
      access: pub,
      api: true,
      db: true,
      example: '/recommandations/assertion-a.0/credential',
      summary: 'OB 3.0 EndorsementCredential with a Data Integrity proof',
      handlers: [c.endorsementCredential],
    },
    {
      method: 'get',
      path: '/emetteurs/:issuerId/personnes/:personId',
      access: pub,
      db: true,
      example: '/emetteurs/emetteur-a/personnes/personne-a',
      summary: 'A person who recommends: public page, or their OB 2.0 Profile (JSON-LD)',
      handlers: [c.person],
    },
    {
      method: 'get',
      path: '/emetteurs/:issuerId/personnes/:personId/did.json',
      access: pub,
      api: true,
      db: true,
      example: '/emetteurs/emetteur-a/personnes/personne-a/did.json',
      summary: "DID document of a person who recommends (the issuer's keys, issuer as controller)",
      handlers: [c.personDid],
    },
    {
      method: 'get',
      path: '/emetteurs/:issuerId/personnes/:personId/cles/:keyId',
      access: pub,
      api: true,
      db: true,
      example: '/emetteurs/emetteur-a/personnes/personne-a/cles/cle-a',
      summary: "The issuer's key as published for a person (OB 2.0 CryptographicKey or Multikey)",
      handlers: [c.personKey],
    },
    {
      method: 'get',
      path: '/assertions/:assertionId/recommander',
      access: signedIn,
      db: true,
      example: '/assertions/assertion-a/recommander',
      summary: 'Form to recommend an issued badge (coordinators and peers of the issuer)',
      handlers: [c.showAwardForm],
    },
    {
      method: 'post',
      path: '/assertions/:assertionId/recommander',
      access: signedIn,
      db: true,
      example: '/assertions/assertion-a/recommander',
      summary: 'Recommend an issued badge (OB 2.0 Endorsement and OB 3.0 EndorsementCredential)',
      handlers: [c.endorseAward],
    },
    {
      method: 'get',
      path: '/badges/:badgeClassId/recommander',
      access: signedIn,
      db: true,
      example: '/badges/badge-a/recommander',
      summary: 'Form to recommend a badge of the catalogue (the skill it stands for)',
      handlers: [c.showBadgeForm],
    },
    {
      method: 'post',
      path: '/badges/:badgeClassId/recommander',
      access: signedIn,
      db: true,
      example: '/badges/badge-a/recommander',
      summary: 'Recommend a badge of the catalogue',
      handlers: [c.endorseBadge],
    },
  ];
}
