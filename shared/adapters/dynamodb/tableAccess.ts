/**
 * A function's access to the table, by the leading key of what it touches (the item's partition
 * key, or an index's when it queries one): the same declaration (infra/catalog.ts TABLE_FAMILIES and
 * each function's `table`) becomes its IAM policy on AWS (`dynamodb:LeadingKeys`) and this guard,
 * which refuses any other call from inside the function, as IAM would. Locally, where DynamoDB Local
 * knows no IAM, the guard is what proves the declaration: the local runner sets each invocation's
 * access (`withTableAccess`), and the whole integration suite runs under it. docs/adr/0018.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Leading-key patterns as IAM's StringLike reads them (a trailing `*` only). */
export interface TableAccess {
  /** GetItem, BatchGetItem, ConditionCheckItem: the items' partition keys. */
  readonly read: readonly string[];
  /** PutItem, UpdateItem (BatchWriteItem puts too, where granted). */
  readonly write: readonly string[];
  /** PutItem only, never an update: audit trails. */
  readonly append: readonly string[];
  /** Query, per index (`table` for the table itself): the queried partition key. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** BatchWriteItem (puts within `write`): granted only where declared, as it could delete. */
  readonly batchWrites: boolean;
}

/** The environment variable that carries a deployed function's access (JSON of TableAccess). */
export const TABLE_ACCESS_ENV = 'TABLE_ACCESS';

/** Raised for a call the function's declaration does not allow: IAM's AccessDeniedException. */
export class TableAccessDenied extends Error {
  override readonly name = 'AccessDeniedException';
}

const invocation = new AsyncLocalStorage<TableAccess>();

/** Runs `work` (one invocation) under `access`: every table call it makes is checked. */
export function withTableAccess<T>(access: TableAccess, work: () => T): T {
  return invocation.run(access, work);
}

let fromEnv: TableAccess | null | undefined;
function envAccess(): TableAccess | null {
  if (fromEnv === undefined) {
    const json = process.env[TABLE_ACCESS_ENV];
    fromEnv = json ? (JSON.parse(json) as TableAccess) : null;
  }
  return fromEnv;
}

/** Whether `key` matches one of the patterns (`CASE#*` or an exact `ENTITIES`). */
export function allows(patterns: readonly string[], key: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p));
}

type Op = 'read' | 'write' | 'append' | 'query';
interface Touch {
  readonly op: Op;
  readonly key: string;
  readonly index?: string;
}

const text = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return '';
};
type Input = Record<string, unknown>;
const pkOf = (item: unknown): string => text((item as Input | undefined)?.pk);

/** The partition key a Query names: `<attr> = :value` first in its key condition. */
function queried(input: Input): Touch {
  const condition = String(input.KeyConditionExpression ?? '');
  const m = /^\s*(#?\w+)\s*=\s*(:\w+)/.exec(condition);
  const values = (input.ExpressionAttributeValues ?? {}) as Input;
  const index = typeof input.IndexName === 'string' ? input.IndexName : 'table';
  return { op: 'query', key: m?.[2] ? text(values[m[2]]) : '', index };
}

/** What a command touches; `undefined` for a command no function may send (Scan, deletes…). */
function touches(command: string, input: Input): Touch[] | undefined {
  switch (command) {
    case 'GetItemCommand':
      return [{ op: 'read', key: pkOf(input.Key) }];
    case 'PutItemCommand':
      return [{ op: 'write', key: pkOf(input.Item) }];
    case 'UpdateItemCommand':
      return [{ op: 'write', key: pkOf(input.Key) }];
    case 'QueryCommand':
      return [queried(input)];
    case 'BatchGetItemCommand':
      return Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).flatMap((r) =>
        (r.Keys ?? []).map((k) => ({ op: 'read' as const, key: pkOf(k) })),
      );
    case 'BatchWriteItemCommand': {
      const requests = Object.values((input.RequestItems ?? {}) as Record<string, Input[]>).flat();
      if (requests.some((r) => r.DeleteRequest !== undefined)) return undefined;
      return requests.map((r) => ({ op: 'write' as const, key: pkOf((r.PutRequest as Input)?.Item) }));
    }
    case 'TransactWriteItemsCommand': {
      const out: Touch[] = [];
      for (const t of (input.TransactItems ?? []) as Input[]) {
        if (t.Put) out.push({ op: 'write', key: pkOf((t.Put as Input).Item) });
        else if (t.Update) out.push({ op: 'write', key: pkOf((t.Update as Input).Key) });
        else if (t.ConditionCheck) out.push({ op: 'read', key: pkOf((t.ConditionCheck as Input).Key) });
        else return undefined;
      }
      return out;
    }
    case 'TransactGetItemsCommand':
      return ((input.TransactItems ?? []) as Input[]).map((t) => ({
        op: 'read' as const,
        key: pkOf((t.Get as Input | undefined)?.Key),
      }));
    default:
      return undefined;
  }
}

/** Why `access` refuses the call, or undefined when it allows it. */
export function refusal(access: TableAccess, command: string, input: Input): string | undefined {
  const all = touches(command, input);
  if (all === undefined) return `${command} is never granted`;
  if (command === 'BatchWriteItemCommand' && !access.batchWrites) return `${command} is not granted`;
  for (const t of all) {
    const allowed =
      t.op === 'query'
        ? allows(access.query[t.index ?? 'table'] ?? [], t.key)
        : t.op === 'read'
          ? allows(access.read, t.key)
          : // A put may append to an audit trail; an update of one never.
            allows(access.write, t.key) ||
            (command !== 'UpdateItemCommand' && !isUpdate(input, t.key) && allows(access.append, t.key));
    if (!allowed) {
      const where = t.op === 'query' ? ` on ${t.index}` : '';
      return `${command} (${t.op}${where}) of a "${family(t.key)}" key is not in the function's table access`;
    }
  }
  return undefined;
}

/** Whether the transaction's touch of `key` is an update (appends are puts only). */
function isUpdate(input: Input, key: string): boolean {
  return ((input.TransactItems ?? []) as Input[]).some(
    (t) => t.Update !== undefined && pkOf((t.Update as Input).Key) === key,
  );
}

/** A key's family as an error may name it: its prefix up to the first `#`, never the id after it. */
function family(key: string): string {
  const cut = key.indexOf('#');
  return cut < 0 ? key : `${key.slice(0, cut + 1)}…`;
}

/**
 * Adds the guard to a raw client: the invocation's access (the local runner's) or the deployed
 * function's (TABLE_ACCESS); no check where neither is set (tests and scripts that use the stores
 * directly).
 */
export function guardTableAccess(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const access = invocation.getStore() ?? envAccess();
      if (access) {
        const why = refusal(access, String(context.commandName), args.input as Input);
        if (why !== undefined) throw new TableAccessDenied(why);
      }
      return next(args);
    },
    { step: 'initialize', name: 'tableAccessGuard', priority: 'low' },
  );
}
