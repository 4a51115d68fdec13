import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import type { RevocationDoc } from '../../../../src/components/awards/award.model.js';
import { publicRecordsCache } from '../../../../src/components/awards/public-records-cache.js';
import type { EndorsementDoc } from '../../../../src/components/endorsements/endorsement.model.js';
import type { IssuerDoc } from '../../../../src/components/issuers/issuer.model.js';

/** Records in a map, counting reads; the epoch is a number the test moves. */
function setup(options: { maxEntries?: number } = {}) {
  const issuers = new Map<string, IssuerDoc>();
  const revocations = new Map<string, RevocationDoc>();
  const endorsements = new Map<string, EndorsementDoc[]>();
  const reads: string[] = [];
  let epoch = 0;
  let clock = 0;
  /** When set, a read holds its answer until the test releases it (a slow database). */
  let gate: Promise<void> | undefined;
  const records = publicRecordsCache({
    changes: { current: async () => epoch },
    issuers: {
      findById: async (id) => {
        reads.push(`issuer ${id}`);
        const found = issuers.has(id) ? structuredClone(issuers.get(id)!) : null;
        await gate;
        return found;
      },
    },
    badgeClasses: {
      findById: async (id) => {
        reads.push(`badge ${id}`);
        return null as BadgeClassDoc | null;
      },
    },
    awards: {
      findRevocation: async (id) => {
        reads.push(`revocation ${id}`);
        return revocations.get(id) ?? null;
      },
    },
    endorsements: {
      listForTarget: async ({ kind, id }) => {
        reads.push(`recommendations ${kind} ${id}`);
        return structuredClone(endorsements.get(`${kind}:${id}`) ?? []);
      },
    },
    ttlMs: 1000,
    now: () => clock,
    ...options,
  });
  const issuer = (id: string, name: string) =>
    issuers.set(id, {
      _id: id,
      name,
      url: 'https://exemple.fr',
      email: 'a@exemple.fr',
    } as IssuerDoc);
  return {
    records,
    reads,
    issuer,
    revocations,
    endorsements,
    bump: () => epoch++,
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
    tick: (ms: number) => (clock += ms),
  };
}

describe('public records kept while nothing changes', () => {
  it('When an issuer is asked twice in one epoch, then it is read once; after a change, it is read again', async () => {
    const s = setup();
    s.issuer('roubaix', 'Roubaix');
    expect((await s.records.issuer('roubaix'))?.name).toBe('Roubaix');
    expect((await s.records.issuer('roubaix'))?.name).toBe('Roubaix');
    expect(s.reads).toEqual(['issuer roubaix']);
    s.issuer('roubaix', 'Mairie de Roubaix');
    s.bump();
    expect((await s.records.issuer('roubaix'))?.name).toBe('Mairie de Roubaix');
    expect(s.reads).toHaveLength(2);
  });

  it('When an issuer or a badge does not exist yet, then it is asked again every time (creating one changes no epoch)', async () => {
    const s = setup();
    expect(await s.records.issuer('nouveau')).toBeNull();
    expect(await s.records.badgeClass('nouveau-badge')).toBeNull();
    s.issuer('nouveau', 'Nouveau');
    expect((await s.records.issuer('nouveau'))?.name).toBe('Nouveau');
    expect(await s.records.badgeClass('nouveau-badge')).toBeNull();
    expect(s.reads).toEqual([
      'issuer nouveau',
      'badge nouveau-badge',
      'issuer nouveau',
      'badge nouveau-badge',
    ]);
  });

  it('When an award is not revoked, then that is kept until a change of epoch (revoking changes it)', async () => {
    const s = setup();
    expect(await s.records.revocation('a1')).toBeNull();
    expect(await s.records.revocation('a1')).toBeNull();
    expect(s.reads).toEqual(['revocation a1']);
    s.revocations.set('a1', { _id: 'a1', reason: 'erreur' } as RevocationDoc);
    s.bump();
    expect((await s.records.revocation('a1'))?.reason).toBe('erreur');
  });

  it('When the epoch changes while a record is being read, then that record is not served afterwards', async () => {
    const s = setup();
    s.issuer('roubaix', 'Roubaix');
    // The epoch is taken before the read: a change landing during the read leaves the old
    // value under the old epoch.
    const release = s.hold();
    const reading = s.records.issuer('roubaix');
    await new Promise((r) => setImmediate(r)); // the database has answered, slowly
    s.issuer('roubaix', 'Mairie de Roubaix');
    s.bump();
    release();
    expect((await reading)?.name).toBe('Roubaix');
    expect((await s.records.issuer('roubaix'))?.name).toBe('Mairie de Roubaix');
  });

  it('When a caller tries to change a kept record, then it fails instead of changing it for everyone', async () => {
    const s = setup();
    s.issuer('roubaix', 'Roubaix');
    const kept = (await s.records.issuer('roubaix'))!;
    expect(() => {
      (kept as { name: string }).name = 'Autre';
    }).toThrow(TypeError);
    expect((await s.records.issuer('roubaix'))?.name).toBe('Roubaix');
  });

  it('When the time to live passes or the bound is reached, then records are read again', async () => {
    const s = setup({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) s.issuer(id, id.toUpperCase());
    await s.records.issuer('a');
    await s.records.issuer('b');
    await s.records.issuer('c'); // 'a', least recently used, goes
    await s.records.issuer('b');
    await s.records.issuer('a');
    expect(s.reads).toEqual(['issuer a', 'issuer b', 'issuer c', 'issuer a']);
    s.tick(1000);
    await s.records.issuer('a');
    expect(s.reads).toHaveLength(5);
  });

  it('When a target has no recommendation, then that is kept too; a new one shows after the change it makes, and targets do not mix', async () => {
    const s = setup();
    const award = { kind: 'award', id: 'a1' } as const;
    const badge = { kind: 'badgeClass', id: 'a1' } as const;
    expect(await s.records.recommendations(award)).toEqual([]);
    expect(await s.records.recommendations(award)).toEqual([]);
    expect(s.reads).toEqual(['recommendations award a1']);
    s.endorsements.set('award:a1', [
      { _id: 'award:a1.0', endorserName: 'Samia' } as EndorsementDoc,
    ]);
    s.bump();
    expect((await s.records.recommendations(award)).map((e) => e.endorserName)).toEqual(['Samia']);
    expect(await s.records.recommendations(badge)).toEqual([]);
    expect(s.reads).toEqual([
      'recommendations award a1',
      'recommendations award a1',
      'recommendations badgeClass a1',
    ]);
    const [kept] = await s.records.recommendations(award);
    expect(() => Object.assign(kept!, { endorserName: 'changed' })).toThrow(TypeError);
  });
});
