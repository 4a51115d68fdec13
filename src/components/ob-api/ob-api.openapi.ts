import { API_BASE } from './ob-api.paths.js';
import { ALL_SCOPES, OB_SCOPES } from './ob-api.scopes.js';

const imsx = { $ref: '#/components/schemas/Imsx_StatusInfo' };
const errors = (codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: 'Imsx_StatusInfo', content: { 'application/json': { schema: imsx } } },
    ]),
  );
const security = (scope: string) => [{ OAuth2ACG: [scope] }];

/**
 * The service description of the Open Badges 3.0 API (spec § 6.1.1 "Service Discovery"): an
 * OpenAPI 3.0 document with the OAuth 2.0 authorization-code security scheme and the 1EdTech
 * `x-imssf-*` extensions, listing every endpoint this platform serves.
 */
export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.0.1',
    info: {
      title: 'Open Badges API',
      description: 'Coop Badges: the 1EdTech Open Badges 3.0 API for the holders of its badges.',
      version: '3.0',
      termsOfService: `${publicUrl}/mentions-legales`,
      'x-imssf-image': `${publicUrl}/static/brand/logo.svg`,
      'x-imssf-privacyPolicyUrl': `${publicUrl}/confidentialite`,
    },
    servers: [{ url: `${publicUrl}${API_BASE}`, description: 'Coop Badges' }],
    tags: [
      {
        name: 'OpenBadgeCredentials',
        description: 'Exchange OpenBadgeCredentials and Profile information.',
      },
      { name: 'Discovery' },
    ],
    paths: {
      '/credentials': {
        get: {
          tags: ['OpenBadgeCredentials'],
          summary: 'The OpenBadgeCredentials of the token’s holder (VC-JWT).',
          operationId: 'getCredentials',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 100 },
            },
            {
              name: 'offset',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 0 },
            },
            {
              name: 'since',
              in: 'query',
              required: false,
              schema: { type: 'string', format: 'date-time' },
            },
          ],
          responses: {
            '200': {
              description: 'The credentials, with X-Total-Count and Link paging headers.',
              headers: {
                'X-Total-Count': { schema: { type: 'integer' } },
                Link: { schema: { type: 'string' } },
              },
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/GetOpenBadgeCredentialsResponse' },
                },
              },
            },
            ...errors([400, 401, 403, 405, 500]),
          },
          security: security(OB_SCOPES.credentialReadonly),
          'x-operation-pvt': 'public',
        },
        post: {
          tags: ['OpenBadgeCredentials'],
          summary: 'Bring an OpenBadgeCredential from elsewhere (verified before it is kept).',
          operationId: 'upsertCredential',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/AchievementCredential' },
              },
              'text/plain': { schema: { $ref: '#/components/schemas/CompactJws' } },
            },
          },
          responses: {
            '200': { description: 'Already held: replaced by the same credential.' },
            '201': { description: 'Created.' },
            '304': { description: 'Not modified.' },
            ...errors([400, 401, 403, 405, 500]),
          },
          security: security(OB_SCOPES.credentialUpsert),
          'x-operation-pvt': 'public',
        },
      },
      '/profile': {
        get: {
          tags: ['OpenBadgeCredentials'],
          summary: 'The profile of the token’s holder.',
          operationId: 'getProfile',
          responses: {
            '200': {
              description: 'The Profile.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Profile' } } },
            },
            ...errors([400, 401, 403, 404, 405, 500]),
          },
          security: security(OB_SCOPES.profileReadonly),
          'x-operation-pvt': 'public',
        },
        put: {
          tags: ['OpenBadgeCredentials'],
          summary: 'Update the holder’s name (the only field they may change here).',
          operationId: 'putProfile',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Profile' } } },
          },
          responses: {
            '200': {
              description: 'The updated Profile.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Profile' } } },
            },
            '304': { description: 'Not modified.' },
            ...errors([400, 401, 403, 404, 405, 500]),
          },
          security: security(OB_SCOPES.profileUpdate),
          'x-operation-pvt': 'public',
        },
      },
      '/discovery': {
        get: {
          tags: ['Discovery'],
          summary: 'This document.',
          operationId: 'getServiceDescription',
          responses: {
            '200': {
              description: 'The OpenAPI document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            ...errors([404, 500]),
          },
          'x-operation-pvt': 'public',
        },
      },
    },
    components: {
      securitySchemes: {
        OAuth2ACG: {
          type: 'oauth2',
          description: 'OAuth 2.0 authorization code grant with PKCE (S256).',
          'x-imssf-registrationUrl': `${publicUrl}/oauth/register`,
          flows: {
            authorizationCode: {
              authorizationUrl: `${publicUrl}/oauth/authorize`,
              tokenUrl: `${publicUrl}/oauth/token`,
              refreshUrl: `${publicUrl}/oauth/token`,
              scopes: Object.fromEntries(ALL_SCOPES.map((s) => [s, SCOPE_DESCRIPTIONS[s] ?? s])),
            },
          },
        },
      },
      schemas: {
        GetOpenBadgeCredentialsResponse: {
          type: 'object',
          properties: {
            credential: {
              type: 'array',
              items: { $ref: '#/components/schemas/AchievementCredential' },
            },
            compactJwsString: { type: 'array', items: { $ref: '#/components/schemas/CompactJws' } },
          },
          additionalProperties: false,
        },
        AchievementCredential: { type: 'object', additionalProperties: true },
        CompactJws: {
          type: 'string',
          pattern: '^[a-zA-Z0-9_-]+\\.[a-zA-Z0-9_-]*\\.[a-zA-Z0-9_-]+$',
        },
        Profile: {
          type: 'object',
          required: ['id', 'type'],
          properties: {
            id: { type: 'string' },
            type: { type: 'array', items: { type: 'string' } },
            name: { type: 'string' },
            email: { type: 'string' },
          },
          additionalProperties: true,
        },
        Imsx_StatusInfo: {
          type: 'object',
          required: ['imsx_codeMajor', 'imsx_severity'],
          properties: {
            imsx_codeMajor: {
              type: 'string',
              enum: ['failure', 'processing', 'success', 'unsupported'],
            },
            imsx_severity: { type: 'string', enum: ['error', 'status', 'warning'] },
            imsx_description: { type: 'string' },
            imsx_codeMinor: { type: 'object' },
          },
        },
      },
    },
  };
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  [OB_SCOPES.credentialReadonly]:
    'Permission to read AchievementCredentials for the authenticated entity.',
  [OB_SCOPES.credentialUpsert]:
    'Permission to create or update AchievementCredentials for the authenticated entity.',
  [OB_SCOPES.profileReadonly]: 'Permission to read the profile for the authenticated entity.',
  [OB_SCOPES.profileUpdate]: 'Permission to update the profile for the authenticated entity.',
};
