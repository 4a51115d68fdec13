/**
 * The OpenAPI 3.1 description of the endpoints wallets call (served at
 * /api/portefeuille/openapi.json). The protocols' own metadata (OpenID4VCI issuer metadata,
 * RFC 8414) is what wallets read; this is for people integrating or auditing. A test keeps it
 * in step with the route table: every wallet API route is described and every path is a route.
 */
export function walletOpenApiDocument(origin: string) {
  const oauthError = {
    description: 'OAuth / OpenID4VCI error',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string' }, error_description: { type: 'string' } },
        },
      },
    },
  };
  const json = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object' } } },
  });
  const offerParams = [
    { name: 'assertionId', in: 'path', required: true, schema: { type: 'string' } },
    {
      name: 'token',
      in: 'path',
      required: true,
      schema: { type: 'string' },
      description: 'The offer’s one-time token (10 minutes, one use).',
    },
  ];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Coop Badges — wallet delivery (OpenID4VCI 1.0, VC-API)',
      version: '1.0.0',
      summary: 'Hands one badge to its recipient’s wallet, once, from a short-lived offer.',
    },
    servers: [{ url: origin }],
    paths: {
      '/.well-known/openid-credential-issuer': {
        get: {
          summary: 'OpenID4VCI credential issuer metadata',
          responses: { 200: json('Metadata') },
        },
      },
      '/.well-known/oauth-authorization-server': {
        get: {
          summary: 'RFC 8414 authorization server metadata (pre-authorized code grant)',
          responses: { 200: json('Metadata') },
        },
      },
      '/api/portefeuille/openapi.json': {
        get: { summary: 'This document', responses: { 200: json('OpenAPI 3.1') } },
      },
      '/api/portefeuille/{assertionId}/offre/{token}': {
        get: {
          summary: 'Credential offer, by reference (credential_offer_uri)',
          parameters: offerParams,
          responses: { 200: json('Credential offer'), 404: oauthError },
        },
      },
      '/api/portefeuille/oid4vci/token': {
        post: {
          summary: 'Token endpoint: pre-authorized code (and tx_code when asked) → access token',
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['grant_type', 'pre-authorized_code'],
                  properties: {
                    grant_type: {
                      const: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
                    },
                    'pre-authorized_code': { type: 'string' },
                    tx_code: { type: 'string' },
                  },
                },
              },
            },
          },
          responses: { 200: json('Access token'), 400: oauthError },
        },
      },
      '/api/portefeuille/oid4vci/nonce': {
        post: {
          summary: 'A fresh c_nonce (2 minutes, one proof)',
          responses: { 200: json('c_nonce') },
        },
      },
      '/api/portefeuille/oid4vci/credential': {
        post: {
          summary: 'Credential endpoint: Bearer token and a jwt key proof → ldp_vc or jwt_vc_json',
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: { 200: json('The credential'), 400: oauthError, 401: oauthError },
        },
      },
      '/api/portefeuille/{assertionId}/echange/{token}': {
        post: {
          summary:
            'VC-API exchange: {} → a DIDAuthentication request; the signed presentation → the badge',
          parameters: offerParams,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: {
            200: json('Presentation request, or the credential in a presentation'),
            400: oauthError,
            404: oauthError,
          },
        },
      },
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
