import { exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { buildAssertion, type AssertionInput } from '../../../../src/core/ob2/build-assertion.js';
import { buildBadgeClass } from '../../../../src/core/ob2/build-badge-class.js';
import { buildCryptographicKey } from '../../../../src/core/ob2/build-cryptographic-key.js';
import { buildIssuerProfile } from '../../../../src/core/ob2/build-issuer-profile.js';
import { buildRevocationList } from '../../../../src/core/ob2/build-revocation-list.js';
import type { Ob2Assertion } from '../../../../src/core/ob2/ob2-documents.js';
import { signAssertion } from '../../../../src/core/ob2/sign-assertion.js';
import type { MemoryRoute } from '../../../helpers/memory-fetcher.js';

/** An RSA key of an issuer, as published (key document) and held (private key). */
export interface TestKey {
  id: string;
  privateKey: CryptoKey;
  publicKeyPem: string;
}

export async function newKey(id: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { id, privateKey, publicKeyPem: await exportSPKI(publicKey) };
}

/**
 * A small OB 2.0 world served by a memory fetcher: issuers with keys and revocation lists,
 * one badge class per issuer, and helpers to issue hosted and signed assertions.
 */
export class Ob2World {
  readonly routes: Record<string, MemoryRoute | object> = {};
  readonly revoked = new Map<string, { id: string; revocationReason?: string }[]>();

  addIssuer(slug: string, keys: TestKey[], origin = 'https://badges.example.fr') {
    const id = `${origin}/issuers/${slug}`;
    const revocationList = `${id}/revocations`;
    this.routes[id] = buildIssuerProfile({
      id,
      name: `Émetteur ${slug}`,
      url: origin,
      email: `contact@${new URL(origin).hostname}`,
      publicKeys: keys.map((k) => k.id),
      revocationList,
    });
    for (const key of keys) {
      this.routes[key.id] = buildCryptographicKey({
        id: key.id,
        owner: id,
        publicKeyPem: key.publicKeyPem,
      });
    }
    this.revoked.set(revocationList, []);
    this.publishRevocations(id);
    const badge = `${origin}/badges/${slug}-mediation`;
    this.routes[badge] = buildBadgeClass({
      id: badge,
      name: 'Accompagner une démarche en ligne',
      description: 'Aider un usager à réaliser une démarche administrative en ligne.',
      image: `${badge}/image.png`,
      criteria: { narrative: 'Avoir accompagné cinq usagers.' },
      issuer: id,
      alignments: [
        {
          targetName: 'Pix 2.1',
          targetUrl: 'https://pix.fr/',
          targetFramework: 'Pix',
          targetCode: '2.1',
        },
      ],
      tags: ['médiation'],
    });
    return { id, badge, revocationList };
  }

  revoke(issuerId: string, assertionId: string, revocationReason?: string) {
    this.revoked.get(`${issuerId}/revocations`)!.push({ id: assertionId, revocationReason });
    this.publishRevocations(issuerId);
  }

  private publishRevocations(issuerId: string) {
    const id = `${issuerId}/revocations`;
    this.routes[id] = buildRevocationList({
      id,
      issuer: issuerId,
      revokedAssertions: this.revoked.get(id)!,
    });
  }

  hosted(badge: string, slug: string, extra: Partial<AssertionInput> = {}): Ob2Assertion {
    const origin = new URL(badge).origin;
    const assertion = buildAssertion({
      id: `${origin}/assertions/${slug}`,
      badge,
      recipient: { email: 'marie.dupont@example.fr', salt: `salt-${slug}` },
      issuedOn: new Date('2025-03-01T10:00:00Z'),
      evidence: [{ id: `${origin}/evidence/${slug}`, narrative: 'Atelier du 3 mars' }],
      verification: { type: 'hosted' },
      ...extra,
    });
    this.routes[assertion.id] = assertion;
    return assertion;
  }

  async signed(
    badge: string,
    slug: string,
    key: TestKey,
    extra: Partial<AssertionInput> = {},
  ): Promise<{ assertion: Ob2Assertion; jws: string }> {
    const origin = new URL(badge).origin;
    const assertion = buildAssertion({
      id: `${origin}/assertions/${slug}`,
      badge,
      recipient: { email: 'marie.dupont@example.fr', salt: `salt-${slug}` },
      issuedOn: new Date('2025-03-01T10:00:00Z'),
      verification: { type: 'signed', keyId: key.id },
      ...extra,
    });
    return { assertion, jws: await signAssertion(assertion, key.privateKey) };
  }
}

export const NOW = new Date('2026-01-15T12:00:00Z');
