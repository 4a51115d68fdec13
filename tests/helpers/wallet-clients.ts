/**
 * Two wallets written from the specifications, not from our code:
 * - an OpenID4VCI 1.0 wallet (pre-authorized code flow: credential offer by reference, issuer
 *   and authorization-server metadata, token with tx_code, nonce endpoint, `jwt` key proof with
 *   its own Ed25519 did:jwk or did:key, credential endpoint);
 * - a VC-API exchange client as the Learner Credential Wallet does it (interaction URL →
 *   protocols.vcapi → POST {} → DIDAuthentication request → signed presentation → credential).
 * They talk HTTP to the app through supertest: our PUBLIC_URL's origin maps to the app.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { Ed25519Signature2020 } from '@digitalcredentials/ed25519-signature-2020';
import { Ed25519VerificationKey2020 } from '@digitalcredentials/ed25519-verification-key-2020';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Ed25519KeyPair } from '@digitalbazaar/ed25519-multikey';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import jsigs from 'jsonld-signatures';
import request, { type Response } from 'supertest';
import type { CoopApp } from '../../src/app/app.js';
import { createDocumentLoader } from '../../src/core/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The app answers every URL of its PUBLIC_URL origin. */
function http(app: CoopApp, origin: string) {
  const path = (url: string) => {
    const u = new URL(url);
    if (u.origin !== origin) throw new Error(`the wallet would leave the test: ${url}`);
    return `${u.pathname}${u.search}`;
  };
  return {
    get: (url: string, accept = 'application/json') =>
      request(app).get(path(url)).set('Accept', accept),
    postForm: (url: string, form: Record<string, string>) =>
      request(app).post(path(url)).type('form').send(form),
    postJson: (url: string, body: unknown, headers: Record<string, string> = {}) =>
      request(app)
        .post(path(url))
        .set(headers)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body)),
  };
}

export interface WalletKey {
  did: string;
  /** The DID URL a proof names in `kid`. */
  kid: string;
  privateKey: Parameters<SignJWT['sign']>[0];
}

/** An Ed25519 key as did:jwk (the DID is the base64url JSON of the public JWK, key `#0`). */
export async function didJwkKey(): Promise<WalletKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const did = `did:jwk:${Buffer.from(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x })).toString('base64url')}`;
  return { did, kid: `${did}#0`, privateKey };
}

/** An Ed25519 key as did:key (multicodec ed25519-pub, base58btc), with its Multikey pair. */
export async function didKeyKey(): Promise<WalletKey & { keyPair: Ed25519KeyPair }> {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = (await exportJWK(privateKey)) as Record<string, string>;
  const bare = await Ed25519Multikey.fromJwk({ jwk, secretKey: true });
  const did = `did:key:${bare.publicKeyMultibase}`;
  const kid = `${did}#${bare.publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.fromJwk({ jwk, secretKey: true, id: kid, controller: did });
  return { did, kid, privateKey, keyPair };
}

export interface ReceivedCredentials {
  ldp: Json;
  jwt: string;
}

export class Oid4vciWallet {
  readonly http: ReturnType<typeof http>;
  constructor(
    app: CoopApp,
    readonly origin: string,
    readonly key: WalletKey,
    /** The wallet's clock (tests move the app's clock; the wallet lives in the same world). */
    readonly now: () => Date = () => new Date(),
  ) {
    this.http = http(app, origin);
  }

  /** §4.1: `openid-credential-offer://?credential_offer_uri=…` → the offer object. */
  async resolveOffer(link: string): Promise<Json> {
    const u = new URL(link);
    if (u.protocol !== 'openid-credential-offer:') throw new Error(`not an offer: ${link}`);
    const byValue = u.searchParams.get('credential_offer');
    if (byValue) return JSON.parse(byValue) as Json;
    const uri = u.searchParams.get('credential_offer_uri');
    if (!uri) throw new Error('offer without credential_offer_uri');
    const res = await this.http.get(uri);
    if (res.status !== 200) throw new Error(`offer fetch: ${res.status}`);
    return res.body as Json;
  }

  /** §12.2.2 and RFC 8414: metadata at the well-known locations of the issuer identifier. */
  async metadata(credentialIssuer: string): Promise<{ issuer: Json; as: Json }> {
    const issuer = (await this.http.get(`${credentialIssuer}/.well-known/openid-credential-issuer`))
      .body as Json;
    if (issuer.credential_issuer !== credentialIssuer) throw new Error('issuer mismatch');
    const asId = (issuer.authorization_servers as string[] | undefined)?.[0] ?? credentialIssuer;
    const as = (await this.http.get(`${asId}/.well-known/oauth-authorization-server`)).body as Json;
    return { issuer, as };
  }

  /** §6.1: token request with the pre-authorized code (and tx_code when the offer asks). */
  token(as: Json, code: string, txCode?: string): Promise<Response> {
    return this.http.postForm(String(as.token_endpoint), {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      ...(txCode !== undefined ? { tx_code: txCode } : {}),
    });
  }

  /** §7: a fresh c_nonce. */
  async nonce(issuer: Json): Promise<string> {
    const res = await this.http.postJson(String(issuer.nonce_endpoint), {});
    return String(res.body.c_nonce);
  }

  /** Appendix F.1: `openid4vci-proof+jwt` naming our key by DID URL, bound to aud and nonce. */
  proof(
    audience: string,
    nonce: string,
    options: { key?: WalletKey; signWith?: WalletKey; iat?: number } = {},
  ): Promise<string> {
    const named = options.key ?? this.key;
    const signer = options.signWith ?? named;
    return new SignJWT({ nonce })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: named.kid })
      .setAudience(audience)
      .setIssuedAt(options.iat ?? Math.floor(this.now().getTime() / 1000))
      .sign(signer.privateKey);
  }

  /** §8: credential request for one configuration with one jwt proof. */
  credential(issuer: Json, accessToken: string, configurationId: string, proofJwt: string) {
    return this.http.postJson(
      String(issuer.credential_endpoint),
      { credential_configuration_id: configurationId, proofs: { jwt: [proofJwt] } },
      { Authorization: `Bearer ${accessToken}` },
    );
  }

  /** The whole flow: offer → metadata → token → nonce → proof → both formats. */
  async receiveBoth(offerLink: string, txCode?: string): Promise<ReceivedCredentials> {
    const offer = await this.resolveOffer(offerLink);
    const { issuer, as } = await this.metadata(String(offer.credential_issuer));
    const grant = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as Json;
    if (grant.tx_code && txCode === undefined) throw new Error('this offer asks for a tx_code');
    const token = await this.token(as, String(grant['pre-authorized_code']), txCode);
    if (token.status !== 200) throw new Error(`token: ${token.status} ${token.text}`);
    const received: Partial<ReceivedCredentials> = {};
    for (const id of offer.credential_configuration_ids as string[]) {
      const config = issuer.credential_configurations_supported[id] as Json;
      const proof = await this.proof(String(issuer.credential_issuer), await this.nonce(issuer));
      const res = await this.credential(issuer, String(token.body.access_token), id, proof);
      if (res.status !== 200) throw new Error(`credential ${id}: ${res.status} ${res.text}`);
      const credential = res.body.credentials[0].credential;
      if (config.format === 'ldp_vc') received.ldp = credential as Json;
      if (config.format === 'jwt_vc_json') received.jwt = credential as string;
    }
    if (!received.ldp || !received.jwt) throw new Error('both formats were not offered');
    return received as ReceivedCredentials;
  }
}

/**
 * A did:key as the Learner Credential Wallet holds it: an Ed25519VerificationKey2020, which
 * signs its DIDAuth presentations with the Ed25519Signature2020 suite.
 */
export async function lcwKey() {
  const key = await Ed25519VerificationKey2020.generate();
  const did = `did:key:${key.fingerprint()}`;
  key.controller = did;
  key.id = `${did}#${key.fingerprint()}`;
  return { did, kid: key.id, key };
}
export type LcwKey = Awaited<ReturnType<typeof lcwKey>>;
export type EddsaKey = Awaited<ReturnType<typeof didKeyKey>>;

/** A VC-API exchange client doing DIDAuth with its own Ed25519 did:key (as LCW does). */
export class VcApiClient {
  readonly http: ReturnType<typeof http>;
  constructor(
    app: CoopApp,
    origin: string,
    readonly key: LcwKey | EddsaKey,
  ) {
    this.http = http(app, origin);
  }

  /** The interaction URL asked for JSON: `{protocols: {vcapi, OID4VCI}}`. */
  async protocols(interactionUrl: string): Promise<Json> {
    const res = await this.http.get(interactionUrl, 'application/json');
    if (res.status !== 200) throw new Error(`interaction: ${res.status}`);
    return res.body.protocols as Json;
  }

  start(exchangeUrl: string): Promise<Response> {
    return this.http.postJson(exchangeUrl, {});
  }

  /**
   * A presentation signed for authentication, bound to `challenge` and `domain`: with
   * Ed25519Signature2020 and the VC 1.1 context as LCW does, or with eddsa-rdfc-2022.
   */
  async signedPresentation(challenge: string, domain: string, signer = this.key): Promise<Json> {
    const purpose = new jsigs.purposes.AuthenticationProofPurpose({ challenge, domain });
    if ('keyPair' in signer) {
      const methodDoc = {
        '@context': 'https://w3id.org/security/multikey/v1',
        id: signer.kid,
        type: 'Multikey',
        controller: signer.did,
        publicKeyMultibase: signer.keyPair.publicKeyMultibase,
      };
      return jsigs.sign(
        {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
          holder: this.key.did,
        },
        {
          suite: new DataIntegrityProof({
            signer: signer.keyPair.signer(),
            cryptosuite: eddsaRdfc2022,
          }),
          purpose,
          documentLoader: createDocumentLoader(new Map([[signer.kid, methodDoc]])),
        },
      );
    }
    const methodDoc = {
      '@context': 'https://w3id.org/security/suites/ed25519-2020/v1',
      id: signer.kid,
      type: 'Ed25519VerificationKey2020',
      controller: signer.did,
      publicKeyMultibase: signer.key.publicKeyMultibase,
    };
    return jsigs.sign(
      {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        holder: this.key.did,
      },
      {
        suite: new Ed25519Signature2020({ key: signer.key }),
        purpose,
        documentLoader: createDocumentLoader(new Map([[signer.kid, methodDoc]])),
      },
    );
  }

  send(exchangeUrl: string, presentation: unknown): Promise<Response> {
    return this.http.postJson(exchangeUrl, { verifiablePresentation: presentation });
  }
}
