import type { Ob2Class } from './ob2-class-rules.js';
import { Ob2Message } from './ob2-messages.js';
import { isEmail, isHashedIdentity, isIri, isObject, listOf } from './ob2-values.js';
import type { Report } from './validate-ob2-node.js';

/** Rules that tie several properties of one OB 2.0 node together (the validator's dependencies). */
export function checkDependencies(node: Record<string, unknown>, cls: Ob2Class, problem: Report) {
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

export function abbreviate(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
