/**
 * The documents a wallet reads before asking for a badge: OpenID4VCI 1.0 credential offer and
 * issuer metadata, OAuth authorization-server metadata (RFC 8414), the VC-API interaction
 * protocols and the Learner Credential Wallet deep link. Pure: URLs and texts come in.
 */
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** Our two credential configurations: the same OpenBadgeCredential, two proof formats. */
export const CONFIGURATION_IDS = {
  ldp: 'OpenBadgeCredential_ldp_vc',
  jwt: 'OpenBadgeCredential_jwt_vc_json',
} as const;
export type ConfigurationId = (typeof CONFIGURATION_IDS)[keyof typeof CONFIGURATION_IDS];

export function isConfigurationId(value: unknown): value is ConfigurationId {
  return value === CONFIGURATION_IDS.ldp || value === CONFIGURATION_IDS.jwt;
}

export interface TxCodeHint {
  length: number;
  description: string;
}

export function buildCredentialOffer(input: {
  credentialIssuer: string;
  preAuthorizedCode: string;
  txCode?: TxCodeHint | undefined;
}) {
  return {
    credential_issuer: input.credentialIssuer,
    credential_configuration_ids: [CONFIGURATION_IDS.ldp, CONFIGURATION_IDS.jwt],
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': input.preAuthorizedCode,
        ...(input.txCode
          ? {
              tx_code: {
                input_mode: 'numeric',
                length: input.txCode.length,
                description: input.txCode.description,
              },
            }
          : {}),
      },
    },
  };
}

/** `openid-credential-offer://?credential_offer_uri=…` (offer passed by reference). */
export function credentialOfferLink(offerUri: string): string {
  return `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUri)}`;
}

export interface LocalisedDisplay {
  locale: 'fr-FR' | 'en-US';
  name: string;
  description?: string;
}

const OB3_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'];
const OB3_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];
const HOLDER_BINDING = ['did:key', 'did:jwk'];
const PROOF_TYPES = { jwt: { proof_signing_alg_values_supported: ['EdDSA', 'ES256'] } };

export function buildIssuerMetadata(input: {
  credentialIssuer: string;
  credentialEndpoint: string;
  nonceEndpoint: string;
  issuerDisplay: LocalisedDisplay[];
  credentialDisplay: LocalisedDisplay[];
  logo?: string | undefined;
}) {
  const display = input.credentialDisplay.map((d) => ({ ...d }));
  return {
    credential_issuer: input.credentialIssuer,
    credential_endpoint: input.credentialEndpoint,
    nonce_endpoint: input.nonceEndpoint,
    display: input.issuerDisplay.map((d) => ({
      ...d,
      ...(input.logo ? { logo: { uri: input.logo } } : {}),
    })),
    credential_configurations_supported: {
      [CONFIGURATION_IDS.ldp]: {
        format: 'ldp_vc',
        scope: 'OpenBadgeCredential',
        cryptographic_binding_methods_supported: HOLDER_BINDING,
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        proof_types_supported: PROOF_TYPES,
        credential_definition: { '@context': OB3_CONTEXTS, type: OB3_TYPES },
        credential_metadata: { display },
      },
      [CONFIGURATION_IDS.jwt]: {
        format: 'jwt_vc_json',
        cryptographic_binding_methods_supported: HOLDER_BINDING,
        credential_signing_alg_values_supported: ['RS256'],
        proof_types_supported: PROOF_TYPES,
        credential_definition: { type: OB3_TYPES },
        credential_metadata: { display },
      },
    },
  };
}

export function buildAuthorizationServerMetadata(input: { issuer: string; tokenEndpoint: string }) {
  return {
    issuer: input.issuer,
    token_endpoint: input.tokenEndpoint,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    // Wallets of the pre-authorized flow are not registered clients.
    'pre-authorized_grant_anonymous_access_supported': true,
    token_endpoint_auth_methods_supported: ['none'],
  };
}

/** What an interaction URL answers to `Accept: application/json`: one QR code, two protocols. */
export function interactionProtocols(input: { exchangeUrl: string; offerLink: string }) {
  return { protocols: { vcapi: input.exchangeUrl, OID4VCI: input.offerLink } };
}

/** The Learner Credential Wallet's deep link for a VC-API exchange. */
export function lcwDeepLink(input: { origin: string; exchangeUrl: string }): string {
  const request = JSON.stringify({
    credentialRequestOrigin: input.origin,
    protocols: { vcapi: input.exchangeUrl },
  });
  return `https://lcw.app/request?request=${encodeURIComponent(request)}`;
}

/** The verifiable presentation request of a VC-API DIDAuthentication step. */
export function didAuthRequest(input: { challenge: string; domain: string; interactUrl?: string }) {
  return {
    verifiablePresentationRequest: {
      query: [{ type: 'DIDAuthentication', acceptedMethods: [{ method: 'key' }] }],
      challenge: input.challenge,
      domain: input.domain,
      ...(input.interactUrl
        ? {
            interact: {
              service: [
                { type: 'UnmediatedPresentationService2021', serviceEndpoint: input.interactUrl },
              ],
            },
          }
        : {}),
    },
  };
}
