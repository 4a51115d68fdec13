import fs from 'node:fs';
import path from 'node:path';
import {
  bitAt,
  BadgeError,
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  decodeBitstring,
  encodeBitstring,
  MIN_STATUS_LIST_BITS,
} from '../../../../src/core/index.js';
import { validatorTestsDir } from './fixture-support.js';

describe('Bitstring Status List encoding', () => {
  it('When indexes 0, 7 and 131071 are set, then decoding gives exactly those bits in a 16 KiB list', () => {
    const bits = decodeBitstring(encodeBitstring([0, 7, 131071]));
    expect(bits).toHaveLength(MIN_STATUS_LIST_BITS / 8);
    expect(bits[0]).toBe(0b1000_0001);
    expect(bitAt(bits, 131071)).toBe(true);
    expect(bitAt(bits, 1)).toBe(false);
    expect(bitAt(bits, 131072)).toBeUndefined();
  });

  it('When a list is encoded, then it is multibase base64url ("u" prefix) of GZIP data', () => {
    const encoded = encodeBitstring([]);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    expect(Buffer.from(encoded.slice(1), 'base64url').subarray(0, 2)).toEqual(
      Buffer.from([0x1f, 0x8b]),
    );
  });

  it('When the 1EdTech testlist is decoded, then bit 23 (and only it) is set', () => {
    const list = JSON.parse(
      fs.readFileSync(path.join(validatorTestsDir, 'ob30/bit-string-list/testlist'), 'utf8'),
    );
    const bits = decodeBitstring(list.credentialSubject.encodedList);
    expect(bits.length * 8).toBe(131072);
    const set = [...Array(bits.length * 8).keys()].filter((i) => bitAt(bits, i));
    expect(set).toEqual([23]);
  });

  it('When a list shorter than 131072 bits or an index outside it is asked for, then it is refused', () => {
    expect(() => encodeBitstring([], 1024)).toThrow(BadgeError);
    expect(() => encodeBitstring([MIN_STATUS_LIST_BITS])).toThrow(BadgeError);
    expect(() => decodeBitstring('u!!!')).toThrow(BadgeError);
  });

  it('When an entry and a list credential are built, then they have the Bitstring Status List shape', () => {
    const url = 'https://badges.example/status/revocation/1';
    expect(
      buildBitstringStatusListEntry({ statusListCredential: url, statusListIndex: 42 }),
    ).toEqual({
      id: `${url}#42`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '42',
      statusListCredential: url,
    });
    const list = buildBitstringStatusListCredential({
      id: url,
      issuer: 'https://badges.example/issuers/coop',
      validFrom: new Date('2026-01-01T00:00:00.000Z'),
      setIndexes: [42],
    });
    expect(list).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
      },
    });
    const subject = list.credentialSubject as { encodedList: string };
    expect(bitAt(decodeBitstring(subject.encodedList), 42)).toBe(true);
  });
});
