import { createEpochMemo } from '../../libraries/cache/epoch-memo.js';
import type { BadgeClassDoc } from '../achievements/badge-class.model.js';
import type { EndorsementDoc, EndorsementTargetKind } from '../endorsements/endorsement.model.js';
import type { IssuerDoc } from '../issuers/issuer.model.js';
import type { RevocationDoc } from './award.model.js';
import type { ChangeEpoch } from './change-epoch.js';

/**
 * The records every public page and hosted document reads again and again — an issuer, a badge
 * class, whether an award is revoked, the recommendations of an award or a badge class — kept
 * in memory while the change epoch stands (change-epoch.ts), as the verifier keeps our
 * documents (own-documents-cache.ts):
 *  - every write to them changes the epoch once it has landed: a revocation, an issuer edit,
 *    any write to a badge class or a recommendation (their models emit BADGE_CLASS_WRITTEN and
 *    ENDORSEMENT_WRITTEN, whichever component writes); other processes sharing the database see
 *    the change within the epoch's refresh interval;
 *  - the epoch is taken BEFORE the read, so a record read while a change lands is kept under the
 *    old epoch and never served again;
 *  - an issuer or badge class not found is asked again every time (creating one does not
 *    change the epoch); "not revoked" and "no recommendation" are kept, since revoking and
 *    recommending change the epoch;
 *  - records are frozen: a caller that changed one would change it for the next request, and
 *    now fails at once instead;
 *  - bounded by count (least recently used go first), with a time to live as a safety net.
 * Awards themselves are not kept: the holder's chosen name and a deleted account change them
 * without changing the epoch.
 */
export interface PublicRecords {
  issuer(id: string): Promise<IssuerDoc | null>;
  badgeClass(id: string): Promise<BadgeClassDoc | null>;
  revocation(awardId: string): Promise<RevocationDoc | null>;
  /** A target's recommendations, in slot order (for display: the slot a new one takes is read
   *  from the database by the endorsements use case, never from here). */
  recommendations(target: {
    kind: EndorsementTargetKind;
    id: string;
  }): Promise<readonly EndorsementDoc[]>;
}

export interface PublicRecordsDeps {
  changes: Pick<ChangeEpoch, 'current'>;
  issuers: { findById(id: string): Promise<IssuerDoc | null> };
  badgeClasses: { findById(id: string): Promise<BadgeClassDoc | null> };
  awards: { findRevocation(awardId: string): Promise<RevocationDoc | null> };
  endorsements?: {
    listForTarget(target: { kind: EndorsementTargetKind; id: string }): Promise<EndorsementDoc[]>;
  };
  maxEntries?: number;
  ttlMs?: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
}

export function publicRecordsCache(deps: PublicRecordsDeps): PublicRecords {
  const options = {
    maxEntries: deps.maxEntries ?? 2000,
    ttlMs: deps.ttlMs ?? 10 * 60 * 1000,
    now: deps.now ?? Date.now,
  };
  /** One memo per kind of record, each with its own bound. */
  function kept<T>(read: (id: string) => Promise<T>, keep: (value: T) => boolean) {
    const memo = createEpochMemo(options);
    return async (id: string): Promise<T> =>
      memo.remember(await deps.changes.current(), id, async () => deepFreeze(await read(id)), keep);
  }

  const found = (value: unknown) => value !== null;
  const always = () => true;
  // Kept by "kind:id" (ids may hold a colon; kinds do not).
  const recommendations = kept(async (key: string) => {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon) as EndorsementTargetKind;
    return deps.endorsements
      ? deps.endorsements.listForTarget({ kind, id: key.slice(colon + 1) })
      : [];
  }, always);
  return {
    issuer: kept((id) => deps.issuers.findById(id), found),
    badgeClass: kept((id) => deps.badgeClasses.findById(id), found),
    revocation: kept((awardId) => deps.awards.findRevocation(awardId), always),
    recommendations: (target) => recommendations(`${target.kind}:${target.id}`),
  };
}

function deepFreeze<T>(value: T): T {
  // Bytes (an uploaded logo) cannot be frozen; nothing on a page writes to them.
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
