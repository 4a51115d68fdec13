import { safeReturnPath } from '../../../../src/libraries/web/return-path.js';

describe('safeReturnPath', () => {
  it.each([
    ['/compte', '/compte'],
    ['/structures/a/membres?x=1', '/structures/a/membres?x=1'],
    ['/invitation/abc', '/invitation/abc'],
    ['/a/../compte?retour=//x', '/compte?retour=//x'],
    ['/demandes/%C3%A9t%C3%A9', '/demandes/%C3%A9t%C3%A9'],
  ])('When %s is given, then it is kept', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/compte',
    'javascript:alert(1)',
    'compte',
    '/a\nb',
    '/a\rb',
    '',
    undefined,
    ['/compte'],
  ])('When %p is given, then it is refused', (input) => {
    expect(safeReturnPath(input)).toBeUndefined();
  });

  // Each of these is a path of this site as typed, but another site once normalised or
  // decoded: the check must run on what is returned.
  it.each([
    '/.//evil.example',
    '/..//evil.example',
    '/x/..//evil.example/a',
    '/x/%2e%2e//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/./\\evil',
    '/\\\\evil.example',
    '/%5cevil.example',
    '/%5C%5Cevil.example',
    '/%2f%2fevil.example',
    '/%2F/evil.example',
    '/.%5c/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\u0000/evil.example',
    '/%e0%a4%a',
  ])('When the hostile value %p is given, then it is refused', (input) => {
    expect(safeReturnPath(input)).toBeUndefined();
  });

  it('When encoded line breaks are given, then they stay encoded (no header splitting)', () => {
    expect(safeReturnPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});
