/**
 * A bounded histogram of business days (days to answer, days late), exact to the day: one bin per
 * value 0 … HISTOGRAM_MAX, and one overflow bin with the count and the sum of the values above it,
 * so count and mean are always exact, and median and p90 are exact while they fall in range. Pure.
 */

/**
 * Terms are at most 30 business days, 60 with an extension (Ley 1755 art. 14 par.; art. 14.2):
 * 120 keeps every realistic answer exact, a late one included.
 */
export const HISTOGRAM_MAX = 120;

export interface Histogram {
  /** bins[d]: how many values equal d (length HISTOGRAM_MAX + 1). */
  readonly bins: readonly number[];
  /** How many values exceed HISTOGRAM_MAX, and their sum (for the mean). */
  readonly overflow: number;
  readonly overflowSum: number;
}

export interface HistogramSummary {
  count: number;
  /** Rounded to two decimals; null when empty. */
  mean: number | null;
  /**
   * Nearest-rank percentiles: the smallest value v such that at least ⌈p·count⌉ values are ≤ v.
   * Null when empty, or when that rank lies in the overflow (more than HISTOGRAM_MAX days).
   */
  median: number | null;
  p90: number | null;
}

export function emptyHistogram(): Histogram {
  return { bins: new Array<number>(HISTOGRAM_MAX + 1).fill(0), overflow: 0, overflowSum: 0 };
}

function checkValue(days: number): void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`not a number of days: ${days}`);
}

/** The counter cells one value adds under `prefix` (`<prefix>|<d>`, or the overflow's two). */
export function histogramCells(prefix: string, days: number): Record<string, number> {
  checkValue(days);
  return days <= HISTOGRAM_MAX
    ? { [`${prefix}|${days}`]: 1 }
    : { [`${prefix}|over`]: 1, [`${prefix}|overSum`]: days };
}

/** The histogram kept in `cells` under `prefix` (the cells histogramCells wrote, summed). */
export function histogramFromCells(cells: Readonly<Record<string, number>>, prefix: string): Histogram {
  return {
    bins: Array.from({ length: HISTOGRAM_MAX + 1 }, (_, d) => cells[`${prefix}|${d}`] ?? 0),
    overflow: cells[`${prefix}|over`] ?? 0,
    overflowSum: cells[`${prefix}|overSum`] ?? 0,
  };
}

/** The histogram of both (bin by bin sums): months merge into a period, entities into the country. */
export function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  return {
    bins: a.bins.map((n, d) => n + (b.bins[d] ?? 0)),
    overflow: a.overflow + b.overflow,
    overflowSum: a.overflowSum + b.overflowSum,
  };
}

export function histogramCount(h: Histogram): number {
  return h.bins.reduce((s, n) => s + n, h.overflow);
}

/** The nearest-rank p-percentile (0 < p ≤ 1), as HistogramSummary defines it. */
export function percentile(h: Histogram, p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile out of (0, 1]: ${p}`);
  const count = histogramCount(h);
  if (count === 0) return null;
  // 0.9 × 30 is 27.000000000000004 in binary: without the slack its ceiling would be 28.
  const rank = Math.max(1, Math.ceil(p * count - 1e-9));
  let seen = 0;
  for (const [d, n] of h.bins.entries()) {
    seen += n;
    if (seen >= rank) return d;
  }
  return null;
}

export function summarize(h: Histogram): HistogramSummary {
  const count = histogramCount(h);
  const sum = h.bins.reduce((s, n, d) => s + n * d, h.overflowSum);
  return {
    count,
    mean: count === 0 ? null : Math.round((sum / count) * 100) / 100,
    median: percentile(h, 0.5),
    p90: percentile(h, 0.9),
  };
}
