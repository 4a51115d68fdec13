import {
  OB2_CONTEXT,
  OB2_CONTEXT_ALIASES,
  OB2_CONTEXT_URL,
  type TermDefinition,
} from '../../ob2/ob2-context.js';
import { isIri, isObject } from './ob2-values.js';

/**
 * The JSON-LD terms a document can use, from its `@context`: the OB 2.0 context (known by
 * heart, never fetched) and inline context objects. Enough to expand `type` values and compact
 * IRIs the way the reference validator does, without a JSON-LD processor or network access.
 */
export interface TermScope {
  terms: ReadonlyMap<string, TermDefinition>;
}

const OB2_TERMS: ReadonlyMap<string, TermDefinition> = new Map(Object.entries(OB2_CONTEXT));

export const OB2_SCOPE: TermScope = { terms: OB2_TERMS };

export function isOb2ContextUrl(value: unknown): boolean {
  return value === OB2_CONTEXT_URL || OB2_CONTEXT_ALIASES.includes(value as string);
}

/** The scope of a node: its own `@context` on top of the one it is embedded in. */
export function scopeOf(context: unknown, parent: TermScope = OB2_SCOPE): TermScope {
  if (context === undefined) return parent;
  const terms = new Map(parent.terms);
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (isOb2ContextUrl(entry)) {
      for (const [k, v] of OB2_TERMS) terms.set(k, v);
    } else if (isObject(entry)) {
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v === 'string' || (isObject(v) && typeof v['@id'] === 'string')) {
          terms.set(k, v as TermDefinition);
        }
      }
    }
    // Other context URLs (extensions) are not loaded: their own terms stay unknown.
  }
  return { terms };
}

/**
 * Expands a term, compact IRI ("obi:Assertion", "extensions:Foo") or absolute IRI; undefined
 * when the value is a relative reference the context does not define ("NotAKnownClass").
 */
export function expandIri(value: string, scope: TermScope, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const def = scope.terms.get(value);
  if (def !== undefined) {
    const target = typeof def === 'string' ? def : def['@id'];
    return target === value ? value : expandIri(target, scope, depth + 1);
  }
  const colon = value.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = value.slice(0, colon);
  const suffix = value.slice(colon + 1);
  if (prefix === '_' || suffix.startsWith('//')) return value;
  const base = scope.terms.has(prefix) ? expandIri(prefix, scope, depth + 1) : undefined;
  return base === undefined ? value : base + suffix;
}

/** A `type` value is valid when it expands to an IRI the validator accepts. */
export function isValidType(value: unknown, scope: TermScope): boolean {
  if (typeof value !== 'string') return false;
  const iri = expandIri(value, scope);
  return iri !== undefined && isIri(iri);
}

/** The IRI of an OB 2.0 class or term name, as the OB 2.0 context defines it. */
export function ob2Iri(term: string): string {
  return expandIri(term, OB2_SCOPE) ?? term;
}
