/**
 * The consultation and proposal indexes spread over shards (issue 17) on DynamoDB Local: each
 * listing reads every shard and gives what one key gave, in its order, a page's cursor going on
 * across all shards; a cursor moved to another shard is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSULTATION_SHARDS, consultationShard, encodeCursor, keys } from '#adapters/dynamodb/keys.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import type { Consultation, ConsultationStatus } from '#domain/participation/consultation.ts';
import type { ProposalRecord } from '#domain/participation/proposal.ts';
import { InvalidCursorError } from '#ports/index.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { type ParticipationStores, participationStores } from '#test/support/participationStores.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;
let stores: ParticipationStores;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false, pollers: false });
  stores = participationStores(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

const day = (d: number) => `2026-04-${String(d).padStart(2, '0')}T15:00:00.000Z`;

/** Consultation `n`: opening on day n (two share day 5), closing 10 days later. */
function consultation(n: number, status: ConsultationStatus, grouping?: 'pending'): Consultation {
  const opens = n === 6 ? 5 : n;
  return {
    id: `MINTIC-C-SHARD${String(n).padStart(3, '0')}`,
    entityId: 'MINTIC',
    type: 'question',
    title: `Consulta ${n}`,
    summary: 'Resumen',
    sections: [{ id: 's1', title: 'Uno', body: 'Texto' }],
    opensAt: day(opens),
    closesAt: day(opens + 10),
    status,
    createdAt: day(1),
    createdBy: 'communicator',
    ...(status === 'closed' ? { closedAt: day(opens + 10) } : {}),
    ...(grouping ? { grouping: { state: grouping, epoch: 1 } } : {}),
    version: 1,
  };
}

describe('consultation listings over shards', () => {
  const all = [
    ...[1, 2, 3, 4, 5, 6, 7].map((n) => consultation(n, 'open')),
    ...[8, 9, 10].map((n) => consultation(n, 'closed', 'pending')),
    consultation(11, 'closed'),
    consultation(12, 'draft'),
  ];

  beforeAll(async () => {
    for (const c of all) await stores.consultations.create(c);
  });

  it('are spread over more than one shard', () => {
    expect(new Set(all.map((c) => consultationShard(c.id))).size).toBeGreaterThan(1);
  });

  it('pages the public listing newest first across every shard, each once, the same page for the same cursor', async () => {
    const expected = all
      .filter((c) => c.status !== 'draft')
      .sort((a, b) => (`${a.opensAt}#${a.id}` < `${b.opensAt}#${b.id}` ? 1 : -1))
      .map((c) => c.id);
    const seen: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.consultations.listPublic({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.cursor;
      if (cursor) cursors.push(cursor);
    } while (cursor);
    expect(seen).toEqual(expected);
    const again = await stores.consultations.listPublic({ limit: 3, cursor: cursors[1]! });
    expect(again.items.map((c) => c.id)).toEqual(expected.slice(6, 9));
  });

  it('refuses a cursor moved to a shard its consultation is not in', async () => {
    const first = await stores.consultations.listPublic({ limit: 1 });
    const key = JSON.parse(Buffer.from(first.cursor!, 'base64url').toString()) as Record<string, string>;
    const id = key.pk!.slice('CONSULTATION#'.length);
    const moved = {
      ...key,
      gsi1pk: keys.consultationsIndex((consultationShard(id) + 1) % CONSULTATION_SHARDS),
    };
    await expect(stores.consultations.listPublic({ limit: 1, cursor: encodeCursor(moved) })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('lists the open ones closing first, and those whose groups are due, from every shard', async () => {
    const closing = await stores.consultations.listOpenClosingBefore(day(16), 3);
    expect(closing).toEqual(['MINTIC-C-SHARD001', 'MINTIC-C-SHARD002', 'MINTIC-C-SHARD003']);
    expect(await stores.consultations.listOpenClosingBefore(day(16), 10)).toHaveLength(6);
    expect(await stores.consultations.listGroupingDue(10)).toEqual([
      'MINTIC-C-SHARD008',
      'MINTIC-C-SHARD009',
      'MINTIC-C-SHARD010',
    ]);
  });
});

describe('proposals to convert over shards', () => {
  it('lists the first reached from every shard', async () => {
    const proposals = new DynamoProposalStore(system.ddb, system.tableName);
    const ids = Array.from({ length: 8 }, (_, n) => `MINTIC-P-SHARD${String(n).padStart(3, '0')}`);
    for (const [n, id] of ids.entries()) {
      await proposals.create({
        id,
        entityId: 'MINTIC',
        title: 'Propuesta',
        description: 'Descripción',
        author: { name: 'Ana', email: 'ana@example.com' },
        authorHash: 'hash',
        threshold: 1,
        status: 'open',
        createdAt: day(1),
        // Reached in the reverse order of the ids: the listing follows reachedAt.
        reachedAt: day(20 - n),
      } as ProposalRecord);
    }
    expect(await proposals.listToConvert(3)).toEqual([ids[7], ids[6], ids[5]]);
    expect(await proposals.listToConvert(100)).toEqual([...ids].reverse());
  });
});
