/**
 * The bounded histogram of business days (histogram.ts): exact counts and mean always, exact
 * nearest-rank median and p90 in range, checked against a sorted array.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCells, type Cells } from '#domain/transparency/contributions.ts';
import {
  emptyHistogram,
  HISTOGRAM_MAX,
  type Histogram,
  histogramCells,
  histogramFromCells,
  mergeHistograms,
  percentile,
  summarize,
} from '#domain/transparency/histogram.ts';

/** The histogram of some values, through the counter cells (as the stream and the report do). */
const histogramOf = (values: readonly number[]): Histogram =>
  histogramFromCells(
    values.reduce<Cells>((cells, v) => addCells(cells, histogramCells('d', v)), {}),
    'd',
  );

/** Nearest rank on the sorted values: the ⌈percent·n/100⌉-th smallest (integer arithmetic). */
function oracle(values: readonly number[], percent: number): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1];
}

describe('histogram', () => {
  it('summarizes a worked example: 1, 2, 2, 3, 7, 7, 9, 10, 14, 15', () => {
    const h = histogramOf([1, 2, 2, 3, 7, 7, 9, 10, 14, 15]);
    // Mean 70 / 10; median: the 5th smallest (7); p90: the 9th (14).
    expect(summarize(h)).toEqual({ count: 10, mean: 7, median: 7, p90: 14 });
    expect(summarize(histogramOf([4]))).toEqual({ count: 1, mean: 4, median: 4, p90: 4 });
    expect(summarize(histogramOf([1, 2]))).toEqual({ count: 2, mean: 1.5, median: 1, p90: 2 });
    expect(summarize(emptyHistogram())).toEqual({ count: 0, mean: null, median: null, p90: null });
  });

  it('keeps values above the bound in the overflow: mean exact, a percentile there is unknown (null)', () => {
    expect(histogramCells('d', HISTOGRAM_MAX)).toEqual({ [`d|${HISTOGRAM_MAX}`]: 1 });
    expect(histogramCells('d', 130)).toEqual({ 'd|over': 1, 'd|overSum': 130 });
    const h = histogramOf([10, 20, 130, 150]);
    expect(h.overflow).toBe(2);
    expect(summarize(h)).toEqual({ count: 4, mean: 77.5, median: 20, p90: null });
    expect(() => histogramCells('d', -1)).toThrow(RangeError);
    expect(() => histogramCells('d', 1.5)).toThrow(RangeError);
    expect(() => percentile(h, 0)).toThrow(RangeError);
  });

  it('merges by summing bins: the merge of two is the histogram of both', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 })),
        fc.array(fc.integer({ min: 0, max: 200 })),
        (a, b) => {
          expect(mergeHistograms(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
        },
      ),
    );
  });

  it('gives the sorted array’s nearest-rank median and p90, and its mean, within the bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: HISTOGRAM_MAX }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (values, percent) => {
          const h = histogramOf(values);
          const s = summarize(h);
          expect(s.count).toBe(values.length);
          expect(s.median).toBe(oracle(values, 50));
          expect(s.p90).toBe(oracle(values, 90));
          expect(percentile(h, percent / 100)).toBe(oracle(values, percent));
          const mean = values.reduce((x, y) => x + y, 0) / values.length;
          expect(s.mean).toBe(Math.round(mean * 100) / 100);
        },
      ),
    );
  });
});
