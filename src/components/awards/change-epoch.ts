import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';

/**
 * A number that changes whenever this platform's badges may verify differently: a revocation,
 * a key rotation, a new recommendation (the verifier lists them) or an issuer's edited profile
 * (its name and logo are shown). Verification results of our own badges are reused only while it is
 * unchanged (see the verification service), so a revocation shows at once.
 *
 * In this process, `bump()` is called by the use cases that revoke, rotate or edit an issuer.
 * Other processes sharing the database are noticed by counting the revocations and keys (and
 * reading the last issuer edit), at most once per `refreshMs` and only when someone asks; and,
 * for changes that add nothing to count (a key declared compromised, a recommendation signed
 * again under a pseudonym), by a token that every `bump()` replaces in the database with a new
 * random value (never an increment: FerretDB updates are not atomic, a fresh value cannot be lost
 * to a concurrent write).
 */
export interface ChangeEpoch {
  current(): Promise<number>;
  bump(): void;
  /** Waits for the tokens being written (before closing the database, e.g. the admin CLI). */
  settled(): Promise<void>;
}

const TOKEN_ID = 'badges';

export function createChangeEpoch(deps: {
  db: Connection;
  refreshMs?: number;
  now?: () => number;
}): ChangeEpoch {
  const refreshMs = deps.refreshMs ?? 1000;
  const now = deps.now ?? (() => Date.now());
  let epoch = 0;
  let seen = '';
  let checkedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  const writes = new Set<Promise<void>>();
  const tokens = deps.db.collection<{ _id: string; token: string; at: Date }>('change_epochs');

  async function writeToken(): Promise<void> {
    const write = () =>
      tokens.updateOne(
        { _id: TOKEN_ID },
        { $set: { token: randomUUID(), at: new Date() } },
        { upsert: true },
      );
    try {
      await write();
    } catch (e) {
      // Two first writes at once: one insert loses on the unique _id; the update then works.
      if ((e as { code?: number }).code !== 11000) throw e;
      await write();
    }
  }

  async function refresh(): Promise<void> {
    const [revocations, keys, endorsements, edited, token] = await Promise.all([
      deps.db.collection('revocations').estimatedDocumentCount(),
      deps.db.collection('issuer_keys').estimatedDocumentCount(),
      deps.db.collection('endorsements').estimatedDocumentCount(),
      deps.db
        .collection('issuers')
        .find({ updatedAt: { $exists: true } }, { projection: { updatedAt: 1 } })
        .sort({ updatedAt: -1 })
        .limit(1)
        .toArray(),
      tokens.findOne({ _id: TOKEN_ID }),
    ]);
    const lastEdit = (edited[0]?.updatedAt as Date | undefined)?.getTime() ?? 0;
    const state = `${revocations}:${keys}:${endorsements}:${lastEdit}:${token?.token ?? ''}`;
    if (state !== seen) {
      if (seen !== '') epoch++;
      seen = state;
    }
    checkedAt = now();
  }

  return {
    async current() {
      if (now() - checkedAt >= refreshMs) {
        inFlight ??= refresh().finally(() => (inFlight = undefined));
        try {
          await inFlight;
        } catch {
          // The database is away: no cached result can be trusted.
          epoch++;
        }
      }
      return epoch;
    },
    bump() {
      epoch++;
      // The next question re-reads the counts, which now include this change.
      checkedAt = Number.NEGATIVE_INFINITY;
      const write: Promise<void> = writeToken()
        // Unwritten, other processes still see the counts change within refreshMs for most
        // changes; this process has already moved on.
        .catch(() => undefined)
        .finally(() => writes.delete(write));
      writes.add(write);
    },
    async settled() {
      await Promise.all([...writes]);
    },
  };
}
