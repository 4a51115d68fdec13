import { isDatabaseUnavailable } from '../../../../src/libraries/errors/app-error.js';

// Shapes the MongoDB driver was seen to throw when FerretDB was killed mid-write
// (tests/integration/faults/database-faults.test.ts logs them): each must read as "the
// database is away" so that an interrupted CSV run is taken up again by itself.
const named = (name: string, message: string, extra: object = {}) =>
  Object.assign(new Error(message), { name }, extra);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['network error', named('MongoNetworkError', 'connection 3 to 127.0.0.1:27017 closed')],
    ['server selection', named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:1')],
    [
      'unordered insert cut off (connection closed)',
      named('MongoBulkWriteError', 'connection 1 to 127.0.0.1:38367 closed', { writeErrors: [] }),
    ],
    [
      'unordered insert cut off (reset)',
      named('MongoBulkWriteError', 'read ECONNRESET', { writeErrors: [] }),
    ],
    [
      'wrapped in a cause',
      Object.assign(new Error('bulk run step failed'), {
        cause: named('MongoNetworkError', 'read ECONNRESET'),
      }),
    ],
  ])('%s: unavailable', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    [
      'a duplicate key',
      named('MongoBulkWriteError', 'E11000 duplicate key error', { code: 11000 }),
    ],
    ['a validation error', named('ValidationError', 'recipientEmail: required')],
    ['a socket error of another kind', named('Error', 'read ECONNRESET')],
    ['nothing', undefined],
  ])('%s: not a database outage', (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
