/**
 * SIRET: the 14-digit identifier of a French establishment (SIREN + NIC), checked with the
 * Luhn key. La Poste's establishments (SIREN 356 000 000) are the one documented exception:
 * their digits add up to a multiple of 5 instead.
 */
const LA_POSTE_SIREN = '356000000';

/** Digits only: coordinators paste "215 905 128 00017" or "21590512800017". */
export function normaliseSiret(value: string): string {
  return value.replace(/[\s.\u00a0\u202f-]/g, '');
}

export function isValidSiret(value: string): boolean {
  const siret = normaliseSiret(value);
  if (!/^\d{14}$/.test(siret)) return false;
  const digits = [...siret].map(Number);
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== '35600000000048') {
    return digits.reduce((a, b) => a + b, 0) % 5 === 0;
  }
  // Luhn: from the right, every second digit is doubled (minus 9 when over 9).
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = digits[13 - i]!;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
