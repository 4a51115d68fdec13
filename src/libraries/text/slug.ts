/** "Élodie Dupré" → "Elodie Dupre": the letters without their accents. */
export function withoutAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * "Ville de Roubaix — Médiathèque" → "ville-de-roubaix-mediatheque": lower case, no accents,
 * dashes between words, at most `max` characters (for identifiers, addresses and file names).
 */
export function slugify(text: string, max = 60): string {
  return withoutAccents(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}
