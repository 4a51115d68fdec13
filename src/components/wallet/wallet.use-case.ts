import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { newToken, tokenId } from '../accounts/one-time-token.repository.js';
import {
  CONFIGURATION_IDS,
  KeyProofError,
  PRE_AUTHORIZED_GRANT,
  buildCredentialOffer,
  credentialOfferLink,
  didAuthRequest,
  interactionProtocols,
  isConfigurationId,
  lcwDeepLink,
  normaliseEmail,
  verifyDidAuthPresentation,
  verifyKeyProof,
  type ConfigurationId,
} from '../../core/index.js';
import { AppError, GoneError, NotFoundError } from '../../libraries/errors/app-error.js';
import type { Language } from '../../libraries/i18n/i18n.js';
import { translator } from '../../libraries/i18n/i18n.js';
import type { Logger } from '../../libraries/logger/logger.js';
import { sendTemplatedEmail } from '../../libraries/mail/render-email.js';
import type { Mailer } from '../../libraries/mail/mailer.js';
import type { Audit } from '../audit/audit.use-case.js';
import type { AwardDoc } from '../awards/award.model.js';
import type { AwardsRepository } from '../awards/awards.repository.js';
import type { PublicUrls } from '../awards/public-urls.js';
import type { WalletOfferDoc } from './wallet.model.js';
import type { WalletRepository } from './wallet.repository.js';

/** How long things live. An offer is shown on a screen: minutes, not hours. */
export const WALLET_TTL = {
  offerMs: 10 * 60_000,
  tokenMs: 5 * 60_000,
  /** Shorter than a token: a wallet asks for a nonce right before each proof. */
  nonceMs: 2 * 60_000,
  linkMs: 60 * 60_000,
  /** At most one emailed link per award in such a window. */
  linkEmailEveryMs: 10 * 60_000,
  /** Key proofs older than this are refused even with a fresh nonce. */
  proofMaxAgeSeconds: 300,
} as const;
const TX_CODE_LENGTH = 6;
const TX_CODE_MAX_FAILURES = 5;

/**
 * An OAuth / OpenID4VCI / VC-API protocol error: the controller answers it as
 * `{error, error_description}` with its status (never a page, never a stack).
 */
export class WalletProtocolError extends AppError {
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(status, error);
  }
}
const fail = (status: number, error: string, description: string) =>
  new WalletProtocolError(status, error, description);

// The same token shape and hash as the accounts' one-time links (32 random bytes; SHA-256 hex).
const sha256 = tokenId;
const secret = newToken;
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `<id>.<secret>` → its parts; the id is the record's key, the secret is only stored hashed. */
function splitToken(token: string): { id: string; secret: string } | undefined {
  const m = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{16,64})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export interface CreatedOffer {
  awardId: string;
  /** The interaction URL (the QR code): answers both VC-API and OpenID4VCI wallets. */
  interactionUrl: string;
  offerLink: string;
  lcwLink: string;
  expiresAt: Date;
  txCodeSent: boolean;
}

export interface WalletDeps {
  clock: () => Date;
  logger: Logger;
  mailer: Mailer;
  audit: Audit;
  urls: PublicUrls;
  repo: WalletRepository;
  awards: AwardsRepository;
  /** The award's credential for a wallet, signed now (awards component). */
  signForWallet(
    awardId: string,
    holderDid: string | undefined,
  ): Promise<{ credential: Record<string, unknown>; jwt: string }>;
}

export function walletUseCases(deps: WalletDeps) {
  const { clock, repo, urls } = deps;
  const issuerId = urls.origin;
  const domain = new URL(urls.origin).host;
  const paths = {
    offer: (awardId: string, token: string) =>
      `${urls.origin}/api/portefeuille/${encodeURIComponent(awardId)}/offre/${token}`,
    exchange: (awardId: string, token: string) =>
      `${urls.origin}/api/portefeuille/${encodeURIComponent(awardId)}/echange/${token}`,
    // `iuv=1` marks an interaction URL (VC-API / VCALM): wallets then ask it for JSON.
    interaction: (awardId: string, token: string) =>
      `${urls.origin}/portefeuille/${encodeURIComponent(awardId)}/${token}?iuv=1`,
    link: (token: string) => `${urls.origin}/portefeuille/lien/${token}`,
  };

  async function liveAward(awardId: string): Promise<AwardDoc> {
    const [award, revocation] = await Promise.all([
      deps.awards.findById(awardId),
      deps.awards.findRevocation(awardId),
    ]);
    if (!award) throw new NotFoundError();
    if (revocation || award.revoked) throw new GoneError();
    return award;
  }

  /** The offer behind a token in a URL of `awardId`; null when unknown, wrong or expired. */
  async function offerOf(
    awardId: string | undefined,
    token: string,
  ): Promise<WalletOfferDoc | null> {
    const parts = splitToken(token);
    if (!parts) return null;
    const offer = await repo.findOffer(parts.id);
    if (!offer || !sameHash(offer.secretHash, sha256(parts.secret))) return null;
    // A token is bound to its award: another award's URL never opens it.
    if (awardId !== undefined && offer.awardId !== awardId) return null;
    if (offer.expiresAt.getTime() <= clock().getTime()) return null;
    return offer;
  }

  function isRecipient(award: AwardDoc, user: { id: string; email?: string | undefined }) {
    return (
      award.recipientUserId === user.id ||
      (user.email !== undefined &&
        normaliseEmail(award.recipient.email) === normaliseEmail(user.email))
    );
  }

  async function createOffer(input: {
    award: AwardDoc;
    via: 'session' | 'email';
    userId?: string | undefined;
    actor?: { id: string; email?: string | undefined } | undefined;
    withCode: boolean;
    ip: string;
  }): Promise<CreatedOffer> {
    const now = clock();
    const id = randomBytes(16).toString('base64url');
    const s = secret();
    const token = `${id}.${s}`;
    const txCode = input.withCode
      ? String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0')
      : undefined;
    const expiresAt = new Date(now.getTime() + WALLET_TTL.offerMs);
    await repo.insertOffer({
      _id: id,
      awardId: input.award._id,
      issuerId: input.award.issuerId,
      secretHash: sha256(s),
      ...(input.userId ? { userId: input.userId } : {}),
      via: input.via,
      createdAt: now,
      expiresAt,
      ...(txCode ? { txCodeHash: sha256(`${id}:${txCode}`) } : {}),
      txFailures: 0,
      challenge: randomBytes(16).toString('base64url'),
    });
    let txCodeSent = false;
    if (txCode) {
      txCodeSent = await sendTemplatedEmail(deps, {
        to: input.award.recipient.email,
        lang: input.award.lang,
        template: 'wallet-code',
        data: { code: txCode, minutes: WALLET_TTL.offerMs / 60_000, siteUrl: urls.origin },
      });
    }
    await deps.audit.record({
      action: 'wallet.offered',
      actor: input.actor ? { id: input.actor.id, email: input.actor.email } : null,
      target: { type: 'award', id: input.award._id },
      issuerId: input.award.issuerId,
      ip: input.ip,
      details: { via: input.via, txCode: Boolean(txCode) },
    });
    const offerLink = credentialOfferLink(paths.offer(input.award._id, token));
    const exchangeUrl = paths.exchange(input.award._id, token);
    return {
      awardId: input.award._id,
      interactionUrl: paths.interaction(input.award._id, token),
      offerLink,
      lcwLink: lcwDeepLink({ origin: urls.origin, exchangeUrl }),
      expiresAt,
      txCodeSent,
    };
  }

  async function deliver(
    offer: WalletOfferDoc,
    holderDid: string | undefined,
    format: 'ldp_vc' | 'jwt_vc_json',
    protocol: 'OID4VCI' | 'vcapi',
  ): Promise<unknown> {
    const revocation = await deps.awards.findRevocation(offer.awardId);
    if (revocation) throw fail(400, 'credential_request_denied', 'this badge was revoked');
    const signed = await deps.signForWallet(offer.awardId, holderDid);
    await deps.audit.record({
      action: 'wallet.delivered',
      actor: null,
      target: { type: 'award', id: offer.awardId },
      issuerId: offer.issuerId,
      ip: null,
      details: { format, protocol, holder: holderDid ?? null },
    });
    return format === 'ldp_vc' ? signed.credential : signed.jwt;
  }

  return {
    WALLET_TTL,
    isRecipient,

    /** What the "Ajouter à mon portefeuille" page needs; 404 / 410 for a missing or revoked award. */
    async startPage(awardId: string, user?: { id: string; email?: string | undefined }) {
      const award = await liveAward(awardId);
      return { award, recipient: user ? isRecipient(award, user) : false };
    },

    /** The signed-in recipient asks for an offer (anyone else: 404, the award is not theirs). */
    async offerForRecipient(input: {
      awardId: string;
      user: { id: string; email?: string | undefined; isAdmin?: boolean };
      withCode: boolean;
      ip: string;
    }): Promise<CreatedOffer> {
      const award = await liveAward(input.awardId);
      if (!isRecipient(award, input.user)) throw new NotFoundError();
      return createOffer({
        award,
        via: 'session',
        userId: input.user.id,
        actor: input.user,
        withCode: input.withCode,
        ip: input.ip,
      });
    },

    /**
     * Sends a one-time link to the address the badge was issued to. The answer never says
     * whether anything was sent: the asker may not be the recipient.
     */
    async sendLink(input: { awardId: string }): Promise<void> {
      const award = await liveAward(input.awardId);
      const now = clock();
      // Anyone may press the button: at most one email per award every 10 minutes, so the
      // recipient's mailbox cannot be flooded (an insert-only guard per time window).
      const window = Math.floor(now.getTime() / WALLET_TTL.linkEmailEveryMs);
      const windowEnds = new Date((window + 1) * WALLET_TTL.linkEmailEveryMs);
      if (!(await repo.useOnce(`linkmail:${award._id}:${window}`, now, windowEnds))) return;
      const id = randomBytes(16).toString('base64url');
      const s = secret();
      await repo.insertLink({
        _id: id,
        awardId: award._id,
        secretHash: sha256(s),
        createdAt: now,
        expiresAt: new Date(now.getTime() + WALLET_TTL.linkMs),
      });
      await sendTemplatedEmail(deps, {
        to: award.recipient.email,
        lang: award.lang,
        template: 'wallet-link',
        data: {
          url: paths.link(`${id}.${s}`),
          minutes: WALLET_TTL.linkMs / 60_000,
          siteUrl: urls.origin,
        },
      });
    },

    /** The award of a one-time link that is still valid and unused; null otherwise. */
    async linkAward(token: string): Promise<AwardDoc | null> {
      const parts = splitToken(token);
      if (!parts) return null;
      const link = await repo.findLink(parts.id);
      if (!link || !sameHash(link.secretHash, sha256(parts.secret))) return null;
      if (link.expiresAt.getTime() <= clock().getTime()) return null;
      if (await repo.wasUsed(`link:${link._id}`)) return null;
      return deps.awards.findById(link.awardId);
    },

    /** Spends a one-time link and creates the offer it opens; null when already used or invalid. */
    async offerFromLink(input: {
      token: string;
      withCode: boolean;
      ip: string;
    }): Promise<CreatedOffer | null> {
      const parts = splitToken(input.token);
      if (!parts) return null;
      const link = await repo.findLink(parts.id);
      if (!link || !sameHash(link.secretHash, sha256(parts.secret))) return null;
      if (link.expiresAt.getTime() <= clock().getTime()) return null;
      if (!(await repo.useOnce(`link:${link._id}`, clock(), link.expiresAt))) return null;
      const award = await liveAward(link.awardId);
      return createOffer({ award, via: 'email', withCode: input.withCode, ip: input.ip });
    },

    /** OpenID4VCI credential offer, fetched by reference (credential_offer_uri). */
    async credentialOffer(awardId: string, token: string, lang: Language) {
      const offer = await offerOf(awardId, token);
      if (!offer) throw new NotFoundError();
      return buildCredentialOffer({
        credentialIssuer: issuerId,
        preAuthorizedCode: token,
        txCode: offer.txCodeHash
          ? {
              length: TX_CODE_LENGTH,
              description: String(translator(lang)('wallet.txCode.description')),
            }
          : undefined,
      });
    },

    /** The interaction URL's JSON: both protocols of one offer. */
    async interaction(awardId: string, token: string) {
      const offer = await offerOf(awardId, token);
      if (!offer) return null;
      const offerLink = credentialOfferLink(paths.offer(awardId, token));
      const exchangeUrl = paths.exchange(awardId, token);
      return {
        offer,
        json: interactionProtocols({ exchangeUrl, offerLink }),
        offerLink,
        lcwLink: lcwDeepLink({ origin: urls.origin, exchangeUrl }),
      };
    },

    /** OAuth token endpoint, pre-authorized code grant (OpenID4VCI 1.0 §6). */
    async token(body: Record<string, unknown>) {
      if (body.grant_type !== PRE_AUTHORIZED_GRANT) {
        throw fail(
          400,
          'unsupported_grant_type',
          'only the pre-authorized code grant is supported',
        );
      }
      const code = body['pre-authorized_code'];
      if (typeof code !== 'string' || code === '') {
        throw fail(400, 'invalid_request', 'pre-authorized_code is required');
      }
      const offer = await offerOf(undefined, code);
      if (!offer) throw fail(400, 'invalid_grant', 'unknown or expired pre-authorized code');
      if (offer.txCodeHash) {
        const txCode = body.tx_code;
        if (typeof txCode !== 'string' || txCode === '') {
          throw fail(400, 'invalid_request', 'tx_code is required for this offer');
        }
        if (offer.txFailures >= TX_CODE_MAX_FAILURES) {
          throw fail(400, 'invalid_grant', 'too many wrong transaction codes');
        }
        if (!sameHash(offer.txCodeHash, sha256(`${offer._id}:${txCode}`))) {
          await repo.countTxFailure(offer._id);
          throw fail(400, 'invalid_grant', 'wrong transaction code');
        }
      }
      if (!(await repo.useOnce(`redeem:${offer._id}`, clock(), offer.expiresAt))) {
        throw fail(400, 'invalid_grant', 'this pre-authorized code was already used');
      }
      const s = secret();
      const expiresAt = new Date(clock().getTime() + WALLET_TTL.tokenMs);
      await repo.setToken(offer._id, sha256(s), expiresAt);
      return {
        access_token: `${offer._id}.${s}`,
        token_type: 'Bearer',
        expires_in: WALLET_TTL.tokenMs / 1000,
      };
    },

    /** Nonce endpoint: a fresh c_nonce, each one good for one proof. */
    async nonce() {
      const cNonce = randomBytes(18).toString('base64url');
      await repo.insertNonce(cNonce, new Date(clock().getTime() + WALLET_TTL.nonceMs));
      return { c_nonce: cNonce };
    },

    /** Credential endpoint (OpenID4VCI 1.0 §8): one credential per request, `jwt` proofs. */
    async credential(authorization: string | undefined, body: Record<string, unknown>) {
      const m = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
      const parts = m ? splitToken(m[1]!) : undefined;
      const offer = parts ? await repo.findOffer(parts.id) : null;
      const now = clock();
      if (
        !parts ||
        !offer?.tokenHash ||
        !sameHash(offer.tokenHash, sha256(parts.secret)) ||
        !offer.tokenExpiresAt ||
        offer.tokenExpiresAt.getTime() <= now.getTime()
      ) {
        throw fail(401, 'invalid_token', 'unknown or expired access token');
      }
      const configuration = body.credential_configuration_id;
      if (!isConfigurationId(configuration)) {
        throw fail(
          400,
          'unknown_credential_configuration',
          'credential_configuration_id is not one of ours',
        );
      }
      const jwt = proofJwtOf(body);
      let proof;
      try {
        proof = await verifyKeyProof(jwt, {
          audience: issuerId,
          now,
          maxAgeSeconds: WALLET_TTL.proofMaxAgeSeconds,
        });
      } catch (error) {
        if (error instanceof KeyProofError) throw fail(400, 'invalid_proof', error.message);
        throw error;
      }
      const nonce = await repo.findNonce(proof.nonce);
      if (
        !nonce ||
        nonce.expiresAt.getTime() <= now.getTime() ||
        !(await repo.useOnce(`nonce:${proof.nonce}`, now, nonce.expiresAt))
      ) {
        throw fail(400, 'invalid_nonce', 'the c_nonce is unknown, expired or already used');
      }
      const credential = await deliver(offer, proof.holderDid, formatOf(configuration), 'OID4VCI');
      return { credentials: [{ credential }] };
    },

    /**
     * VC-API exchange: `{}` → a DIDAuthentication request; the wallet's signed presentation →
     * the credential (inside an unsigned presentation, as VC-API issuance exchanges answer).
     */
    async exchange(awardId: string, token: string, body: Record<string, unknown>) {
      const offer = await offerOf(awardId, token);
      if (!offer) throw fail(404, 'not_found', 'unknown or expired exchange');
      if (await repo.wasUsed(`redeem:${offer._id}`)) {
        throw fail(410, 'exchange_complete', 'this exchange was already used');
      }
      const presentation = body.verifiablePresentation;
      if (presentation === undefined) {
        return didAuthRequest({
          challenge: offer.challenge,
          domain,
          interactUrl: paths.exchange(awardId, token),
        });
      }
      const outcome = await verifyDidAuthPresentation(presentation, {
        challenge: offer.challenge,
        domain,
      });
      if (!outcome.ok) throw fail(400, 'invalid_presentation', outcome.detail);
      if (!(await repo.useOnce(`redeem:${offer._id}`, clock(), offer.expiresAt))) {
        throw fail(410, 'exchange_complete', 'this exchange was already used');
      }
      const credential = await deliver(offer, outcome.holderDid, 'ldp_vc', 'vcapi');
      return {
        verifiablePresentation: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiablePresentation'],
          verifiableCredential: [credential],
        },
      };
    },

    purgeExpired: () => repo.purgeExpired(clock()),
  };
}
export type WalletUseCases = ReturnType<typeof walletUseCases>;

function formatOf(id: ConfigurationId): 'ldp_vc' | 'jwt_vc_json' {
  return id === CONFIGURATION_IDS.ldp ? 'ldp_vc' : 'jwt_vc_json';
}

/** One `jwt` proof, from `proofs` (1.0) or the older single `proof` object. */
function proofJwtOf(body: Record<string, unknown>): string {
  const proofs = body.proofs as { jwt?: unknown } | undefined;
  if (proofs && typeof proofs === 'object') {
    const list = proofs.jwt;
    if (Array.isArray(list) && list.length === 1 && typeof list[0] === 'string') return list[0];
    throw fail(400, 'invalid_proof', 'proofs.jwt must hold exactly one JWT');
  }
  const proof = body.proof as { proof_type?: unknown; jwt?: unknown } | undefined;
  if (proof && proof.proof_type === 'jwt' && typeof proof.jwt === 'string') return proof.jwt;
  throw fail(400, 'invalid_proof', 'a jwt proof of possession is required');
}
