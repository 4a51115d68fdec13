import type { Connection } from 'mongoose';

/**
 * A number that changes whenever this platform's badges may verify differently: a revocation,
 * a key rotation, a new recommendation (the verifier lists them) or an issuer's edited profile
 * (its name and logo are shown). Verification results of our own badges are reused only while it is
 * unchanged (see the verification service), so a revocation shows at once.
 *
 * In this process, `bump()` is called by the use cases that revoke, rotate or edit an issuer.
 * Other processes sharing the database are noticed by counting the revocations and keys (and
 * reading the last issuer edit), at most once per `refreshMs` and only when someone asks.
 */
export interface ChangeEpoch {
  current(): Promise<number>;
  bump(): void;
}

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

  async function refresh(): Promise<void> {
    const [revocations, keys, endorsements, edited] = await Promise.all([
      deps.db.collection('revocations').estimatedDocumentCount(),
      deps.db.collection('issuer_keys').estimatedDocumentCount(),
      deps.db.collection('endorsements').estimatedDocumentCount(),
      deps.db
        .collection('issuers')
        .find({ updatedAt: { $exists: true } }, { projection: { updatedAt: 1 } })
        .sort({ updatedAt: -1 })
        .limit(1)
        .toArray(),
    ]);
    const lastEdit = (edited[0]?.updatedAt as Date | undefined)?.getTime() ?? 0;
    const state = `${revocations}:${keys}:${endorsements}:${lastEdit}`;
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
    },
  };
}
