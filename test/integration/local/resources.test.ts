/**
 * The table and queues are made from infra/catalog.ts, idempotently, and the handlers'
 * environment points the SDK's default clients at the emulators.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_ENV, KEYS_ENV, QUEUES, TABLE } from '#infra/catalog.ts';
import {
  createResources,
  ensureTable,
  projectionOf,
  resourceNames,
  tableDefinition,
} from '#infra/local/resources.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ functions: [], schedulers: false, pollers: false });
});
afterAll(() => system?.stop());

describe('resources from the catalog', () => {
  it('creates the table with its keys, GSIs (the catalog’s projections), on-demand billing and TTL', async () => {
    const ddb = new DynamoDBClient({});
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: system.tableName }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = (Table?.GlobalSecondaryIndexes ?? [])
      .map((g) => ({
        name: g.IndexName,
        keys: g.KeySchema?.map((k) => k.AttributeName),
        projection: g.Projection,
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(indexes).toEqual(
      TABLE.indexes.map((i) => ({
        name: i.name,
        keys: [i.partitionKey, i.sortKey],
        projection: projectionOf(i),
      })),
    );
    expect(indexes.map((i) => i.projection?.ProjectionType)).not.toContain('ALL');
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: system.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: TABLE.timeToLiveAttribute,
      TimeToLiveStatus: 'ENABLED',
    });
    ddb.destroy();
  });

  it('creates every queue with its visibility timeout and a RedrivePolicy to its DLQ', async () => {
    for (const spec of QUEUES) {
      const attributes = async (url: string) =>
        (await system.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })))
          .Attributes ?? {};
      const queue = await attributes(system.queueUrls[spec.name]);
      const dlq = await attributes(system.dlqUrls[spec.name]);
      expect(queue.VisibilityTimeout).toBe(String(spec.visibilityTimeout));
      expect(JSON.parse(queue.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: dlq.QueueArn,
        maxReceiveCount: spec.maxReceiveCount,
      });
    }
  });

  it('rebuilds an index a DATA_DIR table keeps with another projection, its items listed again', async () => {
    // Prepare: the table as an older version made it (every index projecting ALL), with a case on gsi1.
    const ddb = new DynamoDBClient({});
    const db = DynamoDBDocumentClient.from(ddb);
    const name = `${system.tableName}-old`;
    const old = tableDefinition(name);
    await ddb.send(
      new CreateTableCommand({
        ...old,
        GlobalSecondaryIndexes: old.GlobalSecondaryIndexes?.map((g) => ({
          ...g,
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    const item = {
      pk: 'CASE#X',
      sk: 'CASE',
      gsi1pk: 'INBOX#E#O',
      gsi1sk: 'P1#2026-01-02#X',
      status: 'routed',
      subject: 'S',
    };
    try {
      await db.send(new PutCommand({ TableName: name, Item: item }));

      // Act
      await ensureTable(ddb, name);

      // Assess: each index as the catalog says, and the item on it again (backfilled), lean.
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
      const found = new Map((Table?.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g]));
      for (const index of TABLE.indexes) {
        expect(found.get(index.name)?.Projection).toEqual(projectionOf(index));
        expect(found.get(index.name)?.IndexStatus).toBe('ACTIVE');
      }
      const listed = await db.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': item.gsi1pk },
        }),
      );
      const { subject: _notProjected, ...lean } = item;
      expect(listed.Items).toEqual([lean]);
    } finally {
      await ddb.send(new DeleteTableCommand({ TableName: name }));
      ddb.destroy();
    }
  });

  it('is idempotent: creating them again changes nothing', async () => {
    const ddb = new DynamoDBClient({});
    try {
      const namespace = system.tableName.slice(`${TABLE.name}-`.length);
      const again = await createResources({ ddb, sqs: system.sqs }, resourceNames(namespace));
      expect(again.tableName).toBe(system.tableName);
      expect(again.queueUrls).toEqual(system.queueUrls);
      expect(again.dlqUrls).toEqual(system.dlqUrls);
    } finally {
      ddb.destroy();
    }
  });
});

describe('the handlers’ environment', () => {
  it('names the table, the queues and the local endpoints with the catalog’s variables', () => {
    expect(process.env[COMMON_ENV.tableName]).toBe(system.tableName);
    expect(process.env[COMMON_ENV.serviceName]).toBe('urna');
    for (const spec of QUEUES) {
      expect(process.env[spec.urlEnv]).toBe(system.queueUrls[spec.name]);
      expect(process.env[spec.dlqUrlEnv]).toBe(system.dlqUrls[spec.name]);
    }
    expect(process.env.AWS_REGION).toBe('us-east-1');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(system.endpoints.dynamodb);
    expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(system.endpoints.sqs);
    expect(process.env.POWERTOOLS_DEV).toBe('true');
    expect(system.env).toMatchObject({ TABLE_NAME: system.tableName, LOG_LEVEL: expect.any(String) });
    // Queue URLs share the endpoint's origin, so the SDK's useQueueUrlAsEndpoint changes nothing.
    for (const url of Object.values(system.queueUrls))
      expect(url.startsWith(`${system.endpoints.sqs}/`)).toBe(true);
  });

  it('gives file keys: an Ed25519 private JWK that signs receipts, a 32-byte pseudonym key', () => {
    expect(process.env[KEYS_ENV.pseudonymKeys]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const jwk = JSON.parse(process.env[KEYS_ENV.receiptKey] ?? '{}') as Record<string, string>;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lets SDK clients built with no options reach the emulators (AWS_ENDPOINT_URL_* honoured)', async () => {
    const ddb = new DynamoDBClient({});
    const sqs = new SQSClient({});
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: system.tableName }));
    expect(Table?.TableName).toBe(system.tableName);
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: system.queueUrls.intake, MessageBody: '{}' }),
    );
    expect(sent.MessageId).toBeTruthy();
    ddb.destroy();
    sqs.destroy();
  });
});
