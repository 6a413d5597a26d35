import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { type Entity, EntitySchema } from '#domain/entity.ts';
import type { EntityStore } from '#ports/index.ts';
import { keys } from './keys.ts';

export interface EntityStoreOptions {
  /** How stale a warm container's cached entity may be (ms). */
  ttlMs?: number;
  /**
   * Told of a stored entity that today's rules refuse (skipped by `list()`, an error from
   * `get()`): its id and the fields at fault, never their values. Default: nothing.
   */
  onInvalid?: (id: string, fields: string[]) => void;
}

/** Raised by `get()` for a stored entity that today's rules refuse: names the id and fields only. */
export class InvalidStoredEntityError extends Error {
  constructor(
    readonly entityId: string,
    readonly fields: string[],
  ) {
    super(`stored entity ${entityId} is not valid under the current rules (fields: ${fields.join(', ')})`);
    this.name = 'InvalidStoredEntityError';
  }
}

function faultyFields(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((i) => i.path.map(String).join('.') || '(settings)'))];
}

/**
 * Entity settings, read through a short in-process cache: they change rarely (an admin edits
 * them) and every filing reads one. `ttlMs` bounds how stale a warm container may be. Only
 * entities found are cached: ids that are not (anyone can ask for any id) would grow the cache.
 *
 * Settings are checked with today's EntitySchema on read too. One stored before a rule was
 * tightened (a term longer than the law, say) must not break everyone's `list()`: it is skipped
 * there and reported through `onInvalid`; `get()` of it throws InvalidStoredEntityError.
 */
export class DynamoEntityStore implements EntityStore {
  private readonly cache = new Map<string, { at: number; entity: Entity }>();
  private readonly ttlMs: number;
  private readonly onInvalid: (id: string, fields: string[]) => void;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    options: EntityStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.onInvalid = options.onInvalid ?? (() => {});
  }

  async get(id: string): Promise<Entity | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.entity;
    if (hit) this.cache.delete(id);
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.entity(id) }));
    if (!out.Item) return undefined;
    const parsed = EntitySchema.safeParse(out.Item.settings);
    if (!parsed.success) {
      const fields = faultyFields(parsed.error);
      this.onInvalid(id, fields);
      throw new InvalidStoredEntityError(id, fields);
    }
    this.cache.set(id, { at: Date.now(), entity: parsed.data });
    return parsed.data;
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
      for (const item of out.Items ?? []) {
        const parsed = EntitySchema.safeParse(item.settings);
        if (parsed.success) entities.push(parsed.data);
        else this.onInvalid(String(item.gsi1sk ?? item.pk), faultyFields(parsed.error));
      }
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
