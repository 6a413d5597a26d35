import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { tableAccessOf } from '../../../infra/catalog.ts';
import {
  allows,
  guardTableAccess,
  refusal,
  type TableAccess,
  withTableAccess,
} from '../../../shared/adapters/dynamodb/tableAccess.ts';

const ACCESS: TableAccess = {
  read: ['CASE#*', 'ENTITY#*'],
  write: ['CASE#*'],
  append: ['AUDIT#*'],
  query: { table: ['CASE#*', 'AUDIT#*'], gsi1: ['INBOX#*', 'ENTITIES*'] },
  batchWrites: false,
};
const S = (s: string) => ({ S: s });

describe('table access patterns', () => {
  it('matches IAM StringLike prefixes and exact keys', () => {
    expect(allows(['CASE#*'], 'CASE#MINTIC-2026-000001')).toBe(true);
    expect(allows(['CASE#*'], 'CASES#x')).toBe(false);
    expect(allows(['ENTITIES*'], 'ENTITIES#3')).toBe(true);
    expect(allows(['ENTITIES'], 'ENTITIES#3')).toBe(false);
    expect(allows([], 'CASE#x')).toBe(false);
  });

  it('allows what is declared, per operation and index', () => {
    expect(refusal(ACCESS, 'GetItemCommand', { Key: { pk: S('CASE#R'), sk: S('CASE') } })).toBeUndefined();
    expect(refusal(ACCESS, 'UpdateItemCommand', { Key: { pk: S('CASE#R') } })).toBeUndefined();
    expect(
      refusal(ACCESS, 'QueryCommand', {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :s)',
        ExpressionAttributeValues: { ':pk': S('INBOX#MINTIC#GENERAL'), ':s': S('P0') },
      }),
    ).toBeUndefined();
    // A plain (document client) value is read the same as a marshalled one.
    expect(
      refusal(ACCESS, 'PutItemCommand', { Item: { pk: 'AUDIT#CASE#R', sk: 'EVENT#000001' } }),
    ).toBeUndefined();
  });

  it('refuses what is not declared, naming the family but never the id', () => {
    const why = refusal(ACCESS, 'GetItemCommand', { Key: { pk: S('CITIZEN#abc123'), sk: S('x') } });
    expect(why).toContain('CITIZEN#…');
    expect(why).not.toContain('abc123');
    expect(refusal(ACCESS, 'PutItemCommand', { Item: { pk: S('ENTITY#MINTIC') } })).toBeDefined();
    // Queries by index: a table pattern does not open an index, nor another index's pattern.
    const onIndex = (IndexName: string, pk: string) => ({
      IndexName,
      KeyConditionExpression: '#p = :v',
      ExpressionAttributeNames: { '#p': 'gsi2pk' },
      ExpressionAttributeValues: { ':v': S(pk) },
    });
    expect(refusal(ACCESS, 'QueryCommand', onIndex('gsi2', 'INBOX#M#G'))).toBeDefined();
    expect(refusal(ACCESS, 'QueryCommand', onIndex('gsi1', 'CASE#R'))).toBeDefined();
  });

  it('appends to an audit trail but never updates one; never deletes or scans', () => {
    expect(refusal(ACCESS, 'UpdateItemCommand', { Key: { pk: S('AUDIT#CASE#R') } })).toBeDefined();
    const tx = (item: Record<string, unknown>) => ({ TransactItems: [item] });
    expect(
      refusal(ACCESS, 'TransactWriteItemsCommand', tx({ Put: { Item: { pk: S('AUDIT#CASE#R') } } })),
    ).toBeUndefined();
    expect(
      refusal(ACCESS, 'TransactWriteItemsCommand', tx({ Update: { Key: { pk: S('AUDIT#CASE#R') } } })),
    ).toBeDefined();
    expect(
      refusal(ACCESS, 'TransactWriteItemsCommand', tx({ Delete: { Key: { pk: S('CASE#R') } } })),
    ).toBeDefined();
    expect(refusal(ACCESS, 'DeleteItemCommand', { Key: { pk: S('CASE#R') } })).toBeDefined();
    expect(refusal(ACCESS, 'ScanCommand', {})).toBeDefined();
    expect(
      refusal(ACCESS, 'BatchWriteItemCommand', {
        RequestItems: { t: [{ DeleteRequest: { Key: { pk: S('CASE#R') } } }] },
      }),
    ).toBeDefined();
  });

  it('batch-writes only where declared, as IAM grants BatchWriteItem only there', () => {
    const batch = { RequestItems: { t: [{ PutRequest: { Item: { pk: S('CASE#R') } } }] } };
    expect(refusal(ACCESS, 'BatchWriteItemCommand', batch)).toBeDefined();
    expect(refusal({ ...ACCESS, batchWrites: true }, 'BatchWriteItemCommand', batch)).toBeUndefined();
  });

  it('reads a condition check as a read, and every key of a batch', () => {
    const tx = {
      TransactItems: [
        { ConditionCheck: { Key: { pk: S('ENTITY#M') } } },
        { Put: { Item: { pk: S('CASE#R') } } },
      ],
    };
    expect(refusal(ACCESS, 'TransactWriteItemsCommand', tx)).toBeUndefined();
    const batch = (pks: string[]) => ({ RequestItems: { t: { Keys: pks.map((pk) => ({ pk: S(pk) })) } } });
    expect(refusal(ACCESS, 'BatchGetItemCommand', batch(['CASE#1', 'ENTITY#M']))).toBeUndefined();
    expect(refusal(ACCESS, 'BatchGetItemCommand', batch(['CASE#1', 'RATE#x']))).toBeDefined();
  });

  it('derives access from a catalog declaration: audit is append-only, index families are queried', () => {
    const access = tableAccessOf({ table: { reads: ['case', 'audit', 'inbox'], writes: ['case', 'audit'] } });
    expect(access).toEqual({
      read: ['CASE#*', 'AUDIT#*'],
      write: ['CASE#*'],
      append: ['AUDIT#*'],
      query: { table: ['CASE#*', 'AUDIT#*'], gsi1: ['INBOX#*'] },
      batchWrites: false,
    });
    expect(tableAccessOf({})).toEqual({ read: [], write: [], append: [], query: {}, batchWrites: false });
  });
});

describe('the guard on a client', () => {
  const client = new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  guardTableAccess(client);
  const db = DynamoDBDocumentClient.from(client);

  it('refuses, inside an invocation, a call its access does not allow, before anything is sent', async () => {
    const get = db.send(new GetCommand({ TableName: 't', Key: { pk: 'CITIZEN#h', sk: 'x' } }));
    await withTableAccess(ACCESS, () =>
      expect(
        db.send(new GetCommand({ TableName: 't', Key: { pk: 'CITIZEN#h', sk: 'x' } })),
      ).rejects.toMatchObject({
        name: 'AccessDeniedException',
      }),
    );
    // Outside an invocation (tests, scripts), nothing is checked: the call goes out (and fails to connect).
    await expect(get).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('lets an allowed call through to the service', async () => {
    await withTableAccess(ACCESS, async () => {
      const query = db.send(
        new QueryCommand({
          TableName: 't',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'CASE#R' },
        }),
      );
      await expect(query).rejects.not.toMatchObject({ name: 'AccessDeniedException' });
      const tx = db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: 't',
                Key: { pk: 'AUDIT#CASE#R', sk: 'EVENT#1' },
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': 1 },
              },
            },
          ],
        }),
      );
      await expect(tx).rejects.toMatchObject({ name: 'AccessDeniedException' });
    });
  });
});
