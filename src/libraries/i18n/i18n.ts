import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type TFunction } from 'i18next';
import { localesDir } from '../paths.js';

export const languages = ['fr', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'fr';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (languages as readonly string[]).includes(v);
}

function readCatalogue(lang: Language): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

let instance: i18n | undefined;

/** One i18next instance for the process, loaded synchronously from locales/*.json. */
export function getI18n(): i18n {
  if (instance) return instance;
  const inst = i18next.createInstance();
  void inst.init({
    initAsync: false,
    lng: defaultLanguage,
    fallbackLng: defaultLanguage,
    supportedLngs: [...languages],
    resources: Object.fromEntries(languages.map((l) => [l, { translation: readCatalogue(l) }])),
    // Handlebars escapes output itself; i18next must not escape twice.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  instance = inst;
  return inst;
}

const translators = new Map<Language, TFunction>();

/**
 * i18next's `t` resolves every call again (key parsing, fallbacks, nesting, post-processing):
 * a page calls it hundreds of times, and under load it was 5 % of the server's time. A key
 * asked without options always gives the same text (the catalogues are read once, at start),
 * so that text is kept; calls with options (interpolation, count, context) go to i18next.
 */
function rememberingPlainKeys(fixed: TFunction): TFunction {
  const texts = new Map<string, unknown>();
  const t = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    const plain =
      typeof key === 'string' &&
      rest.length === 0 &&
      (options === undefined ||
        (typeof options === 'object' && options !== null && Object.keys(options).length === 0));
    if (!plain) return (fixed as unknown as (...args: unknown[]) => unknown)(key, options, ...rest);
    let text = texts.get(key);
    if (text === undefined) {
      text = (fixed as unknown as (k: string) => unknown)(key);
      texts.set(key, text);
    }
    return text;
  };
  return t as unknown as TFunction;
}

/** The translation function of a language, made once (every request asks for one). */
export function translator(lang: Language): TFunction {
  let t = translators.get(lang);
  if (!t) {
    t = rememberingPlainKeys(getI18n().getFixedT(lang));
    translators.set(lang, t);
  }
  return t;
}

/**
 * Picks the best language from an Accept-Language header (q-values honoured), or undefined.
 */
export function languageFromAcceptHeader(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return {
        base: tag.trim().toLowerCase().split('-')[0] ?? '',
        q: q ? Number(q.slice(2)) : 1,
        i,
      };
    })
    .filter((r) => r.base && !Number.isNaN(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => r.base).find(isLanguage);
}

/** Order of precedence: the signed-in user's setting, then ?lang=, then the cookie, then the header. */
export function chooseLanguage(input: {
  userSetting?: string | undefined;
  query?: unknown;
  cookie?: unknown;
  acceptLanguage?: string | undefined;
}): Language {
  if (isLanguage(input.userSetting)) return input.userSetting;
  if (isLanguage(input.query)) return input.query;
  if (isLanguage(input.cookie)) return input.cookie;
  return languageFromAcceptHeader(input.acceptLanguage) ?? defaultLanguage;
}
