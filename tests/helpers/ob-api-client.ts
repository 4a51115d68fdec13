import { createHash, randomBytes } from 'node:crypto';

/**
 * An Open Badges 3.0 API client written from the specification (§ 6, "Open Badges API"), not
 * from our code: discovery, dynamic client registration (RFC 7591), authorization code with
 * PKCE S256 (RFC 7636), client_secret_basic at the token endpoint, refresh, the resource calls.
 */
export const SCOPES = {
  credentialReadonly: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly',
  credentialUpsert: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert',
  profileReadonly: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly',
  profileUpdate: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update',
} as const;
export const ALL = Object.values(SCOPES).join(' ');

export interface Registration {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export class ObApiClient {
  /** From the discovery document's security scheme. */
  endpoints?: {
    registrationUrl: string;
    authorizationUrl: string;
    tokenUrl: string;
    server: string;
  };
  registration?: Registration;

  constructor(readonly base: string) {}

  async discover(): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.base}/ims/ob/v3p0/discovery`);
    const doc = (await res.json()) as {
      servers: { url: string }[];
      components: { securitySchemes: Record<string, Record<string, unknown>> };
    };
    const scheme = Object.values(doc.components.securitySchemes).find((s) => s.type === 'oauth2')!;
    const flow = (scheme.flows as Record<string, Record<string, string>>).authorizationCode!;
    this.endpoints = {
      registrationUrl: scheme['x-imssf-registrationUrl'] as string,
      authorizationUrl: flow.authorizationUrl!,
      tokenUrl: flow.tokenUrl!,
      server: doc.servers[0]!.url,
    };
    return doc;
  }

  async register(redirectUri: string, extra: Record<string, unknown> = {}): Promise<Response> {
    const res = await fetch(this.endpoints!.registrationUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        client_name: 'Passeport de badges (test)',
        client_uri: 'https://passeport.example.org/',
        logo_uri: 'https://passeport.example.org/logo.png',
        tos_uri: 'https://passeport.example.org/cgu',
        policy_uri: 'https://passeport.example.org/confidentialite',
        software_id: 'c0ffee00-0000-4000-8000-000000000001',
        software_version: '1.0',
        redirect_uris: [redirectUri],
        scope: ALL,
        ...extra,
      }),
    });
    if (res.status === 201) this.registration = (await res.clone().json()) as Registration;
    return res;
  }

  authorizeUrl(p: {
    challenge: string;
    state: string;
    scope?: string;
    method?: string;
    redirectUri?: string;
  }): string {
    const url = new URL(this.endpoints!.authorizationUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.registration!.client_id,
      redirect_uri: p.redirectUri ?? this.registration!.redirect_uris[0]!,
      scope: p.scope ?? ALL,
      state: p.state,
      code_challenge: p.challenge,
      code_challenge_method: p.method ?? 'S256',
    }).toString();
    return url.toString();
  }

  private basic(): string {
    const r = this.registration!;
    const enc = (s: string) => encodeURIComponent(s);
    return `Basic ${Buffer.from(`${enc(r.client_id)}:${enc(r.client_secret)}`).toString('base64')}`;
  }

  tokenRequest(fields: Record<string, string>): Promise<Response> {
    return fetch(this.endpoints!.tokenUrl, {
      method: 'POST',
      headers: {
        Authorization: this.basic(),
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams(fields).toString(),
    });
  }

  exchange(code: string, verifier: string, redirectUri?: string): Promise<Response> {
    return this.tokenRequest({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri ?? this.registration!.redirect_uris[0]!,
    });
  }

  refresh(refreshToken: string): Promise<Response> {
    return this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  call(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<Response> {
    return fetch(`${this.endpoints!.server}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': type }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }
}
