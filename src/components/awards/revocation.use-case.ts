import { NotFoundError, ValidationError } from '../../libraries/errors/app-error.js';
import { authorize } from '../../libraries/authz/authorization.js';
import { str } from '../../libraries/http/params.js';
import type { AwardDoc } from './award.model.js';
import { AWARD_LIMITS, type Actor, type AwardsContext } from './awards.context.js';

/** Revoking an award: by its issuer (with an email), or when its holder deletes their account. */
export function revocationUseCases(
  ctx: AwardsContext,
  signHolderName: (awardId: string, displayName: string | undefined) => Promise<void>,
) {
  const { awards, revoke } = ctx;
  return {
    /**
     * Revokes an award with a reason: the insert-only revocation record flips the OB 2.0
     * revocation list, the OB 3.0 status list and the hosted assertion (410) at once.
     * Revoking an award twice changes nothing.
     */
    async revokeAward(input: {
      actor: Actor;
      ip: string;
      issuerId: string;
      awardId: string;
      reason: unknown;
    }): Promise<{ revoked: boolean; award: AwardDoc; mailSent?: boolean }> {
      authorize(input.actor, 'award.revoke', { issuerId: input.issuerId });
      const award = await awards.findById(input.awardId);
      if (!award || award.issuerId !== input.issuerId) throw new NotFoundError();
      const reason = str(input.reason).trim().replace(/\s+/g, ' ');
      if (!reason) {
        throw new ValidationError([
          { field: 'reason', messageKey: 'awards.errors.reasonRequired' },
        ]);
      }
      if (reason.length > AWARD_LIMITS.reason) {
        throw new ValidationError([
          {
            field: 'reason',
            messageKey: 'awards.errors.tooLong',
            params: { max: AWARD_LIMITS.reason },
          },
        ]);
      }
      return revoke(award, reason, input.actor, input.ip, { notify: true });
    },

    /**
     * The recipient deletes their account (src/components/my-data): their award is revoked
     * like any other (revocation record, status lists, audit), without an email to an address
     * that is about to be erased. The caller has checked the award is the actor's.
     */
    async revokeForDeletedAccount(input: {
      actor: Actor;
      ip: string;
      awardId: string;
      reason: string;
    }): Promise<{ revoked: boolean }> {
      const award = await awards.findById(input.awardId);
      if (!award) throw new NotFoundError();
      // The holder's name leaves the signed credential too (signed again without it).
      if (award.holder?.displayName) await signHolderName(award._id, undefined);
      const { revoked } = await revoke(award, input.reason, input.actor, input.ip, {
        notify: false,
      });
      return { revoked };
    },
  };
}
