import {
  LINKEDIN_ADD_TO_PROFILE,
  buildLinkedInAddToProfileUrl,
  shortCredentialId,
  yearMonthOf,
  type LinkedInCertification,
} from '../../../../src/core/index.js';

const base: LinkedInCertification = {
  name: 'Accompagner une démarche en ligne',
  organizationName: 'Ville de Roubaix',
  issuedOn: new Date('2027-03-15T10:00:00Z'),
  certUrl: 'https://badges.example.fr/assertions/aB3_x-9QkLm2ZpQw',
  certId: '7K3M-Q9XA',
};

const paramsOf = (url: string) => {
  expect(url.startsWith(`${LINKEDIN_ADD_TO_PROFILE}?`)).toBe(true);
  return new URL(url).searchParams;
};

describe('LinkedIn "Add to profile" link', () => {
  it('When a badge is built, then every field is there and startTask asks for a certification', () => {
    const p = paramsOf(buildLinkedInAddToProfileUrl(base));
    expect(Object.fromEntries(p)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Accompagner une démarche en ligne',
      organizationName: 'Ville de Roubaix',
      issueYear: '2027',
      issueMonth: '3',
      certUrl: 'https://badges.example.fr/assertions/aB3_x-9QkLm2ZpQw',
      certId: '7K3M-Q9XA',
    });
  });

  it('When the badge was issued in January or December, then the month is 1 or 12 (not 0 or 11)', () => {
    const jan = paramsOf(
      buildLinkedInAddToProfileUrl({ ...base, issuedOn: new Date('2027-01-10T12:00:00Z') }),
    );
    expect(jan.get('issueMonth')).toBe('1');
    const dec = paramsOf(
      buildLinkedInAddToProfileUrl({ ...base, issuedOn: new Date('2027-12-10T12:00:00Z') }),
    );
    expect(dec.get('issueMonth')).toBe('12');
    expect(dec.get('issueYear')).toBe('2027');
  });

  it('When a badge is issued on New Year’s Eve at 23:30 in Roubaix, then it counts in January of the next year', () => {
    // 2027-12-31T23:30 Paris time is still 22:30 UTC: the calendar is the issuer's.
    expect(yearMonthOf(new Date('2027-12-31T23:30:00Z'))).toEqual({ year: 2028, month: 1 });
    expect(yearMonthOf(new Date('2027-12-31T23:30:00Z'), 'UTC')).toEqual({
      year: 2027,
      month: 12,
    });
  });

  it('When the badge expires, then the expiration year and month are given; otherwise they are absent', () => {
    const expiring = paramsOf(
      buildLinkedInAddToProfileUrl({ ...base, expires: new Date('2029-12-01T12:00:00Z') }),
    );
    expect(expiring.get('expirationYear')).toBe('2029');
    expect(expiring.get('expirationMonth')).toBe('12');
    const forever = paramsOf(buildLinkedInAddToProfileUrl(base));
    expect(forever.has('expirationYear')).toBe(false);
    expect(forever.has('expirationMonth')).toBe(false);
  });

  it('When names hold accents, "&", "+", "=", "#" and spaces, then each is percent-encoded and reads back exactly', () => {
    const name = 'Médiation & accès + droits = "Niveau 2" #1';
    const organizationName = 'Centre social l’Épeule & Co';
    const url = buildLinkedInAddToProfileUrl({ ...base, name, organizationName });
    const query = url.slice(url.indexOf('?') + 1);
    // One parameter per field: the "&" of a name never splits the query.
    expect(query.split('&')).toHaveLength(7);
    expect(query).not.toMatch(/[ éÉ’"#+]/);
    expect(query).toContain('name=M%C3%A9diation%20%26%20acc%C3%A8s%20%2B%20droits%20%3D');
    const p = paramsOf(url);
    expect(p.get('name')).toBe(name);
    expect(p.get('organizationName')).toBe(organizationName);
    // Read by a decoder that only knows percent-encoding, too.
    const raw = Object.fromEntries(
      query.split('&').map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]),
    );
    expect(raw.name).toBe(name);
    expect(raw.certUrl).toBe(base.certUrl);
  });

  it('When the issuer has a LinkedIn company id, then organizationId replaces organizationName', () => {
    const p = paramsOf(buildLinkedInAddToProfileUrl({ ...base, organizationId: '1337' }));
    expect(p.get('organizationId')).toBe('1337');
    expect(p.has('organizationName')).toBe(false);
    // Something that is not a company id is not sent as one.
    const q = paramsOf(buildLinkedInAddToProfileUrl({ ...base, organizationId: '13a7' }));
    expect(q.has('organizationId')).toBe(false);
    expect(q.get('organizationName')).toBe('Ville de Roubaix');
  });

  it('When a urn:uuid is given as certId, then the link is refused', () => {
    expect(() =>
      buildLinkedInAddToProfileUrl({
        ...base,
        certId: 'urn:uuid:3b1a4c2e-9b7f-4d2a-8c1e-2f6a7b8c9d0e',
      }),
    ).toThrow(/urn:uuid/);
  });
});

describe('short credential id', () => {
  it('When derived from an award id, then it is short, readable, stable and never a urn:uuid', () => {
    const id = shortCredentialId('aB3_x-9QkLm2ZpQw');
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(shortCredentialId('aB3_x-9QkLm2ZpQw')).toBe(id);
    expect(shortCredentialId('urn:uuid:3b1a4c2e-9b7f-4d2a-8c1e-2f6a7b8c9d0e')).not.toMatch(/urn/i);
  });

  it('When two awards differ, then their ids differ (1,000 random awards, no collision)', () => {
    const ids = new Set(
      Array.from({ length: 1000 }, (_, i) => shortCredentialId(`award-${i}-${i * 7919}`)),
    );
    expect(ids.size).toBe(1000);
  });
});
