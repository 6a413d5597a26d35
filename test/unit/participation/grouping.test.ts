import { describe, expect, it } from 'vitest';
import { groupKey, type Stance } from '#domain/participation/comment.ts';
import { type GroupRow, GroupTally, groupingPending, groupSizeOf } from '#domain/participation/grouping.ts';

let n = 0;
function row(
  sectionId: string,
  stance: Stance,
  text: string,
  acceptedAt = '2026-03-02T10:00:00.000Z',
): GroupRow {
  n++;
  return {
    groupKey: groupKey(sectionId, stance, text),
    sectionId,
    stance,
    reference: `REF${String(n).padStart(4, '0')}`,
    acceptedAt,
  };
}

describe('campaign tally', () => {
  it('counts near-identical comments as one group, keeps groups of one out, in any order and page split', () => {
    const rows = [
      row('s1', 'oppose', '¡NO al artículo 5!', '2026-03-02T10:00:03.000Z'),
      row('s1', 'oppose', 'no al articulo 5', '2026-03-02T10:00:01.000Z'),
      row('s1', 'oppose', 'No al artículo 7.', '2026-03-02T10:00:02.000Z'),
      row('s1', 'support', 'no al articulo 5'),
      row('s2', 'oppose', 'no al articulo 5'),
      row('s2', 'oppose', 'Otra cosa distinta'),
      row('s2', 'oppose', 'otra cosa DISTINTA'),
      row('s3', 'observation', 'única'),
    ];
    const whole = new GroupTally();
    whole.add(rows);
    const paged = new GroupTally();
    const shuffled = [...rows].reverse();
    paged.add(shuffled.slice(0, 3));
    paged.add(shuffled.slice(3));
    expect(whole.comments).toBe(8);
    expect(paged.comments).toBe(8);
    const campaigns = whole.campaigns();
    expect(paged.campaigns()).toEqual(campaigns);
    expect(campaigns.map((g) => [g.sectionId, g.stance, g.size]).sort()).toEqual([
      ['s1', 'oppose', 3],
      ['s2', 'oppose', 2],
    ]);
    // The exemplar is the earliest accepted, whatever the order read.
    const five = campaigns.find((g) => g.size === 3)!;
    expect(five.exemplar).toBe(rows[1]!.reference);
    expect(five.key).toBe(groupKey('s1', 'oppose', 'no al articulo 5'));
    // Sorted by key.
    expect(campaigns.map((g) => g.key)).toEqual([...campaigns.map((g) => g.key)].sort());
  });

  it('breaks an acceptance tie by reference', () => {
    const t = new GroupTally();
    const a = row('s1', 'support', 'igual', '2026-03-02T10:00:00.000Z');
    const b = row('s1', 'support', 'igual', '2026-03-02T10:00:00.000Z');
    t.add([b, a]);
    expect(t.campaigns()[0]?.exemplar).toBe(a.reference);
  });

  it('is empty for no comments', () => {
    const t = new GroupTally();
    t.add([]);
    expect(t.comments).toBe(0);
    expect(t.campaigns()).toEqual([]);
  });
});

describe('grouping state', () => {
  it('starts at epoch 1 on the close and moves to a new epoch when a late comment arrives', () => {
    const first = groupingPending(undefined);
    expect(first).toEqual({ state: 'pending', epoch: 1 });
    const done = {
      state: 'done' as const,
      epoch: 1,
      comments: 10,
      groups: 2,
      at: '2026-03-18T05:00:00.000Z',
    };
    expect(groupingPending(done)).toEqual({ ...done, state: 'pending', epoch: 2 });
  });

  it("shows a group's size, 1 for a comment with no group once tallied, unknown before", () => {
    const group = { key: 'k', sectionId: 's1', stance: 'support' as const, size: 7, exemplar: 'R' };
    expect(groupSizeOf(group, undefined)).toBe(7);
    expect(groupSizeOf(undefined, undefined)).toBeNull();
    expect(groupSizeOf(undefined, { state: 'pending', epoch: 1 })).toBeNull();
    expect(groupSizeOf(undefined, { state: 'done', epoch: 1, at: '2026-03-18T05:00:00.000Z' })).toBe(1);
    // Stale again after a late comment: the last tally still stands.
    expect(groupSizeOf(undefined, { state: 'pending', epoch: 2, at: '2026-03-18T05:00:00.000Z' })).toBe(1);
  });
});
