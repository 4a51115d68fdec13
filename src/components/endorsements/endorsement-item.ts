import type { TFunction } from 'i18next';
import type { EndorsementDoc } from './endorsements.use-case.js';

/** One recommendation as pages list it. */
export function endorsementItem(e: EndorsementDoc, tr: TFunction, issuerName?: string) {
  return {
    id: e._id,
    url: `/recommandations/${encodeURIComponent(e._id)}`,
    name: e.endorserName,
    role: String(tr(`endorsements.roles.${e.endorserRole}`)),
    issuerName,
    comment: e.comment,
    issuedOn: e.issuedOn,
    personUrl: `/emetteurs/${encodeURIComponent(e.issuerId)}/personnes/${encodeURIComponent(e.endorserProfileId)}`,
  };
}
