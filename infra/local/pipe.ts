/**
 * The local stand-in for an EventBridge Pipe from the table's stream to a function
 * (infra/catalog.ts PIPES; the CDK side is infra/constructs/TablePipe.ts). It reads DynamoDB Local's
 * stream and does what the pipe does on AWS, from the same catalog entry:
 * - follows the stream's shards (DescribeStream, GetShardIterator, a GetRecords loop that sleeps
 *   briefly when a shard has nothing new), parents before children, and picks up new shards when
 *   one closes or DescribeStream shows them;
 * - turns each record into the JSON event a pipe sees (`eventName`, `dynamodb.NewImage` …) and keeps
 *   the ones the catalog's filter (an EventBridge pattern) matches;
 * - invokes the function (the real handler, through the local runner) with `batchSize`
 *   records at a time as a JSON array of those events, in stream order, each batch within Lambda's
 *   6 MB payload; a thrown error (or a rejected promise, a timeout) fails the whole batch, which is
 *   retried whole;
 * - a failure is retried with a doubling delay, `maximumRetryAttempts` times, and then
 *   dead-lettered: the pipe's DLQ gets what AWS puts there for a stream source, a
 *   `DDBStreamBatchInfo` pointing at the record (shard and sequence number), not the record. The
 *   shard waits meanwhile, as on AWS.
 *
 * Local shortcuts: AWS bisects a failing batch down to the failing record; here a failing batch
 * is retried whole and then dead-lettered record by record (one pointer per record), which is
 * where bisection ends. Retries take milliseconds, not AWS's backoff. A stream created by this start is read
 * from TRIM_HORIZON. With a checkpoint file (DATA_DIR), the position is kept per shard
 * (pipeCheckpoint.ts) and a restart resumes after the last record delivered; shards the
 * checkpoint does not know (children of a closed one) are read from their start, as on AWS.
 * Why: docs/adr/0003-routing-via-eventbridge-pipes.md, docs/adr/0019-one-outbox-pipe-and-a-relay.md
 */
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  checkPattern,
  isObject,
  type Json,
  type JsonObject,
  matchesPattern,
} from '../../shared/queue/eventPattern.ts';
import { type PipeSpec, patternsOf } from '../catalog.ts';
import { type LocalLog, oneLine } from './errors.ts';
import { checkpointWriter, type PipeCheckpoint, readCheckpoint } from './pipeCheckpoint.ts';

/**
 * The function a pipe delivers to, as the catalog's `target` names it, and how to invoke it with a
 * batch (system.ts runs the real handler through the runner).
 */
export interface LocalPipeTarget {
  readonly functionName: string;
  /** Resolves when the batch was handled; rejects (or throws) when it failed. */
  readonly invoke: (batch: JsonObject[]) => Promise<unknown>;
}

export interface LocalPipeOptions {
  spec: PipeSpec;
  streams: DynamoDBStreamsClient;
  /** For the pipe's DLQ. */
  sqs: SQSClient;
  streamArn: string;
  /** Where shards open now start: TRIM_HORIZON for a stream created by this start, else the catalog's. */
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** The function `spec.target` names. */
  target: LocalPipeTarget;
  dlqUrl: string;
  region: string;
  log: LocalLog;
  /** Milliseconds a shard that returned nothing waits before the next GetRecords (default 100). */
  pollIntervalMs?: number;
  /** First retry delay of a failed batch; it doubles on each retry, up to 10× (default 100). */
  retryDelayMs?: number;
  /** Milliseconds between DescribeStream calls looking for new shards (default 1000). */
  discoverIntervalMs?: number;
  /**
   * Keep the stream position here (DATA_DIR/pipes/<pipe>.json) and resume from it: shards it
   * names after their last delivered record, the others from their start (default: none kept).
   */
  checkpointFile?: string;
}

export interface LocalPipe {
  readonly name: string;
  /** The target function's name. */
  readonly target: string;
  readonly dlqUrl: string;
  /** Stream records read so far, matching or not. */
  consumed(): number;
  /** Records read and not yet delivered or dead-lettered (a function's batch: until its invocation settles). */
  busy(): number;
  /**
   * Resolves true once every shard has answered a GetRecords that started after this call with
   * nothing new, and nothing read is still being delivered; false after `timeoutMs` (default 2 s).
   */
  catchUp(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

// ── The pipe's view of a record (matching and messages: shared/queue/eventPattern.ts) ─────────

function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined && key !== '$unknown') out[key] = plain(inner);
    }
    return out;
  }
  return String(value);
}

/** A GetRecords record as the JSON event a pipe filters and transforms (Lambda's shape). */
export function toPipeEvent(record: _Record, streamArn: string): JsonObject {
  const event = plain(record);
  if (!isObject(event)) throw new Error('a stream record that is not an object');
  return { ...event, eventSourceARN: streamArn };
}

// ── The running pipe ───────────────────────────────────────────────────────────────────────────

interface ShardState {
  readonly id: string;
  readonly parentId: string | undefined;
  /** How to start reading it: set when it is first seen. */
  readonly start: ShardIteratorType;
  status: 'waiting' | 'reading' | 'done';
  /** The catch-up epoch at the start of its last GetRecords that found nothing new. */
  caughtUp: number;
  lastSequence: string | undefined;
}

/** Lambda's payload limit for a synchronous invocation (6 MB), which bounds a function's batch. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * Batches of at most `size` items whose JSON array stays within `maxBytes` (one item larger than
 * that goes alone: DynamoDB items are at most 400 KB, so a stream record never is).
 */
export function payloadBatches<T extends Json>(items: readonly T[], size: number, maxBytes: number): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let bytes = 2; // the array's brackets
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    // A comma before every item but the first.
    if (batch.length > 0 && (batch.length >= size || bytes + 1 + itemBytes > maxBytes)) {
      out.push(batch);
      batch = [];
      bytes = 2;
    }
    bytes += (batch.length > 0 ? 1 : 0) + itemBytes;
    batch.push(item);
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** How many batch item failures a function's reply reports (`{ batchItemFailures: [...] }`), else 0. */
function reportedFailures(reply: unknown): number {
  if (typeof reply !== 'object' || reply === null || !('batchItemFailures' in reply)) return 0;
  const failures = reply.batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}

/**
 * Whether a record was made before `since` (epoch ms). The stream's times are rounded down to the
 * minute (DynamoDB Local, and AWS by default): a record of the same minute counts as not before.
 */
function madeBefore(record: _Record, since: number): boolean {
  const made = record.dynamodb?.ApproximateCreationDateTime;
  return made !== undefined && made.getTime() < Math.floor(since / 60_000) * 60_000;
}

function isoSeconds(date: Date | undefined): string {
  return (date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function startTablePipe(options: LocalPipeOptions): LocalPipe {
  const { spec, streams, sqs, streamArn, log } = options;
  const patterns = patternsOf(spec.filter);
  for (const p of patterns) checkPattern(p);
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const discoverIntervalMs = options.discoverIntervalMs ?? 1000;
  const queueName = (url: string): string => url.split('/').at(-1) ?? url;
  const pipeArn = `arn:aws:pipes:${options.region}:000000000000:pipe/${spec.name}`;
  const target = options.target;
  if (spec.target.function !== target.functionName) {
    throw new Error(`pipe ${spec.name}: targets ${spec.target.function}, not ${target.functionName}`);
  }
  const targetLabel = `function ${target.functionName}`;

  const shards = new Map<string, ShardState>();
  const loops = new Set<Promise<void>>();
  const saved = options.checkpointFile ? readCheckpoint(options.checkpointFile) : undefined;
  const resume = saved?.streamArn === streamArn ? saved : undefined;
  // A LATEST pipe resuming a shard from its start skips what was made before it first started.
  const since =
    resume !== undefined ? resume.since : options.startingPosition === 'LATEST' ? Date.now() : undefined;
  const writer = options.checkpointFile
    ? checkpointWriter(options.checkpointFile, (error) =>
        log(`${spec.name}: saving its stream position failed: ${oneLine(error)}`),
      )
    : undefined;
  const saveCheckpoint = (): void => {
    if (writer === undefined) return;
    const checkpoint: PipeCheckpoint = { streamArn, shards: {} };
    if (since !== undefined) checkpoint.since = since;
    for (const shard of shards.values()) {
      if (shard.status === 'done') checkpoint.shards[shard.id] = { done: true };
      else if (shard.lastSequence !== undefined) {
        checkpoint.shards[shard.id] = { sequence: shard.lastSequence };
      }
    }
    writer.save(checkpoint);
  };
  const inFlight = new Set<AbortController>();
  /** Sleeps a catch-up may cut short (a shard idling), and the ones only stop may (retries). */
  const idle = new Set<() => void>();
  const waits = new Set<() => void>();
  let stopped = false;
  let epoch = 0;
  let consumed = 0;
  let busy = 0;
  let firstDiscovery = true;
  let discovering: Promise<void> | undefined;

  const sleep = (ms: number, wakers: Set<() => void>): Promise<void> =>
    new Promise((wake) => {
      const done = (): void => {
        clearTimeout(timer);
        idle.delete(done);
        waits.delete(done);
        wake();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  const call = async <T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const controller = new AbortController();
    inFlight.add(controller);
    try {
      return await send(controller.signal);
    } finally {
      inFlight.delete(controller);
    }
  };

  const describeShards = async (): Promise<Shard[]> => {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await call((abortSignal) =>
        streams.send(
          new DescribeStreamCommand({
            StreamArn: streamArn,
            ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
          }),
          { abortSignal },
        ),
      );
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined && !stopped);
    return all;
  };

  const iteratorFor = async (shard: ShardState): Promise<string | undefined> => {
    const input =
      shard.lastSequence === undefined
        ? { ShardIteratorType: shard.start }
        : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: shard.lastSequence };
    const out = await call((abortSignal) =>
      streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.id, ...input }), {
        abortSignal,
      }),
    );
    return out.ShardIterator;
  };

  const deadLetter = async (shard: ShardState, record: _Record, why: string): Promise<void> => {
    const at = isoSeconds(record.dynamodb?.ApproximateCreationDateTime);
    const sequence = record.dynamodb?.SequenceNumber ?? '';
    const body = JSON.stringify({
      context: { partnerResourceArn: pipeArn, condition: 'RetryAttemptsExhausted' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId: shard.id,
        startSequenceNumber: sequence,
        endSequenceNumber: sequence,
        approximateArrivalOfFirstRecord: at,
        approximateArrivalOfLastRecord: at,
        batchSize: 1,
        streamArn,
      },
    });
    while (!stopped) {
      try {
        await call((abortSignal) =>
          sqs.send(new SendMessageCommand({ QueueUrl: options.dlqUrl, MessageBody: body }), { abortSignal }),
        );
        log(
          `${spec.name}: record ${sequence} dead-lettered to ${queueName(options.dlqUrl)} after ` +
            `${spec.maximumRetryAttempts} retries (${why})`,
        );
        return;
      } catch (error) {
        if (stopped) return;
        log(`${spec.name}: dead-lettering record ${sequence} failed (${oneLine(error)}); again in 1 s`);
        await sleep(1000, waits);
      }
    }
  };

  const retryDelay = (attempt: number): number =>
    Math.min(retryDelayMs * 2 ** (attempt - 1), retryDelayMs * 10);

  /**
   * Invokes the function with one batch (a JSON array of stream events) and retries the whole batch
   * while it fails, the shard waiting; then dead-letters each of its records. A failure is a thrown
   * error or a rejection (a timeout too), or a reply that reports batch item failures: the pipe's
   * partial-failure reply, taken here as the whole batch failing (the function is idempotent).
   */
  const invokeBatch = async (
    shard: ShardState,
    invoke: (batch: JsonObject[]) => Promise<unknown>,
    batch: readonly { readonly record: _Record; readonly event: JsonObject }[],
  ): Promise<void> => {
    let why = '';
    for (let attempt = 0; !stopped; attempt += 1) {
      if (attempt > 0) {
        const delay = retryDelay(attempt);
        log(
          `${spec.name}: a batch of ${batch.length} record(s) not delivered to ${targetLabel} ` +
            `(${why}); retry ${attempt} of ${spec.maximumRetryAttempts} in ${delay} ms`,
        );
        await sleep(delay, waits);
        if (stopped) return;
      }
      try {
        const reply = await invoke(batch.map((b) => b.event));
        const failures = reportedFailures(reply);
        if (failures === 0) return;
        why = `the function reported ${failures} batch item failure(s)`;
      } catch (error) {
        if (stopped) return;
        why = `${error instanceof Error ? error.name : 'error'}: ${oneLine(error)}`;
      }
      if (attempt >= spec.maximumRetryAttempts) {
        for (const item of batch) await deadLetter(shard, item.record, why);
        return;
      }
    }
  };

  const deliver = async (shard: ShardState, records: readonly _Record[]): Promise<void> => {
    const matched: { record: _Record; event: JsonObject }[] = [];
    for (const record of records) {
      const event = toPipeEvent(record, streamArn);
      if (patterns.some((p) => matchesPattern(p, event))) matched.push({ record, event });
    }
    // The batch goes whole, in stream order, within Lambda's payload limit.
    const events = payloadBatches(
      matched.map((m) => m.event),
      Math.max(1, spec.batchSize),
      LAMBDA_PAYLOAD_LIMIT_BYTES,
    );
    let next = 0;
    for (const batch of events) {
      if (stopped) return;
      const items = matched.slice(next, next + batch.length);
      next += batch.length;
      await invokeBatch(shard, target.invoke, items);
    }
  };

  const readShard = async (shard: ShardState): Promise<void> => {
    let iterator: string | undefined;
    while (!stopped) {
      try {
        iterator ??= await iteratorFor(shard);
        if (iterator === undefined) break; // nothing more to read in a closed shard
        const startedAt = epoch;
        const out = await call((abortSignal) =>
          streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), { abortSignal }),
        );
        const records = out.Records ?? [];
        if (records.length > 0) {
          const wanted = since !== undefined ? records.filter((r) => !madeBefore(r, since)) : records;
          busy += records.length;
          try {
            await deliver(shard, wanted);
          } finally {
            busy -= records.length;
          }
          if (stopped) return;
          consumed += records.length;
          shard.lastSequence = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.lastSequence;
          saveCheckpoint();
        }
        iterator = out.NextShardIterator;
        if (iterator === undefined) break; // the shard is closed and read to its end
        if (records.length === 0) {
          shard.caughtUp = startedAt;
          await sleep(pollIntervalMs, idle);
        }
      } catch (error) {
        if (stopped) return;
        iterator = undefined;
        if (error instanceof ExpiredIteratorException) continue; // a fresh one after the last record read
        if (error instanceof TrimmedDataAccessException) {
          log(
            `${spec.name}: shard ${shard.id} was trimmed past record ${shard.lastSequence}; reading on from its oldest`,
          );
          shard.lastSequence = undefined;
          continue;
        }
        log(`${spec.name}: reading shard ${shard.id} failed (${oneLine(error)}); again in 1 s`);
        await sleep(1000, waits);
      }
    }
    if (stopped) return;
    shard.status = 'done';
    saveCheckpoint();
    void discover();
  };

  const startReadable = (): void => {
    for (const shard of shards.values()) {
      if (shard.status !== 'waiting') continue;
      const parent = shard.parentId === undefined ? undefined : shards.get(shard.parentId);
      if (parent !== undefined && parent.status !== 'done') continue;
      shard.status = 'reading';
      const loop = readShard(shard).finally(() => loops.delete(loop));
      loops.add(loop);
    }
  };

  /** Adds the shards DescribeStream lists and this pipe has not seen, and starts the readable ones. */
  const discover = (): Promise<void> => {
    discovering ??= (async () => {
      try {
        const listed = await describeShards();
        if (stopped) return;
        for (const shard of listed) {
          if (shard.ShardId === undefined || shards.has(shard.ShardId)) continue;
          const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
          if (resume !== undefined) {
            // Resuming: after the last record delivered, or from the start of a shard not seen.
            const kept = resume.shards[shard.ShardId];
            shards.set(shard.ShardId, {
              id: shard.ShardId,
              parentId: shard.ParentShardId,
              start: 'TRIM_HORIZON',
              status: kept?.done ? 'done' : 'waiting',
              caughtUp: -1,
              lastSequence: kept?.sequence,
            });
            continue;
          }
          // Shards open at the start begin at the starting position; a LATEST pipe skips shards
          // already closed then, as AWS would; shards that appear later are read from their start.
          const start: ShardIteratorType = firstDiscovery ? options.startingPosition : 'TRIM_HORIZON';
          shards.set(shard.ShardId, {
            id: shard.ShardId,
            parentId: shard.ParentShardId,
            start,
            status: firstDiscovery && closed && start === 'LATEST' ? 'done' : 'waiting',
            caughtUp: -1,
            lastSequence: undefined,
          });
        }
        if (firstDiscovery) saveCheckpoint();
        firstDiscovery = false;
        startReadable();
      } catch (error) {
        if (!stopped) log(`${spec.name}: DescribeStream failed (${oneLine(error)})`);
      } finally {
        discovering = undefined;
      }
    })();
    return discovering;
  };

  const discoveryLoop = (async () => {
    while (!stopped) {
      await discover();
      await sleep(discoverIntervalMs, waits);
    }
  })();

  return {
    name: spec.name,
    target: target.functionName,
    dlqUrl: options.dlqUrl,
    consumed: () => consumed,
    busy: () => busy,
    catchUp: async (timeoutMs = 2000) => {
      const deadline = Date.now() + timeoutMs;
      epoch += 1;
      const target = epoch;
      for (const wake of [...idle]) wake();
      await discover();
      while (!stopped) {
        const open = [...shards.values()].filter((s) => s.status !== 'done');
        if (busy === 0 && open.every((s) => s.status === 'reading' && s.caughtUp >= target)) {
          return true;
        }
        if (Date.now() > deadline) return false;
        await new Promise((wake) => setTimeout(wake, 5));
      }
      return false;
    },
    stop: async () => {
      stopped = true;
      for (const controller of inFlight) controller.abort();
      for (const wake of [...idle, ...waits]) wake();
      await Promise.allSettled([discoveryLoop, ...loops]);
      await writer?.flush();
    },
  };
}
