/**
 * The public URL map declares each public path once: every one of its paths, filled with a real
 * issuer, key, badge, award (live and revoked), recommendation and person, is served by express
 * and answered by the internal fetcher (what verifies our own badges) with the same status,
 * content type and bytes; its URLs are "ours" and the URL builders land on it.
 */
import request from 'supertest';
import type { FetchResult } from '../../../../src/core/index.js';
import { issuerModel } from '../../../../src/components/issuers/issuer.model.js';
import {
  PUBLIC_PATH_LIST,
  expressPaths,
  publicPath,
  resolvePublicPath,
} from '../../../../src/components/awards/public-url-map.js';
import { ownUrls } from '../../../../src/components/verification/own-urls.js';
import { createPerson } from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const VALIDATOR_ACCEPT = 'application/ld+json, application/json, image/png, image/svg+xml';
const BASE = 'http://127.0.0.1:3999';
const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('the public URL map', () => {
  let t: TestApp;
  /** Real values of every parameter of the map. */
  let values: Record<string, string[]>;

  beforeAll(async () => {
    t = await createTestApp();
    const issuerId = 'ville-de-roubaix';
    const badge = await issuerWithBadge(t.app, issuerId);
    const award = await issueTo(t.app, badge);
    const revoked = await issueTo(t.app, badge, { recipientEmail: 'erreur@example.org' });
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId,
      awardId: revoked._id,
      reason: 'Délivré par erreur',
    });
    await issuerModel(t.db).updateOne(
      { _id: issuerId },
      {
        $set: {
          image: { contentType: 'image/png', data: Buffer.from(TINY_PNG, 'base64'), etag: 'e1' },
        },
      },
    );
    const sami = await createPerson(
      t.app,
      { email: 'sami@example.org', name: 'Sami Pair' },
      { [issuerId]: 'member' },
    );
    const { endorsement } = await t.app.services.endorsements.endorseAward({
      actor: { id: sami.id, isAdmin: false, roles: { [issuerId]: 'member' }, name: sami.name },
      ip: '127.0.0.1',
      awardId: award._id,
      comment: 'Karim a accompagné mes usagers avec patience.',
    });
    const keys = await t.app.services.keys.listPublicKeys(issuerId);
    expect(new Set(keys.map((k) => k.type))).toEqual(new Set(['RSA', 'Ed25519']));
    values = {
      issuerId: [issuerId],
      keyId: keys.map((k) => k._id),
      listNo: ['1'],
      badgeClassId: [badge._id],
      assertionId: [award._id, revoked._id],
      endorsementId: [endorsement._id],
      personId: [endorsement.endorserProfileId],
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Every concrete path of the map, each parameter taking each of its real values. */
  function concretePaths(): { name: string; path: string }[] {
    return PUBLIC_PATH_LIST.flatMap(([name, def]) =>
      expressPaths(def).flatMap(({ fixed }) => {
        const keys = [...def.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
        let sets: Record<string, string>[] = [{ ...fixed }];
        for (const key of keys.filter((k) => !(k in fixed))) {
          const options = values[key];
          if (!options) throw new Error(`no test value for :${key} (${def.pattern})`);
          sets = sets.flatMap((set) => options.map((v) => ({ ...set, [key]: v })));
        }
        return sets.map((params) => ({ name, path: publicPath(name, params as never) }));
      }),
    );
  }

  it('When every path of the map is fetched over HTTP and through the internal fetcher, then both answer a document with identical status, type and bytes', async () => {
    const paths = concretePaths();
    // Every entry of the map is walked, the baked variants one by one.
    expect(new Set(paths.map((p) => p.name))).toEqual(new Set(PUBLIC_PATH_LIST.map(([n]) => n)));
    expect(paths.length).toBeGreaterThan(PUBLIC_PATH_LIST.length + 8);
    const fetcher = t.app.services.internalFetcher;
    const differences: string[] = [];
    for (const { name, path } of paths) {
      const http = await request(t.app).get(path).set('Accept', VALIDATOR_ACCEPT).buffer(true);
      const internal: FetchResult = await fetcher(`${BASE}${path}`, { kind: 'json' });
      const httpBody = Buffer.isBuffer(http.body) ? http.body : Buffer.from(http.text);
      if (http.status !== 200 && http.status !== 410) differences.push(`${path}: ${http.status}`);
      if (internal.status !== http.status)
        differences.push(`${path}: internal ${internal.status} ≠ HTTP ${http.status}`);
      if (internal.contentType !== http.headers['content-type'])
        differences.push(`${path}: ${internal.contentType} ≠ ${http.headers['content-type']}`);
      if (!Buffer.from(internal.body).equals(httpBody)) differences.push(`${path}: bodies differ`);
      if (httpBody.length === 0) differences.push(`${path}: empty`);
      if (resolvePublicPath(path)?.name !== name) differences.push(`${path}: resolves elsewhere`);
    }
    expect(differences).toEqual([]);
  });

  it('When the routes of the app are listed, then each path of the map is one public GET route', () => {
    const table = t.app.routeTable.filter((r) => r.method === 'get');
    const expected = PUBLIC_PATH_LIST.flatMap(([, def]) => expressPaths(def).map((e) => e.path));
    for (const path of expected) {
      const routes = table.filter((r) => r.path === path);
      expect([path, routes.length, routes[0]?.access]).toEqual([path, 1, { kind: 'public' }]);
    }
    // A route that is not in the map (a signed-in form) is not answered by the internal fetcher.
    expect(resolvePublicPath('/assertions/a/recommander')).toBeUndefined();
    expect(resolvePublicPath('/emetteurs/a/statuts/x')).toBeUndefined();
    expect(resolvePublicPath('/emetteurs/a/cles/%E0')).toBeUndefined();
  });

  it('When the URL builders make an id, then it is ours and the map resolves it to its document', async () => {
    const urls = t.app.services.urls;
    const own = ownUrls(BASE);
    const [issuerId] = values.issuerId!;
    const [keyId] = values.keyId!;
    const [assertionId] = values.assertionId!;
    const built: [string, string][] = [
      [urls.platformDidDocument, 'platformDid'],
      [urls.issuer(issuerId!), 'issuer'],
      [urls.jwk(issuerId!, keyId!), 'jwk'],
      [urls.statusList(issuerId!, 1), 'statusList'],
      [urls.baked(assertionId!, 'credential-json.svg'), 'baked'],
      [urls.badgeClassImage(values.badgeClassId![0]!, 'svg'), 'badgeClassSvg'],
      [urls.personKey(issuerId!, values.personId![0]!, keyId!), 'personKey'],
      [urls.endorsementCredential(values.endorsementId![0]!), 'endorsementCredential'],
    ];
    for (const [url, name] of built) {
      expect([url, own.isOwnUrl(url), t.app.services.internalFetcher.handles(url)]).toEqual([
        url,
        true,
        true,
      ]);
      expect([url, resolvePublicPath(new URL(url).pathname)?.name]).toEqual([url, name]);
    }
    // An id with characters to escape goes through the builder and back unchanged.
    expect(resolvePublicPath(new URL(urls.key('a b/c', 'é')).pathname)?.params).toEqual({
      issuerId: 'a b/c',
      keyId: 'é',
    });
    for (const other of ['https://example.org/assertions/x', 'http://localhost:3999/badges/b']) {
      expect([other, own.isOwnUrl(other), t.app.services.internalFetcher.handles(other)]).toEqual([
        other,
        false,
        false,
      ]);
    }
  });
});
