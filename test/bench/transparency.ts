/**
 * `npm run bench -- transparency`
 * 1. The PQRSD report of one entity for a year (the use case: 12 months × 32 counter shards read,
 *    the figures built) with BENCH_TRANSPARENCY_CASES cases stored (default 100,000; 1,000,000 for
 *    the figure) on DynamoDB Local, against a full recount of the same cases in the same
 *    run (every case read from the table and its contributions summed, the report built).
 *    Targets: ≥ 1,000× faster, read p50 ≤ 50 ms.
 * 2. The counting overhead per case event: counting one case change (what was counted read, the
 *    counted item and the counters written in one transaction) against the case write itself (the
 *    case and its audit event, one transaction), alternating, p50 ratio.
 * The cases are clones of one real case filed through the API, spread over the year's months,
 * kinds and channels, a third answered (a fifth of those late), some forwarded, the rest pending;
 * counted through countStreamCases in stream-sized batches (the pipes are off while loading).
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { keys } from '#adapters/dynamodb/keys.ts';
import { DynamoReportCounters } from '#adapters/dynamodb/reportCounters.ts';
import { Table } from '#adapters/dynamodb/table.ts';
import { pqrsdReport } from '#app/pqrsdReport.ts';
import { countStreamCases } from '#app/reportCount.ts';
import { formatRadicado, parseRadicado } from '#domain/case/radicado.ts';
import { addCells, type Cells, contributions } from '#domain/transparency/contributions.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { buildReport } from '#domain/transparency/report.ts';
import { CHANNELS, KINDS } from '#domain/vocabulary.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import type { StreamCase } from '#ports/reports.ts';
import { batchLoad, fileThroughApi } from './_load.ts';

const CASES = Number(process.env.BENCH_TRANSPARENCY_CASES ?? 100_000);
const READS = Number(process.env.BENCH_TRANSPARENCY_READS ?? 20);
const EVENTS = Number(process.env.BENCH_TRANSPARENCY_EVENTS ?? 300);
const LOAD_CONCURRENCY = 12;
const ENTITY = 'MINTIC';
const YEAR = 2026;
/** The partition the recount pages through: every clone is on it (as an entity listing would be). */
const LISTING = `BENCH#CASES#${ENTITY}`;

type Item = Record<string, unknown>;
const f = (x: number) => x.toFixed(2);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function realCase(system: LocalSystem): Promise<Item> {
  const radicado = await fileThroughApi(system, {
    entityId: ENTITY,
    kind: 'petition',
    subject: 'Zona wifi de la vereda El Carmen',
    description: 'Solicito información sobre la instalación de la zona wifi prometida para la vereda.',
    petitioner: { name: 'Ana Pérez Gómez', idType: 'CC', idNumber: '52123456', email: 'ana@example.com' },
  });
  const out = await system.ddb.send(
    new GetCommand({ TableName: system.tableName, Key: keys.case(radicado), ConsistentRead: true }),
  );
  if (!out.Item) throw new Error(`case ${radicado} not stored`);
  return out.Item;
}

/** Clone `i`: a month of the year, a kind and channel, answered (some late), forwarded or pending. */
function clone(template: Item, i: number): Item {
  const parsed = parseRadicado(String(template.radicado))!;
  const radicado = formatRadicado(parsed.entityId, parsed.year, parsed.seq + 1 + i);
  const month = i % 12;
  const receivedAt = new Date(Date.UTC(YEAR, month, 2 + (i % 25), 14, (i * 7) % 60)).toISOString();
  const base: Item = {
    ...template,
    ...keys.case(radicado),
    radicado,
    receivedAt,
    kind: KINDS[i % KINDS.length],
    channel: CHANNELS[i % CHANNELS.length],
    clockSettings: template.clockSettings,
    clockEvents: [],
    version: 1,
    gsi1pk: LISTING,
    gsi1sk: radicado,
  };
  if (i % 3 === 0) {
    const at = new Date(Date.parse(receivedAt) + ((i % 30) + 1) * 86_400_000).toISOString();
    return {
      ...base,
      status: 'answered',
      answer: { at, outcome: 'granted', late: i % 15 === 0, text: 'Respuesta.' },
    };
  }
  if (i % 17 === 1)
    return { ...base, status: 'forwarded', forwardedTo: { entityId: 'SUPERSALUD', late: false } };
  return base;
}

/** The report the slow way: every case read (paged Query), its contributions summed. */
async function recount(system: LocalSystem, today: string) {
  const period = parsePeriod({ period: String(YEAR) });
  let cells: Cells = {};
  let start: Record<string, unknown> | undefined;
  let n = 0;
  const page = (from: Record<string, unknown> | undefined) =>
    system.ddb.send(
      new QueryCommand({
        TableName: system.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': LISTING },
        Limit: 500,
        ...(from ? { ExclusiveStartKey: from } : {}),
      }),
    );
  do {
    // DynamoDB Local answered InternalFailure once deep in a 1,000,000-item partition: that page again.
    let out: Awaited<ReturnType<typeof page>> | undefined;
    for (let attempt = 1; out === undefined; attempt++) {
      try {
        out = await page(start);
      } catch (error) {
        if (attempt >= 10 || (error as { name?: string }).name !== 'InternalFailure') throw error;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    // gsi1 is lean (docs/adr/0020): each page's cases are read whole.
    for (const item of await new Table(system.ddb, system.tableName).whole('gsi1', out.Items ?? [])) {
      cells = addCells(cells, contributions(item as unknown as StreamCase));
      n++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  const report = buildReport({ period, cells, entityId: ENTITY, today, businessDaysOver: () => 0 });
  return { report, n };
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false, pipes: false });
  try {
    await seed();
    const template = await realCase(system);
    const counters = new DynamoReportCounters(system.ddb, system.tableName);

    let t = performance.now();
    const items = Array.from({ length: CASES }, (_, i) => clone(template, i));
    await batchLoad(system, items, LOAD_CONCURRENCY);
    const loadSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    // In receipt order, as a stream would mostly bring them: a batch's cases share their month.
    const byReceipt = [...items].sort((a, b) => (String(a.receivedAt) < String(b.receivedAt) ? -1 : 1));
    for (let i = 0; i < byReceipt.length; i += 500) {
      await countStreamCases({ counters }, byReceipt.slice(i, i + 500) as unknown as StreamCase[]);
    }
    const countSeconds = (performance.now() - t) / 1000;
    console.log(
      `stored ${CASES} cases of ${ENTITY} over ${YEAR}'s 12 months in ${loadSeconds.toFixed(1)} s; counted them in stream-sized batches of 500 in ${countSeconds.toFixed(1)} s (${(CASES / countSeconds).toFixed(0)} cases/s)`,
    );

    // 1. The report read against the full recount.
    const deps = {
      counters,
      entities: new DynamoEntityStore(system.ddb, system.tableName),
      clock: { now: () => new Date() },
    };
    const reads: number[] = [];
    let report: Awaited<ReturnType<typeof pqrsdReport>> | undefined;
    for (let i = 0; i < READS; i++) {
      const r0 = performance.now();
      report = await pqrsdReport(deps, { entityId: ENTITY }, { period: String(YEAR) });
      reads.push(performance.now() - r0);
    }
    // Once: at 100,000 cases it takes minutes (DynamoDB Local pages a 150 MB partition).
    const r0 = performance.now();
    const slow = await recount(system, report!.asOf);
    const full = performance.now() - r0;
    // The filed template is neither listed nor counted (the pipes are off): the clones are.
    if (JSON.stringify(slow.report) !== JSON.stringify(report) || report!.received.total !== CASES) {
      throw new Error(
        `the counters (${report!.received.total}) and the recount (${slow.report.received.total}) disagree over ${CASES} cases`,
      );
    }
    const read = median(reads);
    console.log(
      `report of a year, ${CASES} cases: from counters p50 ${f(read)} ms (${READS} reads, ${f(Math.min(...reads))}–${f(Math.max(...reads))} ms) (target p50 <= 50 ms: ${read <= 50 ? 'met' : 'MISSED'}); full recount ${f(full)} ms (${slow.n} cases read; the same report, figure for figure)`,
    );
    console.log(
      `ratio recount/counters: ${(full / read).toFixed(0)}x faster from counters (target >= 1000x: ${full / read >= 1000 ? 'met' : 'MISSED'})`,
    );

    // 2. Counting one case change against writing it, alternating.
    const writes: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const before = items[(i * 7) % items.length]!;
      const version = Number(before.version) + 1 + i;
      const after: Item = {
        ...before,
        version,
        status: 'answered',
        answer: {
          at: new Date(Date.parse(String(before.receivedAt)) + 3 * 86_400_000).toISOString(),
          outcome: 'granted',
          late: false,
          text: 'Sí.',
        },
      };
      const w0 = performance.now();
      await system.ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: { TableName: system.tableName, Item: after, ConditionExpression: 'attribute_exists(pk)' },
            },
            {
              Put: {
                TableName: system.tableName,
                Item: {
                  ...keys.event(String(before.radicado), 1000 + i),
                  type: 'answered',
                  at: new Date().toISOString(),
                },
              },
            },
          ],
        }),
      );
      writes.push(performance.now() - w0);
      const c0 = performance.now();
      await countStreamCases({ counters }, [after as unknown as StreamCase]);
      counts.push(performance.now() - c0);
    }
    const write = median(writes);
    const count = median(counts);
    console.log(
      `counting overhead per case event (${EVENTS} pairs, alternating): count p50 ${f(count)} ms vs the case write p50 ${f(write)} ms: ${(count / write).toFixed(2)}x the write`,
    );
  } finally {
    await system.stop();
  }
}
