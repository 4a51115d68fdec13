import {
  displayNameOf,
  slugProblem,
  profileSlug,
} from '../../../../src/components/backpack/backpack.use-case.js';

describe('backpack rules', () => {
  it('When a name is shown short, then it is the first name and the initial of the last name', () => {
    expect(displayNameOf('Karim Benali', 'short')).toBe('Karim B.');
    expect(displayNameOf('  Marie-Claire   de la Fontaine ', 'short')).toBe('Marie-Claire F.');
    expect(displayNameOf('élise ölander', 'short')).toBe('élise Ö.');
    expect(displayNameOf('Karim', 'short')).toBe('Karim');
    expect(displayNameOf('Karim  Benali', 'full')).toBe('Karim Benali');
  });

  it('When a name becomes an address, then accents and spaces go', () => {
    expect(profileSlug('Karim Bénali-Durand')).toBe('karim-benali-durand');
    expect(profileSlug('  Zoé  ')).toBe('zoe');
  });

  it('When an address is checked, then format, length and platform words are refused', () => {
    expect(slugProblem('karim-b')).toBeUndefined();
    expect(slugProblem('')).toBe('profile.errors.slugRequired');
    expect(slugProblem('kb')).toBe('profile.errors.slugLength');
    expect(slugProblem('a'.repeat(41))).toBe('profile.errors.slugLength');
    expect(slugProblem('Karim')).toBe('profile.errors.slugFormat');
    expect(slugProblem('karim--b')).toBe('profile.errors.slugFormat');
    expect(slugProblem('karim-')).toBe('profile.errors.slugFormat');
    expect(slugProblem('admin')).toBe('profile.errors.slugReserved');
  });
});
