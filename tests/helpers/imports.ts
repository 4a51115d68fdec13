import fs from 'node:fs';
import path from 'node:path';
import {
  bakePng,
  buildOpenBadgeCredential,
  generateEd25519KeyMaterial,
  signCredentialDataIntegrity,
  type OpenBadgeCredentialJson,
} from '../../src/core/index.js';

const BASE_PNG = fs.readFileSync(
  path.resolve('tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png'),
);

/**
 * A badge of another platform that needs no server: an OB 3.0 credential whose issuer is a
 * did:key (it resolves offline), signed with Data Integrity, awarded to `email`, also baked
 * into a PNG. For tests that cannot serve a foreign issuer (route matrix, browser).
 */
export async function didKeyBadge(
  email: string,
  slug: string,
  name = 'Animer un atelier numérique',
  options: { id?: string; issuerId?: string; holderName?: string } = {},
): Promise<{ credential: OpenBadgeCredentialJson; json: string; png: Uint8Array }> {
  const seed = new Uint8Array(32).fill(7);
  const probe = await generateEd25519KeyMaterial({ controller: 'did:example:x', seed });
  const did = `did:key:${probe.publicKeyMultibase}`;
  const key = await generateEd25519KeyMaterial({ controller: did, seed });
  const created = new Date('2026-01-02T10:00:00Z');
  const unsigned = buildOpenBadgeCredential({
    id: options.id ?? `urn:uuid:00000000-0000-4000-8000-${slug.padStart(12, '0').slice(-12)}`,
    issuer: { id: options.issuerId ?? did, name: 'Open Educational Badges — Atelier Ailleurs' },
    achievement: {
      id: 'https://badges.ailleurs.example/achievements/atelier',
      name,
      description: 'Animer un atelier collectif de découverte du numérique.',
      criteria: { narrative: 'Avoir animé trois ateliers.' },
    },
    recipient: { email, salt: `sel-${slug}` },
    validFrom: created,
  });
  if (options.holderName) {
    const subject = unsigned.credentialSubject as { identifier?: Record<string, unknown>[] };
    subject.identifier = [
      ...(subject.identifier ?? []),
      {
        type: 'IdentityObject',
        identityType: 'name',
        hashed: false,
        identityHash: options.holderName,
      },
    ];
  }
  const credential = await signCredentialDataIntegrity(unsigned, key, { created });
  const json = JSON.stringify(credential);
  return {
    credential,
    json,
    png: bakePng(BASE_PNG, { keyword: 'openbadgecredential', text: json }),
  };
}
