import Handlebars, { type HelperOptions } from 'handlebars';

/** {{csrfField}}: the hidden CSRF input every POST form carries. */
export function csrfField(options: HelperOptions): Handlebars.SafeString {
  const tokenFn = (options.data?.root as { csrfToken?: () => string } | undefined)?.csrfToken;
  if (!tokenFn) throw new Error('csrfField used outside a page rendered by the app');
  const token = Handlebars.escapeExpression(tokenFn());
  return new Handlebars.SafeString(`<input type="hidden" name="_csrf" value="${token}">`);
}
