/**
 * The built-in pictograms, drawn for this project on a 24 × 24 grid as stroked paths (2 units
 * wide, round caps and joins), so they stay crisp from 64 to 1024 px and take any colour.
 * Only path data lives here: templates draw them with `{{> pictogram}}`.
 */

export interface PictogramShape {
  d: string;
  /** Filled as well as stroked. */
  fill?: boolean;
}

export interface Pictogram {
  id: string;
  name: { fr: string; en: string };
  shapes: readonly PictogramShape[];
}

export const PICTOGRAM_GRID = 24;

export const pictograms: readonly Pictogram[] = [
  {
    id: 'ordinateur',
    name: { fr: 'Ordinateur', en: 'Computer' },
    shapes: [
      {
        d: 'M4.5 3.5h15A1.5 1.5 0 0 1 21 5v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 14.5V5a1.5 1.5 0 0 1 1.5-1.5z',
      },
      { d: 'M12 16v4' },
      { d: 'M7.5 20.5h9' },
    ],
  },
  {
    id: 'smartphone',
    name: { fr: 'Smartphone', en: 'Smartphone' },
    shapes: [
      {
        d: 'M8.5 2h7A2.5 2.5 0 0 1 18 4.5v15a2.5 2.5 0 0 1-2.5 2.5h-7A2.5 2.5 0 0 1 6 19.5v-15A2.5 2.5 0 0 1 8.5 2z',
      },
      { d: 'M10.5 18.5h3' },
    ],
  },
  {
    id: 'accompagnement',
    name: { fr: 'Accompagnement', en: 'Support' },
    shapes: [
      { d: 'M12 7.5a3.5 3.5 0 1 1-7 0a3.5 3.5 0 1 1 7 0z' },
      { d: 'M2 20.5v-1A5.5 5.5 0 0 1 7.5 14h2A5.5 5.5 0 0 1 15 19.5v1' },
      { d: 'M19.5 8.5a2.5 2.5 0 1 1-5 0a2.5 2.5 0 1 1 5 0z' },
      { d: 'M16.5 13.5H18a4 4 0 0 1 4 4v1' },
    ],
  },
  {
    id: 'demarche',
    name: { fr: 'Démarche en ligne', en: 'Online procedure' },
    shapes: [
      { d: 'M6 2h8.5L19 6.5V21a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1z' },
      { d: 'M14 2v5h5' },
      { d: 'M8 10.5h6' },
      { d: 'M8 13.5h8' },
      { d: 'M8.5 17.5l2 2 4-4' },
    ],
  },
  {
    id: 'securite',
    name: { fr: 'Sécurité', en: 'Security' },
    shapes: [
      {
        d: 'M6 10.5h12a1.5 1.5 0 0 1 1.5 1.5v8a1.5 1.5 0 0 1-1.5 1.5H6A1.5 1.5 0 0 1 4.5 20v-8A1.5 1.5 0 0 1 6 10.5z',
      },
      { d: 'M7.5 10.5V7a4.5 4.5 0 0 1 9 0v3.5' },
      { d: 'M12 15v2.5' },
    ],
  },
  {
    id: 'reseau',
    name: { fr: 'Réseau', en: 'Network' },
    shapes: [
      { d: 'M14.5 4.5a2.5 2.5 0 1 1-5 0a2.5 2.5 0 1 1 5 0z' },
      { d: 'M7.5 18.5a2.5 2.5 0 1 1-5 0a2.5 2.5 0 1 1 5 0z' },
      { d: 'M21.5 18.5a2.5 2.5 0 1 1-5 0a2.5 2.5 0 1 1 5 0z' },
      { d: 'M10.8 6.7l-4.6 9.6' },
      { d: 'M13.2 6.7l4.6 9.6' },
      { d: 'M7.5 18.5h9' },
    ],
  },
  {
    id: 'etoile',
    name: { fr: 'Étoile', en: 'Star' },
    shapes: [
      {
        d: 'M12 2.5l2.8 6 6.5.8-4.8 4.5 1.2 6.5L12 17.1l-5.7 3.2 1.2-6.5-4.8-4.5 6.5-.8z',
        fill: true,
      },
    ],
  },
  {
    id: 'livre',
    name: { fr: 'Livre', en: 'Book' },
    shapes: [
      {
        d: 'M12 6.5C10 4.8 6.8 4.2 2.5 4.5v14c4.3-.3 7.5.3 9.5 2 2-1.7 5.2-2.3 9.5-2v-14c-4.3-.3-7.5.3-9.5 2z',
      },
      { d: 'M12 6.5v14' },
    ],
  },
  {
    id: 'courriel',
    name: { fr: 'Courriel', en: 'Email' },
    shapes: [
      {
        d: 'M4 4.5h16A1.5 1.5 0 0 1 21.5 6v12a1.5 1.5 0 0 1-1.5 1.5H4A1.5 1.5 0 0 1 2.5 18V6A1.5 1.5 0 0 1 4 4.5z',
      },
      { d: 'M3 5.5l9 7 9-7' },
    ],
  },
  {
    id: 'connexion',
    name: { fr: 'Connexion internet', en: 'Internet connection' },
    shapes: [
      { d: 'M2 8.8a14.5 14.5 0 0 1 20 0' },
      { d: 'M5.2 12.4a9.7 9.7 0 0 1 13.6 0' },
      { d: 'M8.4 15.9a5 5 0 0 1 7.2 0' },
      { d: 'M12 19.5h.01' },
    ],
  },
  {
    id: 'diplome',
    name: { fr: 'Diplôme', en: 'Graduation' },
    shapes: [
      { d: 'M12 3.5L1.5 8.5 12 13.5l10.5-5z' },
      { d: 'M5.5 10.5v5c0 1.7 2.9 3.5 6.5 3.5s6.5-1.8 6.5-3.5v-5' },
      { d: 'M21.5 9v6' },
    ],
  },
];

const byId = new Map(pictograms.map((p) => [p.id, p]));

export function findPictogram(id: string): Pictogram | undefined {
  return byId.get(id);
}
