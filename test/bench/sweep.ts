/**
 * `npm run bench -- sweep`
 * The sweep's read units per run with BENCH_SWEEP_CASES pending cases (default 100,000) of which
 * 1 % are at an alert level, on DynamoDB Local (which reports ConsumedCapacity when asked: checked
 * below): the sweep before issue 17 (kept here as the baseline: for each entity the settings'
 * version, the watch index read up to the 40-business-day horizon, the existing alerts of what
 * the cases call for; on a copy of the cases whose indexes project whole items, as they did then)
 * against `sweepCases` (alerts by time: docs/adr/0017), in the same run.
 * Target ≥ 50× fewer read units. Then a second run of the new sweep: nothing new is due.
 *
 * The cases are clones of one real case (filed and routed by the use cases, in memory), written
 * under new radicados with receipts 1–6 business days ago (green) and, for 1 %,
 * 9–11 business days ago (yellow or red): every one due within the old horizon, as pending cases
 * of a 15-day term are. Each is placed on the watch index as the case store places it.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { caseItem, keys } from '#adapters/dynamodb/keys.ts';
import { DynamoNoticeStore } from '#adapters/dynamodb/noticeStore.ts';
import { settingsMark, sweepCases } from '#app/sweep.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { formatRadicado, parseRadicado } from '#domain/case/radicado.ts';
import { alertKey, watchCase } from '#domain/case/watch.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import {
  addBusinessDays,
  computeClock,
  type EntityClock,
  RULE_SETS,
  type SemaforoThresholds,
} from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO, type Entity } from '#domain/entity.ts';
import type { TermClass } from '#domain/vocabulary.ts';
import { tableDefinition } from '#infra/local/resources.ts';
import { seed } from '#infra/local/seed.ts';
import { type LocalSystem, startLocalSystem } from '#infra/local/system.ts';
import { fileRouted, petition, world } from '../unit/app/world.ts';
import { batchLoad } from './_load.ts';

const CASES = Number(process.env.BENCH_SWEEP_CASES ?? 100_000);
/** Every hundredth case is at an alert level. */
export const ALERTING_EVERY = 100;
const LOAD_CONCURRENCY = Number(process.env.BENCH_SWEEP_LOAD_CONCURRENCY ?? 12);
const ENTITY = 'MINTIC';

type Item = Record<string, unknown>;

// ── The sweep before issue 17 (shared/app/sweep.ts and watch.ts at 418b77c): its reads ─────────

const LONGEST_TERM = Math.max(...RULE_SETS.flatMap((rs) => Object.values(rs.terms).map((t) => t.days)));

/** The last watch date the old sweeper read: the longest term doubled at the yellow threshold, + 5. */
function watchHorizon(at: string, thresholds: SemaforoThresholds): string {
  const days = Math.max(Math.ceil((1 - thresholds.yellow) * 2 * LONGEST_TERM), thresholds.redDaysLeft) + 5;
  return addBusinessDays(bogotaDay(at), days);
}

/**
 * A copy of the table as it was before issue 17, every index projecting whole items (the old sweep
 * read whole cases off the watch index): the old reads run on it, loaded with the same cases.
 */
export async function oldDesignTable(system: LocalSystem): Promise<string> {
  const name = `${system.tableName}-before-17`;
  const definition = tableDefinition(name);
  await system.ddb.send(
    new CreateTableCommand({
      ...definition,
      StreamSpecification: undefined,
      GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes?.map((g) => ({
        ...g,
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  return name;
}

/**
 * The old sweep's reads: per entity its settings' version and the horizon (on `watchTable`, a copy
 * of the cases with the old whole-item index), then existing alerts.
 */
export async function oldSweepReads(
  system: LocalSystem,
  entities: DynamoEntityStore,
  notices: DynamoNoticeStore,
  at: string,
  watchTable: string,
): Promise<{ watched: number; alerting: number }> {
  let watched = 0;
  let alerting = 0;
  for (const entity of await entities.list()) {
    const thresholds = entity.semaforo ?? DEFAULT_SEMAFORO;
    await entities.getVersioned(entity.id);
    const until = watchHorizon(at, thresholds);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await system.ddb.send(
        new QueryCommand({
          TableName: watchTable,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :until',
          ExpressionAttributeValues: { ':pk': keys.watch(entity.id), ':until': `${until}#~` },
          Limit: 100,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      start = page.LastEvaluatedKey;
      const items = (page.Items ?? []) as unknown as CaseRecord[];
      watched += items.length;
      const alerts = items.flatMap((c) => {
        const d = watchCase(c, at, thresholds);
        return [...(d.alert ? [d.alert] : []), ...d.duties];
      });
      alerting += alerts.length;
      await notices.existingAlerts(
        alerts.map((a) => ({ radicado: a.radicado, sk: alertKey(a.alert, a.date) })),
      );
    } while (start);
  }
  return { watched, alerting };
}

// ── Capacity metering ───────────────────────────────────────────────────────────────────────

/** The low-level client's names of the read requests (the document client's commands send these). */
const READS = new Set([
  'GetItemCommand',
  'QueryCommand',
  'BatchGetItemCommand',
  'ScanCommand',
  'TransactGetItemsCommand',
]);
const meter = { on: false, read: 0, write: 0, reported: 0, by: {} as Record<string, number> };

/** Every command of the bench's client asks for its consumed capacity while metering, summed by kind. */
function meterCapacity(system: LocalSystem): void {
  system.ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (!meter.on) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed]
        .flat()
        .reduce<number>((n, c) => n + ((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);
      if (consumed !== undefined) meter.reported += 1;
      const name = context.commandName ?? '?';
      meter.by[name] = (meter.by[name] ?? 0) + units;
      if (READS.has(name)) meter.read += units;
      else meter.write += units;
      return out;
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
}

async function metered<T>(
  work: () => Promise<T>,
): Promise<{ result: T; read: number; write: number; by: Record<string, number> }> {
  Object.assign(meter, { on: true, read: 0, write: 0, reported: 0, by: {} });
  try {
    const result = await work();
    if (meter.reported === 0) throw new Error('DynamoDB reported no consumed capacity');
    return { result, read: meter.read, write: meter.write, by: meter.by };
  } finally {
    meter.on = false;
  }
}

// ── The cases ───────────────────────────────────────────────────────────────────────────────

/** One case as filing and routing leave it (the unit tests' world: in memory, with the real use cases). */
export async function realRoutedCase(): Promise<Item> {
  const w = await world();
  const { record } = await fileRouted(
    w,
    petition({
      subject: 'Zona wifi de la vereda El Carmen',
      description:
        'Solicito información sobre la instalación de la zona wifi prometida para la vereda y las fechas previstas de conexión.',
    }),
  );
  return { ...record };
}

/** `n` clones: receipts 1–6 business days ago, every hundredth 9–11 (an alert level now). */
export function clones(template: Item, n: number, thresholds: SemaforoThresholds): Item[] {
  const parsed = parseRadicado(String(template.radicado));
  if (!parsed) throw new Error(`bad radicado ${String(template.radicado)}`);
  const termClass = template.termClass as TermClass;
  const settings = (template.clockSettings ?? {}) as EntityClock;
  const today = bogotaDay(new Date());
  const {
    gsi1pk: _1,
    gsi1sk: _2,
    gsi2pk: _3,
    gsi2sk: _4,
    gsi3pk: _5,
    gsi3sk: _6,
    copiesDue: _c,
    ...rest
  } = template;
  // The dates and the watch place of a receipt depend on its day only: computed once per day.
  const byDay = new Map<number, { record: CaseRecord; place: Record<string, string> }>();
  const receiptOn = (daysAgo: number) => {
    const known = byDay.get(daysAgo);
    if (known) return known;
    const day = addBusinessDays(today, -daysAgo);
    const receivedAt = `${day}T09:00:00-05:00`;
    const c = computeClock({ termClass, filed: receivedAt, entity: settings }, { trace: false });
    const record = {
      ...rest,
      receivedAt,
      routedAt: `${day}T09:30:00-05:00`,
      updatedAt: `${day}T09:30:00-05:00`,
      receivedOn: c.receivedOn,
      dueDate: c.due,
      maxExtendedDue: c.maxExtendedDue,
      forwardBy: c.forwardBy,
      completionRequestBy: c.completionRequestBy,
    } as unknown as CaseRecord;
    const place = caseItem.keys(record, thresholds);
    byDay.set(daysAgo, { record, place });
    return byDay.get(daysAgo)!;
  };
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const seq = parsed.seq + 1 + i;
    const r = formatRadicado(parsed.entityId, parsed.year, seq);
    const daysAgo = i % ALERTING_EVERY === 0 ? 9 + (i % 3) : 1 + (i % 6);
    const { record, place } = receiptOn(daysAgo);
    items.push({
      ...record,
      ...keys.case(r),
      radicado: r,
      subject: `${String(template.subject)} (${i})`,
      trackingHash: `${String(template.trackingHash).slice(0, -8)}${String(seq % 1e8).padStart(8, '0')}`,
      gsi1pk: place.gsi1pk,
      gsi1sk: keys.inboxSort(false, String(record.dueDate), r),
      gsi3pk: place.gsi3pk,
      gsi3sk: keys.watchSort(String(place.gsi3sk).split('#')[0] ?? '', r),
    });
  }
  return items;
}

export default async function (): Promise<void> {
  const system = await startLocalSystem({ port: 0, pollers: false, schedulers: false });
  try {
    await seed();
    const entities = new DynamoEntityStore(system.ddb, system.tableName);
    const notices = new DynamoNoticeStore(system.ddb, system.tableName);
    const cases = new DynamoCaseStore(system.ddb, system.tableName, {
      thresholds: async (id) => (await entities.get(id))?.semaforo ?? DEFAULT_SEMAFORO,
    });
    const mintic = (await entities.get(ENTITY)) as Entity;
    meterCapacity(system);
    const template = await realRoutedCase();
    const items = clones(template, CASES, mintic.semaforo ?? DEFAULT_SEMAFORO);
    const loadStart = performance.now();
    await batchLoad(system, items, LOAD_CONCURRENCY);
    const before17 = await oldDesignTable(system);
    await batchLoad(system, items, LOAD_CONCURRENCY, before17);
    const loadSeconds = (performance.now() - loadStart) / 1000;
    console.log(
      `loaded ${items.length} pending cases of ${ENTITY} (${items.length / ALERTING_EVERY} at an alert level), twice (the old design's copy too), in ${loadSeconds.toFixed(1)} s; item ${Buffer.byteLength(JSON.stringify(template))} B as JSON`,
    );
    // Every entity's settings settled (as after the first run): the runs measured are ordinary ones.
    const listed = await entities.list();
    await cases.saveSweepState({ settled: Object.fromEntries(listed.map((e) => [e.id, settingsMark(e)])) });

    const at = new Date().toISOString();
    const old = await metered(() => oldSweepReads(system, entities, notices, at, before17));
    const deps = { cases, entities, notices, clock: { now: () => new Date() } };
    const first = await metered(() => sweepCases(deps));
    const second = await metered(() => sweepCases(deps));

    const alerted = Object.values(first.result.alerts).reduce((n, x) => n + x, 0);
    if (first.result.watched !== items.length / ALERTING_EVERY || alerted !== first.result.watched) {
      throw new Error(
        `the new sweep read ${first.result.watched} and alerted ${alerted}: expected ${items.length / ALERTING_EVERY} each`,
      );
    }
    if (old.result.watched < items.length)
      throw new Error(`the old read saw ${old.result.watched} cases only`);
    const f = (x: number) => x.toFixed(1);
    console.log(
      `old sweep: read ${old.result.watched} cases (horizon), ${old.result.alerting} alert checks: ${f(old.read)} read units`,
    );
    console.log(
      `new sweep: read ${first.result.watched} due cases, ${alerted} alerts recorded: ${f(first.read)} read units (${f(first.write)} write units: alerts, moves)`,
    );
    console.log(
      `new sweep, next run: read ${second.result.watched} cases: ${f(second.read)} read units (${f(second.write)} write units)`,
    );
    const by = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([k, v]) => `${k.replace('Command', '')} ${f(v)}`)
        .join(', ');
    console.log(`units by request: old ${by(old.by)}; new ${by(first.by)}`);
    console.log(`sweep: ${f(old.read / first.read)}× fewer read units (target ≥ 50×)`);
  } finally {
    await system.stop();
  }
}
