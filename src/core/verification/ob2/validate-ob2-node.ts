import { rulesOf, type Ob2Class, type PropRule, type ValueType } from './ob2-class-rules.js';
import { abbreviate, checkDependencies } from './check-ob2-dependencies.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { expandIri, isValidType, ob2Iri, scopeOf, type TermScope } from './ob2-term-scope.js';
import {
  isDataUri,
  isDateTime,
  isEmail,
  isIri,
  isLanguage,
  isObject,
  isTelephone,
  isText,
  isUrl,
  isUrlAuthority,
  listOf,
} from './ob2-values.js';

export interface Ob2Problem {
  level: 'error' | 'warning';
  message: Ob2MessageKey;
  params: Record<string, string>;
  /** English, technical, for the "Détails techniques" section. */
  detail: string;
}

/** The spec noun shown for a class (the validator checks issuers as Profile). */
export function documentName(cls: Ob2Class): string {
  return cls === 'Profile' ? 'Issuer' : cls;
}

/**
 * Checks one OB 2.0 node against its class rules: `type`, property presence, cardinality and
 * value types, embedded nodes (recursively) and the class's own dependencies. Returns the
 * problems found; an empty list means the node is well formed.
 */
export function validateOb2Node(
  node: Record<string, unknown>,
  cls: Ob2Class,
  parentScope?: TermScope,
): Ob2Problem[] {
  const scope = scopeOf(node['@context'], parentScope);
  const problems: Ob2Problem[] = [];
  const document = documentName(cls);
  const problem: Report = (message, property, detail, level = 'error', params = {}) =>
    problems.push({ level, message, params: { document, property, ...params }, detail });

  checkType(node, cls, scope, problem);
  for (const rule of rulesOf(cls).props) checkProperty(node, rule, cls, scope, problems, problem);
  checkDependencies(node, cls, problem);
  return problems;
}

export type Report = (
  message: Ob2MessageKey,
  property: string,
  detail: string,
  level?: 'error' | 'warning',
  params?: Record<string, string>,
) => void;

function checkType(
  node: Record<string, unknown>,
  cls: Ob2Class,
  scope: TermScope,
  problem: Report,
) {
  const rule = rulesOf(cls).type;
  const document = documentName(cls);
  if (node.type === undefined) {
    if (rule.required) problem(Ob2Message.schemaPropertyMissing, 'type', `${document} has no type`);
    return;
  }
  const values = listOf(node.type);
  if (values.length === 0) {
    if (rule.required)
      problem(Ob2Message.schemaTypeInvalid, 'type', `${document} has an empty type`);
    return;
  }
  if (!rule.many && values.length > 1) {
    problem(Ob2Message.schemaPropertyInvalid, 'type', `${document} must have a single type`);
    return;
  }
  // IdentityObject types are property names ("email", "id"), not classes.
  const literalId = cls === 'IdentityObject';
  const invalid = values.filter((v) => !(literalId && v === 'id') && !isValidType(v, scope));
  if (invalid.length > 0) {
    problem(
      Ob2Message.schemaTypeInvalid,
      'type',
      `${document} type ${invalid.map((v) => JSON.stringify(v)).join(', ')} is neither an Open Badges class nor an absolute IRI`,
    );
    return;
  }
  if (rule.mustContainOne) {
    const expanded = new Set(
      values.map((v) => (v === 'id' ? 'id' : expandIri(v as string, scope))),
    );
    const ok = rule.mustContainOne.some((t) => expanded.has(t === 'id' ? 'id' : ob2Iri(t)));
    if (!ok) {
      problem(
        Ob2Message.schemaTypeInvalid,
        'type',
        `${document} type ${JSON.stringify(node.type)} is not one of ${rule.mustContainOne.join(', ')}`,
      );
    }
  }
}

function checkProperty(
  node: Record<string, unknown>,
  rule: PropRule,
  cls: Ob2Class,
  scope: TermScope,
  problems: Ob2Problem[],
  problem: Report,
) {
  const document = documentName(cls);
  const raw = node[rule.name];
  const values = listOf(raw);
  if (raw === undefined || values.length === 0 || values.every((v) => v === null)) {
    if (rule.required) {
      problem(Ob2Message.schemaPropertyMissing, rule.name, `${document} has no ${rule.name}`);
    }
    return;
  }
  if (!rule.many && values.length > 1) {
    problem(
      Ob2Message.schemaPropertyInvalid,
      rule.name,
      `${document} ${rule.name} must have a single value`,
    );
    return;
  }
  for (const value of values) {
    if (rule.value !== 'node') {
      if (!VALUE_CHECKS[rule.value](value)) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          rule.name,
          `${document} ${rule.name} value ${abbreviate(value)} is not a valid ${rule.value}`,
        );
      }
      continue;
    }
    if (typeof value === 'string') {
      if (isDataUri(value)) {
        if (rule.allowDataUri !== true) {
          problem(
            rule.allowDataUri === false
              ? Ob2Message.schemaDataUriNotAllowed
              : Ob2Message.schemaPropertyInvalid,
            rule.name,
            `${document} ${rule.name} may not be a data: URI`,
          );
        }
      } else if (rule.allowDataUri ? !isUrl(value) : !isIri(value)) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          rule.name,
          `${document} ${rule.name} value ${abbreviate(value)} is not an IRI`,
        );
      }
      continue;
    }
    if (!isObject(value)) {
      problem(
        Ob2Message.schemaPropertyInvalid,
        rule.name,
        `${document} ${rule.name} is neither an IRI nor a node`,
      );
      continue;
    }
    if (rule.idOnly) {
      if (value.id !== undefined && !isIri(value.id)) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          rule.name,
          `${document} ${rule.name} id is not an IRI`,
        );
      }
      continue;
    }
    if (rule.followed || !rule.expected) continue;
    if (rule.allowDataUri === false && isDataUri(value.id)) {
      problem(
        Ob2Message.schemaDataUriNotAllowed,
        rule.name,
        `${document} ${rule.name} may not be a data: URI`,
      );
    }
    problems.push(...validateOb2Node(value, rule.expected, scope));
  }
}

const VALUE_CHECKS: Readonly<Record<Exclude<ValueType, 'node'>, (v: unknown) => boolean>> = {
  iri: isIri,
  text: isText,
  datetime: isDateTime,
  url: isUrl,
  email: isEmail,
  telephone: isTelephone,
  boolean: (v) => typeof v === 'boolean',
  language: isLanguage,
  textOrNumber: (v) => typeof v === 'string' || typeof v === 'number',
  compactIri: (v) =>
    v === 'id' ||
    isIri(v) ||
    (typeof v === 'string' && expandIri(v, scopeOf(undefined)) !== undefined),
  urlAuthority: isUrlAuthority,
  identity: isText,
  urlOrData: (v) => isUrl(v) || isDataUri(v),
};
