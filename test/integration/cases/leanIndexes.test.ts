/**
 * Lean indexes (docs/adr/0020): each GSI projects only what its readers use, so a listing whose
 * items hold more reads the index and then fetches them whole. Each store's listing here returns
 * an attribute its index does not hold (checked on the index itself); a published notice, and the
 * sweeper's fields of a watched case, are read from the index alone.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoCommentStore } from '#adapters/dynamodb/commentStore.ts';
import { DynamoConsultationStore } from '#adapters/dynamodb/consultationStore.ts';
import { consultationShard, keys } from '#adapters/dynamodb/keys.ts';
import { DynamoProposalStore } from '#adapters/dynamodb/proposalStore.ts';
import { DynamoPublicationStore } from '#adapters/dynamodb/publicationStore.ts';
import { WATCH_VIEW_FIELDS } from '#domain/case/watch.ts';
import { publishNotice } from '#domain/publication.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ pollers: false, schedulers: false, pipes: false });
});
afterAll(() => system?.stop());

type Item = Record<string, unknown>;
const KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];
const withoutKeys = (item: Item) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !KEYS.includes(k)));

async function put(item: Item): Promise<Item> {
  await system.ddb.send(new PutCommand({ TableName: system.tableName, Item: item }));
  return item;
}

/** The entries of one partition of an index, as the index holds them. */
async function onIndex(index: 'gsi1' | 'gsi3', partition: string): Promise<Item[]> {
  const out = await system.ddb.send(
    new QueryCommand({
      TableName: system.tableName,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :p`,
      ExpressionAttributeValues: { ':p': partition },
    }),
  );
  return out.Items ?? [];
}

/** A stored item with a long attribute no index projects. */
const LONG = 'x'.repeat(2_000);

describe('listings over lean indexes return items whole', () => {
  it('an inbox page: its cases whole, the status filter still applied on the index', async () => {
    // Prepare: two cases in one inbox, one awaiting completion.
    const cases = new DynamoCaseStore(system.ddb, system.tableName);
    const inbox = keys.inbox('LEAN', 'oficina');
    const [routed, awaiting] = await Promise.all(
      (['routed', 'awaiting_completion'] as const).map((status, n) => {
        const radicado = `LEAN-2026-00000${n + 1}`;
        return put({
          ...keys.case(radicado),
          gsi1pk: inbox,
          gsi1sk: keys.inboxSort(false, '2026-03-18', radicado),
          radicado,
          status,
          subject: `Asunto ${n}`,
          description: LONG,
        });
      }),
    );

    // Act
    const all = await cases.listInbox('LEAN', 'oficina', { limit: 10 });
    const filtered = await cases.listInbox('LEAN', 'oficina', {
      limit: 10,
      statuses: ['awaiting_completion'],
    });

    // Assess: the index holds neither the subject nor the description; the page has both.
    const entries = await onIndex('gsi1', inbox);
    expect(entries).toHaveLength(2);
    for (const e of entries)
      expect(Object.keys(e).sort()).toEqual(['gsi1pk', 'gsi1sk', 'pk', 'radicado', 'sk', 'status']);
    expect(all.items).toEqual([withoutKeys(routed!), withoutKeys(awaiting!)]);
    expect(filtered.items).toEqual([withoutKeys(awaiting!)]);
  });

  it('the watched cases: read from the index alone, every field the sweeper reads and no other', async () => {
    const cases = new DynamoCaseStore(system.ddb, system.tableName);
    const radicado = 'LEANW-2026-000001';
    // Every field of the view set (a value of the right shape each), and fields it leaves out.
    const view = Object.fromEntries(WATCH_VIEW_FIELDS.map((f) => [f, `${f}-value`]));
    await put({
      ...keys.case(radicado),
      gsi3pk: keys.watch('LEANW'),
      gsi3sk: keys.watchSort('2026-03-10T13:00:00.000Z', radicado),
      ...view,
      radicado,
      subject: 'Asunto',
      description: LONG,
      petitioner: { name: 'Nombre' },
    });

    const page = await cases.listWatched('LEANW', '2026-03-11', { limit: 10 });

    expect(Object.keys((await onIndex('gsi3', keys.watch('LEANW')))[0] ?? {}).sort()).toEqual(
      ['gsi3pk', 'gsi3sk', 'pk', 'sk', ...WATCH_VIEW_FIELDS].sort(),
    );
    expect(page.items).toEqual([{ case: { ...view, radicado }, at: '2026-03-10T13:00:00.000Z' }]);
  });

  it("an entity's proposals, the public consultations and a campaign group's members: whole", async () => {
    const proposal = await put({
      ...keys.proposal('LEAN-P-1'),
      gsi1pk: keys.proposals('LEANP'),
      gsi1sk: '2026-03-01T12:00:00.000Z#LEAN-P-1',
      id: 'LEAN-P-1',
      title: 'Propuesta',
      description: LONG,
    });
    const consultationId = 'LEAN-C-00000001';
    const consultation = await put({
      ...keys.consultation(consultationId),
      gsi1pk: keys.consultationsIndex(consultationShard(consultationId)),
      gsi1sk: `2099-03-01T12:00:00.000Z#${consultationId}`,
      id: consultationId,
      title: 'Consulta',
      sections: [{ id: 's1', title: 'Sección', body: LONG }],
    });
    const group = keys.commentGroupIndex(consultationId, 'g1');
    const comment = await put({
      ...keys.comment(consultationId, 'ABCD-EFGH-JKMN-PQRS'),
      gsi1pk: group,
      gsi1sk: 'ABCD-EFGH-JKMN-PQRS',
      reference: 'ABCD-EFGH-JKMN-PQRS',
      text: LONG,
    });

    const proposals = await new DynamoProposalStore(system.ddb, system.tableName).listByEntity('LEANP', {
      limit: 10,
    });
    const consultations = await new DynamoConsultationStore(system.ddb, system.tableName).listPublic({
      limit: 1,
    });
    const members = await new DynamoCommentStore(system.ddb, system.tableName).listGroupMembers(
      consultationId,
      'g1',
      { limit: 10 },
    );

    expect((await onIndex('gsi1', group))[0]).not.toHaveProperty('text');
    expect(proposals.items).toEqual([withoutKeys(proposal)]);
    expect(consultations.items).toEqual([withoutKeys(consultation)]);
    expect(members.items).toEqual([withoutKeys(comment)]);
  });

  it('a published notice, listed from the index alone (its reader may not read a case), with its text', async () => {
    // Prepare
    const publications = new DynamoPublicationStore(system.ddb, system.tableName);
    const at = new Date();
    const notice = publishNotice(
      {
        kind: 'answered',
        radicado: 'LEANN-2026-000001',
        entityId: 'LEANN',
        entityName: 'Entidad',
        caseKind: 'petition',
        title: 'Respuesta',
        body: 'Se responde la petición.',
      },
      'EVENT#000003',
      at,
    );
    await publications.publish(notice);

    // Act
    const listed = await publications.inForce('LEANN', notice.publishedOn, { limit: 10 });

    // Assess
    expect(listed.items).toEqual([notice]);
    expect(notice.text).toContain('Se responde');
    // Published again (a retry): the one stored, read by key, text and all.
    expect(await publications.publish({ ...notice, publishedAt: new Date(0).toISOString() })).toEqual(notice);
  });
});
