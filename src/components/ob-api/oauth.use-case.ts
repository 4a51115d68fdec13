import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newToken, tokenId } from '../accounts/one-time-token.repository.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { OAuthClientDoc, OAuthGrantDoc } from './ob-api.model.js';
import type { ObApiRepository } from './ob-api.repository.js';
import { ALL_SCOPES, parseScopes, type ObScope } from './ob-api.scopes.js';

/**
 * OAuth 2.0 for the Open Badges 3.0 API (spec § 6.2 "Authorization"): dynamic client
 * registration (RFC 7591), authorization code with PKCE S256 only (RFC 7636), rotated refresh
 * tokens with reuse detection (OAuth 2.0 Security BCP § 4.14), revocation (RFC 7009).
 *
 * Written here rather than with @node-oauth/oauth2-server: that library has no refresh-token
 * reuse detection (revoking the grant), no RFC 7591 registration and no RFC 7009 revocation,
 * and its atomicity rests on the model, which on FerretDB must be insert-only guards anyway
 * (see `spend`). What it would have saved is small; what it leaves out is the security part.
 */

export const CODE_TTL_MS = 5 * 60_000;
export const ACCESS_TTL_S = 3600;
export const REFRESH_TTL_MS = 90 * 24 * 3600_000;

/** An OAuth error answered as `{error, error_description}` (RFC 6749 § 5.2, RFC 7591 § 3.2.2). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** A malformed authorization request we must not redirect (unknown client, unregistered redirect). */
export class AuthorizeRequestError extends Error {
  constructor(readonly reason: 'client' | 'redirect' | 'request') {
    super(reason);
    this.name = 'AuthorizeRequestError';
  }
}

/** An authorization request error that goes back to the client's redirect URI. */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(description);
    this.name = 'AuthorizeRedirectError';
  }
}

// The same token shape and hash as the accounts' one-time links (32 random bytes; SHA-256 hex).
const sha256 = tokenId;
const secret = newToken;
const newId = (): string => randomBytes(12).toString('base64url');

/** Constant-time comparison of two hex hashes. */
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * A redirect URI we accept: https, or http on a loopback address only (RFC 8252 § 7.3), no
 * fragment, no credentials.
 */
export function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.hash || value.includes('#')) return 'has a fragment';
  if (url.username || url.password) return 'has credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host))
      return undefined;
    return 'http only on loopback';
  }
  return 'https only';
}

function httpUrl(value: unknown): string | undefined {
  const s = str(value).trim();
  if (!s || s.length > 2048) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export interface AuthorizeRequest {
  client: OAuthClientDoc;
  redirectUri: string;
  scopes: ObScope[];
  state?: string | undefined;
  codeChallenge: string;
}

export interface Grantee {
  id: string;
  email: string;
}

export function oauthUseCases(deps: { repo: ObApiRepository; audit: Audit; clock: () => Date }) {
  const { repo, audit, clock } = deps;

  async function issueTokens(grant: Pick<OAuthGrantDoc, '_id' | 'clientId' | 'userId' | 'scopes'>) {
    const now = clock();
    const access = secret();
    const refresh = secret();
    const base = {
      grantId: grant._id,
      clientId: grant.clientId,
      userId: grant.userId,
      scopes: grant.scopes,
      createdAt: now,
    };
    await repo.insertTokens([
      {
        _id: sha256(access),
        kind: 'access',
        expiresAt: new Date(now.getTime() + ACCESS_TTL_S * 1000),
        ...base,
      },
      {
        _id: sha256(refresh),
        kind: 'refresh',
        expiresAt: new Date(now.getTime() + REFRESH_TTL_MS),
        ...base,
      },
    ]);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: ACCESS_TTL_S,
      refresh_token: refresh,
      scope: grant.scopes.join(' '),
    };
  }

  async function revoke(
    grantId: string,
    because: string,
    actor: { id: string; email?: string } | null,
    ip: string | undefined,
  ) {
    const grant = await repo.findGrant(grantId);
    if (!grant || grant.revokedAt) return;
    await repo.revokeGrant(grantId, clock(), because);
    await audit.record({
      action: 'apiAccess.revoked',
      actor: actor ?? { id: grant.userId },
      target: { type: 'oauthGrant', id: grantId },
      ip,
      details: { client: grant.clientId, because },
    });
  }

  /** The client named by HTTP Basic or client_secret_post, its secret checked in constant time. */
  /** The client by HTTP Basic credentials, else by `client_id`/`client_secret` in the body. */
  async function authenticateClient(
    body: Record<string, unknown>,
    basic: { id: string; secret: string } | undefined,
  ): Promise<OAuthClientDoc> {
    const id = basic?.id ?? str(body.client_id);
    const presented = basic?.secret ?? str(body.client_secret);
    const client = id ? await repo.findClient(id) : null;
    // Hash anyway, so that an unknown client costs the same as a wrong secret.
    const hash = sha256(presented);
    if (!client || !presented || !sameHash(hash, client.secretHash)) {
      throw new OAuthError('invalid_client', 'Client authentication failed.', 401);
    }
    return client;
  }

  return {
    /** RFC 7591 registration: the client metadata the OB 3.0 spec lists (§ 6.2.2). */
    async register(body: Record<string, unknown>, ip: string | undefined) {
      const name = str(body.client_name).trim();
      const uri = httpUrl(body.client_uri);
      // One URI as a plain string is read as a list of one (form-encoded registrations).
      const redirects = Array.isArray(body.redirect_uris)
        ? body.redirect_uris
        : typeof body.redirect_uris === 'string'
          ? [body.redirect_uris]
          : [];
      if (!name || name.length > 200)
        throw new OAuthError(
          'invalid_client_metadata',
          'client_name is required (200 characters at most).',
        );
      if (!uri)
        throw new OAuthError('invalid_client_metadata', 'client_uri must be an http(s) URL.');
      if (
        redirects.length === 0 ||
        redirects.length > 10 ||
        !redirects.every((r) => typeof r === 'string')
      ) {
        throw new OAuthError('invalid_redirect_uri', 'redirect_uris must list 1 to 10 URLs.');
      }
      for (const r of redirects as string[]) {
        const problem = redirectUriProblem(r);
        if (problem) throw new OAuthError('invalid_redirect_uri', `${r}: ${problem}.`);
      }
      const requested =
        body.scope === undefined
          ? { scopes: [...ALL_SCOPES], unknown: [] }
          : parseScopes(body.scope);
      if (requested.unknown.length || requested.scopes.length === 0) {
        throw new OAuthError(
          'invalid_client_metadata',
          'scope must list Open Badges 3.0 scopes only.',
        );
      }
      const optional = (k: string) => {
        if (body[k] === undefined) return undefined;
        const u = httpUrl(body[k]);
        if (!u) throw new OAuthError('invalid_client_metadata', `${k} must be an http(s) URL.`);
        return u;
      };
      const clientSecret = secret();
      const doc: OAuthClientDoc = {
        _id: newId(),
        secretHash: sha256(clientSecret),
        name,
        uri,
        redirectUris: redirects as string[],
        scopes: requested.scopes,
        createdAt: clock(),
      };
      const logo = optional('logo_uri');
      const tos = optional('tos_uri');
      const policy = optional('policy_uri');
      if (logo) doc.logoUri = logo;
      if (tos) doc.tosUri = tos;
      if (policy) doc.policyUri = policy;
      if (typeof body.software_id === 'string') doc.softwareId = body.software_id.slice(0, 200);
      if (typeof body.software_version === 'string')
        doc.softwareVersion = body.software_version.slice(0, 100);
      await repo.insertClient(doc);
      await audit.record({
        action: 'apiClient.registered',
        target: { type: 'oauthClient', id: doc._id },
        ip,
        details: { name, uri },
      });
      return {
        client_id: doc._id,
        client_secret: clientSecret,
        client_id_issued_at: Math.floor(doc.createdAt.getTime() / 1000),
        client_secret_expires_at: 0,
        client_name: doc.name,
        client_uri: doc.uri,
        ...(doc.logoUri ? { logo_uri: doc.logoUri } : {}),
        ...(doc.tosUri ? { tos_uri: doc.tosUri } : {}),
        ...(doc.policyUri ? { policy_uri: doc.policyUri } : {}),
        ...(doc.softwareId ? { software_id: doc.softwareId } : {}),
        ...(doc.softwareVersion ? { software_version: doc.softwareVersion } : {}),
        redirect_uris: doc.redirectUris,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: doc.scopes.join(' '),
      };
    },

    /**
     * Checks an authorization request (GET for the consent page, POST again on its answer).
     * Unknown client or unregistered redirect URI: AuthorizeRequestError (shown, never
     * redirected). Anything else wrong: AuthorizeRedirectError (back to the client).
     */
    async checkAuthorizeRequest(q: Record<string, unknown>): Promise<AuthorizeRequest> {
      const client = str(q.client_id) ? await repo.findClient(str(q.client_id)) : null;
      if (!client) throw new AuthorizeRequestError('client');
      const redirectUri = str(q.redirect_uri);
      // Exact string comparison (RFC 6749 § 3.1.2.3, OAuth 2.0 Security BCP § 4.1.3).
      if (!client.redirectUris.includes(redirectUri)) throw new AuthorizeRequestError('redirect');
      const state = str(q.state) || undefined;
      const fail = (error: string, description: string) =>
        new AuthorizeRedirectError(error, description, redirectUri, state);
      if (str(q.response_type) !== 'code')
        throw fail('unsupported_response_type', 'Only response_type=code.');
      const challenge = str(q.code_challenge);
      if (!challenge) throw fail('invalid_request', 'PKCE is required: code_challenge.');
      if (str(q.code_challenge_method) !== 'S256') {
        throw fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
      }
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge))
        throw fail('invalid_request', 'Malformed code_challenge.');
      const { scopes } = parseScopes(q.scope);
      const allowed = scopes.filter((s) => client.scopes.includes(s));
      if (allowed.length === 0)
        throw fail('invalid_scope', 'No Open Badges 3.0 scope this client registered.');
      return { client, redirectUri, scopes: allowed, state, codeChallenge: challenge };
    },

    /** The person accepted: a grant and its one-time code. */
    async approve(
      request: AuthorizeRequest,
      user: Grantee,
      ip: string | undefined,
    ): Promise<string> {
      const now = clock();
      const grant: OAuthGrantDoc = {
        _id: newId(),
        clientId: request.client._id,
        userId: user.id,
        scopes: request.scopes,
        createdAt: now,
      };
      await repo.insertGrant(grant);
      const code = secret();
      await repo.insertCode({
        _id: sha256(code),
        clientId: grant.clientId,
        userId: user.id,
        grantId: grant._id,
        redirectUri: request.redirectUri,
        scopes: grant.scopes,
        codeChallenge: request.codeChallenge,
        expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      });
      await audit.record({
        action: 'apiAccess.granted',
        actor: user,
        target: { type: 'oauthGrant', id: grant._id },
        ip,
        details: {
          client: request.client._id,
          clientName: request.client.name,
          scope: grant.scopes.join(' '),
        },
      });
      return code;
    },

    /** The token endpoint: authorization_code (with PKCE) or refresh_token. */
    async token(
      body: Record<string, unknown>,
      basic: { id: string; secret: string } | undefined,
      ip: string | undefined,
    ) {
      const client = await authenticateClient(body, basic);
      const grantType = str(body.grant_type);
      const now = clock();
      if (grantType === 'authorization_code') {
        const code = str(body.code);
        const hash = sha256(code);
        const record = code ? await repo.findCode(hash) : null;
        if (!record || record.clientId !== client._id)
          throw new OAuthError('invalid_grant', 'Unknown authorization code.');
        if (!(await repo.spend(hash, record.grantId, now))) {
          // A code used twice was stolen or replayed: what it gave is withdrawn (RFC 6749 § 4.1.2).
          await revoke(record.grantId, 'code_replay', null, ip);
          throw new OAuthError('invalid_grant', 'Authorization code already used.');
        }
        if (record.expiresAt.getTime() <= now.getTime())
          throw new OAuthError('invalid_grant', 'Authorization code expired.');
        if (str(body.redirect_uri) !== record.redirectUri)
          throw new OAuthError('invalid_grant', 'redirect_uri does not match.');
        const verifier = str(body.code_verifier);
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
          throw new OAuthError('invalid_grant', 'Malformed code_verifier.');
        const computed = createHash('sha256').update(verifier).digest('base64url');
        const a = Buffer.from(computed);
        const b = Buffer.from(record.codeChallenge);
        if (a.length !== b.length || !timingSafeEqual(a, b))
          throw new OAuthError('invalid_grant', 'PKCE verification failed.');
        const grant = await repo.findGrant(record.grantId);
        if (!grant || grant.revokedAt)
          throw new OAuthError('invalid_grant', 'Authorization withdrawn.');
        return issueTokens(grant);
      }
      if (grantType === 'refresh_token') {
        const presented = str(body.refresh_token);
        const hash = sha256(presented);
        const token = presented ? await repo.findToken(hash) : null;
        if (!token) {
          // Rotated already: whoever holds the old one is not the client (or it was leaked).
          const spent = presented ? await repo.findSpent(hash) : null;
          if (spent) await revoke(spent.grantId, 'refresh_reuse', null, ip);
          throw new OAuthError('invalid_grant', 'Unknown refresh token.');
        }
        if (token.kind !== 'refresh' || token.clientId !== client._id)
          throw new OAuthError('invalid_grant', 'Unknown refresh token.');
        if (!(await repo.spend(hash, token.grantId, now))) {
          await revoke(token.grantId, 'refresh_reuse', null, ip);
          throw new OAuthError('invalid_grant', 'Refresh token already used.');
        }
        await repo.deleteToken(hash);
        const grant = await repo.findGrant(token.grantId);
        if (!grant || grant.revokedAt || token.expiresAt.getTime() <= now.getTime()) {
          throw new OAuthError('invalid_grant', 'Refresh token expired or withdrawn.');
        }
        const { scopes } = parseScopes(body.scope);
        // A narrower scope may be asked for, never a wider one (RFC 6749 § 6).
        const narrowed =
          body.scope === undefined ? grant.scopes : scopes.filter((s) => grant.scopes.includes(s));
        if (narrowed.length === 0) throw new OAuthError('invalid_scope', 'Scope not granted.');
        return issueTokens({ ...grant, scopes: narrowed });
      }
      throw new OAuthError('unsupported_grant_type', 'authorization_code or refresh_token only.');
    },

    /** RFC 7009: the client withdraws a token; the whole grant goes with it. Unknown: no error. */
    async revokeToken(
      body: Record<string, unknown>,
      basic: { id: string; secret: string } | undefined,
      ip: string | undefined,
    ) {
      const client = await authenticateClient(body, basic);
      const presented = str(body.token);
      const token = presented ? await repo.findToken(sha256(presented)) : null;
      if (token && token.clientId === client._id) await revoke(token.grantId, 'client', null, ip);
    },

    /** The bearer token of an API call: its grant, when both are live. */
    async authenticate(bearer: string) {
      const token = bearer ? await repo.findToken(sha256(bearer)) : null;
      const now = clock();
      if (!token || token.kind !== 'access' || token.expiresAt.getTime() <= now.getTime())
        return undefined;
      const grant = await repo.findGrant(token.grantId);
      if (!grant || grant.revokedAt) return undefined;
      // "Last used" on the tokens page: once a minute is precise enough.
      if (!grant.lastUsedAt || now.getTime() - grant.lastUsedAt.getTime() > 60_000) {
        await repo.touchGrant(grant._id, now);
      }
      return { userId: token.userId, scopes: token.scopes, grantId: grant._id };
    },

    /** Housekeeping: expired codes and tokens go; a used refresh token is remembered while it could still be replayed. */
    purgeExpired(): Promise<number> {
      const now = clock();
      return repo.purge(now, new Date(now.getTime() - REFRESH_TTL_MS));
    },

    /** The applications holding access for this person (the tokens page). */
    async grantsOf(userId: string) {
      const grants = await repo.liveGrantsOf(userId);
      const clients = new Map(
        (await repo.findClients([...new Set(grants.map((g) => g.clientId))])).map((c) => [
          c._id,
          c,
        ]),
      );
      return grants.map((g) => ({ grant: g, client: clients.get(g.clientId) }));
    },

    /** The person withdraws an application's access (tokens page). */
    async revokeByUser(user: Grantee, grantId: string, ip: string | undefined): Promise<boolean> {
      const grant = await repo.findGrant(grantId);
      if (!grant || grant.userId !== user.id || grant.revokedAt) return false;
      await revoke(grantId, 'user', user, ip);
      return true;
    },
  };
}
export type OAuthUseCases = ReturnType<typeof oauthUseCases>;
