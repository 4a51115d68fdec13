import type { Model, Schema } from 'mongoose';

/** The query writes mongoose runs middleware for (documents: `save`; batches: `insertMany`). */
const QUERY_WRITES = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const;

/**
 * Emits `event` on the model's connection after every write through it has landed, whichever
 * component makes it: what is kept in memory under the change epoch listens for it, so that no
 * component can forget to say it changed something.
 */
export function emitAfterEveryWrite<T>(schema: Schema<T>, event: string): void {
  schema.post([...QUERY_WRITES], function () {
    this.model.db.emit(event);
  });
  schema.post('save', function () {
    (this.constructor as Model<T>).db.emit(event);
  });
  schema.post('insertMany', function () {
    this.db.emit(event);
  });
}
