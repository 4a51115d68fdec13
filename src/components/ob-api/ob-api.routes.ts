import express from 'express';
import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { ObApiController } from './ob-api.controller.js';
import { API_BASE, TOKENS_PATH } from './ob-api.paths.js';

const publicAccess = { kind: 'public' } as const;
const signedIn = { kind: 'signedIn' } as const;
const bearer =
  'OB 3.0 API: authority is the bearer token in the Authorization header, never a cookie';
const oauthClient =
  'OAuth endpoint for applications: authenticated by client credentials or nothing (registration), never a cookie';

/**
 * The 1EdTech Open Badges 3.0 API (/ims/ob/v3p0), its OAuth 2.0 endpoints (/oauth), the consent
 * page and the page of the applications holding access. API routes are public in the table:
 * the bearer token is checked by the controller, whose errors are Imsx_StatusInfo.
 */
export function obApiRoutes(c: ObApiController, limits: RateLimits): RouteDef[] {
  const text = express.text({ type: 'text/plain', limit: '1mb' });
  return [
    {
      method: 'get',
      path: `${API_BASE}/discovery`,
      access: publicAccess,
      api: true,
      cors: true,
      summary: 'OB 3.0 API: the OpenAPI service description (OAuth 2.0 authorization code)',
      handlers: [c.discovery],
    },
    {
      method: 'get',
      path: `${API_BASE}/credentials`,
      access: publicAccess,
      api: true,
      db: true,
      summary: 'OB 3.0 API: the holder’s credentials (paging: limit, offset; X-Total-Count, Link)',
      handlers: [c.getCredentials],
    },
    {
      method: 'post',
      path: `${API_BASE}/credentials`,
      access: publicAccess,
      api: true,
      db: true,
      csrfExempt: bearer,
      parse: [...limits.verify, text],
      summary: 'OB 3.0 API: bring a credential from elsewhere (verified as an import)',
      handlers: [c.upsertCredential],
    },
    {
      method: 'get',
      path: `${API_BASE}/profile`,
      access: publicAccess,
      api: true,
      db: true,
      summary: 'OB 3.0 API: the holder’s profile',
      handlers: [c.getProfile],
    },
    {
      method: 'put',
      path: `${API_BASE}/profile`,
      access: publicAccess,
      api: true,
      db: true,
      csrfExempt: bearer,
      summary: 'OB 3.0 API: change the holder’s name',
      handlers: [c.putProfile],
    },
    {
      method: 'post',
      path: '/oauth/register',
      access: publicAccess,
      api: true,
      db: true,
      csrfExempt: oauthClient,
      summary: 'OAuth 2.0 dynamic client registration (RFC 7591)',
      handlers: [...limits.oauth, c.register],
    },
    {
      method: 'post',
      path: '/oauth/token',
      access: publicAccess,
      api: true,
      db: true,
      csrfExempt: oauthClient,
      summary: 'OAuth 2.0 token endpoint: authorization code (PKCE S256) or refresh token',
      handlers: [...limits.oauth, c.token],
    },
    {
      method: 'post',
      path: '/oauth/revoke',
      access: publicAccess,
      api: true,
      db: true,
      csrfExempt: oauthClient,
      summary: 'OAuth 2.0 token revocation (RFC 7009): the whole grant is withdrawn',
      handlers: [...limits.oauth, c.revoke],
    },
    {
      method: 'get',
      path: '/oauth/authorize',
      access: signedIn,
      db: true,
      // Client `client-a` of the route × role matrix (tests/integration/app/route-matrix.test.ts).
      example:
        '/oauth/authorize?response_type=code&client_id=client-a&redirect_uri=https%3A%2F%2Fappli.example.org%2Fretour&scope=https%3A%2F%2Fpurl.imsglobal.org%2Fspec%2Fob%2Fv3p0%2Fscope%2Fprofile.readonly&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=x',
      summary: 'Consent page: an application asks to access my badges and profile',
      handlers: [c.consent],
    },
    {
      method: 'post',
      path: '/oauth/authorize',
      access: signedIn,
      db: true,
      summary: 'Accept or refuse an application’s request (back to the application)',
      handlers: [c.decide],
    },
    {
      method: 'get',
      path: TOKENS_PATH,
      access: signedIn,
      db: true,
      summary: 'Applications and wallets holding access to my badges; withdraw any',
      handlers: [c.tokensPage],
    },
    {
      method: 'post',
      path: `${TOKENS_PATH}/:grantId/retirer`,
      access: signedIn,
      db: true,
      example: `${TOKENS_PATH}/acces-inconnu/retirer`,
      summary: 'Withdraw one application’s access (its tokens at once)',
      handlers: [c.revokeGrant],
    },
  ];
}
