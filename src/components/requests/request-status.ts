import type { TFunction } from 'i18next';
import type { RequestStatus } from './requests.use-case.js';

/** Status words as people say them ("à compléter", "refusée"). */
export function statusLabel(tr: TFunction, status: RequestStatus): string {
  return String(tr(`requests.status.${status}`));
}
