/** {{#if (and a b)}}: true when every argument is truthy (the last one is Handlebars' options). */
export function and(...args: unknown[]): boolean {
  return args.slice(0, -1).every(Boolean);
}
