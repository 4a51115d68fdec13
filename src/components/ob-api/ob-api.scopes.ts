/** The four scopes of the 1EdTech Open Badges 3.0 API (spec § 6, "Scopes"). */
export const SCOPE_BASE = 'https://purl.imsglobal.org/spec/ob/v3p0/scope/';

export const OB_SCOPES = {
  credentialReadonly: `${SCOPE_BASE}credential.readonly`,
  credentialUpsert: `${SCOPE_BASE}credential.upsert`,
  profileReadonly: `${SCOPE_BASE}profile.readonly`,
  profileUpdate: `${SCOPE_BASE}profile.update`,
} as const;

export type ObScope = (typeof OB_SCOPES)[keyof typeof OB_SCOPES];
export const ALL_SCOPES: readonly ObScope[] = Object.values(OB_SCOPES);

/** The i18n key that says in plain words what a scope allows (consent and tokens pages). */
export function scopeLabelKey(scope: ObScope): string {
  return `obApi.scopes.${scope.slice(SCOPE_BASE.length).replace('.', '_')}`;
}

export function isObScope(value: string): value is ObScope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** "a b c" → the known scopes, in the spec's order, without repeats; unknown ones are dropped. */
export function parseScopes(value: unknown): { scopes: ObScope[]; unknown: string[] } {
  const words = typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
  return {
    scopes: ALL_SCOPES.filter((s) => words.includes(s)),
    unknown: words.filter((w) => !isObScope(w)),
  };
}
