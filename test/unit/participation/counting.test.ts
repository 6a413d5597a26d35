import { describe, expect, it } from 'vitest';
import { counterNames } from '#domain/participation/comment.ts';
import {
  type CountedComment,
  countSince,
  type StreamComment,
  sequenceKey,
} from '#domain/participation/counting.ts';

const comment = (over: Partial<CountedComment> = {}): CountedComment => ({
  consultationId: 'MINTIC-C-ABCD1234',
  reference: '7K2M-9Q4X-0B3D-R8TW',
  sectionId: 's1',
  stance: 'support',
  ...over,
});
const at = (sequence: string, over: Partial<CountedComment> = {}): StreamComment => ({
  sequence,
  comment: comment(over),
});

describe('stream sequence keys', () => {
  it('compare like the numbers, whatever their length', () => {
    expect(sequenceKey('9') < sequenceKey('10')).toBe(true);
    expect(sequenceKey('000000000000000000002') > sequenceKey('1')).toBe(true);
    expect(sequenceKey('12345678901234567890123456789012345678')).toHaveLength(40);
  });

  it('refuses what is not a sequence number', () => {
    expect(() => sequenceKey('')).toThrow(RangeError);
    expect(() => sequenceKey('12a')).toThrow(RangeError);
    expect(() => sequenceKey('1'.repeat(41))).toThrow(RangeError);
  });
});

describe('counting from the stream', () => {
  const records = [
    at('100', { department: '11' }),
    at('101', { stance: 'oppose', ageBand: '18_28' }),
    at('102'),
    at('103', { sectionId: 's2', stance: 'observation' }),
  ];

  it('counts every record the first time, and sets the checkpoint to the highest', () => {
    const plan = countSince(records, undefined);
    expect(plan.counted).toBe(4);
    expect(plan.through).toBe(sequenceKey('103'));
    expect(plan.deltas).toEqual({
      [counterNames.comments('s1', 'support')]: 2,
      [counterNames.comments('s1', 'oppose')]: 1,
      [counterNames.comments('s2', 'observation')]: 1,
      [counterNames.department('11')]: 1,
      [counterNames.ageBand('18_28')]: 1,
    });
  });

  it('skips what a checkpoint says was counted: a retried batch counts only its new records', () => {
    const plan = countSince([...records, at('104')], sequenceKey('102'));
    expect(plan.counted).toBe(2);
    expect(plan.through).toBe(sequenceKey('104'));
    expect(plan.deltas).toEqual({
      [counterNames.comments('s2', 'observation')]: 1,
      [counterNames.comments('s1', 'support')]: 1,
    });
    expect(countSince(records, sequenceKey('103'))).toEqual({
      deltas: {},
      counted: 0,
      through: sequenceKey('103'),
    });
  });

  it('gives the same totals however a burst is split into deliveries and retried', () => {
    const burst = Array.from({ length: 200 }, (_, i) =>
      at(String(1000 + i), {
        stance: (['support', 'oppose', 'observation'] as const)[i % 3]!,
        sectionId: `s${(i % 4) + 1}`,
      }),
    );
    const once = countSince(burst, undefined).deltas;
    // Deliveries of random sizes, each retried a random number of times (from the same start).
    let checkpoint: string | undefined;
    const totals: Record<string, number> = {};
    let i = 0;
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    while (i < burst.length) {
      const size = 1 + Math.floor(random() * 40);
      const batch = burst.slice(i, i + size);
      for (let retry = Math.floor(random() * 3); retry >= 0; retry--) {
        const plan = countSince(batch, checkpoint);
        for (const [k, v] of Object.entries(plan.deltas)) totals[k] = (totals[k] ?? 0) + v;
        checkpoint = plan.through;
      }
      i += size;
    }
    expect(totals).toEqual(once);
    expect(Object.values(totals).reduce((a, b) => a + b, 0)).toBe(200);
  });
});
