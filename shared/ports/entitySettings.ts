/**
 * What the entity settings use cases need beyond the EntityStore: the settings with their version
 * (optimistic concurrency, the HTTP ETag), the change written together with its audit event, and
 * the entity's own audit trail (`AUDIT#ENTITY#<id>` / `EVENT#<seq>`, chained like a case's).
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { Entity } from '#domain/entity.ts';

export interface VersionedSettings {
  entityId: string;
  /** The settings as stored (validate them: they may predate today's rules). */
  settings: Record<string, unknown>;
  /** Every write adds 1 (the HTTP ETag); 0 for an item stored before versions existed. */
  version: number;
  updatedAt?: string;
  /** The subject of the admin who made the last change. */
  updatedBy?: string;
  /** Head of the entity's audit trail (0 and the genesis hash when it has none). */
  lastEventSeq: number;
  lastEventHash: string;
}

export interface SettingsChange {
  entity: Entity;
  /** The version the change was based on: written only if it is still the stored one. */
  expectedVersion: number;
  /** The audit event of the change: the next one of the entity's trail. */
  event: AuditEvent;
  at: string;
  by: string;
}

export interface EntitySettingsStore {
  /** Strongly consistent, never cached. */
  getVersioned(entityId: string): Promise<VersionedSettings | undefined>;
  /**
   * Writes the settings (version + 1) and the audit event in one transaction; `stale` when the
   * stored version is no longer `expectedVersion` (or the event's sequence is taken).
   */
  saveSettings(change: SettingsChange): Promise<'saved' | 'stale'>;
  /** The entity's audit trail, oldest first. */
  entityEvents(entityId: string): Promise<AuditEvent[]>;
}
