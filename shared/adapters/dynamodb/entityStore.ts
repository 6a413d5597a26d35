import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { type AuditEvent, GENESIS_HASH } from '#domain/case/audit.ts';
import { type Entity, EntitySchema } from '#domain/entity.ts';
import type { EntitySettingsStore, SettingsChange, VersionedSettings } from '#ports/entitySettings.ts';
import type { EntityStore } from '#ports/index.ts';
import {
  ENTITY_LIST_SHARDS,
  entityItem,
  indexUpdate,
  keys,
  shardKeys,
  updateExpression,
  withoutKeys,
} from './keys.ts';
import { putNew, Table } from './table.ts';

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
export class DynamoEntityStore implements EntityStore, EntitySettingsStore {
  private readonly cache = new Map<string, { at: number; entity: Entity }>();
  private readonly ttlMs: number;
  private readonly onInvalid: (id: string, fields: string[]) => void;
  private readonly items: Table;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    options: EntityStoreOptions = {},
  ) {
    this.items = new Table(db, table);
    this.ttlMs = options.ttlMs ?? 60_000;
    this.onInvalid = options.onInvalid ?? (() => {});
  }

  async get(id: string): Promise<Entity | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.entity;
    if (hit) this.cache.delete(id);
    const item = await this.items.get(keys.entity(id));
    if (!item) return undefined;
    const parsed = EntitySchema.safeParse(item.settings);
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
    const listed = shardKeys(ENTITY_LIST_SHARDS, keys.entitiesIndex);
    for (const item of await this.items.allAcross({ index: 'gsi1' }, listed)) {
      const parsed = EntitySchema.safeParse(item.settings);
      if (parsed.success) entities.push(parsed.data);
      else this.onInvalid(String(item.gsi1sk ?? item.pk), faultyFields(parsed.error));
    }
    return entities;
  }

  /**
   * Stores the settings as given (the seed, an operator): validated, version + 1 (so an admin's
   * ETag taken before it no longer matches), the entity's audit head kept. Not audited: admins
   * change settings through `saveSettings`.
   */
  async put(entity: Entity): Promise<void> {
    const settings = EntitySchema.parse(entity);
    const index = indexUpdate('gsi1', entityItem.listed(settings.id));
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.entity(settings.id),
        UpdateExpression: updateExpression({
          set: ['settings = :settings', ...index.set, 'version = if_not_exists(version, :zero) + :one'],
        }),
        ExpressionAttributeValues: {
          ':settings': settings,
          ...index.values,
          ':zero': 0,
          ':one': 1,
        },
      }),
    );
    this.cache.delete(settings.id);
  }

  async getVersioned(entityId: string): Promise<VersionedSettings | undefined> {
    const item = await this.items.get(keys.entity(entityId), { consistent: true });
    if (!item || typeof item.settings !== 'object' || item.settings === null) return undefined;
    return {
      entityId,
      settings: item.settings as Record<string, unknown>,
      version: typeof item.version === 'number' ? item.version : 0,
      ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
      ...(typeof item.updatedBy === 'string' ? { updatedBy: item.updatedBy } : {}),
      lastEventSeq: typeof item.lastEventSeq === 'number' ? item.lastEventSeq : 0,
      lastEventHash: typeof item.lastEventHash === 'string' ? item.lastEventHash : GENESIS_HASH,
    };
  }

  async saveSettings(change: SettingsChange): Promise<'saved' | 'stale'> {
    const settings = EntitySchema.parse(change.entity);
    const { event } = change;
    const index = indexUpdate('gsi1', entityItem.listed(settings.id));
    // A version never written (an item from before versions) counts as 0.
    const condition =
      change.expectedVersion === 0
        ? 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :expected)'
        : 'version = :expected';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.entity(settings.id),
                UpdateExpression: updateExpression({
                  set: [
                    'settings = :settings',
                    ...index.set,
                    'version = :next',
                    'updatedAt = :at',
                    'updatedBy = :by',
                    'lastEventSeq = :seq',
                    'lastEventHash = :hash',
                  ],
                }),
                ConditionExpression: condition,
                ExpressionAttributeValues: {
                  ':settings': settings,
                  ...index.values,
                  ':expected': change.expectedVersion,
                  ':next': change.expectedVersion + 1,
                  ':at': change.at,
                  ':by': change.by,
                  ':seq': event.seq,
                  ':hash': event.hash,
                },
              },
            },
            putNew(this.table, { ...keys.entityEvent(settings.id, event.seq), ...event }),
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return 'stale';
      }
      throw error;
    } finally {
      this.cache.delete(settings.id);
    }
    return 'saved';
  }

  async entityEvents(entityId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    const trail = { partition: keys.entityTrail(entityId), sort: { beginsWith: 'EVENT#' }, consistent: true };
    for await (const page of this.items.pages(trail)) {
      events.push(...page.items.map((item) => withoutKeys<AuditEvent>(item)));
    }
    return events;
  }
}
