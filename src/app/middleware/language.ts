import type { RequestHandler } from 'express';
import { chooseLanguage, isLanguage, translator } from '../../libraries/i18n/i18n.js';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Chooses the language of the response and exposes `lang` and `t` to views and handlers.
 * `?lang=en` also remembers the choice in a cookie.
 */
export function languageMiddleware(options: { secureCookies: boolean }): RequestHandler {
  return (req, res, next) => {
    const query = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const user = (req as { user?: { language?: string } }).user;
    const lang = chooseLanguage({
      userSetting: query ? undefined : user?.language,
      query,
      cookie: req.cookies?.lang,
      acceptLanguage: req.headers['accept-language'],
    });
    // Remember an explicit choice (?lang=) or a signed-in person's setting, so pages keep
    // their language after signing out.
    if ((isLanguage(query) || user?.language) && req.cookies?.lang !== lang) {
      res.cookie('lang', lang, {
        maxAge: ONE_YEAR_MS,
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
      });
    }
    res.locals.lang = lang;
    res.locals.t = translator(lang);
    res.setHeader('Content-Language', lang);
    next();
  };
}
