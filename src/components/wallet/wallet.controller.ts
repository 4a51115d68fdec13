import { walletOpenApiDocument } from './wallet.openapi.js';
import type { Request, RequestHandler, Response } from 'express';
import type { TFunction } from 'i18next';
import {
  buildAuthorizationServerMetadata,
  buildIssuerMetadata,
  type LocalisedDisplay,
} from '../../core/index.js';
import { param, str } from '../../libraries/http/params.js';
import { translator } from '../../libraries/i18n/i18n.js';
import { formatDate } from '../../libraries/i18n/format-date.js';
import { qrSvg } from '../awards/sharing.use-case.js';
import type { PublicUrls } from '../awards/public-urls.js';
import { WalletProtocolError, type CreatedOffer, type WalletUseCases } from './wallet.use-case.js';

type Json = Record<string, unknown>;

/** Protocol answers are never cached (they carry codes, tokens and nonces). */
function noStore(res: Response): Response {
  res.setHeader('Cache-Control', 'no-store');
  return res;
}

/** Runs a protocol handler; its WalletProtocolError becomes `{error, error_description}`. */
function protocol(run: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return async (req, res, next) => {
    try {
      noStore(res).json(await run(req, res));
    } catch (error) {
      if (!(error instanceof WalletProtocolError)) return next(error);
      if (error.status === 401) {
        res.setHeader('WWW-Authenticate', `Bearer error="${error.error}"`);
      }
      noStore(res)
        .status(error.status)
        .json({ error: error.error, error_description: error.description });
    }
  };
}

const bodyOf = (req: Request): Json =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Json) : {};

/** "Ajouter à mon portefeuille": pages for the recipient, and the wallets' protocol endpoints. */
export function walletController(deps: { wallet: WalletUseCases; urls: PublicUrls }) {
  const { wallet, urls } = deps;
  const tOf = (res: Response) => res.locals.t as TFunction;
  const langOf = (res: Response) => (res.locals.lang === 'en' ? 'en' : 'fr');
  const user = (req: Request) =>
    req.user as { id: string; email?: string; isAdmin?: boolean } | undefined;
  const startPath = (awardId: string) => `${urls.assertion(awardId)}/portefeuille`;

  async function renderOffer(res: Response, offer: CreatedOffer) {
    const t = tOf(res);
    const minutes = wallet.WALLET_TTL.offerMs / 60_000;
    res.setHeader('Cache-Control', 'no-store');
    res.render('wallet/offer', {
      pageTitle: t('wallet.offer.pageTitle'),
      qr: await qrSvg(offer.interactionUrl),
      oid4vciQr: await qrSvg(offer.offerLink),
      offer,
      expiresAt: formatDate(offer.expiresAt, langOf(res), 'time'),
      minutes,
      awardUrl: urls.assertion(offer.awardId),
    });
  }

  const issuerMetadata = (lang: 'fr' | 'en'): LocalisedDisplay[] => {
    const t = translator(lang);
    return [
      { locale: lang === 'fr' ? 'fr-FR' : 'en-US', name: String(t('wallet.metadata.issuer')) },
    ];
  };
  const credentialDisplay = (lang: 'fr' | 'en'): LocalisedDisplay[] => {
    const t = translator(lang);
    return [
      {
        locale: lang === 'fr' ? 'fr-FR' : 'en-US',
        name: String(t('wallet.metadata.credential')),
        description: String(t('wallet.metadata.credentialDescription')),
      },
    ];
  };

  return {
    /** The page behind "Ajouter à mon portefeuille" (award page, sharing options). */
    start: (async (req, res) => {
      const awardId = param(req, 'assertionId');
      const { award, recipient } = await wallet.startPage(awardId, user(req));
      const t = tOf(res);
      res.setHeader('Cache-Control', 'no-store');
      res.render('wallet/start', {
        pageTitle: t('wallet.start.pageTitle'),
        awardUrl: urls.assertion(award._id),
        action: startPath(award._id),
        linkAction: `${startPath(award._id)}/lien`,
        signIn: `/connexion?retour=${encodeURIComponent(startPath(award._id))}`,
        signedIn: Boolean(user(req)),
        recipient,
      });
    }) as RequestHandler,

    create: (async (req, res) => {
      const u = user(req)!;
      const offer = await wallet.offerForRecipient({
        awardId: param(req, 'assertionId'),
        user: u,
        withCode: str(bodyOf(req).code) === 'oui',
        ip: req.ip ?? '',
      });
      await renderOffer(res, offer);
    }) as RequestHandler,

    sendLink: (async (req, res) => {
      const awardId = param(req, 'assertionId');
      await wallet.sendLink({ awardId });
      const t = tOf(res);
      res.render('wallet/link-sent', {
        pageTitle: t('wallet.linkSent.pageTitle'),
        awardUrl: urls.assertion(awardId),
      });
    }) as RequestHandler,

    link: (async (req, res) => {
      const token = param(req, 'token');
      const award = await wallet.linkAward(token);
      const t = tOf(res);
      res.setHeader('Cache-Control', 'no-store');
      if (!award) {
        res.status(410).render('wallet/link-invalid', { pageTitle: t('wallet.link.invalidTitle') });
        return;
      }
      res.render('wallet/link', {
        pageTitle: t('wallet.link.pageTitle'),
        action: `/portefeuille/lien/${token}`,
        awardUrl: urls.assertion(award._id),
      });
    }) as RequestHandler,

    useLink: (async (req, res) => {
      const offer = await wallet.offerFromLink({
        token: param(req, 'token'),
        withCode: str(bodyOf(req).code) === 'oui',
        ip: req.ip ?? '',
      });
      if (!offer) {
        const t = tOf(res);
        res.status(410).render('wallet/link-invalid', { pageTitle: t('wallet.link.invalidTitle') });
        return;
      }
      await renderOffer(res, offer);
    }) as RequestHandler,

    /** One URL for both kinds of wallets: JSON protocols when asked, a page for people. */
    interaction: (async (req, res) => {
      const found = await wallet.interaction(param(req, 'assertionId'), param(req, 'token'));
      res.setHeader('Cache-Control', 'no-store');
      res.vary('Accept');
      const wantsJson = req.accepts(['html', 'json']) === 'json';
      if (!found) {
        // Spent, expired or never made: a person who scanned it with the phone's camera is
        // told what to do; a wallet gets the same answer as JSON.
        const t = tOf(res);
        if (wantsJson) {
          res
            .status(410)
            .json({ error: 'expired', error_description: t('wallet.interaction.invalidBody') });
        } else {
          res.status(410).render('wallet/interaction-invalid', {
            pageTitle: t('wallet.interaction.invalidTitle'),
          });
        }
        return;
      }
      if (wantsJson) {
        res.json(found.json);
        return;
      }
      const t = tOf(res);
      res.render('wallet/interaction', {
        pageTitle: t('wallet.interaction.pageTitle'),
        offerLink: found.offerLink,
        lcwLink: found.lcwLink,
      });
    }) as RequestHandler,

    issuerMetadata: ((req, res) => {
      // Both languages: wallets pick the display entry of their user's locale.
      const meta = buildIssuerMetadata({
        credentialIssuer: urls.origin,
        credentialEndpoint: `${urls.origin}/api/portefeuille/oid4vci/credential`,
        nonceEndpoint: `${urls.origin}/api/portefeuille/oid4vci/nonce`,
        issuerDisplay: [...issuerMetadata('fr'), ...issuerMetadata('en')],
        credentialDisplay: [...credentialDisplay('fr'), ...credentialDisplay('en')],
      });
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(meta);
    }) as RequestHandler,

    openApi: ((_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(walletOpenApiDocument(urls.origin));
    }) as RequestHandler,

    authorizationServerMetadata: ((_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.json(
        buildAuthorizationServerMetadata({
          issuer: urls.origin,
          tokenEndpoint: `${urls.origin}/api/portefeuille/oid4vci/token`,
        }),
      );
    }) as RequestHandler,

    credentialOffer: protocol((req, res) =>
      wallet.credentialOffer(param(req, 'assertionId'), param(req, 'token'), langOf(res)),
    ),
    token: protocol((req) => wallet.token(bodyOf(req))),
    nonce: protocol(() => wallet.nonce()),
    credential: protocol((req) => wallet.credential(req.get('authorization'), bodyOf(req))),
    exchange: protocol((req) =>
      wallet.exchange(param(req, 'assertionId'), param(req, 'token'), bodyOf(req)),
    ),
  };
}
export type WalletController = ReturnType<typeof walletController>;
