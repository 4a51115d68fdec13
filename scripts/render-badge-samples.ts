/**
 * Renders every badge template with sample values into test-results/badges/, plus one contact
 * sheet per size, to look at the designs: node --import tsx scripts/render-badge-samples.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import {
  listPictograms,
  listTemplates,
  renderBadgePng,
  type BadgeArtInput,
} from '../src/libraries/badge-art/index.js';
import { projectRoot } from '../src/libraries/paths.js';

const samples: { name: string; input: BadgeArtInput }[] = [
  {
    name: 'long',
    input: {
      title: 'Accompagner une démarche administrative en ligne',
      level: 'Niveau 2',
      issuer: 'Ville de Roubaix',
      pictogram: 'demarche',
    },
  },
  {
    name: 'court',
    input: {
      title: 'Sécurité numérique',
      level: 'Expert',
      pictogram: 'securite',
      primaryColor: '#17663a',
      secondaryColor: '#f2b700',
    },
  },
  {
    name: 'accents',
    input: {
      title: 'Éducation aux médias : déjouer les « fake news »',
      level: 'Initié / Confirmé / Expert',
      issuer: 'Coopérative des médiateurs numériques',
      pictogram: 'livre',
      primaryColor: '#6a1b9a',
      secondaryColor: '#ffd54f',
    },
  },
  {
    name: 'clair',
    input: {
      title: 'Anticonstitutionnellement numérique',
      level: 'Niveau 1',
      issuer: 'Centre social',
      pictogram: 'connexion',
      primaryColor: '#f4f4f4',
      secondaryColor: '#ffffff',
    },
  },
  {
    name: 'sans-niveau',
    input: {
      title: 'Smartphone',
      pictogram: 'smartphone',
      primaryColor: '#ffd54f',
      secondaryColor: '#263238',
    },
  },
];

const out = path.join(projectRoot, 'test-results', 'badges');
fs.mkdirSync(out, { recursive: true });
const sizes = [600, 120];
for (const size of sizes) {
  const cells: string[] = [];
  let row = 0;
  for (const t of listTemplates()) {
    samples.forEach((s, col) => {
      cells.push(
        `<image x="${col * (size + 10)}" y="${row * (size + 10)}" width="${size}" height="${size}" href="data:image/png;base64,__${t.id}-${s.name}-${size}__"/>`,
      );
    });
    row++;
  }
  const pngs = new Map<string, Buffer>();
  for (const t of listTemplates()) {
    for (const s of samples) {
      const started = performance.now();
      const png = await renderBadgePng(t.id, s.input, { size });
      const ms = performance.now() - started;
      fs.writeFileSync(path.join(out, `${t.id}-${s.name}-${size}.png`), png);
      pngs.set(`${t.id}-${s.name}-${size}`, png);
      if (size === 600) console.log(`${t.id} ${s.name}: ${ms.toFixed(1)} ms`);
    }
  }
  const w = samples.length * (size + 10);
  const h = row * (size + 10);
  let sheet = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#ffffff"/>${cells.join('')}</svg>`;
  sheet = sheet.replace(/__([a-z0-9-]+)__/g, (_, k: string) => pngs.get(k)!.toString('base64'));
  fs.writeFileSync(path.join(out, `sheet-${size}.png`), new Resvg(sheet).render().asPng());
}
// Every pictogram, on the seal, to check each drawing.
{
  const size = 200;
  const cells: string[] = [];
  const pictos = listPictograms();
  for (const [i, p] of pictos.entries()) {
    const png = await renderBadgePng('seal', { title: p.name.fr, pictogram: p.id }, { size });
    cells.push(
      `<image x="${(i % 6) * (size + 10)}" y="${Math.floor(i / 6) * (size + 10)}" width="${size}" height="${size}" href="data:image/png;base64,${png.toString('base64')}"/>`,
    );
  }
  const w = 6 * (size + 10);
  const h = Math.ceil(pictos.length / 6) * (size + 10);
  const sheet = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#ffffff"/>${cells.join('')}</svg>`;
  fs.writeFileSync(path.join(out, 'sheet-pictograms.png'), new Resvg(sheet).render().asPng());
}
console.log(`wrote ${path.relative(projectRoot, out)}`);
