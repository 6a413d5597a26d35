/**
 * The PQRSD report's counters (issue 15) in the single table:
 *  - counted ... pk=CASE#<radicado>  sk=COUNTED   version, cells (what the case adds now), entry
 *                (its open-data register row, office and officer) and `notified` (the day of its
 *                answer's notice, written apart); on gsi1 `REGISTER#<entity>#<YYYY-MM>` by radicado,
 *                the register of the month of receipt. No `type`: no pipe passes it; no personal
 *                data (the register's columns are picked: register.ts)
 *  - cells ..... sharded counter groups (shardedCounter.ts) `REPORT#ENTITY#<id>#<YYYY-MM>` and
 *                `REPORT#NATIONAL#<YYYY-MM>`, a case always in the shard of its radicado
 * A case's change is one transaction with the others of its shard and months (at most 48 cases):
 * their counted items on the condition that each is older than the change, and one counter
 * update per group. A year's report reads 12 × 8 shard items (one BatchGetItem call).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import type { Cells } from '#domain/transparency/contributions.ts';
import { REGISTER_DICTIONARY, type RegisterEntry, type RegisterRow } from '#domain/transparency/register.ts';
import type { Page } from '#ports/index.ts';
import type { CountChange, CountedVersion, ReportCounters, ReportScope } from '#ports/reports.ts';
import { encodeCursor, keys, readCursor } from './keys.ts';
import { counterUpdate, readCounterGroups, shardFor } from './shardedCounter.ts';
import { Table } from './table.ts';

/**
 * Shards of a report's counter group: a stream batch writes each shard of a month once (its cases
 * grouped), so a few spread the concurrent batches of other stream shards; a year's report reads
 * 12 × 8 items (one BatchGetItem). docs/adr/0013-pqrsd-report-counters.md
 */
const REPORT_SHARDS = 8;
const shardOf = (radicado: string) => shardFor(radicado, REPORT_SHARDS);

const scopeName = (scope: ReportScope) => (scope === 'national' ? 'NATIONAL' : `ENTITY#${scope.entityId}`);
/** Cases per transaction: their counted items and two counter updates per month stay under 100. */
const CASES_PER_WRITE = 48;
const ATTEMPTS = 6;
/** Reasons a transaction may pass when tried again (contention on a shard item, throttling). */
const RETRYABLE = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'None',
]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cells (`YYYY-MM|figure` keys) added together, split by month (month → figure → n). */
function byMonth(deltas: readonly Readonly<Cells>[]): Map<string, Cells> {
  const months = new Map<string, Cells>();
  for (const delta of deltas) {
    for (const [key, n] of Object.entries(delta)) {
      const month = key.slice(0, 7);
      const cells = months.get(month) ?? {};
      cells[key.slice(8)] = (cells[key.slice(8)] ?? 0) + n;
      months.set(month, cells);
    }
  }
  for (const cells of months.values())
    for (const [k, v] of Object.entries(cells)) if (v === 0) delete cells[k];
  return months;
}

/**
 * The counter updates (TransactWriteItems entries) that add cells to an entity's report and the
 * national one, in the shard of `radicado`: also for a write that counts what it writes in its own
 * transaction (a satisfaction rating, citizenStore.ts).
 */
export function reportUpdates(
  table: string,
  entityId: string,
  radicado: string,
  deltas: readonly Readonly<Cells>[],
): { Update: ReturnType<typeof counterUpdate> }[] {
  const shard = shardOf(radicado);
  return [...byMonth(deltas)].flatMap(([month, cells]) =>
    Object.keys(cells).length === 0
      ? []
      : [{ entityId }, 'national' as const].map((scope) => ({
          Update: counterUpdate(table, keys.reportGroup(scopeName(scope), month), shard, cells),
        })),
  );
}

export class DynamoReportCounters implements ReportCounters {
  private readonly items: Table;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.items = new Table(db, table);
  }

  async counted(radicados: readonly string[]): Promise<Map<string, CountedVersion>> {
    const found = await this.items.batchGet(
      radicados.map((r) => keys.counted(r)),
      { consistent: true, attributes: ['pk', 'version', 'cells', 'entry'] },
    );
    return new Map(
      found
        .filter((item) => item.version !== undefined)
        .map((item) => [
          String(item.pk).slice('CASE#'.length),
          {
            version: Number(item.version),
            cells: (item.cells ?? {}) as Cells,
            ...(item.entry ? { entry: item.entry as RegisterEntry } : {}),
          },
        ]),
    );
  }

  async apply(changes: readonly CountChange[]): Promise<void> {
    // One write per (entity, shard, months): the cases of a group share their counter items.
    const groups = new Map<string, CountChange[]>();
    for (const change of changes) {
      const months = [...new Set(Object.keys(change.delta).map((k) => k.slice(0, 7)))].sort();
      const key = `${change.entityId}|${shardOf(change.radicado)}|${months.join(',')}`;
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    const writes: CountChange[][] = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i += CASES_PER_WRITE)
        writes.push(group.slice(i, i + CASES_PER_WRITE));
    }
    await Promise.all(writes.map((w) => this.write(w)));
  }

  /** One transaction: the cases' counted items and their entity's and the national counters. */
  private async write(changes: readonly CountChange[]): Promise<void> {
    const first = changes[0]!;
    const updates = reportUpdates(
      this.table,
      first.entityId,
      first.radicado,
      changes.map((c) => c.delta),
    );
    const input = {
      TransactItems: [
        ...changes.map((c) => ({
          // An update, not a put: the answer's `notified` day is written apart (countNotified).
          Update: {
            TableName: this.table,
            Key: keys.counted(c.radicado),
            UpdateExpression:
              'SET version = :version, cells = :cells, entry = :entry, gsi1pk = :gpk, gsi1sk = :gsk',
            ConditionExpression: 'attribute_not_exists(version) OR version < :version',
            ExpressionAttributeValues: {
              ':version': c.version,
              ':cells': c.cells,
              ':entry': c.entry,
              ':gpk': keys.register(c.entityId, c.entry.row.received.slice(0, 7)),
              ':gsk': c.radicado,
            },
          },
        })),
        ...updates,
      ],
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand(input));
        return;
      } catch (error) {
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        const stale = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
        if (stale >= 0 && stale < changes.length) {
          // Counted meanwhile at this version or a later one: the rest go without it.
          const rest = changes.filter((_, i) => i !== stale);
          if (rest.length > 0) await this.write(rest);
          return;
        }
        const retryable = reasons.length > 0 && reasons.every((r) => RETRYABLE.has(r.Code ?? 'None'));
        if (!retryable || attempt >= ATTEMPTS) throw error;
        await sleep(Math.random() * Math.min(200, 10 * 2 ** attempt));
      }
    }
  }

  async cells(scope: ReportScope, months: readonly string[]): Promise<Cells> {
    const groups = months.map((m) => keys.reportGroup(scopeName(scope), m));
    const totals = await readCounterGroups(this.db, this.table, groups, { shards: REPORT_SHARDS });
    const out: Cells = {};
    months.forEach((month, i) => {
      for (const [figure, n] of Object.entries(totals.get(groups[i]!) ?? {})) {
        if (n !== 0) out[`${month}|${figure}`] = n;
      }
    });
    return out;
  }

  async notified(radicado: string, day: string | null): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.counted(radicado),
        ...(day === null
          ? { UpdateExpression: 'REMOVE notified' }
          : { UpdateExpression: 'SET notified = :day', ExpressionAttributeValues: { ':day': day } }),
      }),
    );
  }

  async register(
    entityId: string,
    months: readonly string[],
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<RegisterEntry>> {
    const isCursor = (v: unknown): v is RegisterCursor => {
      const c = v as Partial<RegisterCursor> | null;
      return (
        typeof c?.m === 'string' &&
        months.includes(c.m) &&
        typeof c.r === 'string' &&
        RADICADO_PATTERN.test(c.r) &&
        c.r.startsWith(`${entityId}-`) &&
        Object.keys(c).length === 2
      );
    };
    const at = page.cursor === undefined ? undefined : readCursor(page.cursor, isCursor);
    const items: RegisterEntry[] = [];
    for (let i = at ? months.indexOf(at.m) : 0; i < months.length; i++) {
      const month = months[i]!;
      const partition = keys.register(entityId, month);
      let start: Record<string, unknown> | undefined =
        at?.m === month ? { ...keys.counted(at.r), gsi1pk: partition, gsi1sk: at.r } : undefined;
      do {
        const out = await this.items.query(
          { index: 'gsi1', partition, limit: page.limit - items.length, attributes: ['entry', 'notified'] },
          start,
        );
        items.push(...out.items.map(entryOf));
        start = out.last;
        if (items.length >= page.limit) {
          const last = items.at(-1)!.row.radicado;
          const more = start !== undefined || i < months.length - 1;
          return more ? { items, cursor: encodeCursor({ m: month, r: last }) } : { items };
        }
      } while (start !== undefined);
    }
    return { items };
  }
}

/** Where a register page goes on: after radicado `r` of month `m`. */
interface RegisterCursor {
  m: string;
  r: string;
}

/**
 * An entry as stored, with its answer's notified day (only an answered case has one), its row's
 * columns in the dictionary's order (a stored map comes back in any order).
 */
function entryOf(item: Record<string, unknown>): RegisterEntry {
  const entry = item.entry as RegisterEntry;
  const notified = typeof item.notified === 'string' && entry.row.answered !== null ? item.notified : null;
  const row = { ...entry.row, notified };
  return {
    ...entry,
    row: Object.fromEntries(
      REGISTER_DICTIONARY.map((d) => [d.column, row[d.column]]),
    ) as unknown as RegisterRow,
  };
}
