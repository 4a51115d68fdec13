/** The rules a client's registration and scopes must follow (RFC 8252 § 7.3, OB 3.0 § 6.2). */
import { redirectUriProblem } from '../../../../src/components/ob-api/oauth.use-case.js';
import {
  parseScopes,
  scopeLabelKey,
  OB_SCOPES,
} from '../../../../src/components/ob-api/ob-api.scopes.js';

describe('OAuth rules of the OB 3.0 API', () => {
  it('When a redirect URI is https or http on loopback, then it is accepted; anything else is refused', () => {
    for (const ok of [
      'https://passeport.example.org/retour',
      'http://127.0.0.1:8123/callback',
      'http://[::1]:8123/callback',
      'http://localhost/callback',
    ]) {
      expect([ok, redirectUriProblem(ok)]).toEqual([ok, undefined]);
    }
    for (const bad of [
      'http://passeport.example.org/retour',
      'http://127.0.0.1.example.org/retour',
      'https://passeport.example.org/retour#fragment',
      'https://moi:secret@passeport.example.org/',
      'javascript:alert(1)',
      'com.example.app:/callback',
      'pas une adresse',
    ]) {
      expect([bad, redirectUriProblem(bad)]).not.toEqual([bad, undefined]);
    }
  });

  it('When scopes are asked for, then only the four OB 3.0 scopes are kept, in the spec order', () => {
    const { scopes, unknown } = parseScopes(
      `${OB_SCOPES.profileUpdate} openid ${OB_SCOPES.credentialReadonly} ${OB_SCOPES.profileUpdate}`,
    );
    expect(scopes).toEqual([OB_SCOPES.credentialReadonly, OB_SCOPES.profileUpdate]);
    expect(unknown).toEqual(['openid']);
    expect(scopeLabelKey(OB_SCOPES.credentialUpsert)).toBe('obApi.scopes.credential_upsert');
  });
});
