import { rulesOf, type Ob2Class, type PropRule, type ValueType } from './ob2-class-rules.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { expandIri, isValidType, ob2Iri, scopeOf, type TermScope } from './ob2-term-scope.js';
import {
  isDataUri,
  isDateTime,
  isEmail,
  isHashedIdentity,
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

type Report = (
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

function checkDependencies(node: Record<string, unknown>, cls: Ob2Class, problem: Report) {
  switch (cls) {
    case 'IdentityObject': {
      const hashedForm = isHashedIdentity(node.identity);
      if (node.hashed === true && !hashedForm) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          'identity',
          'hashed identity must be sha256$<hex> or md5$<hex>',
        );
      } else if (node.hashed === false && hashedForm) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          'identity',
          'identity looks hashed but hashed is false',
        );
      } else if (node.hashed === false && node.type === 'email' && !isEmail(node.identity)) {
        problem(
          Ob2Message.schemaPropertyInvalid,
          'identity',
          'email identity is not an email address',
        );
      }
      return;
    }
    case 'Criteria': {
      const blank = typeof node.id !== 'string' || node.id.startsWith('_:');
      if (blank && typeof node.narrative !== 'string') {
        problem(
          Ob2Message.schemaPropertyMissing,
          'narrative',
          'Criteria needs a URL or a narrative',
        );
      }
      return;
    }
    case 'RevocationList': {
      if (node.revokedAssertions === undefined) {
        problem(
          Ob2Message.schemaPropertyMissing,
          'revokedAssertions',
          'RevocationList has no revokedAssertions',
        );
        return;
      }
      for (const entry of listOf(node.revokedAssertions)) {
        const ok = isObject(entry)
          ? entry.id !== undefined
            ? isIri(entry.id)
            : typeof entry.uid === 'string'
          : isIri(entry);
        if (!ok) {
          problem(
            Ob2Message.schemaPropertyInvalid,
            'revokedAssertions',
            `entry ${abbreviate(entry)} is not an IRI`,
          );
        }
      }
      return;
    }
    case 'Profile':
      if (typeof node.id === 'string' && !/^https?:\/\//.test(node.id)) {
        problem(
          Ob2Message.issuerNotHttp,
          'id',
          `Issuer ${node.id} is not hosted at an HTTP(S) id; many platforms cannot handle it`,
          'warning',
          { id: node.id },
        );
      }
      return;
    default:
      return;
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

function abbreviate(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
