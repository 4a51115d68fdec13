/**
 * Statistical disclosure control for the open data (pure, no I/O).
 *
 * Primary suppression: every count under the threshold (5), zero included, is left empty, so an
 * empty cell never tells "zero" from "one to four".
 * Complementary suppression: the published totals are sums of cells; a suppressed cell must not
 * be recomputable from them. A suppressed cell counts as recomputable when (a) it is a linear
 * combination of the published figures (its unit vector lies in the row space of the system of
 * totals over the suppressed cells), or (b) interval propagation over the totals, knowing only
 * that counts are ≥ 0, pins it to one value (e.g. a total equal to the sum of its published
 * cells reveals that the suppressed ones are 0). Until neither holds, the smallest published
 * cell of an offending total is suppressed as well (or the total itself when all its cells
 * already are).
 */

export const DISCLOSURE_THRESHOLD = 5;

/** A published sum: `total` = Σ `members` (indexes into the cell values). */
export interface SumRelation {
  id: string;
  members: number[];
}

export interface DisclosureInput {
  /** The detail cells (one per base cell; duplicates in the output share a cell). */
  cells: number[];
  /** The totals published next to the cells (page, charts). */
  relations: SumRelation[];
  threshold?: number;
}

export interface DisclosureResult {
  /** Cells published (true) or left empty. */
  cellPublished: boolean[];
  /** Totals published, by relation id. */
  totalPublished: Map<string, boolean>;
  /** Totals' values (the sums), by relation id, published or not. */
  totals: Map<string, number>;
}

/** A variable of the system: a cell or a total. */
type Var = { kind: 'cell'; index: number } | { kind: 'total'; id: string };

export function protect(input: DisclosureInput): DisclosureResult {
  const threshold = input.threshold ?? DISCLOSURE_THRESHOLD;
  const cells = input.cells;
  const totals = new Map<string, number>();
  for (const r of input.relations) {
    totals.set(
      r.id,
      r.members.reduce((s, i) => s + (cells[i] ?? 0), 0),
    );
  }
  const cellPublished = cells.map((v) => v >= threshold);
  const totalPublished = new Map<string, boolean>();
  for (const r of input.relations) totalPublished.set(r.id, (totals.get(r.id) ?? 0) >= threshold);

  // Each round suppresses at least one more figure, so this ends (at worst, all suppressed).
  for (let round = 0; round <= cells.length + input.relations.length + 1; round++) {
    const exposed = recomputable(cells, input.relations, totals, cellPublished, totalPublished);
    if (exposed.length === 0) break;
    if (!suppressOneMore(exposed, input.relations, cells, cellPublished, totalPublished)) {
      // Cannot happen with sums of counts, but if it did: publish nothing rather than too much.
      cellPublished.fill(false);
      for (const r of input.relations) totalPublished.set(r.id, false);
      break;
    }
  }
  return { cellPublished, totalPublished, totals };
}

/** Suppresses one more figure in a relation involving an exposed variable; false if none left. */
function suppressOneMore(
  exposed: Var[],
  relations: SumRelation[],
  cells: number[],
  cellPublished: boolean[],
  totalPublished: Map<string, boolean>,
): boolean {
  const unknowns = (r: SumRelation) =>
    r.members.filter((i) => !cellPublished[i]).length + (totalPublished.get(r.id) ? 0 : 1);
  for (const v of exposed) {
    // The relations that give it away first: those with the fewest unknowns, then the smallest.
    // A hidden total is given away through the other relations that share its cells.
    const own = v.kind === 'total' ? relations.find((r) => r.id === v.id)?.members : undefined;
    const involved = relations
      .filter((r) =>
        v.kind === 'cell'
          ? r.members.includes(v.index)
          : r.id === v.id || r.members.some((i) => own?.includes(i)),
      )
      .sort((a, b) => unknowns(a) - unknowns(b) || a.members.length - b.members.length);
    // In the first relation that has one, hide its smallest published cell.
    for (const r of involved) {
      let best: number | undefined;
      for (const i of r.members) {
        if (!cellPublished[i]) continue;
        if (best === undefined || (cells[i] ?? 0) < (cells[best] ?? 0)) best = i;
      }
      if (best !== undefined) {
        cellPublished[best] = false;
        return true;
      }
    }
    // Every cell of these relations is hidden already: hide a total.
    for (const r of involved) {
      if (totalPublished.get(r.id)) {
        totalPublished.set(r.id, false);
        return true;
      }
    }
  }
  return false;
}

/**
 * The suppressed figures a reader could compute exactly from the published ones (the check
 * the tests also use on the final output).
 */
export function recomputable(
  cells: readonly number[],
  relations: readonly SumRelation[],
  totals: ReadonlyMap<string, number>,
  cellPublished: readonly boolean[],
  totalPublished: ReadonlyMap<string, boolean>,
): Var[] {
  const vars: Var[] = [];
  const cellVar = new Map<number, number>();
  const totalVar = new Map<string, number>();
  const used = new Set<number>();
  for (const r of relations) for (const i of r.members) used.add(i);
  for (const i of [...used].sort((a, b) => a - b)) {
    if (!cellPublished[i]) {
      cellVar.set(i, vars.length);
      vars.push({ kind: 'cell', index: i });
    }
  }
  for (const r of relations) {
    if (!totalPublished.get(r.id)) {
      totalVar.set(r.id, vars.length);
      vars.push({ kind: 'total', id: r.id });
    }
  }
  if (vars.length === 0) return [];

  // Each relation: Σ members − total = 0, split into unknowns (coefficients) and a known part.
  const rows: { coef: Map<number, number>; rhs: number }[] = relations.map((r) => {
    const coef = new Map<number, number>();
    let rhs = 0;
    for (const i of r.members) {
      const k = cellVar.get(i);
      if (k === undefined) rhs -= cells[i] ?? 0;
      else coef.set(k, (coef.get(k) ?? 0) + 1);
    }
    const t = totalVar.get(r.id);
    if (t === undefined) rhs += totals.get(r.id) ?? 0;
    else coef.set(t, (coef.get(t) ?? 0) - 1);
    return { coef, rhs };
  });

  const determined = new Set<number>();
  for (const k of linearlyDetermined(
    rows.map((r) => r.coef),
    vars.length,
  ))
    determined.add(k);
  for (const k of pinnedByBounds(rows, vars.length)) determined.add(k);
  return [...determined].sort((a, b) => a - b).map((k) => vars[k]!);
}

/** Unknowns whose unit vector is in the row space (reduced row echelon form, exact enough). */
function linearlyDetermined(coefs: Map<number, number>[], n: number): number[] {
  const m = coefs.map((c) => {
    const row = new Array<number>(n).fill(0);
    for (const [k, v] of c) row[k] = v;
    return row;
  });
  const eps = 1e-9;
  let pivotRow = 0;
  const pivots: number[] = [];
  for (let col = 0; col < n && pivotRow < m.length; col++) {
    let sel = -1;
    for (let r = pivotRow; r < m.length; r++) if (Math.abs(m[r]![col]!) > eps) sel = r;
    if (sel < 0) continue;
    [m[pivotRow], m[sel]] = [m[sel]!, m[pivotRow]!];
    const p = m[pivotRow]!;
    const pv = p[col]!;
    for (let c = 0; c < n; c++) p[c] = p[c]! / pv;
    for (let r = 0; r < m.length; r++) {
      if (r === pivotRow) continue;
      const f = m[r]![col]!;
      if (Math.abs(f) <= eps) continue;
      for (let c = 0; c < n; c++) m[r]![c] = m[r]![c]! - f * p[c]!;
    }
    pivots.push(col);
    pivotRow++;
  }
  const out: number[] = [];
  for (let r = 0; r < pivots.length; r++) {
    const row = m[r]!;
    const nonZero = row.filter((v) => Math.abs(v) > eps).length;
    if (nonZero === 1) out.push(pivots[r]!);
  }
  return out;
}

/** Interval propagation with counts ≥ 0: unknowns whose lower and upper bounds meet. */
function pinnedByBounds(rows: { coef: Map<number, number>; rhs: number }[], n: number): number[] {
  const lo = new Array<number>(n).fill(0);
  const hi = new Array<number>(n).fill(Infinity);
  for (let pass = 0; pass < 50; pass++) {
    let changed = false;
    for (const { coef, rhs } of rows) {
      // Σ coef_k x_k = rhs; each x_k within [lo, hi].
      for (const [k, a] of coef) {
        let restLo = 0;
        let restHi = 0;
        for (const [j, b] of coef) {
          if (j === k) continue;
          restLo += b > 0 ? b * lo[j]! : b * hi[j]!;
          restHi += b > 0 ? b * hi[j]! : b * lo[j]!;
        }
        // a x_k = rhs − rest
        let newLo = a > 0 ? (rhs - restHi) / a : (rhs - restLo) / a;
        let newHi = a > 0 ? (rhs - restLo) / a : (rhs - restHi) / a;
        if (Number.isNaN(newLo)) newLo = -Infinity;
        if (Number.isNaN(newHi)) newHi = Infinity;
        if (newLo > lo[k]! + 1e-9) {
          lo[k] = newLo;
          changed = true;
        }
        if (newHi < hi[k]! - 1e-9) {
          hi[k] = newHi;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const out: number[] = [];
  // Counts are integers: one integer left in the interval is as good as the value.
  for (let k = 0; k < n; k++)
    if (Math.floor(hi[k]! + 1e-9) <= Math.ceil(lo[k]! - 1e-9)) out.push(k);
  return out;
}
