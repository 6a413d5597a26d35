/**
 * Disclosure control for breakdowns by a commenter's attribute (department, age band): a cell
 * counting fewer than k people (but more than none) is suppressed, and so is a second one when a
 * single cell would be suppressed, because the total is public and a lone hidden cell would be the
 * total minus the others. Pure.
 */

/** k by default: cells of 1 to 4 commenters are not shown. */
export const DEFAULT_DISCLOSURE_K = 5;

export interface Cell {
  value: string;
  count: number;
}

export interface PublishedCell {
  value: string;
  /** null when suppressed. */
  count: number | null;
  suppressed: boolean;
}

/**
 * The cells as they may be published, in the order given. Primary suppression: 0 < count < k.
 * Complementary suppression: when exactly one cell is suppressed, the smallest other non-zero cell
 * is suppressed too (ties: the first). A count of 0 is shown (it describes nobody).
 */
export function suppressSmallCells(
  cells: readonly Cell[],
  k: number = DEFAULT_DISCLOSURE_K,
): PublishedCell[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be a positive integer');
  const hidden = new Set<number>();
  cells.forEach((c, i) => {
    if (c.count > 0 && c.count < k) hidden.add(i);
  });
  if (hidden.size === 1) {
    let pick = -1;
    cells.forEach((c, i) => {
      if (hidden.has(i) || c.count === 0) return;
      if (pick === -1 || c.count < cells[pick]!.count) pick = i;
    });
    if (pick !== -1) hidden.add(pick);
  }
  return cells.map((c, i) =>
    hidden.has(i)
      ? { value: c.value, count: null, suppressed: true }
      : { value: c.value, count: c.count, suppressed: false },
  );
}
