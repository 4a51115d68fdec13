import { pathRedactor } from '../../../src/app/log-redaction.js';
import type { RouteDef } from '../../../src/libraries/web/route-table.js';

const route = (path: string): RouteDef => ({
  method: 'get',
  path,
  access: { kind: 'public' },
  handlers: [],
});

describe('pathRedactor', () => {
  const redact = pathRedactor([
    route('/invitation/:token'),
    route('/compte/adresse/confirmer/:token'),
    route('/structures/:issuerId/membres'),
  ]);
  const token = 'ohdWE4YPL8e-OuWpLVvtMppYe3g2UGDLil5Ijn90BG8';

  it('When a path holds a token parameter, then the token is replaced', () => {
    expect(redact(`/invitation/${token}`)).toBe('/invitation/[redacted]');
    expect(redact(`/invitation/${token}/`)).toBe('/invitation/[redacted]');
    expect(redact('/compte/adresse/confirmer/anything')).toBe(
      '/compte/adresse/confirmer/[redacted]',
    );
  });

  it('When another path carries something shaped like a token, then it is replaced too', () => {
    expect(redact(`/ailleurs/${token}`)).toBe('/ailleurs/[redacted]');
  });

  it('When a path has no secret, then it is logged as is', () => {
    expect(redact('/structures/ville-de-roubaix/membres')).toBe(
      '/structures/ville-de-roubaix/membres',
    );
    expect(redact('/badges/0f0e6c44-3f5e-4a5b-9a4c-2f6a1b2c3d4e')).toBe(
      '/badges/0f0e6c44-3f5e-4a5b-9a4c-2f6a1b2c3d4e',
    );
  });
});
