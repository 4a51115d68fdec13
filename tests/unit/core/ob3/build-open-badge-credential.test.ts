import type { BadgeError } from '../../../../src/core/index.js';
import {
  buildEndorsementCredential,
  buildIdentityObject,
  buildOpenBadgeCredential,
  buildRevocationListEntry,
  hashIdentity,
  type OpenBadgeCredentialInput,
} from '../../../../src/core/index.js';
import { awardInput } from './fixture-support.js';

describe('buildOpenBadgeCredential', () => {
  it('When built from award data, then it has the OB 3.0 contexts (in order), types and subject', () => {
    const c = buildOpenBadgeCredential(awardInput);
    expect(c['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(c.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(c.validFrom).toBe('2026-01-02T10:00:00Z');
    expect(c.name).toBe('Accueil numérique');
    expect(c.issuer).toEqual({
      id: 'https://badges.example/issuers/coop',
      type: ['Profile'],
      name: 'Coopérative des médiateurs numériques de Roubaix',
      url: 'https://badges.example',
      email: 'contact@badges.example',
      description: 'Coopérative',
      image: { id: 'https://badges.example/issuers/coop/logo.png', type: 'Image' },
    });
    expect(c.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(c.credentialSubject.id).toBeUndefined();
    expect(c.credentialSubject.achievement).toMatchObject({
      type: ['Achievement'],
      criteria: { narrative: 'Avoir accueilli 20 personnes.' },
      image: { type: 'Image' },
      alignment: [
        {
          type: ['Alignment'],
          targetName: 'Interagir',
          targetCode: '2.1',
          targetFramework: 'CRCN',
        },
      ],
      tag: ['accueil'],
    });
    expect(c.evidence).toEqual([
      { id: 'https://badges.example/evidence/1', type: ['Evidence'], narrative: 'Attestation' },
    ]);
    expect(c.validUntil).toBeUndefined();
    expect(c.credentialStatus).toBeUndefined();
  });

  it('When the recipient is a@example.com with salt Kosher, then the IdentityObject has the spec hash', () => {
    const id = buildIdentityObject('a@example.com', 'Kosher');
    expect(id).toEqual({
      type: 'IdentityObject',
      hashed: true,
      identityHash: hashIdentity('a@example.com', 'Kosher'),
      identityType: 'emailAddress',
      salt: 'Kosher',
    });
    expect(id.identityHash).toMatch(/^sha256\$b5809d8a[0-9a-f]{52}f399$/);
    // The address is normalised (trimmed, lower case) before hashing.
    expect(buildOpenBadgeCredential(awardInput).credentialSubject.identifier).toEqual([id]);
  });

  it('When a 1EdTechRevocationList entry is given, then the OB extensions context is added', () => {
    const c = buildOpenBadgeCredential({
      ...awardInput,
      credentialStatus: buildRevocationListEntry('https://badges.example/revocations'),
    });
    expect(c['@context'][2]).toBe('https://purl.imsglobal.org/spec/ob/v3p0/extensions.json');
  });

  it('When required data is missing or dates are inverted, then it throws invalid_input', () => {
    const bad: Partial<OpenBadgeCredentialInput>[] = [
      { id: 'credential-1' },
      { achievement: { ...awardInput.achievement, criteria: {} } },
      { validUntil: new Date('2025-01-01T00:00:00Z') },
      { validFrom: 'not a date' },
    ];
    for (const patch of bad) {
      expect(() => buildOpenBadgeCredential({ ...awardInput, ...patch })).toThrow(
        expect.objectContaining({ code: 'invalid_input' }) as BadgeError,
      );
    }
  });
});

describe('buildEndorsementCredential', () => {
  it('When an achievement is endorsed, then the credential is an EndorsementCredential about it', () => {
    const e = buildEndorsementCredential({
      id: 'https://badges.example/endorsements/e1',
      issuer: { id: 'https://mairie.example', name: 'Mairie de Roubaix' },
      endorsedId: 'https://badges.example/achievements/accueil',
      name: 'Soutien de la mairie',
      comment: 'Badge reconnu par la commune.',
      validFrom: '2026-01-01T00:00:00Z',
    });
    expect(e).toEqual({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: 'https://badges.example/endorsements/e1',
      type: ['VerifiableCredential', 'EndorsementCredential'],
      name: 'Soutien de la mairie',
      issuer: { id: 'https://mairie.example', type: ['Profile'], name: 'Mairie de Roubaix' },
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: 'https://badges.example/achievements/accueil',
        type: ['EndorsementSubject'],
        endorsementComment: 'Badge reconnu par la commune.',
      },
    });
  });
});
