import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import {
  CONSULTATION_SHARDS,
  caseItem,
  consultationShard,
  encodeCursor,
  keys,
  shardKeys,
} from '#adapters/dynamodb/keys.ts';
import { commentItem, consultationItem, proposalItem } from '#adapters/dynamodb/participationItems.ts';
import { Table } from '#adapters/dynamodb/table.ts';
import { InvalidCursorError } from '#ports/index.ts';

/** A client that records what it is sent and answers every query with no items. */
function recorder() {
  const sent: Record<string, unknown>[] = [];
  const db = {
    send: async (command: { input: Record<string, unknown> }) => {
      sent.push(command.input);
      return { Items: [] };
    },
  } as unknown as DynamoDBDocumentClient;
  return { sent, table: new Table(db, 'urna'), db };
}

const radicado = 'MINTIC-2026-000042';
const position = {
  ...keys.case(radicado),
  gsi1pk: keys.inbox('MINTIC', 'conectividad'),
  gsi1sk: keys.inboxSort(true, '2026-03-18', radicado),
};
const inbox = { index: 'gsi1' as const, partition: keys.inbox('MINTIC', 'conectividad'), limit: 25 };

describe('Table.page', () => {
  it('goes on from a cursor it gave, for the same listing', async () => {
    // Prepare
    const { sent, table } = recorder();
    // Act
    await table.page(inbox, caseItem.shapes, encodeCursor(position));
    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.ExclusiveStartKey).toEqual(position);
    expect(sent[0]?.KeyConditionExpression).toBe('gsi1pk = :pk');
  });

  it.each([
    ['another inbox', { ...inbox, partition: keys.inbox('MINTIC', 'espectro') }],
    ['the other priority band', { ...inbox, sort: { beginsWith: 'P1#' } }],
    ['a sort range it is outside of', { ...inbox, sort: { below: 'P0#2026-01-01' } }],
  ])('refuses a cursor of %s before any call to DynamoDB', async (_what, query) => {
    const { sent, table } = recorder();
    await expect(table.page(query, caseItem.shapes, encodeCursor(position))).rejects.toThrow(
      InvalidCursorError,
    );
    expect(sent).toHaveLength(0);
  });

  it("checks a cursor against the listing's own item kind", async () => {
    const { sent, table } = recorder();
    const shard = keys.consultationsIndex(consultationShard('MINTIC-C-0123ABCD'));
    const consultation = {
      ...keys.consultation('MINTIC-C-0123ABCD'),
      gsi1pk: shard,
      gsi1sk: '2026-03-18T12:00:00.000Z#MINTIC-C-0123ABCD',
    };
    const listing = { index: 'gsi1' as const, partition: shard, limit: 10 };
    await table.page(listing, consultationItem.shapes, encodeCursor(consultation));
    expect(sent).toHaveLength(1);
    // A position of another consultation than its key names; a case's cursor on this listing.
    const crossed = { ...consultation, gsi1sk: '2026-03-18T12:00:00.000Z#MINTIC-C-0123ABCE' };
    for (const cursor of [encodeCursor(crossed), encodeCursor(position)]) {
      await expect(table.page(listing, consultationItem.shapes, cursor)).rejects.toThrow(InvalidCursorError);
    }
    await expect(table.page(listing, proposalItem.shapes, encodeCursor(consultation))).rejects.toThrow(
      InvalidCursorError,
    );
    expect(sent).toHaveLength(1);
  });

  it("refuses a campaign group member's cursor of another consultation or partition", async () => {
    const { sent, table } = recorder();
    const reference = '7ABC-DEFG-HJKM-NPQR';
    const member = commentItem.keys({
      consultationId: 'MINTIC-C-0123ABCD',
      reference,
      groupKey: '0123456789abcdef',
    } as Parameters<typeof commentItem.keys>[0]);
    const listing = { index: 'gsi1' as const, partition: member.gsi1pk, limit: 10 };
    await table.page(listing, commentItem.shapes, encodeCursor(member));
    for (const forged of [
      { ...member, pk: 'COMMENTS#MINTIC-C-0123ABCD#3' },
      { ...member, pk: 'COMMENTS#MINTIC-C-9999ABCD#7' },
      { ...member, gsi1sk: '7ABC-DEFG-HJKM-NPQS' },
    ]) {
      await expect(table.page(listing, commentItem.shapes, encodeCursor(forged))).rejects.toThrow(
        InvalidCursorError,
      );
    }
    expect(sent).toHaveLength(1);
  });
});

describe("the comments listing's cursor", () => {
  it('names a partition of this consultation and a key in it, or is refused', async () => {
    const { sent, db } = recorder();
    const store = new DynamoCommentStore(db, 'urna');
    const id = 'MINTIC-C-0123ABCD';
    const k = keys.comment(id, '7ABC-DEFG-HJKM-NPQR');
    const partition = Number(k.pk.slice(k.pk.lastIndexOf('#') + 1));
    await store.list(id, { limit: 10, cursor: encodeCursor({ p: partition, k }) });
    expect(sent[0]?.ExclusiveStartKey).toEqual(k);
    // (No comments: it read on through the later partitions.)
    const calls = sent.length;
    for (const forged of [
      { p: partition + 1, k },
      { p: 16 },
      { p: partition, k: { ...k, sk: '' } },
      { p: partition, k: keys.comment('MINTIC-C-9999ABCD', '7ABC-DEFG-HJKM-NPQR') },
      { p: partition, k, extra: 1 },
    ]) {
      await expect(store.list(id, { limit: 10, cursor: encodeCursor(forged) })).rejects.toThrow(
        InvalidCursorError,
      );
    }
    expect(sent).toHaveLength(calls);
  });
});

/**
 * A client that answers queries from items in memory as DynamoDB would: the partition, a sort
 * condition (`<`, `<=`, `>`), the order, Limit and ExclusiveStartKey, LastEvaluatedKey when cut.
 */
/** `readLimit`: items a query reads at most, whatever its Limit (DynamoDB's 1 MB, scaled down). */
function memory(items: Record<string, string>[], readLimit = Number.POSITIVE_INFINITY) {
  const sent: Record<string, unknown>[] = [];
  const db = {
    send: async (command: { input: Record<string, unknown> }) => {
      const input = command.input as {
        IndexName?: string;
        KeyConditionExpression: string;
        ExpressionAttributeValues: Record<string, string>;
        ScanIndexForward?: boolean;
        Limit?: number;
        ExclusiveStartKey?: Record<string, string>;
      };
      sent.push(input);
      const pk = input.IndexName ? `${input.IndexName}pk` : 'pk';
      const sk = input.IndexName ? `${input.IndexName}sk` : 'sk';
      const { ':pk': partition, ':sk': bound } = input.ExpressionAttributeValues;
      const op = / AND \S+ (<=|<|>) :sk$/.exec(input.KeyConditionExpression)?.[1];
      const holds = (v: string) =>
        bound === undefined || (op === '<' ? v < bound : op === '<=' ? v <= bound : v > bound);
      const descending = input.ScanIndexForward === false;
      let found = items
        .filter((i) => i[pk] === partition && holds(i[sk]!))
        .sort((a, b) => (a[sk]! < b[sk]! ? -1 : 1) * (descending ? -1 : 1));
      const start = input.ExclusiveStartKey?.[sk];
      if (start !== undefined) found = found.filter((i) => (descending ? i[sk]! < start : i[sk]! > start));
      const page = found.slice(0, Math.min(input.Limit ?? found.length, readLimit));
      const cut = page.length < found.length || page.length === input.Limit;
      const last = page.at(-1);
      return {
        Items: page.map((i) => ({ ...i })),
        ...(cut && last
          ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, [pk]: last[pk], [sk]: last[sk] } }
          : {}),
      };
    },
  } as unknown as DynamoDBDocumentClient;
  return { sent, table: new Table(db, 'urna') };
}

/** A consultation's item on its shard of the public listing, opening on day `day` of March. */
function publicConsultation(n: number, day: number): Record<string, string> {
  const id = `MINTIC-C-${String(n).padStart(8, '0')}`;
  return {
    ...keys.consultation(id),
    gsi1pk: keys.consultationsIndex(consultationShard(id)),
    gsi1sk: `2026-03-${String(day).padStart(2, '0')}T12:00:00.000Z#${id}`,
    id,
  };
}

describe('a listing over the shards of an index', () => {
  // Eleven consultations over every shard, two opening on the same day (their ids break the tie).
  const stored = Array.from({ length: 11 }, (_, n) => publicConsultation(n, 10 + Math.floor(n / 2) * 2));
  const newestFirst = stored
    .map((c) => c.gsi1sk!)
    .sort()
    .reverse();
  const shards = shardKeys(CONSULTATION_SHARDS, keys.consultationsIndex);
  const listing = { index: 'gsi1' as const, descending: true, limit: 3 };

  it('spreads its items over more than one shard (what the rest of this block relies on)', () => {
    expect(new Set(stored.map((c) => c.gsi1pk)).size).toBeGreaterThan(1);
  });

  it('skips nothing when a shard is cut short by the 1 MB read limit', async () => {
    const { table } = memory(stored, 1);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      // A page wider than what each shard reads: every shard's first item fits in it.
      const page = await table.pageAcross({ ...listing, limit: 5 }, shards, consultationItem.shapes, cursor);
      seen.push(...page.items.map((i) => String(i.gsi1sk)));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(newestFirst);
  });

  it('pages through every shard in the sort order, each item once, with no cursor after the last', async () => {
    // Prepare
    const { table } = memory(stored);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    // Act
    let cursor: string | undefined;
    do {
      const page = await table.pageAcross(listing, shards, consultationItem.shapes, cursor);
      seen.push(...page.items.map((i) => String(i.gsi1sk)));
      pageSizes.push(page.items.length);
      cursor = page.cursor;
    } while (cursor !== undefined);
    // Assess
    expect(seen).toEqual(newestFirst);
    expect(pageSizes).toEqual([3, 3, 3, 2]);
  });

  it('gives the same next page for the same cursor, and goes on past its position in every shard', async () => {
    const { sent, table } = memory(stored);
    const first = await table.pageAcross(listing, shards, consultationItem.shapes, undefined);
    const again = await table.pageAcross(listing, shards, consultationItem.shapes, first.cursor);
    const twice = await table.pageAcross(listing, shards, consultationItem.shapes, first.cursor);
    expect(twice).toEqual(again);
    const position = String(first.items.at(-1)?.gsi1sk);
    const resumed = sent.slice(shards.length, 2 * shards.length);
    expect(resumed.map((q) => (q.ExpressionAttributeValues as Record<string, string>)[':pk']).sort()).toEqual(
      [...shards].sort(),
    );
    for (const q of resumed) {
      expect(q.KeyConditionExpression).toBe('gsi1pk = :pk AND gsi1sk < :sk');
      expect((q.ExpressionAttributeValues as Record<string, string>)[':sk']).toBe(position);
      expect(q.ExclusiveStartKey).toBeUndefined();
    }
  });

  it('refuses, before any call, a cursor in a shard its item is not in, of the old single key, or of another listing', async () => {
    const { sent, table } = memory(stored);
    const item = publicConsultation(3, 12);
    const key = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
    const otherShard = keys.consultationsIndex((consultationShard(item.id!) + 1) % CONSULTATION_SHARDS);
    for (const forged of [
      { ...key, gsi1pk: otherShard },
      { ...key, gsi1pk: 'CONSULTATIONS' },
      { ...key, gsi1pk: keys.consultationsIndex(CONSULTATION_SHARDS + 3) },
      { ...key, extra: 'x' },
    ]) {
      await expect(
        table.pageAcross(listing, shards, consultationItem.shapes, encodeCursor(forged)),
      ).rejects.toThrow(InvalidCursorError);
    }
    // A valid key of a shard this listing does not read.
    const fewer = shards.filter((s) => s !== item.gsi1pk);
    await expect(
      table.pageAcross(listing, fewer, consultationItem.shapes, encodeCursor(key)),
    ).rejects.toThrow(InvalidCursorError);
    expect(sent).toHaveLength(0);
  });

  it('takes the first items of all shards merged in ascending order, within the sort condition', async () => {
    const { table } = memory(stored);
    const bound = '2026-03-15';
    const ids = await table.valuesAcross({ index: 'gsi1', sort: { below: bound }, limit: 4 }, shards, 'id');
    const expected = stored
      .filter((c) => c.gsi1sk! < bound)
      .sort((a, b) => (a.gsi1sk! < b.gsi1sk! ? -1 : 1))
      .slice(0, 4)
      .map((c) => c.id);
    expect(ids).toEqual(expected);
  });

  it('reads every page of every shard, merged in order', async () => {
    const { sent, table } = memory(stored);
    const all = await table.allAcross({ index: 'gsi1', limit: 2 }, shards);
    expect(all.map((i) => i.gsi1sk)).toEqual([...newestFirst].reverse());
    expect(sent.length).toBeGreaterThan(shards.length);
  });
});

describe('Table.whole (items of a lean index, fetched)', () => {
  /** A client answering BatchGetItem from `stored`, reversed, leaving `unprocessed` keys for a later call. */
  function batchReader(stored: Record<string, unknown>[], unprocessed: number) {
    const calls: number[] = [];
    let left = unprocessed;
    const db = {
      send: async (command: {
        input: { RequestItems: Record<string, { Keys: Record<string, unknown>[] }> };
      }) => {
        const asked = command.input.RequestItems.urna!.Keys;
        calls.push(asked.length);
        const later = asked.slice(0, Math.min(left, asked.length));
        left -= later.length;
        const now = asked.slice(later.length);
        const found = now
          .map((k) => stored.find((i) => i.pk === k.pk && i.sk === k.sk))
          .filter((i) => i !== undefined)
          .reverse();
        return {
          Responses: { urna: found },
          ...(later.length > 0 ? { UnprocessedKeys: { urna: { Keys: later } } } : {}),
        };
      },
    } as unknown as DynamoDBDocumentClient;
    return { calls, table: new Table(db, 'urna') };
  }

  const inboxOf = (n: number, office = 'conectividad') => {
    const r = `MINTIC-2026-${String(n).padStart(6, '0')}`;
    return {
      ...keys.case(r),
      gsi1pk: keys.inbox('MINTIC', office),
      gsi1sk: keys.inboxSort(false, '2026-03-18', r),
      status: 'routed',
    };
  };

  it('returns each entry whole, in the index order, 100 keys a call, retrying unprocessed keys', async () => {
    // Prepare: 130 entries whose items hold what the index does not (the subject, the description).
    const entries = Array.from({ length: 130 }, (_, n) => inboxOf(n));
    const stored = entries.map((e, n) => ({ ...e, subject: `S${n}`, description: 'D' }));
    const { calls, table } = batchReader(stored, 7);
    // Act
    const whole = await table.whole('gsi1', entries);
    // Assess
    expect(whole).toEqual(stored);
    expect(calls.slice(0, 2).sort()).toEqual([100, 30].sort());
    expect(calls.slice(2)).toEqual([7]);
  });

  it('leaves out an item deleted since, or moved to another partition of the index', async () => {
    const [kept, gone, moved] = [inboxOf(1), inboxOf(2), inboxOf(3)];
    const stored = [
      { ...kept, subject: 'kept' },
      { ...inboxOf(3, 'espectro'), subject: 'moved' },
    ];
    const { table } = batchReader(stored, 0);
    expect(await table.whole('gsi1', [kept, gone, moved])).toEqual([stored[0]]);
  });

  it('makes no call for no entries', async () => {
    const { calls, table } = batchReader([], 0);
    expect(await table.whole('gsi1', [])).toEqual([]);
    expect(calls).toEqual([]);
  });
});
