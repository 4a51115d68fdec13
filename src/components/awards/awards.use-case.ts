import { NotFoundError } from '../../libraries/errors/app-error.js';
import type { AwardDoc } from './award.model.js';
import { awardsContext, type AwardsDeps } from './awards.context.js';
import { awardSignaturesUseCases } from './award-signatures.use-case.js';
import { issuePipelineUseCases } from './issue-pipeline.use-case.js';
import { reissueUseCases } from './reissue.use-case.js';
import { revocationUseCases } from './revocation.use-case.js';

export {
  AWARD_LIMITS,
  checkIssueRequest,
  newAwardId,
  type Actor,
  type AwardsDeps,
  type IssueOutcome,
  type IssueRequest,
  type IssuingContext,
} from './awards.context.js';
export type { PipelineItem, PipelineResult } from './issue-pipeline.use-case.js';

/** The awards use cases, one file per story: issuing pipeline, revocation, re-issue, signatures. */
export function awardsUseCases(deps: AwardsDeps) {
  const ctx = awardsContext(deps);
  const signatures = awardSignaturesUseCases(ctx);
  return {
    createIssuingContext: ctx.createIssuingContext,
    contextFor: ctx.contextFor,
    ...issuePipelineUseCases(ctx),
    ...reissueUseCases(ctx),
    ...signatures,
    ...revocationUseCases(ctx, signatures.signHolderName),

    async getAward(id: string): Promise<AwardDoc> {
      const award = await deps.awards.findById(id);
      if (!award) throw new NotFoundError();
      return award;
    },

    recentForIssuer: (issuerId: string, limit = 20) => deps.awards.listByIssuer(issuerId, limit),
  };
}
export type AwardsUseCases = ReturnType<typeof awardsUseCases>;
