import type { Model, Types } from 'mongoose';

/**
 * insertMany, unordered, raw (the documents are complete): the `_id`s refused as duplicates.
 * Any other error is thrown.
 */
export async function duplicatesOf<T extends { _id: string | Types.ObjectId }>(
  model: Model<T>,
  docs: T[],
): Promise<Set<string>> {
  const refused = new Set<string>();
  if (docs.length === 0) return refused;
  try {
    await model.insertMany(docs, { ordered: false, rawResult: false, lean: true });
  } catch (err) {
    const e = err as {
      code?: number;
      writeErrors?: { code?: number; index?: number; err?: { code?: number; index?: number } }[];
      result?: { insertedCount?: number };
      insertedCount?: number;
    };
    // One document refused as a duplicate: a plain E11000 error.
    if (!e.writeErrors && e.code === 11000 && docs.length === 1) {
      refused.add(String(docs[0]!._id));
      return refused;
    }
    // Unordered inserts cut off by a lost connection come back as a bulk write error with no
    // write errors at all (seen with the database killed mid-insert): nothing is known to be
    // stored, so it is an error, not "no duplicates". Likewise when the counts do not add up.
    const writeErrors = e.writeErrors;
    if (!writeErrors || writeErrors.length === 0) throw err;
    const insertedCount = e.result?.insertedCount ?? e.insertedCount;
    if (typeof insertedCount === 'number' && insertedCount + writeErrors.length !== docs.length) {
      throw err;
    }
    for (const w of writeErrors) {
      const code = w.code ?? w.err?.code;
      const index = w.index ?? w.err?.index;
      if (code !== 11000 || index === undefined) throw err;
      refused.add(String(docs[index]!._id));
    }
  }
  return refused;
}
