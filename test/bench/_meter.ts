/**
 * What the local system does, metered as AWS would bill it (the cost bench): every AWS SDK call of
 * this process (the handlers', the pollers', the pipes'), every handler invocation with its time,
 * every receipt signed and every byte logged, while `meter.on`.
 *
 * DynamoDB: each call asks for its consumed capacity (ReturnConsumedCapacity: INDEXES). DynamoDB
 * Local reports single-item writes, batches and queries as DynamoDB does (checked: a 1.8 KB put is
 * 2 units, plus 2 per index projecting it whole, 1 for keys only), but not transactions (one small
 * put reports 4, two report 4 too) nor the minimum read of an empty answer. So a transaction is
 * priced here from the items themselves, read raw before and after it: 2 write units per KB of each
 * item it puts, updates or checks (DynamoDB's transactional rate), plus 1 per KB of each index entry
 * it writes or removes (index propagation is not transactional; an assumption, stated in the
 * output). An empty Get or Query is 0.5 read unit (1 when strongly consistent).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { JwsReceiptSigner } from '#adapters/receipts/jws.ts';
import { FUNCTION_DEFAULTS, type FunctionSpec, TABLE } from '#infra/catalog.ts';
import { invokedFunction, observeInvocations } from '#infra/local/lambda.ts';
import type { LocalSystem } from '#infra/local/system.ts';

type Av = AttributeValue;
type Item = Record<string, Av>;

/** Units and counts, summed while the meter is on. */
export interface Tally {
  /** Read and write request units, by function (`-` for the bench's own calls) and by operation. */
  read: Record<string, number>;
  write: Record<string, number>;
  /** DynamoDB calls by `function.operation`. */
  calls: Record<string, number>;
  /** SQS requests by action; `ReceiveMessage (empty)` apart (a poller's idle cost, not per case). */
  sqs: Record<string, number>;
  /** Invocations, GB-seconds (the catalog's memory × the measured handler time, ms rounded up). */
  lambda: Record<string, { invocations: number; gbSeconds: number; ms: number }>;
  /** Stream records delivered to each pipe's function (billed pipe requests). */
  pipeEvents: number;
  /** HTTP API requests (invocations of HTTP functions). */
  apiRequests: number;
  /** Receipts signed (a KMS Sign each on AWS). */
  receiptsSigned: number;
  /** Bytes the handlers logged (CloudWatch Logs ingestion), without the platform's lines. */
  logBytes: number;
}

function emptyTally(): Tally {
  return {
    read: {},
    write: {},
    calls: {},
    sqs: {},
    lambda: {},
    pipeEvents: 0,
    apiRequests: 0,
    receiptsSigned: 0,
    logBytes: 0,
  };
}

const add = (m: Record<string, number>, k: string, v: number) => {
  m[k] = (m[k] ?? 0) + v;
};
export const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/** DynamoDB's size of an attribute value (names and values in UTF-8; numbers by their digits). */
function valueBytes(v: Av): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + valueBytes({ N: s }), 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueBytes(x), 0);
  if (v.M)
    return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueBytes(x), 0);
  return 0;
}
export function itemBytes(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueBytes(v), 0);
}
const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

type Projection =
  | { type: 'ALL' }
  | { type: 'KEYS_ONLY' }
  | { type: 'INCLUDE'; attributes: readonly string[] };
/** An index entry of the item (its projection), or undefined when the item is not on the index. */
function indexEntry(item: Item | undefined, index: (typeof TABLE.indexes)[number]): Item | undefined {
  if (!item || item[index.partitionKey] === undefined) return undefined;
  const projection = ((index as { projection?: Projection }).projection ?? { type: 'ALL' }) as Projection;
  if (projection.type === 'ALL') return item;
  const keep = new Set<string>([TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey]);
  if (projection.type === 'INCLUDE') for (const a of projection.attributes) keep.add(a);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}
const same = (a: Item | undefined, b: Item | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Index write units of an item going from `before` to `after` (a moved entry: a delete and a put). */
function indexUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  for (const index of TABLE.indexes) {
    const [b, a] = [indexEntry(before, index), indexEntry(after, index)];
    if (!b && !a) continue;
    const keyOf = (e: Item | undefined) => JSON.stringify([e?.[index.partitionKey], e?.[index.sortKey]]);
    if (b && a && keyOf(b) === keyOf(a)) {
      if (!same(a, b)) units += kb(Math.max(itemBytes(a), itemBytes(b)));
    } else {
      if (b) units += kb(itemBytes(b));
      if (a) units += kb(itemBytes(a));
    }
  }
  return units;
}

const DOC_TO_LOW: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactWriteCommand: 'TransactWriteItems',
  TransactGetCommand: 'TransactGetItems',
};
const operation = (name: string) => DOC_TO_LOW[name] ?? name.replace(/Command$/, '');
const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const CAPACITY_OPS = new Set([...READ_OPS, 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/** A key as AttributeValues, whether the caller used the document client or the low-level one. */
function rawKey(key: Record<string, unknown>): Item {
  const k = { pk: key[TABLE.partitionKey], sk: key[TABLE.sortKey] };
  return (typeof k.pk === 'string' ? marshall(k) : k) as Item;
}

function compactBytes(text: string): number {
  try {
    return Buffer.byteLength(JSON.stringify(JSON.parse(text))) + 1;
  } catch {
    return Buffer.byteLength(text);
  }
}

export interface Meter {
  /** Counts what `work` causes (and what the system does meanwhile); returns the tally. */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; tally: Tally }>;
  stop(): void;
}

/** Starts metering this process's AWS calls and invocations (one meter per process). */
export function startMeter(system: LocalSystem): Meter {
  let tally: Tally | undefined;
  // The meter's own reads (item sizes around a transaction) are not billed.
  const own = new AsyncLocalStorage<true>();
  const raw = new DynamoDBClient({
    endpoint: system.endpoints.dynamodb,
    region: system.env.AWS_REGION ?? 'us-east-1',
  });
  const getRaw = (key: Item) =>
    own.run(true, () =>
      raw
        .send(new GetItemCommand({ TableName: system.tableName, Key: key, ConsistentRead: true }))
        .then((o) => o.Item),
    );
  const who = () => invokedFunction() ?? '-';

  // Every SDK client of the process shares smithy's Client.prototype.send.
  const proto = Object.getPrototypeOf(DynamoDBClient.prototype) as {
    send: (
      this: { config: { serviceId?: string } },
      command: unknown,
      ...rest: unknown[]
    ) => Promise<unknown>;
  };
  const send = proto.send;
  proto.send = async function (
    this: { config: { serviceId?: string } },
    command: unknown,
    ...rest: unknown[]
  ) {
    const t = tally;
    if (!t || own.getStore()) return send.call(this, command, ...rest);
    const service = this.config.serviceId;
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const op = operation(c.constructor.name);
    if (service === 'SQS') {
      const out = (await send.call(this, command, ...rest)) as { Messages?: unknown[] };
      add(t.sqs, op === 'ReceiveMessage' && !out.Messages?.length ? 'ReceiveMessage (empty)' : op, 1);
      return out;
    }
    if (service !== 'DynamoDB') return send.call(this, command, ...rest);
    const fn = who();
    add(t.calls, `${fn}.${op}`, 1);
    if (op === 'TransactWriteItems') {
      const items = (c.input.TransactItems ?? []) as Record<
        string,
        { Key?: Record<string, unknown>; Item?: Record<string, unknown> }
      >[];
      const touched = items.map((t) => {
        const [kind, body] = Object.entries(t)[0] ?? ['', {}];
        return { kind, key: rawKey((body.Key ?? body.Item ?? {}) as Record<string, unknown>) };
      });
      const before = await Promise.all(touched.map((x) => getRaw(x.key)));
      const out = await send.call(this, command, ...rest);
      const after = await Promise.all(touched.map((x) => getRaw(x.key)));
      let units = 0;
      touched.forEach((x, i) => {
        units += 2 * kb(Math.max(itemBytes(before[i]), itemBytes(after[i])));
        if (x.kind !== 'ConditionCheck') units += indexUnits(before[i], after[i]);
      });
      add(t.write, fn, units);
      add(t.write, `op:${fn}.${op}`, units);
      return out;
    }
    if (!CAPACITY_OPS.has(op)) return send.call(this, command, ...rest);
    c.input.ReturnConsumedCapacity = 'INDEXES';
    const out = (await send.call(this, command, ...rest)) as { ConsumedCapacity?: unknown };
    let units = [out.ConsumedCapacity]
      .flat()
      .reduce<number>((n, x) => n + ((x as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);
    if (units === 0 && (op === 'GetItem' || op === 'Query')) units = c.input.ConsistentRead ? 1 : 0.5;
    const into = READ_OPS.has(op) ? t.read : t.write;
    add(into, fn, units);
    add(into, `op:${fn}.${op}`, units);
    return out;
  };

  const sign = JwsReceiptSigner.prototype.sign;
  JwsReceiptSigner.prototype.sign = function (this: JwsReceiptSigner, payload) {
    if (tally) tally.receiptsSigned += 1;
    return sign.call(this, payload);
  };

  const stopObserving = observeInvocations((fn: FunctionSpec, event: unknown, ms: number) => {
    if (!tally) return;
    const memory = fn.memorySize ?? FUNCTION_DEFAULTS[fn.trigger.type].memorySize;
    const entry = tally.lambda[fn.name] ?? { invocations: 0, gbSeconds: 0, ms: 0 };
    tally.lambda[fn.name] = entry;
    entry.invocations += 1;
    entry.ms += ms;
    entry.gbSeconds += (Math.ceil(ms) / 1000) * (memory / 1024);
    if (fn.trigger.type === 'http') tally.apiRequests += 1;
    if (fn.trigger.type === 'pipe' && Array.isArray(event)) tally.pipeEvents += event.length;
  });

  // Handlers log to stdout: Powertools JSON, pretty-printed locally (POWERTOOLS_DEV), one compact
  // line on AWS, so a JSON entry is counted compacted. Their lines are counted, not shown.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (invokedFunction() === undefined) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    if (tally) tally.logBytes += compactBytes(String(chunk));
    return true;
  }) as typeof process.stdout.write;

  return {
    async measure(work) {
      tally = emptyTally();
      const mine = tally;
      try {
        const result = await work();
        return { result, tally: mine };
      } finally {
        tally = undefined;
      }
    },
    stop() {
      proto.send = send;
      JwsReceiptSigner.prototype.sign = sign;
      process.stdout.write = write;
      stopObserving();
      raw.destroy();
    },
  };
}
