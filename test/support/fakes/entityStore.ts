/**
 * EntityStore and EntitySettingsStore in memory, over one record per entity (as the table keeps
 * one item): the settings as stored, their version (every write adds 1), who changed them last,
 * and the head of the entity's own audit trail.
 *  - get/list check the settings with today's EntitySchema: `get` of an invalid one throws, `list`
 *    skips it (as DynamoEntityStore does);
 *  - put: validated, version + 1, not audited (the seed, an operator);
 *  - saveSettings: `stale` when the version is no longer the expected one or the event's
 *    sequence is taken; else settings, version + 1 and the event, together.
 */
import { type AuditEvent, GENESIS_HASH } from '#domain/case/audit.ts';
import { type Entity, EntitySchema } from '#domain/entity.ts';
import type { EntitySettingsStore, SettingsChange, VersionedSettings } from '#ports/entitySettings.ts';
import type { EntityStore } from '#ports/index.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryEntityStore implements EntityStore, EntitySettingsStore {
  private readonly items = new Map<string, VersionedSettings>();
  private readonly trails = new Map<string, AuditEvent[]>();

  constructor(entities: readonly Entity[] = []) {
    for (const e of entities) this.putSync(e);
  }

  async get(id: string): Promise<Entity | undefined> {
    const item = this.items.get(id);
    if (!item) return undefined;
    const parsed = EntitySchema.safeParse(item.settings);
    if (!parsed.success) throw new Error(`stored entity ${id} is not valid under the current rules`);
    return parsed.data;
  }

  async list(): Promise<Entity[]> {
    return [...this.items.keys()].sort().flatMap((id) => {
      const parsed = EntitySchema.safeParse(this.items.get(id)?.settings);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async put(entity: Entity): Promise<void> {
    this.putSync(entity);
  }

  async getVersioned(entityId: string): Promise<VersionedSettings | undefined> {
    const item = this.items.get(entityId);
    return item ? copy(item) : undefined;
  }

  async saveSettings(change: SettingsChange): Promise<'saved' | 'stale'> {
    const settings = EntitySchema.parse(change.entity);
    const item = this.items.get(settings.id);
    const trail = this.trails.get(settings.id) ?? [];
    if (!item || item.version !== change.expectedVersion) return 'stale';
    if (trail.some((e) => e.seq === change.event.seq)) return 'stale';
    this.items.set(settings.id, {
      ...item,
      settings: copy(settings),
      version: change.expectedVersion + 1,
      updatedAt: change.at,
      updatedBy: change.by,
      lastEventSeq: change.event.seq,
      lastEventHash: change.event.hash,
    });
    this.trails.set(settings.id, [...trail, copy(change.event)]);
    return 'saved';
  }

  async entityEvents(entityId: string): Promise<AuditEvent[]> {
    return copy(this.trails.get(entityId) ?? []);
  }

  // -- For tests ---------------------------------------------------------------------------------

  /** Stores settings as they are, unchecked (an entity stored before a rule was tightened). */
  putRaw(entityId: string, settings: Record<string, unknown>, version = 1): void {
    const item = this.items.get(entityId);
    this.items.set(entityId, {
      entityId,
      settings: copy(settings),
      version,
      lastEventSeq: item?.lastEventSeq ?? 0,
      lastEventHash: item?.lastEventHash ?? GENESIS_HASH,
    });
  }

  /** Replaces the entity's stored trail as it is (tampering, for the audit's tests). */
  putTrail(entityId: string, events: readonly AuditEvent[]): void {
    this.trails.set(entityId, copy([...events]));
  }

  private putSync(entity: Entity): void {
    const settings = EntitySchema.parse(entity);
    const item = this.items.get(settings.id);
    this.items.set(settings.id, {
      entityId: settings.id,
      settings: copy(settings),
      version: (item?.version ?? 0) + 1,
      ...(item?.updatedAt !== undefined ? { updatedAt: item.updatedAt } : {}),
      ...(item?.updatedBy !== undefined ? { updatedBy: item.updatedBy } : {}),
      lastEventSeq: item?.lastEventSeq ?? 0,
      lastEventHash: item?.lastEventHash ?? GENESIS_HASH,
    });
  }
}
