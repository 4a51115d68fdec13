import type { Connection } from 'mongoose';

/**
 * Creates the declared indexes of every model registered on the connection. Run at start,
 * before serving: unique indexes guard idempotency and must exist before the first write.
 */
export async function ensureIndexes(db: Connection): Promise<void> {
  for (const model of Object.values(db.models)) {
    await model.createIndexes();
  }
}
