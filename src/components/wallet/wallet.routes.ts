import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { WalletController } from './wallet.controller.js';

const pub = { kind: 'public' } as const;
/** Wallets are apps, not browsers: they carry no cookie, so there is no session to forge. */
const walletCall =
  'wallet protocol endpoint (OpenID4VCI / VC-API): cookie-less, authorised by the code, token or exchange URL it carries';

/**
 * "Ajouter à mon portefeuille": the recipient's pages, then the endpoints wallets call
 * (OpenID4VCI 1.0 pre-authorized code flow, VC-API exchange, the interaction URL).
 */
export function walletRoutes(c: WalletController, limits: RateLimits): RouteDef[] {
  const limit = limits.tokenLinks;
  return [
    {
      method: 'get',
      path: '/assertions/:assertionId/portefeuille',
      access: pub,
      db: true,
      example: '/assertions/assertion-a/portefeuille',
      summary:
        'Add a badge to a wallet: the recipient creates a QR code (or asks for an emailed link)',
      handlers: [c.start],
    },
    {
      method: 'post',
      path: '/assertions/:assertionId/portefeuille',
      access: { kind: 'signedIn' },
      db: true,
      example: '/assertions/assertion-a/portefeuille',
      summary: 'The signed-in recipient creates a short-lived, single-use wallet offer (QR code)',
      handlers: [...limit, c.create],
    },
    {
      method: 'post',
      path: '/assertions/:assertionId/portefeuille/lien',
      access: pub,
      db: true,
      example: '/assertions/assertion-a/portefeuille/lien',
      summary: 'Email a one-time wallet link to the address the badge was issued to',
      handlers: [...limit, c.sendLink],
    },
    {
      method: 'get',
      path: '/portefeuille/lien/:token',
      access: pub,
      db: true,
      example: '/portefeuille/lien/jeton-invalide',
      summary: 'One-time wallet link from an email: confirm to create the QR code',
      handlers: [...limit, c.link],
    },
    {
      method: 'post',
      path: '/portefeuille/lien/:token',
      access: pub,
      db: true,
      example: '/portefeuille/lien/jeton-invalide',
      summary: 'Spend the one-time wallet link and show the QR code',
      handlers: [...limit, c.useLink],
    },
    {
      method: 'get',
      path: '/portefeuille/:assertionId/:token',
      access: pub,
      db: true,
      example: '/portefeuille/assertion-a/jeton-invalide',
      summary: 'Interaction URL (the QR code): JSON protocols (vcapi, OID4VCI) or a page',
      handlers: [...limit, c.interaction],
    },
    {
      method: 'get',
      path: '/.well-known/openid-credential-issuer',
      access: pub,
      api: true,
      cors: true,
      summary: 'OpenID4VCI credential issuer metadata',
      handlers: [c.issuerMetadata],
    },
    {
      method: 'get',
      path: '/.well-known/oauth-authorization-server',
      access: pub,
      api: true,
      cors: true,
      summary: 'OAuth authorization server metadata (pre-authorized code grant for wallets)',
      handlers: [c.authorizationServerMetadata],
    },
    {
      method: 'get',
      path: '/api/portefeuille/openapi.json',
      access: pub,
      api: true,
      cors: true,
      summary: 'OpenAPI 3.1 description of the wallet endpoints',
      handlers: [c.openApi],
    },
    {
      method: 'get',
      path: '/api/portefeuille/:assertionId/offre/:token',
      access: pub,
      api: true,
      db: true,
      example: '/api/portefeuille/assertion-a/offre/jeton-invalide',
      summary: 'OpenID4VCI credential offer, by reference (credential_offer_uri)',
      handlers: [...limit, c.credentialOffer],
    },
    {
      method: 'post',
      path: '/api/portefeuille/oid4vci/token',
      access: pub,
      api: true,
      cors: true,
      db: true,
      csrfExempt: walletCall,
      summary: 'OAuth token endpoint: pre-authorized code (+ tx_code) → access token',
      handlers: [...limit, c.token],
    },
    {
      method: 'post',
      path: '/api/portefeuille/oid4vci/nonce',
      access: pub,
      api: true,
      cors: true,
      db: true,
      csrfExempt: walletCall,
      summary: 'OpenID4VCI nonce endpoint: a fresh c_nonce',
      handlers: [...limit, c.nonce],
    },
    {
      method: 'post',
      path: '/api/portefeuille/oid4vci/credential',
      access: pub,
      api: true,
      cors: true,
      db: true,
      csrfExempt: walletCall,
      summary: 'OpenID4VCI credential endpoint: Bearer token + jwt proof → ldp_vc or jwt_vc_json',
      handlers: [...limit, c.credential],
    },
    {
      method: 'post',
      path: '/api/portefeuille/:assertionId/echange/:token',
      access: pub,
      api: true,
      db: true,
      csrfExempt: walletCall,
      example: '/api/portefeuille/assertion-a/echange/jeton-invalide',
      summary: 'VC-API exchange: {} → DIDAuthentication request; signed presentation → the badge',
      handlers: [...limit, c.exchange],
    },
  ];
}
