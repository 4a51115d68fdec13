import type { HelperOptions } from 'handlebars';
import type { TFunction } from 'i18next';

/** {{t "key" name=value}}: the translation of `key` in the language of the response. */
export function t(key: string, options: HelperOptions): string {
  const translate = (options.data?.root as { t?: TFunction } | undefined)?.t;
  if (!translate) return key;
  return String(translate(key, options.hash ?? {}));
}
