/** {{#if (not a)}}: logical negation. */
export function not(value: unknown): boolean {
  return !value;
}
