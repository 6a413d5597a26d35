/**
 * The citizen side of cases in the single table:
 *  - a citizen's case .. pk=CITIZEN#<citizen hash>  sk=CASE#<receivedAt>#<radicado>  (newest first by sk)
 *  - a case's rating mark pk=CASE#<radicado>          sk=RATED
 *  - a rating .......... pk=RATINGS#<entity>#<YYYY-MM> sk=<random id>  (no radicado: unlinkable)
 * The citizen hash is keyed with the service's secret (citizenHash): the table names nobody.
 */
import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Rating } from '#domain/satisfaction.ts';
import type { CitizenCaseLink, CitizenCases, Ratings } from '#ports/citizens.ts';
import type { Page } from '#ports/index.ts';
import { decodeCursor, encodeCursor, keys } from './keys.ts';

const linkKey = (citizen: string, c: { radicado: string; receivedAt: string }) => ({
  pk: keys.citizenCases(citizen),
  sk: `CASE#${c.receivedAt}#${c.radicado}`,
});

export class DynamoCitizenStore implements CitizenCases, Ratings {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async link(citizen: string, link: CitizenCaseLink): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...linkKey(citizen, link), ...link },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async isLinked(citizen: string, c: { radicado: string; receivedAt: string }): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: linkKey(citizen, c), ProjectionExpression: 'pk' }),
    );
    return out.Item !== undefined;
  }

  async list(citizen: string, page: { limit: number; cursor?: string }): Promise<Page<CitizenCaseLink>> {
    const pk = keys.citizenCases(citizen);
    const start = decodeCursor(page.cursor, ['pk', 'sk']);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (out.Items ?? []).map((i) => ({
      radicado: String(i.radicado),
      entityId: String(i.entityId),
      receivedAt: String(i.receivedAt),
      linkedAt: String(i.linkedAt),
    }));
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items, ...(cursor ? { cursor } : {}) };
  }

  async rate(radicado: string, rating: Rating, at: string): Promise<'rated' | 'already'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: keys.case(radicado).pk, sk: 'RATED', at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: keys.ratings(rating.entityId, rating.month), sk: randomUUID(), ...rating },
              },
            },
          ],
        }),
      );
      return 'rated';
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return 'already';
      }
      throw error;
    }
  }
}
