/**
 * The PQRSD report's counters (issue 15) in the single table:
 *  - counted ... pk=CASE#<radicado>  sk=COUNTED   version, cells (what the case adds now; no `type`:
 *                no pipe passes it, and it holds counts only, no personal data)
 *  - cells ..... sharded counter groups (shardedCounter.ts) `REPORT#ENTITY#<id>#<YYYY-MM>` and
 *                `REPORT#NATIONAL#<YYYY-MM>`, a case always in the shard of its radicado
 * A case's change is one transaction with the others of its shard and months (at most 48 cases):
 * their counted items on the condition that each is older than the change, and one counter
 * update per group. A year's report reads 12 × 8 shard items (one BatchGetItem call).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Cells } from '#domain/transparency/contributions.ts';
import type { CountChange, CountedVersion, ReportCounters, ReportScope } from '#ports/reports.ts';
import { keys } from './keys.ts';
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
      { consistent: true, attributes: ['pk', 'version', 'cells'] },
    );
    return new Map(
      found.map((item) => [
        String(item.pk).slice('CASE#'.length),
        { version: Number(item.version), cells: (item.cells ?? {}) as Cells },
      ]),
    );
  }

  async apply(changes: readonly CountChange[]): Promise<void> {
    // One write per (entity, shard, months): the cases of a group share their counter items.
    const groups = new Map<string, CountChange[]>();
    for (const change of changes) {
      const months = [...new Set(Object.keys(change.delta).map((k) => k.slice(0, 7)))].sort();
      if (months.length === 0) continue;
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
          Put: {
            TableName: this.table,
            Item: { ...keys.counted(c.radicado), version: c.version, cells: c.cells },
            ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
            ExpressionAttributeValues: { ':version': c.version },
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
}
