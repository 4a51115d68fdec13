import { shippedFrameworks } from '../../../../src/components/frameworks/frameworks.repository.js';
import {
  alignmentFor,
  competencyCount,
} from '../../../../src/components/frameworks/competency-alignment.js';
import {
  parseFrameworkCsv,
  parseFrameworkJson,
} from '../../../../src/components/frameworks/framework-file.js';
import { translator } from '../../../../src/libraries/i18n/i18n.js';

const meta = { id: 'pix-emploi', name: 'Pix Emploi', lang: 'fr' };

describe('shipped frameworks', () => {
  const byId = Object.fromEntries(shippedFrameworks().frameworks.map((f) => [f.id, f]));

  it('When the platform starts, then CRCN (16), DigComp 2.2 (21) and the REMN blocks (3) are available', () => {
    expect(competencyCount(byId.crcn!)).toBe(16);
    expect(competencyCount(byId['digcomp-2.2']!)).toBe(21);
    expect(byId.remn!.domains.flatMap((d) => d.competencies.map((c) => c.code))).toEqual([
      'CCP1',
      'CCP2',
      'CCP3',
    ]);
  });

  it('When a badge is aligned on CRCN 2.1, then the alignment names the competency, the framework and a stable URL', () => {
    expect(alignmentFor(byId.crcn!, '2.1', 'https://badges.roubaix.fr')).toEqual({
      targetName: 'Interagir',
      targetUrl: 'https://badges.roubaix.fr/referentiels/crcn#competence-2.1',
      targetFramework: 'Cadre de référence des compétences numériques (CRCN)',
      targetCode: '2.1',
      targetDescription: '2 — Communication et collaboration',
    });
    expect(alignmentFor(byId.crcn!, '9.9', 'https://x')).toBeUndefined();
  });
});

describe('framework import', () => {
  const t = translator('fr');

  it('When a semicolon CSV from a spreadsheet is imported, then domains and competencies are built', () => {
    const csv =
      '\ufeffdomaine_code;domaine_libelle;competence_code;competence_libelle\n1;Usages;1.1;Envoyer un courriel\n1;Usages;1.2;Remplir un formulaire\n2;Sécurité;2.1;Repérer une arnaque\n';
    const result = parseFrameworkCsv(csv, meta);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.framework.domains).toHaveLength(2);
    expect(result.framework.domains[0]!.competencies.map((c) => c.code)).toEqual(['1.1', '1.2']);
  });

  it('When a CSV has an empty label and a duplicate code, then each error names its line in plain French', () => {
    const csv =
      'domaine_code,domaine_libelle,competence_code,competence_libelle\n1,Usages,1.1,Envoyer\n1,Usages,1.2,\n1,Usages,1.1,Encore\n';
    const result = parseFrameworkCsv(csv, meta);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.errors.map((e) => t(e.messageKey, e.params ?? {}));
    expect(messages).toEqual([
      'Ligne 3 : le libellé de la compétence est vide ou dépasse 300 caractères.',
      'Ligne 4 : le code « 1.1 » apparaît déjà ligne 2. Chaque compétence doit avoir un code unique.',
    ]);
  });

  it('When a CSV has blank lines and a label over two lines, then errors name the lines of the file', () => {
    const csv =
      'domaine_code,domaine_libelle,competence_code,competence_libelle\n\n1,Usages,1.1,"Envoyer\nun courriel"\n\n1,Usages,1.2,\n1,Usages,1.1,Encore\n';
    const result = parseFrameworkCsv(csv, meta);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => t(e.messageKey, e.params ?? {}))).toEqual([
      'Ligne 6 : le libellé de la compétence est vide ou dépasse 300 caractères.',
      'Ligne 7 : le code « 1.1 » apparaît déjà ligne 3. Chaque compétence doit avoir un code unique.',
    ]);
  });

  it('When a column is missing or the identifier is malformed, then the import is refused and says which', () => {
    const result = parseFrameworkCsv('code,libelle\n1,x\n', { ...meta, id: 'Pix Emploi!' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual(['id', 'file']);
    expect(t(result.errors[1]!.messageKey, result.errors[1]!.params ?? {})).toContain(
      'domaine_code, domaine_libelle',
    );
  });

  it('When JSON in the shipped shape is imported, then it is accepted; a broken one says which competency', () => {
    const good = parseFrameworkJson(
      JSON.stringify({
        domains: [{ code: 'A', label: 'Accueil', competencies: [['A1', 'Accueillir']] }],
      }),
      meta,
    );
    expect(good.ok).toBe(true);
    const bad = parseFrameworkJson(
      JSON.stringify({
        domains: [{ code: 'A', label: 'Accueil', competencies: [{ code: 'A1', label: '' }] }],
      }),
      meta,
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(t(bad.errors[0]!.messageKey, bad.errors[0]!.params ?? {})).toBe(
      'Compétence n° 1 : le libellé est vide ou dépasse 300 caractères.',
    );
    expect(parseFrameworkJson('{not json', meta)).toMatchObject({ ok: false });
  });
});
