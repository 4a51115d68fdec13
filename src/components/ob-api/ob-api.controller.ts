import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import { AppError, NotFoundError } from '../../libraries/errors/app-error.js';
import { param, str } from '../../libraries/http/params.js';
import type { AuthUser } from '../accounts/accounts.context.js';
import { flash } from '../accounts/accounts.middleware.js';
import { ImportRefusedError } from '../imports/imports.use-case.js';
import {
  AuthorizeRedirectError,
  AuthorizeRequestError,
  OAuthError,
  type AuthorizeRequest,
  type OAuthUseCases,
} from './oauth.use-case.js';
import type { ObApiUseCases } from './ob-api.use-case.js';
import { openApiDocument } from './ob-api.openapi.js';
import { API_BASE, TOKENS_PATH } from './ob-api.paths.js';
import { OB_SCOPES, scopeLabelKey, type ObScope } from './ob-api.scopes.js';

const MAX_LIMIT = 100;

type Minor =
  | 'unauthorizedrequest'
  | 'forbidden'
  | 'invalid_data'
  | 'invalid_query_parameter'
  | 'internal_server_error'
  | 'unknown'
  | 'server_busy';

/** An API error as the spec's Imsx_StatusInfo (§ 6.1, "Error responses"). */
export class ImsxError extends Error {
  constructor(
    readonly status: number,
    readonly minor: Minor,
    readonly description: string,
  ) {
    super(description);
    this.name = 'ImsxError';
  }
}

export function imsxStatus(minor: Minor, description: string) {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: description,
    imsx_codeMinor: {
      imsx_codeMinorField: [
        { imsx_codeMinorFieldName: 'Coop Badges', imsx_codeMinorFieldValue: minor },
      ],
    },
  };
}

interface ApiCaller {
  userId: string;
  scopes: string[];
  grantId: string;
}

/** Basic credentials of a client (RFC 6749 § 2.3.1: form-encoded id and secret). */
function basicAuth(req: Request): { id: string; secret: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(text.slice(0, i).replace(/\+/g, ' ')),
      secret: decodeURIComponent(text.slice(i + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export function obApiController(deps: {
  oauth: OAuthUseCases;
  api: ObApiUseCases;
  publicUrl: string;
  /** Wallet deliveries may join the tokens page later: each source lists its entries. */
  otherAccess?: (userId: string) => Promise<{ name: string; detail: string }[]>;
}) {
  const { oauth, api } = deps;
  const t = (res: Response) => res.locals.t as TFunction;

  /** API handler: bearer token with `scope`, errors as Imsx_StatusInfo. */
  const withToken =
    (
      scope: ObScope,
      handler: (caller: ApiCaller, req: Request, res: Response) => Promise<void>,
    ): RequestHandler =>
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      try {
        const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '');
        const caller = m ? await oauth.authenticate(m[1]!) : undefined;
        if (!caller) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="ob-v3p0", error="invalid_token"');
          throw new ImsxError(
            401,
            'unauthorizedrequest',
            'Missing, expired or withdrawn access token.',
          );
        }
        if (!caller.scopes.includes(scope)) {
          res.setHeader(
            'WWW-Authenticate',
            `Bearer realm="ob-v3p0", error="insufficient_scope", scope="${scope}"`,
          );
          throw new ImsxError(403, 'forbidden', `This token lacks the scope ${scope}.`);
        }
        await handler(caller, req, res);
      } catch (err) {
        const e =
          err instanceof ImsxError
            ? err
            : err instanceof ImportRefusedError
              ? new ImsxError(400, 'invalid_data', `The credential was refused: ${err.reason}.`)
              : err instanceof AppError && err.status < 500
                ? new ImsxError(err.status === 422 ? 400 : err.status, 'invalid_data', err.code)
                : undefined;
        if (!e) {
          (req as { log?: { error: (o: object, m: string) => void } }).log?.error(
            { err },
            'ob api failed',
          );
        }
        const out = e ?? new ImsxError(500, 'internal_server_error', 'Internal error.');
        res.status(out.status).json(imsxStatus(out.minor, out.description));
      }
    };

  /** Non-negative integer query parameter, or the default; anything else is a 400. */
  function intParam(req: Request, name: string, dflt: number, max: number): number {
    const raw = req.query[name];
    if (raw === undefined) return dflt;
    const s = str(raw);
    if (!/^\d{1,9}$/.test(s))
      throw new ImsxError(
        400,
        'invalid_query_parameter',
        `${name} must be a non-negative integer.`,
      );
    return Math.min(Number(s), max);
  }

  /** OAuth endpoints answer RFC 6749 JSON errors. */
  const oauthJson =
    (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      try {
        await handler(req, res);
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        if (err.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="oauth"');
        res.status(err.status).json({ error: err.error, error_description: err.description });
      }
    };

  function errorRedirect(err: AuthorizeRedirectError, res: Response) {
    const url = new URL(err.redirectUri);
    url.searchParams.set('error', err.error);
    url.searchParams.set('error_description', err.description);
    if (err.state) url.searchParams.set('state', err.state);
    res.redirect(303, url.toString());
  }

  /** The consent page may send its form's answer on to the client's redirect URI (CSP form-action). */
  function allowFormActionTo(res: Response, redirectUri: string) {
    const csp = res.getHeader('Content-Security-Policy');
    if (typeof csp !== 'string') return;
    const origin = new URL(redirectUri).origin;
    res.setHeader(
      'Content-Security-Policy',
      csp.replace("form-action 'self'", `form-action 'self' ${origin}`),
    );
  }

  function scopeItems(res: Response, scopes: readonly string[]) {
    return scopes.map((s) => ({ scope: s, label: t(res)(scopeLabelKey(s as ObScope)) }));
  }

  function renderConsent(res: Response, request: AuthorizeRequest) {
    allowFormActionTo(res, request.redirectUri);
    res.setHeader('Cache-Control', 'no-store');
    res.render('ob-api/consent', {
      pageTitle: t(res)('obApi.consent.title', { name: request.client.name }),
      client: request.client,
      clientHost: new URL(request.client.uri).host,
      scopes: scopeItems(res, request.scopes),
      fields: {
        response_type: 'code',
        client_id: request.client._id,
        redirect_uri: request.redirectUri,
        scope: request.scopes.join(' '),
        state: request.state ?? '',
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
      },
    });
  }

  async function authorizeRequest(req: Request, res: Response, input: Record<string, unknown>) {
    try {
      return await oauth.checkAuthorizeRequest(input);
    } catch (err) {
      if (err instanceof AuthorizeRedirectError) {
        errorRedirect(err, res);
        return undefined;
      }
      if (err instanceof AuthorizeRequestError) {
        throw new AppError(400, 'oauth_request', {
          messageKey: `obApi.consent.invalid.${err.reason}`,
        });
      }
      throw err;
    }
  }

  return {
    discovery: ((_req, res) => {
      res.json(openApiDocument(deps.publicUrl));
    }) as RequestHandler,

    getCredentials: withToken(OB_SCOPES.credentialReadonly, async (caller, req, res) => {
      const limit = intParam(req, 'limit', 20, MAX_LIMIT) || 1;
      const offset = intParam(req, 'offset', 0, 1e9);
      const sinceRaw = str(req.query.since);
      const since = sinceRaw ? new Date(sinceRaw) : undefined;
      // ISO 8601 date-time with its time zone (the spec's DateTimeZ).
      if (
        since &&
        (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(sinceRaw) || isNaN(since.getTime()))
      ) {
        throw new ImsxError(400, 'invalid_query_parameter', 'since must be an ISO 8601 date-time.');
      }
      const { total, jws } = await api.credentials(caller.userId, limit, offset, since);
      res.setHeader('X-Total-Count', String(total));
      const base = `${deps.publicUrl}${API_BASE}/credentials`;
      const sinceParam = since ? `&since=${encodeURIComponent(sinceRaw)}` : '';
      const link = (rel: string, off: number) =>
        `<${base}?limit=${limit}&offset=${off}${sinceParam}>; rel="${rel}"`;
      const links = [link('first', 0)];
      if (offset + limit < total) links.push(link('next', offset + limit));
      if (offset > 0) links.push(link('prev', Math.max(0, offset - limit)));
      links.push(link('last', total === 0 ? 0 : Math.floor((total - 1) / limit) * limit));
      res.setHeader('Link', links.join(', '));
      res.json(jws.length ? { compactJwsString: jws } : {});
    }),

    upsertCredential: withToken(OB_SCOPES.credentialUpsert, async (caller, req, res) => {
      const b = req.body as unknown;
      let input: { json: unknown } | { jws: string };
      if (req.is('text/plain') && typeof b === 'string') input = { jws: b.trim() };
      else if (b && typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length > 0)
        input = { json: b };
      else
        throw new ImsxError(
          400,
          'invalid_data',
          'Send an OpenBadgeCredential (application/json) or a compact JWS (text/plain).',
        );
      const { created } = await api.upsert(caller.userId, input);
      res.status(created ? 201 : 200);
      if ('jws' in input) res.type('text/plain').send(input.jws);
      else res.json(input.json);
    }),

    getProfile: withToken(OB_SCOPES.profileReadonly, async (caller, _req, res) => {
      const profile = await api.profile(caller.userId);
      if (!profile) throw new ImsxError(404, 'unknown', 'No such profile.');
      res.json(profile);
    }),

    putProfile: withToken(OB_SCOPES.profileUpdate, async (caller, req, res) => {
      const b = (req.body ?? {}) as Record<string, unknown>;
      const name = typeof b.name === 'string' ? b.name.trim() : '';
      if (
        !name ||
        name.length > 120 ||
        !(Array.isArray(b.type) ? b.type.includes('Profile') : b.type === 'Profile')
      ) {
        throw new ImsxError(
          400,
          'invalid_data',
          'A Profile with type "Profile" and a name (120 characters at most).',
        );
      }
      const profile = await api.updateProfile(caller.userId, name, req.ip);
      if (!profile) throw new ImsxError(404, 'unknown', 'No such profile.');
      res.json(profile);
    }),

    register: oauthJson(async (req, res) => {
      res.status(201).json(await oauth.register(body(req), req.ip));
    }),

    token: oauthJson(async (req, res) => {
      res.json(await oauth.token(body(req), basicAuth(req), req.ip));
    }),

    revoke: oauthJson(async (req, res) => {
      await oauth.revokeToken(body(req), basicAuth(req), req.ip);
      res.status(200).end();
    }),

    consent: (async (req, res) => {
      const request = await authorizeRequest(req, res, req.query as Record<string, unknown>);
      if (request) renderConsent(res, request);
    }) as RequestHandler,

    decide: (async (req, res) => {
      const request = await authorizeRequest(req, res, body(req));
      if (!request) return;
      const user = req.user as AuthUser;
      if (str(body(req).decision) !== 'accept') {
        return errorRedirect(
          new AuthorizeRedirectError(
            'access_denied',
            'The person refused.',
            request.redirectUri,
            request.state,
          ),
          res,
        );
      }
      const code = await oauth.approve(request, { id: user.id, email: user.email }, req.ip);
      const url = new URL(request.redirectUri);
      url.searchParams.set('code', code);
      if (request.state) url.searchParams.set('state', request.state);
      res.redirect(303, url.toString());
    }) as RequestHandler,

    tokensPage: (async (req, res) => {
      const user = req.user as AuthUser;
      const lang = res.locals.lang as string;
      const date = (d: Date | undefined) =>
        d
          ? new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', {
              dateStyle: 'long',
              timeStyle: 'short',
              timeZone: 'Europe/Paris',
            }).format(d)
          : undefined;
      const grants = (await oauth.grantsOf(user.id)).map(({ grant, client }) => ({
        id: grant._id,
        name: client?.name ?? grant.clientId,
        site: client?.uri,
        siteHost: client ? new URL(client.uri).host : undefined,
        scopes: scopeItems(res, grant.scopes),
        grantedOn: date(grant.createdAt),
        lastUsed: date(grant.lastUsedAt),
      }));
      res.setHeader('Cache-Control', 'no-store');
      res.render('ob-api/tokens', {
        pageTitle: t(res)('tokens.title'),
        grants,
        others: (await deps.otherAccess?.(user.id)) ?? [],
      });
    }) as RequestHandler,

    revokeGrant: (async (req, res) => {
      const user = req.user as AuthUser;
      const grantId = param(req, 'grantId');
      const grant = (await oauth.grantsOf(user.id)).find((g) => g.grant._id === grantId);
      if (
        !grant ||
        !(await oauth.revokeByUser({ id: user.id, email: user.email }, grantId, req.ip))
      ) {
        throw new NotFoundError();
      }
      flash(req, {
        kind: 'ok',
        key: 'tokens.revoked',
        params: { name: grant.client?.name ?? grantId },
      });
      res.redirect(303, TOKENS_PATH);
    }) as RequestHandler,
  };
}
export type ObApiController = ReturnType<typeof obApiController>;
