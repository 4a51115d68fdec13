import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsonld from 'jsonld';
import { randomBytes } from 'node:crypto';
import * as rdfCanonize from 'rdf-canonize';

/**
 * Canonicalisation (RDFC-1.0) of many credentials made from one template, for eddsa-rdfc-2022
 * signing. Turning JSON-LD into RDF (context processing, expansion) costs nine tenths of a
 * proof; for credentials that differ only in the values listed by `isVariable` (ids, dates,
 * hashes, evidence, story), it is done once per template with placeholder values, and each
 * credential only substitutes its own values in the RDF and runs RDFC-1.0 on it. The result is
 * the same canonical form as jsonld's (checked by tests/unit/core/canonize-templates.test.ts).
 * Anything unusual (a value that is not a plain IRI where an IRI goes, a placeholder that did
 * not come out as one term) takes the ordinary path.
 */
type Term = { termType: string; value: string; datatype?: Term; language?: string };
type Quad = { subject: Term; predicate: Term; object: Term; graph: Term };
type Canonize = (input: unknown, options: Record<string, unknown>) => Promise<string>;

interface Template {
  /** Placeholder value → slot number, and each slot's kind. */
  slotOf: Map<string, number>;
  kinds: ('iri' | 'literal')[];
  /** Quads without placeholders: unique already (jsonld's dataset), kept as they are. */
  fixed: Quad[];
  /** Quads with placeholders (subject, object or graph): they receive each award's values. */
  variable: Quad[];
  /** The identity of each fixed quad: a variable one that becomes equal to it is dropped. */
  fixedIds: Set<string>;
}

/** One string per distinct quad (RDF term equality). */
const quadId = (q: Quad): string =>
  JSON.stringify([
    q.subject.termType,
    q.subject.value,
    q.predicate.value,
    q.object.termType,
    q.object.value,
    q.object.datatype?.value ?? '',
    q.object.language ?? '',
    q.graph.termType,
    q.graph.value,
  ]);

const MAX_ENTRIES = 64;
/** Values our credentials put where an IRI goes: web addresses and URNs, nothing to expand. */
const PLAIN_IRI = /^(https?:\/\/|urn:)[^\s<>"{}|\\^`]*$/i;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

/**
 * The JSON with the variable strings replaced by `marker(i)`, and those strings in order.
 * `path` is dotted, arrays as `*` ("evidence.*.id"): built as a string, as this runs for every
 * value of every credential signed.
 */
function skeleton(
  value: unknown,
  isVariable: (path: string) => boolean,
  marker: (i: number) => string,
  values: string[],
  path = '',
): unknown {
  if (typeof value === 'string') {
    if (!isVariable(path)) return value;
    values.push(value);
    return marker(values.length - 1);
  }
  if (Array.isArray(value)) {
    const item = path ? `${path}.*` : '*';
    return value.map((v) => skeleton(v, isVariable, marker, values, item));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[k];
      out[k] =
        k === '@context' ? v : skeleton(v, isVariable, marker, values, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return value;
}

export function createCanonizeTemplates(
  isVariable: (path: string) => boolean,
  base: Canonize = (input, options) => eddsaRdfc2022.canonize(input, options),
) {
  const nonce = randomBytes(6).toString('hex');
  const exact = new Map<string, Promise<string>>();
  const templates = new Map<string, Promise<Template | null>>();

  async function buildTemplate(skel: unknown, options: Record<string, unknown>) {
    const placeholder = (i: number) => `urn:x-template-${nonce}:${i}`;
    const doc = JSON.parse(
      JSON.stringify(skel).replace(new RegExp(`"\\\\u0000${nonce}:(\\d+)"`, 'g'), (_m, i: string) =>
        JSON.stringify(placeholder(Number(i))),
      ),
    ) as Record<string, unknown>;
    const quads = (await jsonld.toRDF(
      doc as never,
      {
        rdfDirection: 'i18n-datatype',
        base: null,
        safe: true,
        ...options,
        produceGeneralizedRdf: false,
      } as never,
    )) as unknown as Quad[];
    const slotOf = new Map<string, number>();
    const kinds: ('iri' | 'literal')[] = [];
    const prefix = `urn:x-template-${nonce}:`;
    for (const q of quads) {
      for (const t of [q.subject, q.predicate, q.object, q.graph]) {
        if (!t.value.startsWith(prefix)) continue;
        const slot = Number(t.value.slice(prefix.length));
        const kind = t.termType === 'Literal' ? 'literal' : 'iri';
        if (t.termType !== 'Literal' && t.termType !== 'NamedNode') return null;
        if (kinds[slot] && kinds[slot] !== kind) return null;
        kinds[slot] = kind;
        slotOf.set(t.value, slot);
      }
    }
    const hasSlot = (q: Quad) => [q.subject, q.object, q.graph].some((t) => slotOf.has(t.value));
    const fixed = quads.filter((q) => !hasSlot(q));
    const variable = quads.filter(hasSlot);
    return { slotOf, kinds, fixed, variable, fixedIds: new Set(fixed.map(quadId)) };
  }

  /** `canonize` of the eddsa-rdfc-2022 cryptosuite, with templates and repeated inputs remembered. */
  return async function canonize(input: unknown, options: Record<string, unknown>) {
    // The proof options repeat from one credential to the next (same key, same second).
    if (input && typeof input === 'object' && !('credentialSubject' in input)) {
      const key = JSON.stringify(input);
      return exact.get(key) ?? remember(exact, key, base(input, options));
    }
    const values: string[] = [];
    const skel = skeleton(input, isVariable, (i) => `\u0000${nonce}:${i}`, values);
    const key = JSON.stringify(skel);
    const template = await (templates.get(key) ??
      remember(
        templates,
        key,
        buildTemplate(skel, options).catch(() => null),
      ));
    const usable =
      template &&
      template.kinds.length === values.length &&
      values.every((v, i) => template.kinds[i] !== 'iri' || PLAIN_IRI.test(v));
    if (!usable) return base(input, options);
    const sub = (t: Term): Term => {
      const slot = template.slotOf.get(t.value);
      return slot === undefined ? t : { ...t, value: values[slot]! };
    };
    // Two nodes given the same id are one node in JSON-LD: the same statements, once. Only a
    // quad that received values can repeat another one.
    const seen = new Set<string>();
    const dataset: Quad[] = [...template.fixed];
    for (const q of template.variable) {
      const quad = {
        subject: sub(q.subject),
        predicate: q.predicate,
        object: sub(q.object),
        graph: sub(q.graph),
      };
      const id = quadId(quad);
      if (seen.has(id) || template.fixedIds.has(id)) continue;
      seen.add(id);
      dataset.push(quad);
    }
    return rdfCanonize.canonize(dataset, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      base: null,
      safe: true,
      ...options,
    });
  };
}
export type CanonizeTemplates = ReturnType<typeof createCanonizeTemplates>;

/** What changes from one of our OB 3.0 credentials to the next of the same badge version. */
const AWARD_VARIABLES = new Set([
  'id',
  'validFrom',
  'validUntil',
  'awardedDate',
  'credentialSubject.id',
  'credentialSubject.narrative',
  'credentialSubject.identifier.*.identityHash',
  'credentialSubject.identifier.*.salt',
  'credentialStatus.id',
  'credentialStatus.statusListIndex',
  'credentialStatus.statusListCredential',
  'evidence.*.id',
  'evidence.*.narrative',
  'evidence.*.name',
]);

/** `path`: dotted, arrays as `*` ("evidence.*.id"). */
export function isAwardVariable(path: string): boolean {
  return AWARD_VARIABLES.has(path);
}
