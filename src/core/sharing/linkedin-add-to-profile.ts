/**
 * LinkedIn's "Add to profile" link for a certification, fully prefilled, so a person adds a
 * badge to the "Licences and certifications" section in one click. The parameters are those of
 * LinkedIn's documented Add to Profile form (startTask=CERTIFICATION_NAME).
 */
import { yearMonthOf } from '../calendar.js';

export { yearMonthOf };

export const LINKEDIN_ADD_TO_PROFILE = 'https://www.linkedin.com/profile/add';

export interface LinkedInCertification {
  /** The badge's name: the certification's title. */
  name: string;
  /** The issuer's name, used when it has no LinkedIn company id. */
  organizationName: string;
  /** The issuer's LinkedIn company id (digits); preferred: LinkedIn then shows its logo. */
  organizationId?: string | undefined;
  issuedOn: Date;
  /** Only when the badge expires. */
  expires?: Date | undefined;
  /** The public page of the award: LinkedIn's "See credential" opens it. */
  certUrl: string;
  /** A short human-readable id (see shortCredentialId), never a `urn:uuid:`. */
  certId: string;
  /** The calendar the year and month are read in (the issuer's): Europe/Paris by default. */
  timeZone?: string;
}

export function buildLinkedInAddToProfileUrl(cert: LinkedInCertification): string {
  if (/^urn:uuid:/i.test(cert.certId)) {
    throw new TypeError('certId must be a short human-readable id, not a urn:uuid');
  }
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: cert.name });
  if (cert.organizationId && /^\d+$/.test(cert.organizationId)) {
    params.set('organizationId', cert.organizationId);
  } else {
    params.set('organizationName', cert.organizationName);
  }
  const issued = yearMonthOf(cert.issuedOn, cert.timeZone);
  params.set('issueYear', String(issued.year));
  params.set('issueMonth', String(issued.month));
  if (cert.expires) {
    const expires = yearMonthOf(cert.expires, cert.timeZone);
    params.set('expirationYear', String(expires.year));
    params.set('expirationMonth', String(expires.month));
  }
  params.set('certUrl', cert.certUrl);
  params.set('certId', cert.certId);
  // URLSearchParams writes a space as "+" (a literal "+" as %2B): %20 reads the same to any
  // decoder, also to those that only know percent-encoding.
  return `${LINKEDIN_ADD_TO_PROFILE}?${params.toString().replace(/\+/g, '%20')}`;
}
