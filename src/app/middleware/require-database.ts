import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import { databaseUp } from '../../libraries/db/connection.js';
import { ServiceUnavailableError } from '../../libraries/errors/app-error.js';

/** Answers 503 at once when the database connection is down, rather than failing later. */
export function requireDatabase(db: Connection): RequestHandler {
  return (_req, _res, next) => {
    if (!databaseUp(db))
      throw new ServiceUnavailableError({ messageKey: 'errors.database_unavailable' });
    next();
  };
}
