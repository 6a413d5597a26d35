/**
 * The local pipe (infra/local/pipe.ts) does what the catalog's CaseCreated pipe does on AWS: the
 * INSERT of a case item on the table's stream becomes one `{"radicado": …}` message on the routing
 * queue, every other change passes by, drain() waits for it, and what the queue keeps refusing is
 * retried and then dead-lettered as a pointer into the stream.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
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
import { PIPES, type PipeSpec, TABLE } from '#infra/catalog.ts';
import { LOCAL_CREDENTIALS } from '#infra/local/dynamodb.ts';
import { type LocalPipe, startTablePipe } from '#infra/local/pipe.ts';
import { createResources, resourceNames } from '#infra/local/resources.ts';
import { LOCAL_REGION } from '#infra/local/system.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

const spec = PIPES.find((p) => p.name === 'CaseCreated') as PipeSpec;
let system: LocalSystem;
let streams: DynamoDBStreamsClient;
const logged: string[] = [];

beforeAll(async () => {
  // No functions, no pollers: the routing queue only fills from the pipe, and the test reads it.
  system = await useLocalSystem({
    functions: [],
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
});

const target = (): string => system.queueUrls[spec.target];
const pipe = (): LocalPipe => {
  const found = system.pipes.find((p) => p.name === spec.name);
  if (found === undefined) throw new Error(`no pipe ${spec.name}`);
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

describe('CaseCreated', () => {
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

describe('a target that refuses', () => {
  it('retries, then dead-letters a pointer to the record, and goes on with the next', async () => {
    // Prepare: a second pipe on the same stream whose target queue is gone.
    const name = `${system.tableName}-gone`;
    const { QueueUrl: gone = '' } = await system.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await system.sqs.send(new DeleteQueueCommand({ QueueUrl: gone }));
    const { QueueUrl: dlq = '' } = await system.sqs.send(
      new CreateQueueCommand({ QueueName: `${system.tableName}-refused-dlq` }),
    );
    const lines: string[] = [];
    const failing = startTablePipe({
      spec,
      streams,
      sqs: system.sqs,
      streamArn: system.streamArn,
      startingPosition: 'LATEST',
      targetQueueUrl: gone,
      dlqUrl: dlq,
      region: LOCAL_REGION,
      log: (line) => lines.push(line),
      retryDelayMs: 20,
    });
    try {
      expect(await failing.catchUp(5000)).toBe(true); // reading from LATEST now
      // Act
      await put(caseItem('MINTIC-2025-000100'));
      expect(await failing.catchUp(10_000)).toBe(true); // retried, dead-lettered, caught up
      await put(caseItem('MINTIC-2025-000101'));
      expect(await failing.catchUp(10_000)).toBe(true);
      // Assess: one retry line per retry, then the dead-lettering, for each record.
      const retries = lines.filter((l) => / retry \d+ of /.test(l));
      expect(retries).toHaveLength(2 * spec.maximumRetryAttempts);
      expect(retries[0]).toMatch(/not delivered to .*-gone \(.*(QueueDoesNotExist|NonExistentQueue)/);
      expect(lines.filter((l) => l.includes('dead-lettered'))).toHaveLength(2);
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
      expect(letters).toHaveLength(2);
      const radicados: string[] = [];
      for (const letter of letters) {
        expect(letter.context).toEqual({
          condition: 'RetryAttemptsExhausted',
          partnerResourceArn: expect.stringMatching(/:pipe\/CaseCreated$/),
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
        radicados.push(Records[0]?.dynamodb?.NewImage?.radicado?.S ?? '');
      }
      expect(radicados.sort()).toEqual(['MINTIC-2025-000100', 'MINTIC-2025-000101']);
      // The system's own pipe delivered both meanwhile: the failing one is a pipe of its own.
      await system.drain();
      expect((await takeAll(target())).length).toBe(2);
    } finally {
      await failing.stop();
      await system.sqs.send(new DeleteQueueCommand({ QueueUrl: dlq }));
    }
  });
});
