/**
 * The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json). A test keeps
 * it in step with the route table: every route under /api/v1 is described here and every path
 * here is a route.
 */
export function openApiDocument(options: { publicUrl: string; maxUploadMb: number }) {
  const problem = { $ref: '#/components/responses/Problem' };
  const email = {
    type: 'string',
    format: 'email',
    maxLength: 254,
    description:
      'Optional: the address the badge should belong to, checked against the hashed recipient. Never stored or logged. Prefer POST: addresses in a URL end up in proxy logs.',
  };
  const textBody = {
    schema: {
      type: 'object',
      required: ['input'],
      properties: {
        input: {
          oneOf: [
            { type: 'string', maxLength: 1_000_000 },
            { type: 'object', description: 'The assertion or credential itself, as JSON.' },
          ],
          description:
            'A badge URL, assertion or credential JSON (as text or as an object), an OB 2.0 compact JWS or an OB 3.0 VC-JWT.',
        },
        email,
      },
      additionalProperties: false,
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Coop Badges — public verification API',
      version: '1.0.0',
      summary: 'Verify an Open Badges 2.0 or 3.0 badge, from this platform or any other.',
      description:
        'No account and no key. Answers `verified`, `warning` (valid signature but expired, issuer unknown to this platform, or a check that could not be completed) or `not_verified` (bad signature, revoked, tampered, unreadable, not a badge), with one plain sentence per step in the language asked for (`Accept-Language` or `?lang=fr|en`; the answer says which in `language` and `Content-Language`). Rate limited per client address (429 with `Retry-After`). Errors are `application/problem+json`. Results for other platforms’ badges may be served from a short cache (`cached: true`, `checkedAt` is the time of the check); this platform’s badges are always checked live.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: `${options.publicUrl}/api/v1` }],
    paths: {
      '/verify': {
        get: {
          operationId: 'verifyByUrl',
          summary: 'Verify the badge found at a URL',
          description:
            'The URL of an assertion, a credential (JSON or VC-JWT), a baked image or the public page of an award. Only http(s) addresses on the public internet are fetched.',
          parameters: [
            {
              name: 'url',
              in: 'query',
              required: true,
              schema: { type: 'string', format: 'uri', maxLength: 2048 },
            },
            { name: 'email', in: 'query', required: false, schema: email },
            { $ref: '#/components/parameters/Lang' },
          ],
          responses: {
            '200': { $ref: '#/components/responses/Result' },
            '422': problem,
            '429': problem,
          },
        },
        post: {
          operationId: 'verify',
          summary: 'Verify a pasted badge (URL, JSON, JWS, VC-JWT) or an uploaded baked image',
          parameters: [{ $ref: '#/components/parameters/Lang' }],
          requestBody: {
            required: true,
            content: {
              'application/json': textBody,
              'application/x-www-form-urlencoded': textBody,
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: {
                      type: 'string',
                      contentMediaType: 'application/octet-stream',
                      description: `A baked badge image, PNG or SVG (OB 2.0 or 3.0), at most ${options.maxUploadMb} MB. Recognised by its content, not its name or declared type. Not kept.`,
                    },
                    email,
                  },
                },
              },
            },
          },
          responses: {
            '200': { $ref: '#/components/responses/Result' },
            '400': problem,
            '413': problem,
            '415': problem,
            '422': problem,
            '429': problem,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'This document',
          responses: {
            '200': {
              description: 'The OpenAPI 3.1 description of this API.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      parameters: {
        Lang: {
          name: 'lang',
          in: 'query',
          required: false,
          description: 'Language of the sentences (else Accept-Language; French by default).',
          schema: { type: 'string', enum: ['fr', 'en'] },
        },
      },
      responses: {
        Result: {
          description: 'The verification result (a badge that fails verification is a result).',
          headers: {
            'Content-Language': { schema: { type: 'string', enum: ['fr', 'en'] } },
          },
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/VerificationResult' } },
          },
        },
        Problem: {
          description: 'Bad input, too large, unsupported type, or too many requests.',
          headers: {
            'Retry-After': {
              description: 'With 429: seconds to wait.',
              schema: { type: 'integer' },
            },
          },
          content: {
            'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
          },
        },
      },
      schemas: {
        VerificationResult: {
          type: 'object',
          required: ['verdict', 'steps', 'badge', 'checkedAt', 'language'],
          properties: {
            verdict: { type: 'string', enum: ['verified', 'warning', 'not_verified'] },
            steps: { type: 'array', items: { $ref: '#/components/schemas/Step' } },
            badge: { $ref: '#/components/schemas/BadgeSummary' },
            checkedAt: { type: 'string', format: 'date-time' },
            cached: { type: 'boolean' },
            language: { type: 'string', enum: ['fr', 'en'] },
            source: {
              type: 'object',
              properties: {
                way: { type: 'string', enum: ['url', 'text', 'file'] },
                container: {
                  type: 'string',
                  enum: ['png', 'svg', 'json', 'jws', 'html', 'unknown'],
                },
              },
            },
          },
        },
        Step: {
          type: 'object',
          required: ['id', 'ok', 'level', 'message', 'key'],
          properties: {
            id: {
              type: 'string',
              enum: [
                'format',
                'schema',
                'signature',
                'issuer',
                'status',
                'validity',
                'recipient',
                'endorsements',
              ],
            },
            ok: { type: 'boolean', description: 'The check passed.' },
            level: { type: 'string', enum: ['info', 'warning', 'error'] },
            message: { type: 'string', description: 'One plain sentence, in `language`.' },
            key: { type: 'string', description: 'Stable identifier of the sentence.' },
            params: { type: 'object', additionalProperties: true },
          },
        },
        BadgeSummary: {
          type: 'object',
          required: ['format'],
          properties: {
            format: {
              type: 'string',
              enum: [
                'ob2-hosted',
                'ob2-signed',
                'ob3-jwt',
                'ob3-data-integrity',
                'ob3-unsigned',
                'unknown',
              ],
            },
            id: { type: 'string' },
            name: { type: 'string' },
            description: { type: 'string' },
            image: { type: 'string' },
            criteria: {
              type: 'object',
              properties: { narrative: { type: 'string' }, url: { type: 'string' } },
            },
            alignments: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  targetName: { type: 'string' },
                  targetUrl: { type: 'string' },
                  targetDescription: { type: 'string' },
                  targetFramework: { type: 'string' },
                  targetCode: { type: 'string' },
                },
              },
            },
            tags: { type: 'array', items: { type: 'string' } },
            issuer: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                url: { type: 'string' },
                email: { type: 'string' },
              },
            },
            issuedOn: { type: 'string' },
            expires: { type: 'string' },
            revoked: { type: 'boolean' },
            revocationReason: { type: 'string' },
            revokedAt: { type: 'string', format: 'date-time' },
            evidence: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  url: { type: 'string' },
                  narrative: { type: 'string' },
                  name: { type: 'string' },
                },
              },
            },
            endorsements: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  issuerName: { type: 'string' },
                  issuerId: { type: 'string' },
                  comment: { type: 'string' },
                  issuedOn: { type: 'string' },
                },
              },
            },
            recipient: {
              type: 'object',
              properties: { hashed: { type: 'boolean' }, type: { type: 'string' } },
            },
          },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
            instance: { type: 'string' },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}
