import type { Connection, Model, Schema } from 'mongoose';

/**
 * The connection's model `name`, compiled once: tests and scripts build several apps over one
 * connection, and mongoose refuses to compile a model name twice.
 */
export function modelOf<T>(db: Connection, name: string, schema: Schema<T>): Model<T> {
  return (db.models[name] as Model<T> | undefined) ?? db.model<T>(name, schema);
}
