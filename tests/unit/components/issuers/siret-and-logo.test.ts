import { issuerImageFrom } from '../../../../src/components/issuers/issuer-image.js';
import { isValidSiret, normaliseSiret } from '../../../../src/components/issuers/siret.js';

describe('SIRET', () => {
  it('When a SIRET passes the Luhn key, then it is valid, typed with spaces or not', () => {
    expect(isValidSiret('21590512800017')).toBe(true); // Ville de Roubaix
    expect(isValidSiret('215 905 128 00017')).toBe(true);
    expect(normaliseSiret('215 905 128 00017')).toBe('21590512800017');
  });
  it('When one digit is wrong, or the length, then it is refused', () => {
    expect(isValidSiret('21590512800018')).toBe(false);
    expect(isValidSiret('2159051280001')).toBe(false);
    expect(isValidSiret('2159051280001A')).toBe(false);
  });
  it("When it is one of La Poste's establishments, then its digits must add up to a multiple of 5", () => {
    expect(isValidSiret('35600000049837')).toBe(true);
    expect(isValidSiret('35600000049838')).toBe(false);
    expect(isValidSiret('35600000000048')).toBe(true); // head office: Luhn
  });
});

describe('issuer logo', () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  const file = (buffer: Buffer) => ({ buffer, size: buffer.length });

  it('When a PNG or an SVG is uploaded, then it is kept with its type and a short hash', () => {
    expect(issuerImageFrom(file(png))).toMatchObject({
      contentType: 'image/png',
      etag: expect.stringMatching(/^[\w-]{16}$/),
    });
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(issuerImageFrom(file(svg))).toMatchObject({ contentType: 'image/svg+xml' });
  });
  it('When nothing, something else or something too big is uploaded, then it is absent or refused', () => {
    expect(issuerImageFrom(undefined)).toBeUndefined();
    expect(issuerImageFrom(file(Buffer.alloc(0)))).toBeUndefined();
    expect(issuerImageFrom(file(Buffer.from('<html><svg></svg></html>')))).toBe('invalid');
    expect(issuerImageFrom(file(Buffer.from('GIF89a')))).toBe('invalid');
    expect(issuerImageFrom(file(Buffer.concat([png, Buffer.alloc(210 * 1024)])))).toBe('invalid');
  });
});
