import type { RequestHandler } from 'express';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { sendDocument, wantsDocument } from '../../libraries/http/document-response.js';
import {
  PUBLIC_PATH_LIST,
  expressPaths,
  publicPath,
  type PublicDocumentSources,
  type PublicPathName,
} from './public-url-map.js';

const pub = { kind: 'public' } as const;

/** The example data of the route × role matrix (tests/helpers/awards.ts routeExampleFixtures). */
const EXAMPLE: Record<string, string> = {
  issuerId: 'emetteur-a',
  keyId: 'cle-a',
  listNo: '1',
  badgeClassId: 'badge-a',
  assertionId: 'assertion-a',
  endorsementId: 'assertion-a.0',
  personId: 'personne-a',
};

/**
 * The public Open Badges documents and pages, one route per path of the public URL map
 * (public-url-map.ts): the same documents the internal fetcher answers verifiers with. Pages
 * and JSON-LD share a URL where the specs want one id: content negotiation decides. Machine
 * documents (JSON, JWT, images) are `api` routes: errors as problem+json.
 */
export function publicRoutes(deps: {
  sources: PublicDocumentSources;
  /** The human page of each path that has one (`page: true` in the map). */
  pages: Partial<Record<PublicPathName, RequestHandler>>;
}): RouteDef[] {
  return PUBLIC_PATH_LIST.flatMap(([name, def]) => {
    const page = deps.pages[name];
    if (def.page && !page) throw new Error(`public URL map: no page for ${name}`);
    const names = [...def.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const shapes = (def.shapes ?? {}) as Record<string, RegExp | undefined>;
    return expressPaths(def).map(({ path, fixed }): RouteDef => {
      const handler: RequestHandler = async (req, res, next) => {
        if (page && !wantsDocument(req)) return page(req, res, next);
        const params: Record<string, string> = { ...fixed };
        for (const key of names) {
          const value = (req.params as Record<string, unknown>)[key];
          if (typeof value === 'string') params[key] = value;
        }
        if (Object.entries(shapes).some(([k, re]) => re && !re.test(params[k] ?? ''))) {
          return sendDocument(req, res, null);
        }
        // A browser (or anyone asking for text) reads a VC-JWT as text.
        const best = def.text && req.accepts(['application/vc+jwt', 'text/plain', 'text/html']);
        const text = best === 'text/plain' || best === 'text/html';
        sendDocument(req, res, await def.document(deps.sources, params, { text }));
      };
      const example = publicPath(name, { ...EXAMPLE, ...fixed } as never);
      return {
        method: 'get',
        path,
        access: pub,
        ...(def.page ? {} : { api: true }),
        ...(def.noDb ? {} : { db: true, example }),
        summary: Object.keys(fixed).length
          ? `${def.summary}: ${Object.values(fixed).join(', ')}`
          : def.summary,
        handlers: [handler],
      };
    });
  });
}
