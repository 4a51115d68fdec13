import {
  expandIri,
  isValidType,
  OB2_SCOPE,
  scopeOf,
} from '../../../../src/core/verification/ob2/ob2-term-scope.js';
import {
  isIri,
  isUrlAuthority,
  parseDateTime,
} from '../../../../src/core/verification/ob2/ob2-values.js';

describe('OB 2.0 value checks', () => {
  it('When dates carry a time zone, then they parse; without one or out of the calendar, they do not', () => {
    expect(parseDateTime('2016-12-31T23:59:59Z')?.toISOString()).toBe('2016-12-31T23:59:59.000Z');
    expect(parseDateTime('2017-10-01T00:00Z')?.toISOString()).toBe('2017-10-01T00:00:00.000Z');
    expect(parseDateTime('2016-12-31T23:59:59.5+01:00')?.toISOString()).toBe(
      '2016-12-31T22:59:59.500Z',
    );
    expect(parseDateTime('2016-12-31T23:59:59-0530')?.toISOString()).toBe(
      '2017-01-01T05:29:59.000Z',
    );
    for (const bad of ['2016-12-31T23:59:59', '2016-12-31', '2017-02-30T00:00:00Z', 'hier', 42]) {
      expect(parseDateTime(bad)).toBeUndefined();
    }
  });

  it('When IRIs and hosts are checked, then only what the validator accepts passes', () => {
    expect(isIri('https://example.org/a')).toBe(true);
    expect(isIri('urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9')).toBe(true);
    expect(isIri('_:b0')).toBe(true);
    expect(isIri('ftp://example.org/a')).toBe(false);
    expect(isIri('example.org')).toBe(false);
    expect(isUrlAuthority('example.org')).toBe(true);
    expect(isUrlAuthority('example.org:8443')).toBe(false);
    expect(isUrlAuthority('https://example.org')).toBe(false);
  });

  it('When type values are expanded, then terms, aliases, prefixes and absolute IRIs resolve, others do not', () => {
    expect(expandIri('Assertion', OB2_SCOPE)).toBe('https://w3id.org/openbadges#Assertion');
    expect(expandIri('hosted', OB2_SCOPE)).toBe(expandIri('HostedBadge', OB2_SCOPE));
    expect(expandIri('extensions:Foo', OB2_SCOPE)).toBe(
      'https://w3id.org/openbadges/extensions#Foo',
    );
    expect(expandIri('http://example.com/CoolClass', OB2_SCOPE)).toBe(
      'http://example.com/CoolClass',
    );
    expect(expandIri('NotAKnownClass', OB2_SCOPE)).toBeUndefined();
    expect(isValidType('UNKNOWN', OB2_SCOPE)).toBe(false);
    expect(isValidType('foo:bar', OB2_SCOPE)).toBe(false);
    const inline = scopeOf([{ ex: 'http://example.com/vocab#', Cool: 'ex:Cool' }]);
    expect(expandIri('Cool', inline)).toBe('http://example.com/vocab#Cool');
  });
});
