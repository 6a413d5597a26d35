/**
 * Counting comments from the stream, exactly once, on DynamoDB Local: deliveries of the same
 * records again (whole, overlapping, at the same time) add nothing; the counters equal a recount.
 * The whole path (queue → consumer → table stream → Counting pipe → CountComments) is the
 * story in consultations.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamComments } from '#adapters/dynamodb/streamRecords.ts';
import { countStreamComments } from '#app/commentCount.ts';
import { newReference, STANCES } from '#domain/participation/comment.ts';
import type { StreamComment } from '#domain/participation/counting.ts';
import { countComments } from '#domain/participation/results.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { type ParticipationStores, participationStores } from '#test/support/participationStores.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;
let stores: ParticipationStores;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false, pollers: false });
  stores = participationStores(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

let sequence = 10_000_000_000_000_000_000n;
/** `n` comment records of one consultation, in stream order. */
function records(consultationId: string, n: number): StreamComment[] {
  return Array.from({ length: n }, (_, i) => ({
    sequence: String(sequence++),
    comment: {
      consultationId,
      reference: newReference(),
      sectionId: `s${(i % 3) + 1}`,
      stance: STANCES[i % 3]!,
      ...(i % 4 === 0 ? { department: '05' as const } : {}),
    },
  }));
}

/** Comments counted, from the per-section-and-stance counters. */
const total = (counters: Record<string, number>) =>
  Object.entries(counters)
    .filter(([k]) => k.startsWith('c:'))
    .reduce((s, [, v]) => s + v, 0);

describe('counting from the stream', () => {
  it('counts each record once, however often and in whatever batches it is delivered', async () => {
    const id = 'MINTIC-C-CNT00001';
    const all = records(id, 300);
    expect(await countStreamComments(stores, all.slice(0, 120))).toBe(120);
    // The same batch again (a pipe retry), then an overlapping one, then the rest twice at once.
    expect(await countStreamComments(stores, all.slice(0, 120))).toBe(0);
    expect(await countStreamComments(stores, all.slice(60, 200))).toBe(80);
    const both = await Promise.all([
      countStreamComments(stores, all.slice(150)),
      countStreamComments(stores, all.slice(150)),
    ]);
    expect(both[0] + both[1]).toBe(100);
    const counters = await stores.counters.totals(id, { consistent: true });
    expect(counters).toEqual(countComments(all.map((r) => r.comment)));
    expect(total(counters)).toBe(300);
  });
});

describe('pages of long comments', () => {
  it('carry at most 500,000 characters of text, and every comment once over the pages', async () => {
    const id = 'MINTIC-C-LONG0001';
    const comments = Array.from({ length: 23 }, (_, i) => ({
      type: 'comment' as const,
      reference: newReference(),
      consultationId: id,
      sectionId: 's1',
      stance: STANCES[i % 3]!,
      text: (i % 2 === 0 ? 'é' : '<').repeat(i === 5 ? 10 : 50_000),
      acceptedAt: new Date().toISOString(),
      author: { kind: 'device' as const, hash: 'd'.repeat(64) },
      groupKey: '0123456789abcdef',
      version: 1,
    }));
    await stores.comments.ingest(comments, { overwrite: true });
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.comments.list(id, { limit: 200, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      expect(page.items.reduce((n, c) => n + c.text.length, 0)).toBeLessThanOrEqual(500_000);
      seen.push(...page.items.map((c) => c.reference));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(comments.map((c) => c.reference).sort());
    expect(Math.max(...sizes)).toBeLessThanOrEqual(11);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the stream records the pipe passes on', () => {
  it('reads comment INSERTs and skips anything else', () => {
    const image = {
      type: { S: 'comment' },
      consultationId: { S: 'MINTIC-C-CNT00002' },
      reference: { S: '7K2M-9Q4X-0B3D-R8TW' },
      sectionId: { S: 's2' },
      stance: { S: 'oppose' },
      text: { S: 'Texto' },
      ageBand: { S: '29_44' },
    };
    const { comments, skipped } = streamComments([
      { eventName: 'INSERT', dynamodb: { SequenceNumber: '000000000000000000017', NewImage: image } },
      { eventName: 'MODIFY', dynamodb: { SequenceNumber: '000000000000000000018', NewImage: image } },
      {
        eventName: 'INSERT',
        dynamodb: { SequenceNumber: '000000000000000000019', NewImage: { type: { S: 'comment' } } },
      },
      { eventName: 'INSERT', dynamodb: { NewImage: image } },
    ]);
    expect(comments).toEqual([
      {
        sequence: '000000000000000000017',
        comment: {
          consultationId: 'MINTIC-C-CNT00002',
          reference: '7K2M-9Q4X-0B3D-R8TW',
          sectionId: 's2',
          stance: 'oppose',
          ageBand: '29_44',
        },
      },
    ]);
    expect(skipped).toBe(3);
  });
});
