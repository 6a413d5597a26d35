/**
 * `npm run bench -- indexes`
 * What a case's writes cost in its indexes, with every GSI projecting ALL (the design before
 * docs/adr/0020) against the catalog's lean projections, in the same run: one case filed through
 * the API, routed by the real Route handler, assigned and answered through the case store. After
 * each step every item under the case's key (the case, its notice marks) is read back, and each
 * item the step changed is written again, as the step left it, into two scratch tables that hold
 * the items as they were before it: one with ALL projections, one as the catalog says. DynamoDB
 * Local's ConsumedCapacity (INDEXES) of those writes gives the index write units (a moved entry:
 * its delete and its put), and the bytes are those of the index entries written.
 */
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { TABLE } from '#infra/catalog.ts';
import { tableDefinition } from '#infra/local/resources.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { actAt } from '#test/integration/cases/act.ts';
import { BENCH_PETITION, fileThroughApi, routeThroughHandler } from './_load.ts';
import { itemBytes as rawBytes } from './_meter.ts';

type Item = Record<string, unknown>;
/** An item's size as DynamoDB counts it (names and values). */
const itemBytes = (item: Item | undefined) =>
  item ? rawBytes(marshall(item, { removeUndefinedValues: true })) : 0;
const keyOf = (i: Item) => `${String(i.pk)}|${String(i.sk)}`;

/** Every item under the case's partition key, by table key. */
async function itemsOf(system: LocalSystem, radicado: string): Promise<Map<string, Item>> {
  const out = await system.ddb.send(
    new QueryCommand({
      TableName: system.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.case(radicado).pk },
      ConsistentRead: true,
    }),
  );
  return new Map((out.Items ?? []).map((i) => [keyOf(i), i]));
}

/** The bytes of an item's entry in an index under a projection (0: not on it). */
function entryBytes(item: Item | undefined, index: (typeof TABLE.indexes)[number], all: boolean): number {
  if (!item || item[index.partitionKey] === undefined) return 0;
  if (all) return itemBytes(item);
  const keep = new Set(['pk', 'sk', index.partitionKey, index.sortKey, ...index.projection.attributes]);
  return itemBytes(Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k))));
}

interface Figures {
  units: number;
  bytes: number;
}

/** Writes a step's changed items into a scratch table: its index write units and entry bytes. */
async function replay(
  system: LocalSystem,
  table: string,
  all: boolean,
  before: Map<string, Item>,
  after: Map<string, Item>,
): Promise<Figures> {
  let units = 0;
  let bytes = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [b, a] = [before.get(key), after.get(key)];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    const out = a
      ? await system.ddb.send(
          new PutCommand({ TableName: table, Item: a, ReturnConsumedCapacity: 'INDEXES' }),
        )
      : await system.ddb.send(
          new DeleteCommand({
            TableName: table,
            Key: { pk: b?.pk, sk: b?.sk },
            ReturnConsumedCapacity: 'INDEXES',
          }),
        );
    for (const c of Object.values(out.ConsumedCapacity?.GlobalSecondaryIndexes ?? {}))
      units += c.CapacityUnits ?? 0;
    for (const index of TABLE.indexes) {
      // An entry is written when it is new, moved, or what it projects changed (a removal: no bytes).
      const projected = all
        ? [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])]
        : ['pk', 'sk', index.partitionKey, index.sortKey, ...index.projection.attributes];
      const changed = projected.some((k) => JSON.stringify(b?.[k]) !== JSON.stringify(a?.[k]));
      if (changed) bytes += entryBytes(a, index, all);
    }
  }
  return { units, bytes };
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false, pipes: false });
  const lean = `${system.tableName}-bench-lean`;
  const whole = `${system.tableName}-bench-all`;
  try {
    await seed();
    const definition = tableDefinition(lean);
    await system.ddb.send(new CreateTableCommand({ ...definition, StreamSpecification: undefined }));
    await system.ddb.send(
      new CreateTableCommand({
        ...definition,
        TableName: whole,
        StreamSpecification: undefined,
        GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes?.map((g) => ({
          ...g,
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );

    const store = new DynamoCaseStore(system.ddb, system.tableName);
    let radicado = '';
    const steps: [string, () => Promise<void>][] = [
      [
        'file (API)',
        async () => {
          radicado = await fileThroughApi(system, BENCH_PETITION);
        },
      ],
      ['route (Route handler)', () => routeThroughHandler(system, radicado)],
      [
        'assign',
        async () => {
          const c = await store.get(radicado);
          await actAt(
            store,
            radicado,
            { type: 'assign', office: String(c?.office), officer: 'officer-1' },
            new Date().toISOString(),
          );
        },
      ],
      [
        'answer',
        async () => {
          await actAt(
            store,
            radicado,
            {
              type: 'respond',
              outcome: 'granted',
              answer: 'Se informa que la zona wifi se instalará en abril.',
            },
            new Date().toISOString(),
          );
        },
      ],
    ];

    let before = new Map<string, Item>();
    const total = { all: { units: 0, bytes: 0 }, lean: { units: 0, bytes: 0 } };
    console.log('index writes per step of one case (DynamoDB Local ConsumedCapacity, INDEXES):');
    for (const [name, run] of steps) {
      await run();
      const after = await itemsOf(system, radicado);
      const a = await replay(system, whole, true, before, after);
      const l = await replay(system, lean, false, before, after);
      for (const [t, f] of [
        [total.all, a],
        [total.lean, l],
      ] as const) {
        t.units += f.units;
        t.bytes += f.bytes;
      }
      console.log(
        `  ${name.padEnd(22)} ALL ${a.units} units, ${a.bytes} B; lean ${l.units} units, ${l.bytes} B`,
      );
      before = after;
    }
    const caseItem = before.get(keyOf(keys.case(radicado)));
    console.log(`case item ${itemBytes(caseItem)} B`);
    console.log(
      `a case filed, routed, assigned and answered: index write units ALL ${total.all.units}, lean ${total.lean.units} (${(total.all.units / Math.max(1, total.lean.units)).toFixed(2)}x fewer); index bytes written ALL ${total.all.bytes}, lean ${total.lean.bytes}`,
    );
  } finally {
    for (const t of [lean, whole])
      await system.ddb.send(new DeleteTableCommand({ TableName: t })).catch(() => {});
    await system.stop();
  }
}
