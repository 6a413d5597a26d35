/**
 * The table and the queues, created from infra/catalog.ts exactly as the CDK stack defines them:
 * one table (pk/sk, each GSI with the catalog's projection, on-demand, TTL on `expiresAt`, the stream with the
 * catalog's view type), per queue a DLQ plus the queue with its VisibilityTimeout and
 * RedrivePolicy(maxReceiveCount), and per pipe (to a queue or to a function) its dead-letter queue.
 * Idempotent.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type Projection,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type IndexProjection, PIPES, QUEUES, type QueueName, type QueueSpec, TABLE } from '../catalog.ts';

export interface ResourceNames {
  table: string;
  queues: Record<QueueName, { queue: string; dlq: string }>;
  /** Pipe name → its dead-letter queue's name. */
  pipeDlqs: Record<string, string>;
}

export interface CreatedResources {
  tableName: string;
  queueUrls: Record<QueueName, string>;
  queueArns: Record<QueueName, string>;
  dlqUrls: Record<QueueName, string>;
  dlqArns: Record<QueueName, string>;
  /** The table's stream (the pipes' source). */
  streamArn: string;
  /** Whether this call created the stream (a new table, or one kept from before streams). */
  streamCreated: boolean;
  /** Pipe name → its dead-letter queue. */
  pipeDlqUrls: Record<string, string>;
  pipeDlqArns: Record<string, string>;
}

/**
 * Local names: `urna`, `urna-intake`, `urna-intake-dlq` … and, with a namespace (one per test
 * file), `urna-<ns>`, `urna-<ns>-intake`, `urna-<ns>-intake-dlq` so test files never share state.
 */
export function resourceNames(namespace?: string): ResourceNames {
  const base = namespace ? `${TABLE.name}-${namespace}` : TABLE.name;
  const queues = Object.fromEntries(
    QUEUES.map((q) => [q.name, { queue: `${base}-${q.name}`, dlq: `${base}-${q.name}-dlq` }]),
  ) as Record<QueueName, { queue: string; dlq: string }>;
  const pipeDlqs = Object.fromEntries(PIPES.map((p) => [p.name, `${base}-${p.deadLetterQueue}`]));
  return { table: base, queues, pipeDlqs };
}

/** The catalog's projection of an index as DynamoDB takes it (and DescribeTable shows it). */
export function projectionOf(index: (typeof TABLE.indexes)[number]): Projection {
  const projection: IndexProjection = index.projection;
  return projection.type === 'INCLUDE'
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.attributes] }
    : { ProjectionType: 'KEYS_ONLY' };
}

/** Whether an existing index projects what the catalog says (attributes in any order). */
function sameProjection(found: Projection | undefined, wanted: Projection): boolean {
  const names = (p: Projection | undefined) => [...(p?.NonKeyAttributes ?? [])].sort().join();
  return found?.ProjectionType === wanted.ProjectionType && names(found) === names(wanted);
}

function gsi(index: (typeof TABLE.indexes)[number]): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: projectionOf(index),
  };
}

function attributeDefinitions(): AttributeDefinition[] {
  const names = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' }));
}

/** The CreateTable request for the catalog's table. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map(gsi),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
  };
}

/** The attributes of a catalog queue, given its DLQ's ARN. */
export function queueAttributes(spec: QueueSpec, dlqArn: string): Record<string, string> {
  return {
    VisibilityTimeout: String(spec.visibilityTimeout),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: spec.maxReceiveCount }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms));

async function waitActive(ddb: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesReady) return;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

async function waitGone(ddb: DynamoDBClient, tableName: string, indexName: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    const gone = !(Table?.GlobalSecondaryIndexes ?? []).some((g) => g.IndexName === indexName);
    if (Table?.TableStatus === 'ACTIVE' && gone) return;
    await sleep(100);
  }
  throw new Error(`index ${indexName} of ${tableName} was not deleted`);
}

/** The table's stream: its ARN, and whether this call created it. */
export interface TableStream {
  streamArn: string;
  streamCreated: boolean;
}

export async function ensureTable(ddb: DynamoDBClient, tableName: string): Promise<TableStream> {
  let streamCreated = false;
  try {
    await ddb.send(new CreateTableCommand(tableDefinition(tableName)));
    streamCreated = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(ddb, tableName);

  // A table kept in DATA_DIR by an older version may lack an index added to the catalog since, or
  // have one with another projection (which cannot change in place): that one is dropped and built
  // again from the items (DynamoDB backfills a new index).
  const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  const existing = new Map((Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.Projection]));
  for (const index of TABLE.indexes) {
    if (existing.has(index.name)) {
      if (sameProjection(existing.get(index.name), projectionOf(index))) continue;
      await ddb.send(
        new UpdateTableCommand({
          TableName: tableName,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.name } }],
        }),
      );
      await waitGone(ddb, tableName, index.name);
    }
    await ddb.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(),
        GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
      }),
    );
    await waitActive(ddb, tableName);
  }

  const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  }

  // A table kept in DATA_DIR from before the stream, or with another view type (which cannot be
  // changed in place: the stream is turned off and a new one, with a new ARN, turned on).
  const described = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const stream = described?.StreamSpecification;
  if (stream?.StreamEnabled !== true || stream.StreamViewType !== TABLE.stream) {
    if (stream?.StreamEnabled === true) {
      await ddb.send(
        new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
      );
      await waitActive(ddb, tableName);
    }
    await ddb.send(
      new UpdateTableCommand({
        TableName: tableName,
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
      }),
    );
    await waitActive(ddb, tableName);
    streamCreated = true;
  }
  const streamArn = (await ddb.send(new DescribeTableCommand({ TableName: tableName }))).Table
    ?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream`);
  return { streamArn, streamCreated };
}

async function ensureQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<{ url: string; arn: string }> {
  let url: string | undefined;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    if (!(error instanceof QueueNameExists)) throw error;
    // It exists with other attributes (the catalog changed): bring it in line.
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    if (url) await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  if (!url) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${name} has no QueueArn`);
  return { url, arn };
}

export async function createResources(
  clients: { ddb: DynamoDBClient; sqs: SQSClient },
  names: ResourceNames,
): Promise<CreatedResources> {
  const queues = Promise.all(
    QUEUES.map(async (spec) => {
      const queueNames = names.queues[spec.name];
      const dlq = await ensureQueue(clients.sqs, queueNames.dlq, {});
      const queue = await ensureQueue(clients.sqs, queueNames.queue, queueAttributes(spec, dlq.arn));
      return { spec, dlq, queue };
    }),
  );
  const pipeDlqs = Promise.all(
    PIPES.map(async (spec) => {
      const name = names.pipeDlqs[spec.name];
      if (name === undefined) throw new Error(`no dead-letter queue name for the pipe ${spec.name}`);
      return { spec, dlq: await ensureQueue(clients.sqs, name, {}) };
    }),
  );
  const [created, stream, pipes] = await Promise.all([
    queues,
    ensureTable(clients.ddb, names.table),
    pipeDlqs,
  ]);
  const pick = (f: (c: (typeof created)[number]) => string): Record<QueueName, string> =>
    Object.fromEntries(created.map((c) => [c.spec.name, f(c)])) as Record<QueueName, string>;
  return {
    tableName: names.table,
    queueUrls: pick((c) => c.queue.url),
    queueArns: pick((c) => c.queue.arn),
    dlqUrls: pick((c) => c.dlq.url),
    dlqArns: pick((c) => c.dlq.arn),
    streamArn: stream.streamArn,
    streamCreated: stream.streamCreated,
    pipeDlqUrls: Object.fromEntries(pipes.map((p) => [p.spec.name, p.dlq.url])),
    pipeDlqArns: Object.fromEntries(pipes.map((p) => [p.spec.name, p.dlq.arn])),
  };
}

/** Deletes what createResources made (test files clean up after themselves). */
export async function deleteResources(
  clients: { ddb: DynamoDBClient; sqs: SQSClient },
  resources: CreatedResources,
): Promise<void> {
  const urls = [
    ...Object.values(resources.queueUrls),
    ...Object.values(resources.dlqUrls),
    ...Object.values(resources.pipeDlqUrls),
  ];
  await Promise.all([
    ...urls.map((QueueUrl) => clients.sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)),
    clients.ddb.send(new DeleteTableCommand({ TableName: resources.tableName })).catch((error: unknown) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }),
  ]);
}
