/**
 * The local pipe (infra/local/pipe.ts) does what the catalog's pipes do on AWS. Outbox (a pipe to
 * the real Relay): the INSERT of a case item on the table's stream becomes one `{"radicado": …}`
 * message on the routing queue, every other change passes by, drain() waits for it. Counting:
 * comment INSERTs reach the function as JSON arrays of stream records, in stream order,
 * `batchSize` at a time; drain() waits for the invocation; a failing batch is retried whole, the
 * shard waiting, and then dead-lettered as a pointer into the stream. A checkpoint resumes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  BatchWriteCommand,
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionSpec, PIPES, type PipeSpec, TABLE } from '#infra/catalog.ts';
import { LOCAL_CREDENTIALS } from '#infra/local/dynamodb.ts';
import { type LocalPipe, startTablePipe } from '#infra/local/pipe.ts';
import { createResources, resourceNames } from '#infra/local/resources.ts';
import { LOCAL_REGION } from '#infra/local/system.ts';
import type { JsonObject } from '#shared/queue/eventPattern.ts';
import { clearJournal, journal } from '#test/support/fixtures/journal.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

const outbox = PIPES.find((p) => p.name === 'Outbox');
if (outbox === undefined) throw new Error('no Outbox pipe in the catalog');
const relay = FUNCTIONS.find((f) => f.name === 'Relay');
if (relay === undefined) throw new Error('no Relay function in the catalog');
const commentsCounted = PIPES.find((p) => p.name === 'Counting');
if (commentsCounted === undefined) throw new Error('no Counting pipe in the catalog');

/** The Counting pipe's function, its handler a probe that journals what it gets. */
const probe: FunctionSpec = {
  name: commentsCounted.target.function,
  entry: 'test/support/fixtures/streamProbe.ts',
  trigger: { type: 'pipe' },
  timeoutSeconds: 5,
};
let system: LocalSystem;
let streams: DynamoDBStreamsClient;
const logged: string[] = [];

beforeAll(async () => {
  // No pollers: the routing queue only fills from the Outbox pipe's Relay, and the test reads it.
  // The other function is the probe standing for Count, which the Counting pipe invokes.
  system = await useLocalSystem({
    functions: [probe, relay],
    schedulers: false,
    pollers: false,
    pipes: true,
    pipeRetryDelayMs: 20,
    log: (line) => logged.push(line),
  });
  streams = new DynamoDBStreamsClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: system.endpoints.dynamodb,
  });
});
afterAll(async () => {
  streams?.destroy();
  await system?.stop();
});
beforeEach(async () => {
  await system.drain();
  await takeAll(target());
  logged.length = 0;
  clearJournal();
});

/** Where the Relay sends a filed case. */
const target = (): string => system.queueUrls.routing;
const pipe = (name = 'Outbox'): LocalPipe => {
  const found = system.pipes.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no pipe ${name}`);
  return found;
};

/** Receives and deletes every message of a queue; their bodies. */
async function takeAll(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  while (true) {
    const { Messages = [] } = await system.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    for (const m of Messages) {
      bodies.push(m.Body ?? '');
      await system.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle ?? '' }),
      );
    }
  }
}

async function visible(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await system.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}

const caseItem = (radicado: string) => ({
  pk: `CASE#${radicado}`,
  sk: 'CASE',
  radicado,
  entityId: 'MINTIC',
  status: 'received',
  version: 1,
});

const put = (item: Record<string, unknown>) =>
  system.ddb.send(new PutCommand({ TableName: system.tableName, Item: item }));

describe('the table stream', () => {
  it('is on, with the catalog view type, and a restart keeps it (and reads on from LATEST)', async () => {
    // Act
    const { Table } = await system.ddb.send(new DescribeTableCommand({ TableName: system.tableName }));
    const namespace = system.tableName.slice(`${TABLE.name}-`.length);
    const again = await createResources({ ddb: system.ddb, sqs: system.sqs }, resourceNames(namespace));
    // Assess
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: TABLE.stream });
    expect(Table?.LatestStreamArn).toBe(system.streamArn);
    expect(again.streamArn).toBe(system.streamArn);
    expect(again.streamCreated).toBe(false);
    expect(again.pipeDlqUrls).toEqual(system.pipeDlqUrls);
  });
});

describe('Outbox (to the Relay)', () => {
  it('turns the INSERT of a case item into one routing message, and drain() waits for it', async () => {
    // Act
    await put(caseItem('MINTIC-2025-000001'));
    await system.drain();
    // Assess: delivered by the time drain resolves, with no waiting here.
    expect(await visible(target())).toBe(1);
    expect(await takeAll(target())).toEqual([JSON.stringify({ radicado: 'MINTIC-2025-000001' })]);
  });

  it("lets every other change pass by: events, counters, idempotency, entities, a case's updates and delete", async () => {
    // Prepare
    await put(caseItem('MINTIC-2025-000002'));
    await system.drain();
    await takeAll(target());
    const before = pipe().consumed();
    // Act
    const writes = [
      () => put({ pk: 'CASE#MINTIC-2025-000002', sk: 'EVENT#000002', radicado: 'MINTIC-2025-000002' }),
      () => put({ pk: 'COUNTER#MINTIC#2025', sk: 'COUNTER', last: 2 }),
      () => put({ pk: 'IDEMPOTENCY#web#k', sk: 'IDEMPOTENCY', radicado: 'MINTIC-2025-000002' }),
      () => put({ pk: 'ENTITY#MINTIC', sk: 'ENTITY', settings: { id: 'MINTIC' } }),
      () =>
        system.ddb.send(
          new UpdateCommand({
            TableName: system.tableName,
            Key: { pk: 'CASE#MINTIC-2025-000002', sk: 'CASE' },
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': 'routed' },
          }),
        ),
      () => put({ ...caseItem('MINTIC-2025-000002'), status: 'in_progress' }), // MODIFY, not INSERT
      () =>
        system.ddb.send(
          new DeleteCommand({
            TableName: system.tableName,
            Key: { pk: 'CASE#MINTIC-2025-000002', sk: 'CASE' },
          }),
        ),
    ];
    for (const write of writes) await write();
    await system.drain();
    // Assess: all read, none sent.
    expect(pipe().consumed() - before).toBe(writes.length);
    expect(await takeAll(target())).toEqual([]);
  });

  it("sends one message for a filing's transaction (counter, case, first event, idempotency record)", async () => {
    // Act
    const radicado = 'MINTIC-2025-000003';
    await system.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: { TableName: system.tableName, Item: { pk: 'COUNTER#MINTIC#2026', sk: 'COUNTER', last: 3 } },
          },
          { Put: { TableName: system.tableName, Item: caseItem(radicado) } },
          {
            Put: {
              TableName: system.tableName,
              Item: { pk: `CASE#${radicado}`, sk: 'EVENT#000001', radicado },
            },
          },
          {
            Put: {
              TableName: system.tableName,
              Item: { pk: 'IDEMPOTENCY#web#x', sk: 'IDEMPOTENCY', radicado },
            },
          },
        ],
      }),
    );
    await system.drain();
    // Assess
    expect(await takeAll(target())).toEqual([JSON.stringify({ radicado })]);
  });

  it('delivers a burst of cases in batches, each exactly once', async () => {
    // Prepare
    const radicados = Array.from({ length: 45 }, (_, i) => `DNP-2025-${String(i + 1).padStart(6, '0')}`);
    // Act
    for (let i = 0; i < radicados.length; i += 25) {
      await system.ddb.send(
        new BatchWriteCommand({
          RequestItems: {
            [system.tableName]: radicados
              .slice(i, i + 25)
              .map((r) => ({ PutRequest: { Item: caseItem(r) } })),
          },
        }),
      );
    }
    await system.drain();
    // Assess
    const bodies = await takeAll(target());
    expect(bodies).toHaveLength(radicados.length);
    expect(bodies.map((b) => (JSON.parse(b) as { radicado: string }).radicado).sort()).toEqual(radicados);
  });
});

/** A stream record of a function pipe's batch, as far as these tests read it. */
interface BatchRecord {
  eventName: string;
  eventSource: string;
  eventSourceARN: string;
  dynamodb: {
    SequenceNumber: string;
    Keys: JsonObject;
    NewImage: { sk: { S: string }; radicado?: { S: string } };
  };
}
const batchesOf = (fn: string): BatchRecord[][] =>
  journal()
    .filter((e) => e.fn === fn)
    .map((e) => e.event as BatchRecord[]);

const comment = (consultation: string, reference: string, extra: Record<string, unknown> = {}) => ({
  pk: `COMMENTS#${consultation}#0`,
  sk: reference,
  type: 'comment',
  consultationId: consultation,
  ...extra,
});

describe('Counting (a pipe to a function)', () => {
  it('runs in the system, and invokes the function with comment INSERTs only, drain() waiting for it', async () => {
    // Act: a comment whose handling takes 300 ms, a case, a comment's update.
    await put(comment('c1', 'REF-1', { behaviour: 'slow' }));
    await put(caseItem('MINTIC-2025-000200'));
    await put(comment('c1', 'REF-1', { behaviour: 'ok' })); // MODIFY, not INSERT
    await system.drain();
    // Assess: invoked once, by the time drain resolves, with the INSERT alone as a JSON array.
    expect(pipe(commentsCounted.name).target).toBe('Count');
    const batches = batchesOf('StreamProbe');
    expect(batches).toHaveLength(1);
    const [record] = batches[0] ?? [];
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: system.streamArn,
      dynamodb: {
        Keys: { pk: { S: 'COMMENTS#c1#0' }, sk: { S: 'REF-1' } },
        NewImage: { type: { S: 'comment' }, behaviour: { S: 'slow' } },
        StreamViewType: TABLE.stream,
      },
    });
    expect(journal().find((e) => e.fn === 'StreamProbe')?.context.functionName).toBe('urna-Count');
    expect(await takeAll(system.pipeDlqUrls[commentsCounted.name] ?? '')).toEqual([]);
  });
});

describe('a pipe to a function', () => {
  /** A test pipe on the same stream: its own item type, small batches, two retries. */
  const testSpec: PipeSpec = {
    name: 'ProbeCounted',
    source: 'tableStream',
    startingPosition: 'LATEST',
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['probe'] } } } },
    target: { function: 'Probe' },
    batchSize: 3,
    maximumBatchingWindowSeconds: 0,
    maximumRetryAttempts: 2,
    deadLetterQueue: 'probe-counted-pipe-dlq',
  };
  const probeItem = (n: number, behaviour = 'ok') => ({
    pk: `PROBE#${n % 2}`,
    sk: `ITEM#${String(n).padStart(3, '0')}`,
    type: 'probe',
    behaviour,
  });

  async function withPipe(
    invoke: (batch: JsonObject[]) => Promise<unknown>,
    act: (p: LocalPipe, dlq: string, lines: string[]) => Promise<void>,
  ): Promise<void> {
    const { QueueUrl: dlq = '' } = await system.sqs.send(
      new CreateQueueCommand({ QueueName: `${system.tableName}-${testSpec.deadLetterQueue}` }),
    );
    const lines: string[] = [];
    const probePipe = startTablePipe({
      spec: testSpec,
      streams,
      sqs: system.sqs,
      streamArn: system.streamArn,
      startingPosition: 'LATEST',
      target: { functionName: 'Probe', invoke },
      dlqUrl: dlq,
      region: LOCAL_REGION,
      log: (line) => lines.push(line),
      retryDelayMs: 20,
    });
    try {
      expect(await probePipe.catchUp(5000)).toBe(true); // reading from LATEST now
      await act(probePipe, dlq, lines);
    } finally {
      await probePipe.stop();
      await system.sqs.send(new DeleteQueueCommand({ QueueUrl: dlq }));
    }
  }

  it('delivers the matching records in stream order, batchSize at a time, as stream records', async () => {
    const batches: JsonObject[][] = [];
    await withPipe(
      async (batch) => {
        batches.push(batch);
      },
      async (p) => {
        // Act: seven probes in one write (one GetRecords), others between them passing by.
        await system.ddb.send(
          new BatchWriteCommand({
            RequestItems: {
              [system.tableName]: [
                ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ PutRequest: { Item: probeItem(n) } })),
                { PutRequest: { Item: { pk: 'PROBE#x', sk: 'OTHER', type: 'other' } } },
              ],
            },
          }),
        );
        for (const n of [8, 9]) await put(probeItem(n));
        expect(await p.catchUp(10_000)).toBe(true);
      },
    );
    // Assess: every probe once, none of the others, in batches of at most 3.
    const records = batches.flat() as unknown as BatchRecord[];
    expect(records.map((r) => r.dynamodb.NewImage.sk.S).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `ITEM#${String(n).padStart(3, '0')}`),
    );
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(testSpec.batchSize);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    // Stream order: sequence numbers rise across batches; per item key, writes in the order made.
    const sequences = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(sequences);
    expect(records.slice(-2).map((r) => r.dynamodb.NewImage.sk.S)).toEqual(['ITEM#008', 'ITEM#009']);
    for (const r of records) {
      expect(r).toMatchObject({
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        eventSourceARN: system.streamArn,
      });
    }
  });

  it('holds the shard while a batch is being handled: busy, not caught up, and drain-like checks wait', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((open) => {
      release = open;
    });
    const seen: string[] = [];
    await withPipe(
      async (batch) => {
        seen.push(...batch.map((r) => (r as unknown as BatchRecord).dynamodb.NewImage.sk.S));
        await gate;
      },
      async (p) => {
        // Act
        await put(probeItem(20));
        const deadline = Date.now() + 5000;
        while (seen.length === 0 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 10));
        await put(probeItem(21));
        // Assess: the batch is in the handler; the next record waits behind it.
        expect(seen).toEqual(['ITEM#020']);
        expect(p.busy()).toBeGreaterThan(0);
        expect(await p.catchUp(300)).toBe(false);
        release();
        expect(await p.catchUp(10_000)).toBe(true);
        expect(p.busy()).toBe(0);
        expect(seen).toEqual(['ITEM#020', 'ITEM#021']);
      },
    );
  });

  it('retries a failing batch whole, in order, then dead-letters each of its records and goes on', async () => {
    const calls: string[][] = [];
    await withPipe(
      async (batch) => {
        const keys = batch.map((r) => (r as unknown as BatchRecord).dynamodb.NewImage.sk.S);
        calls.push(keys);
        if (batch.some((r) => JSON.stringify(r).includes('"explode"'))) throw new Error('counter blew up');
        return { counted: batch.length };
      },
      async (p, dlq, lines) => {
        // Act: one batch with a poison record, then a good record after it.
        await system.ddb.send(
          new BatchWriteCommand({
            RequestItems: {
              [system.tableName]: [probeItem(30), probeItem(31, 'explode')].map((Item) => ({
                PutRequest: { Item },
              })),
            },
          }),
        );
        expect(await p.catchUp(10_000)).toBe(true);
        await put(probeItem(32));
        expect(await p.catchUp(10_000)).toBe(true);
        // Assess: the first call and its 2 retries got the same batch; then the next record.
        const failing = calls.filter((c) => c.includes('ITEM#031'));
        expect(failing).toHaveLength(1 + testSpec.maximumRetryAttempts);
        for (const c of failing) expect(c).toEqual(failing[0]);
        expect(calls.at(-1)).toEqual(['ITEM#032']);
        const retries = lines.filter((l) => / retry \d+ of /.test(l));
        expect(retries).toHaveLength(testSpec.maximumRetryAttempts);
        expect(retries[0]).toMatch(
          /a batch of \d record\(s\) not delivered to function Probe \(Error: counter blew up\)/,
        );
        const letters = (await takeAll(dlq)).map(
          (b) =>
            JSON.parse(b) as {
              context: { condition: string; partnerResourceArn: string };
              DDBStreamBatchInfo: {
                shardId: string;
                startSequenceNumber: string;
                endSequenceNumber: string;
                batchSize: number;
                streamArn: string;
              };
            },
        );
        expect(letters).toHaveLength(failing[0]?.length ?? 0);
        const pointedAt: string[] = [];
        for (const letter of letters) {
          expect(letter.context).toEqual({
            condition: 'RetryAttemptsExhausted',
            partnerResourceArn: expect.stringMatching(/:pipe\/ProbeCounted$/),
          });
          const info = letter.DDBStreamBatchInfo;
          expect(info).toMatchObject({ batchSize: 1, streamArn: system.streamArn });
          expect(info.endSequenceNumber).toBe(info.startSequenceNumber);
          // The pointer leads an operator back to the record, as on AWS (within the stream's 24 h).
          const { ShardIterator } = await streams.send(
            new GetShardIteratorCommand({
              StreamArn: info.streamArn,
              ShardId: info.shardId,
              ShardIteratorType: 'AT_SEQUENCE_NUMBER',
              SequenceNumber: info.startSequenceNumber,
            }),
          );
          const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
          pointedAt.push(Records[0]?.dynamodb?.NewImage?.sk?.S ?? '');
        }
        expect(pointedAt.sort()).toEqual([...(failing[0] ?? [])].sort());
      },
    );
  });
});

describe('a checkpoint (DATA_DIR)', () => {
  /** A second Outbox pipe (LATEST, as the catalog's) whose "Relay" keeps the radicados it gets. */
  const collecting = (got: string[]) => ({
    functionName: 'Relay',
    invoke: async (batch: JsonObject[]) => {
      for (const r of batch) got.push((r as unknown as BatchRecord).dynamodb.NewImage.radicado?.S ?? '');
    },
  });
  const startOutbox = (checkpointFile: string, got: string[], dlq: string) =>
    startTablePipe({
      spec: outbox,
      streams,
      sqs: system.sqs,
      streamArn: system.streamArn,
      startingPosition: 'LATEST',
      target: collecting(got),
      dlqUrl: dlq,
      region: LOCAL_REGION,
      log: () => {},
      checkpointFile,
    });

  it('resumes after the last record delivered: what was written while stopped arrives, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-pipe-'));
    const checkpointFile = join(dir, 'pipes', `${outbox.name}.json`);
    const got: string[] = [];
    const dlq = system.pipeDlqUrls.Outbox ?? '';
    const first = startOutbox(checkpointFile, got, dlq);
    try {
      expect(await first.catchUp(5000)).toBe(true);
      await put(caseItem('MINTIC-2025-000300'));
      expect(await first.catchUp(10_000)).toBe(true);
    } finally {
      await first.stop();
    }
    const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      streamArn: string;
      shards: Record<string, { sequence?: string }>;
    };
    expect(saved.streamArn).toBe(system.streamArn);
    expect(Object.values(saved.shards).some((s) => s.sequence !== undefined)).toBe(true);

    // Act: written while no pipe runs, then a restart on the checkpoint.
    await put(caseItem('MINTIC-2025-000301'));
    await put(caseItem('MINTIC-2025-000302'));
    const second = startOutbox(checkpointFile, got, dlq);
    try {
      expect(await second.catchUp(10_000)).toBe(true);
    } finally {
      await second.stop();
    }
    // Assess: each once, in order; LATEST without the checkpoint would have skipped the last two.
    expect(got).toEqual(['MINTIC-2025-000300', 'MINTIC-2025-000301', 'MINTIC-2025-000302']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ignores a checkpoint of another stream (the table re-created) and starts as configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-pipe-'));
    const checkpointFile = join(dir, `${outbox.name}.json`);
    // A shard id of this stream, with a position that would skip everything, but another stream's ARN.
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: system.streamArn }),
    );
    const shardId = StreamDescription?.Shards?.at(-1)?.ShardId ?? '';
    writeFileSync(
      checkpointFile,
      JSON.stringify({
        streamArn: `${system.streamArn}-old`,
        shards: { [shardId]: { sequence: '9'.repeat(21) } },
      }),
    );
    const got: string[] = [];
    const pipe = startOutbox(checkpointFile, got, system.pipeDlqUrls.Outbox ?? '');
    try {
      expect(await pipe.catchUp(5000)).toBe(true);
      await put(caseItem('MINTIC-2025-000310'));
      expect(await pipe.catchUp(10_000)).toBe(true);
    } finally {
      await pipe.stop();
    }
    expect(got).toEqual(['MINTIC-2025-000310']);
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8')).streamArn).toBe(system.streamArn);
    rmSync(dir, { recursive: true, force: true });
  });
});
