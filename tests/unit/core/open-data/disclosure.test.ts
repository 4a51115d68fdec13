import {
  buildMonthlyStatistics,
  competencyKey,
  MEASURES,
  type BadgeInfo,
  type Fact,
  type MonthlyStatistics,
} from '../../../../src/core/open-data/monthly-statistics.js';

/**
 * An attacker who reads only what is published (the CSV rows and the totals of the page) and
 * knows how the totals are made, and tries to pin down every hidden figure: for each one, it
 * searches for two non-negative integer fillings of the hidden cells that agree with every
 * published total but give that figure different values. Written independently of the
 * suppression code (a brute-force search, not linear algebra).
 */
function exposedFigures(stats: MonthlyStatistics): string[] {
  // Cells: one per month × badge (rows of the competencies of one badge repeat it).
  const cellIndex = new Map<string, number>();
  const cells: { value: number | null; month: string; comps: string[] }[] = [];
  for (const r of stats.rows) {
    const key = `${r.mois} ${r.badge_id}`;
    let i = cellIndex.get(key);
    if (i === undefined) {
      i = cells.length;
      cellIndex.set(key, i);
      cells.push({ value: r.counts.badges_delivres, month: r.mois, comps: [] });
    }
    if (r.referentiel)
      cells[i]!.comps.push(competencyKey({ framework: r.referentiel, code: r.competence_code }));
  }
  const totals: { name: string; value: number | null; members: number[] }[] = [
    ...stats.byMonth.map((m) => ({
      name: `mois ${m.key}`,
      value: m.value,
      members: cells.flatMap((c, i) => (c.month === m.key ? [i] : [])),
    })),
    ...stats.byCompetency.map((c) => ({
      name: `compétence ${c.key}`,
      value: c.value,
      members: cells.flatMap((x, i) => (x.comps.includes(c.key) ? [i] : [])),
    })),
    { name: 'total', value: stats.total, members: cells.map((_, i) => i) },
  ];
  const hidden = cells.flatMap((c, i) => (c.value === null ? [i] : []));
  const published = totals.filter((t) => t.value !== null);
  const cap = 1 + Math.max(30, ...published.map((t) => t.value!));

  /** A filling of the hidden cells that satisfies every published total and `extra`, if any. */
  function solve(extra: (x: Map<number, number>) => boolean, order: number[]): boolean {
    const x = new Map<number, number>();
    const fits = (complete: boolean) =>
      published.every((t) => {
        let sum = 0;
        let open = false;
        for (const i of t.members) {
          const v = cells[i]!.value ?? x.get(i);
          if (v === undefined) open = true;
          else sum += v;
        }
        return open && !complete ? sum <= t.value! : sum === t.value;
      });
    const step = (k: number): boolean => {
      if (k === order.length) return fits(true) && extra(x);
      for (let v = 0; v <= cap; v++) {
        x.set(order[k]!, v);
        if (fits(false) && step(k + 1)) return true;
      }
      x.delete(order[k]!);
      return false;
    };
    return step(0);
  }
  // The true values are one filling; the figure is safe if another filling changes it.
  const truth = new Map<number, number>();
  const exposed: string[] = [];
  for (const i of hidden) {
    const t = trueOf(i);
    truth.set(i, t);
    if (!solve((x) => x.get(i) !== t, [i, ...hidden.filter((j) => j !== i)]))
      exposed.push(`cellule ${i}`);
  }
  // (A total over no cell at all is an empty publication: nothing to find.)
  for (const t of totals.filter((x) => x.value === null && x.members.length > 0)) {
    const trueSum = t.members.reduce(
      (s, i) => s + (cells[i]!.value ?? truth.get(i) ?? trueOf(i)),
      0,
    );
    const sumOf = (x: Map<number, number>) =>
      t.members.reduce((s, i) => s + (cells[i]!.value ?? x.get(i)!), 0);
    if (!solve((x) => sumOf(x) !== trueSum, hidden)) exposed.push(t.name);
  }
  return exposed;

  function trueOf(i: number): number {
    const key = [...cellIndex.entries()].find(([, v]) => v === i)![0];
    return trueValues.get(key)!;
  }
}
/** The true counts of the current dataset ("month badge" → count), known to the test only. */
let trueValues = new Map<string, number>();

/** Small deterministic pseudo-random generator (the same datasets at every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function dataset(seed: number) {
  const rand = rng(seed);
  const comps = [
    { framework: 'crcn', code: '1.1', name: 'a' },
    { framework: 'crcn', code: '2.1', name: 'b' },
    { framework: 'remn', code: 'CCP1', name: 'c' },
  ];
  const badges: BadgeInfo[] = Array.from({ length: 2 + Math.floor(rand() * 3) }, (_, b) => ({
    id: `b${b}`,
    issuerId: 'e',
    name: `Badge ${b}`,
    competencies: comps.filter(() => rand() < 0.45),
    themes: [],
  }));
  const months = ['2027-01', '2027-02', '2027-03'].slice(0, 1 + Math.floor(rand() * 3));
  const facts: Fact[] = [];
  trueValues = new Map();
  let person = 0;
  for (const m of months) {
    for (const b of badges) {
      // Many small counts (the hard case), some large ones.
      const n = rand() < 0.6 ? Math.floor(rand() * 5) : 5 + Math.floor(rand() * 10);
      if (n > 0) trueValues.set(`${m} ${b.id}`, n);
      for (let k = 0; k < n; k++)
        facts.push({ kind: 'issued', month: m, badgeId: b.id, recipient: `p${person++}` });
      if (n > 0 && rand() < 0.5) facts.push({ kind: 'revoked', month: m, badgeId: b.id });
    }
  }
  return { badges, facts };
}

describe('statistical secrecy of the open data', () => {
  it('When 150 random datasets are published, then no count under 5 appears and no hidden figure can be recomputed', () => {
    let hiddenSeen = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { badges, facts } = dataset(seed);
      const stats = buildMonthlyStatistics({
        issuers: [{ id: 'e', name: 'E', fromMonth: '2000-01' }],
        badges,
        facts,
        currentMonth: '2027-04',
      });
      for (const r of stats.rows) {
        for (const m of MEASURES) {
          const v = r.counts[m];
          if (v !== null) expect(v).toBeGreaterThanOrEqual(5);
        }
        expect(r.secret_statistique).toBe(MEASURES.some((m) => r.counts[m] === null));
        // Published recipients would bound a hidden number of badges from below.
        if (r.counts.badges_delivres === null) expect(r.counts.beneficiaires_distincts).toBeNull();
      }
      for (const t of [...stats.byMonth, ...stats.byCompetency, { value: stats.total }])
        if (t.value !== null) expect(t.value).toBeGreaterThanOrEqual(5);
      hiddenSeen += stats.rows.filter((r) => r.counts.badges_delivres === null).length;
      expect({ seed, exposed: exposedFigures(stats) }).toEqual({ seed, exposed: [] });
    }
    // The datasets do exercise the secrecy.
    expect(hiddenSeen).toBeGreaterThan(100);
  });

  it('When only the counts under 5 were hidden, then the attacker above would recompute them (the check can fail)', () => {
    // January: 12 + 3 + 6 = 21 published as a month total; hiding only the 3 gives it away.
    trueValues = new Map([
      ['2027-01 a', 12],
      ['2027-01 b', 3],
      ['2027-01 c', 6],
    ]);
    const naive: MonthlyStatistics = {
      rows: (['a', 'b', 'c'] as const).map((id) => ({
        mois: '2027-01',
        emetteur_id: 'e',
        emetteur_nom: 'E',
        code_insee: '',
        lieu_mediation_id: '',
        badge_id: id,
        badge_nom: id,
        referentiel: '',
        competence_code: '',
        competence_nom: '',
        thematiques: '',
        counts: {
          badges_delivres: id === 'b' ? null : trueValues.get(`2027-01 ${id}`)!,
          beneficiaires_distincts: null,
          badges_revoques: null,
          recommandations: null,
          demandes_recues: null,
          demandes_traitees: null,
        },
        secret_statistique: true,
      })),
      byMonth: [{ key: '2027-01', label: '2027-01', value: 21 }],
      byCompetency: [],
      total: 21,
    };
    expect(exposedFigures(naive)).toEqual(['cellule 1']);
  });

  it('When the seeded month has a 3 next to a 12 and a 6, then the 6 is hidden too and the month total stays', () => {
    const badges: BadgeInfo[] = ['a', 'b', 'c'].map((id) => ({
      id,
      issuerId: 'e',
      name: id,
      competencies: [],
      themes: [],
    }));
    const facts: Fact[] = [];
    let p = 0;
    for (const [id, n] of [
      ['a', 12],
      ['b', 3],
      ['c', 6],
    ] as const)
      for (let k = 0; k < n; k++)
        facts.push({ kind: 'issued', month: '2027-01', badgeId: id, recipient: `p${p++}` });
    const stats = buildMonthlyStatistics({
      issuers: [{ id: 'e', name: 'E', fromMonth: '2000-01' }],
      badges,
      facts,
      currentMonth: '2027-02',
    });
    expect(stats.rows.map((r) => [r.badge_id, r.counts.badges_delivres])).toEqual([
      ['a', 12],
      ['b', null],
      ['c', null],
    ]);
    expect(stats.byMonth[0]!.value).toBe(21);
  });
});
