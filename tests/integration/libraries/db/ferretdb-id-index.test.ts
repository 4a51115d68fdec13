import { ObjectId } from 'mongodb';
import { connectDatabase, type Connection } from '../../../../src/libraries/db/connection.js';
import { testDatabaseUri } from '../../../helpers/test-app.js';

/**
 * The embedded FerretDB (built by ensureFerretdbBinary, as the tests' global setup does) finds,
 * updates and deletes by `_id` through its `_id` index, not by reading the whole table: SQLite's
 * own plan, as FerretDB's `explain` reports it. Unpatched 1.24.2 answers `SCAN`.
 */
describe('FerretDB lookups by _id', () => {
  let db: Connection;
  beforeAll(async () => {
    db = await connectDatabase({
      uri: testDatabaseUri(),
      dbName: 'id_index',
      attempts: 5,
      intervalMs: 200,
    });
  });
  afterAll(async () => {
    await db.dropDatabase();
    await db.close();
  });

  const planOf = async (collection: string, filter: Record<string, unknown>) => {
    const answer = await db.db!.command({ explain: { find: collection, filter } });
    return (answer.queryPlanner as { Plan: string[] }).Plan.join('\n');
  };

  it('When a document is looked up by a string or an ObjectId _id, then SQLite searches the _id index', async () => {
    const strings = db.collection<{ _id: string; n: number }>('by_string');
    const objects = db.collection<{ _id: ObjectId; n: number }>('by_object_id');
    const ids = Array.from({ length: 50 }, () => new ObjectId());
    await strings.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `doc-${n}`, n })));
    await objects.insertMany(ids.map((_id, n) => ({ _id, n })));

    for (const [collection, id] of [
      ['by_string', 'doc-7'],
      ['by_object_id', ids[7]],
    ] as const) {
      const plan = await planOf(collection, { _id: id });
      expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_ /);
      expect(plan).not.toMatch(/\bSCAN\b/);
    }
    expect((await strings.findOne({ _id: 'doc-7' }))?.n).toBe(7);
    expect((await objects.findOne({ _id: ids[7]! }))?.n).toBe(7);
  });

  it('When documents are updated, upserted and deleted by _id, then the right ones change and nothing else', async () => {
    const c = db.collection<{ _id: string; n: number; seen?: boolean }>('writes');
    await c.insertMany(Array.from({ length: 20 }, (_, n) => ({ _id: `w-${n}`, n })));
    await c.updateOne({ _id: 'w-3' }, { $set: { seen: true } });
    await c.updateOne({ _id: 'w-new' }, { $set: { n: 99 } }, { upsert: true });
    await c.deleteOne({ _id: 'w-4' });
    await expect(c.insertOne({ _id: 'w-5', n: 5 })).rejects.toMatchObject({ code: 11000 });

    const all = await c.find({}).toArray();
    expect(all).toHaveLength(20);
    expect(all.filter((d) => d.seen).map((d) => d._id)).toEqual(['w-3']);
    expect(all.find((d) => d._id === 'w-new')?.n).toBe(99);
    expect(all.some((d) => d._id === 'w-4')).toBe(false);
  });
});
