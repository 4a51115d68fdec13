import type { BadgeClassRepository } from '../achievements/badge-class.repository.js';
import type { IssuerRepository } from '../issuers/issuer.repository.js';
import { requestsContext, type RequestsDeps } from './requests.context.js';
import { requestQuorumUseCases } from './request-quorum.use-case.js';
import { reviewRequestUseCases } from './review-request.use-case.js';
import { submitRequestUseCases } from './submit-request.use-case.js';

export {
  hasQuorum,
  quorumProgress,
  QUEUE_PAGE_SIZE,
  QUORUM_MAX,
  REQUEST_LIMITS,
  type BadgeRequestDoc,
  type QuorumProgress,
  type RequestActor,
  type RequestFormInput,
  type RequestRights,
  type RequestStatus,
  type RequestsDeps,
  type UploadedFile,
} from './requests.context.js';

/** The requests use cases, one file per story: submit, review, quorum. */
export function requestsUseCases(deps: RequestsDeps) {
  const ctx = requestsContext(deps);
  return {
    requestUrl: ctx.requestUrl,
    rightsOf: ctx.rightsOf,
    progressOf: ctx.progressOf,
    ...submitRequestUseCases(ctx),
    ...reviewRequestUseCases(ctx),
    ...requestQuorumUseCases(ctx),
  };
}
export type RequestsUseCases = ReturnType<typeof requestsUseCases>;

/** Reads the request pages need beside the requests: badges and issuers by id. */
export function requestPageReads(deps: {
  badgeClasses: BadgeClassRepository;
  issuers: IssuerRepository;
}) {
  return {
    badgeClass: (id: string) => deps.badgeClasses.findById(id),
    badgesOfIssuer: (issuerId: string) => deps.badgeClasses.listByIssuer(issuerId),
    issuer: (id: string) => deps.issuers.findById(id),
  };
}
export type RequestPageReads = ReturnType<typeof requestPageReads>;
