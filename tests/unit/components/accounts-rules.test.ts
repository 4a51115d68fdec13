import { isEmailAddress, normaliseEmail } from '../../../src/components/accounts/email-address.js';
import { passwordProblem } from '../../../src/components/accounts/password.js';
import { describeUserAgent } from '../../../src/components/accounts/session.js';
import { parseEmailList } from '../../../src/components/invitations/invitations.use-case.js';
import { slugify } from '../../../src/libraries/text/slug.js';

describe('password rules', () => {
  it.each([
    ['court', 'accounts.password.tooShort'],
    ['karim@example.org', 'accounts.password.isEmail'],
    ['KARIM', undefined],
    ['azertyuiop123', 'accounts.password.obvious'],
    ['aaaaaaaaaaaaaaa', 'accounts.password.obvious'],
    ['le tram part à huit heures', undefined],
    ['x'.repeat(257), 'accounts.password.tooLong'],
  ])('When the password is %p, then the problem is %p', (pw, expected) => {
    const problem = passwordProblem(pw === 'KARIM' ? 'karimkarimkarim' : pw, {
      email: 'karim@example.org',
    });
    expect(problem).toBe(expected);
  });

  it("When the password is the address's local part, then it is refused", () => {
    expect(
      passwordProblem('karim.benali.roubaix', { email: 'karim.benali.roubaix@example.org' }),
    ).toBe('accounts.password.isEmail');
  });
});

describe('email addresses', () => {
  it('When addresses are typed with spaces and capitals, then they are normalised', () => {
    expect(normaliseEmail('  Karim@Example.ORG ')).toBe('karim@example.org');
    expect(isEmailAddress('karim@example.org')).toBe(true);
    for (const bad of [
      'karim',
      'karim@',
      '@example.org',
      'karim@example',
      'a b@example.org',
      'a@b.c',
    ]) {
      expect([bad, isEmailAddress(bad)]).toEqual([bad, false]);
    }
  });

  it('When a list is pasted, then lines, commas, semicolons and "Name <address>" are understood', () => {
    const { emails, problems } = parseEmailList(
      'Karim <KARIM@example.org>, samia@example.org\n\n  leo@example.org ; faux@\nkarim@example.org',
    );
    expect(emails).toEqual(['karim@example.org', 'samia@example.org', 'leo@example.org']);
    expect(problems).toEqual([
      { line: 3, value: 'faux@', messageKey: 'invitations.errors.invalidLine' },
    ]);
  });
});

describe('small helpers', () => {
  it('When an issuer name has accents and dashes, then its id is a readable slug', () => {
    expect(slugify('Ville de Roubaix — Coopérative des médiateurs numériques')).toBe(
      'ville-de-roubaix-cooperative-des-mediateurs-numeriques',
    );
    expect(slugify('!!!')).toBe('');
  });

  it('When a user agent is summarised, then browser and system are recognised', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
      ),
    ).toEqual({ browser: 'Samsung Internet', system: 'Android' });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ browser: 'Safari', system: 'iOS' });
    expect(describeUserAgent('')).toEqual({ browser: '', system: '' });
  });
});
