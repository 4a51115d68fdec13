import { safeReturnPath } from '../../../src/web/return-path.js';

describe('safeReturnPath', () => {
  it.each([
    ['/compte', '/compte'],
    ['/structures/a/membres?x=1', '/structures/a/membres?x=1'],
    ['/invitation/abc', '/invitation/abc'],
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

  it('When encoded line breaks are given, then they stay encoded (no header splitting)', () => {
    expect(safeReturnPath('/%0d%0aSet-Cookie:x')).toBe('/%0d%0aSet-Cookie:x');
  });
});
