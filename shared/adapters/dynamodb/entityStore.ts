import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Entity, EntitySchema } from '#domain/entity.ts';
import type { EntityStore } from '#ports/index.ts';
import { keys } from './keys.ts';

/**
 * Entity settings, read through a short in-process cache: they change rarely (an admin edits
 * them) and every filing reads one. `ttlMs` bounds how stale a warm container may be.
 */
export class DynamoEntityStore implements EntityStore {
  private readonly cache = new Map<string, { at: number; entity: Entity | undefined }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlMs = 60_000,
  ) {}

  async get(id: string): Promise<Entity | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.entity;
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.entity(id) }));
    const entity = out.Item ? EntitySchema.parse(out.Item.settings) : undefined;
    this.cache.set(id, { at: Date.now(), entity });
    return entity;
  }

  async list(): Promise<Entity[]> {
    const entities: Entity[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :all',
          ExpressionAttributeValues: { ':all': keys.entitiesIndex },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      entities.push(...(out.Items ?? []).map((i) => EntitySchema.parse(i.settings)));
      start = out.LastEvaluatedKey;
    } while (start);
    return entities;
  }

  async put(entity: Entity): Promise<void> {
    const settings = EntitySchema.parse(entity);
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.entity(settings.id), gsi1pk: keys.entitiesIndex, gsi1sk: settings.id, settings },
      }),
    );
    this.cache.delete(settings.id);
  }
}
