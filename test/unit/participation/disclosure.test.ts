import { describe, expect, it } from 'vitest';
import { suppressSmallCells } from '#domain/participation/disclosure.ts';

const cells = (...counts: number[]) => counts.map((count, i) => ({ value: `v${i}`, count }));
const shown = (out: ReturnType<typeof suppressSmallCells>) => out.map((c) => c.count);

describe('small-cell suppression (k-anonymity of breakdowns)', () => {
  it('hides cells of 1 to k−1 people, shows zeros and cells of k or more', () => {
    expect(shown(suppressSmallCells(cells(0, 1, 4, 5, 30, 2), 5))).toEqual([0, null, null, 5, 30, null]);
  });

  it('hides a second cell when only one would be hidden (the total would give it away)', () => {
    const out = suppressSmallCells(cells(12, 3, 40, 9), 5);
    expect(shown(out)).toEqual([12, null, 40, null]);
    expect(out.filter((c) => c.suppressed)).toHaveLength(2);
  });

  it('hides nothing when every cell is 0 or at least k', () => {
    expect(shown(suppressSmallCells(cells(0, 5, 7), 5))).toEqual([0, 5, 7]);
  });

  it('honours another k', () => {
    expect(shown(suppressSmallCells(cells(9, 10, 11, 3), 10))).toEqual([null, 10, 11, null]);
    expect(() => suppressSmallCells(cells(1), 0)).toThrow(RangeError);
  });
});
