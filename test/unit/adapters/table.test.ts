import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import { caseItem, encodeCursor, keys } from '#adapters/dynamodb/keys.ts';
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
    const consultation = {
      ...keys.consultation('MINTIC-C-0123ABCD'),
      gsi1pk: keys.consultationsIndex,
      gsi1sk: '2026-03-18T12:00:00.000Z#MINTIC-C-0123ABCD',
    };
    const listing = { index: 'gsi1' as const, partition: keys.consultationsIndex, limit: 10 };
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
