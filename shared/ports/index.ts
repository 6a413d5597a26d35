/**
 * The interfaces the use cases need. Adapters (shared/adapters) implement them.
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { Entity } from '#domain/entity.ts';

export interface Clock {
  now(): Date;
}

export interface IdempotencyClaim {
  /** Who may replay (`http`, `intake#email`, …) and the caller's key. */
  scope: string;
  key: string;
  /** SHA-256 of the canonical request: the same key with another request is a conflict. */
  requestHash: string;
  /** Epoch seconds after which the record expires (DynamoDB TTL); absent = kept for good. */
  expiresAt?: number;
}

/** Filing could not get a radicado in time (heavy contention on one entity's counter): retry. */
export class RadicadoBusyError extends Error {}

export type FileOutcome<R> =
  | { kind: 'created'; record: CaseRecord; response: R }
  | { kind: 'replayed'; response: R }
  | { kind: 'key_conflict' };

export interface NewCase<R> {
  record: CaseRecord;
  event: AuditEvent;
  /**
   * The caller's answer (the filing's signed receipt). Asked for before the write when it is
   * stored with an idempotency claim; otherwise while the write is in flight (its CPU overlaps the
   * round trip), and answered only once the write committed.
   */
  respond: () => Promise<R>;
}

/** The case changed since it was read (its version moved): read it again. */
export class StaleCaseError extends Error {}

/**
 * One change of a case: the case as read (`before`), as it is after the change (`after`, whose
 * version is `before.version + 1` and whose audit head is `event`), and the audit event.
 */
export interface CaseChange {
  before: CaseRecord;
  after: CaseRecord;
  event: AuditEvent;
}

/** A pagination cursor this API did not give (or gave for another listing). */
export class InvalidCursorError extends Error {}

export interface FileCaseInput<R> {
  entityId: string;
  year: number;
  /**
   * The case with this sequence number: called only when the filing is new (after the idempotency
   * key is checked), possibly again if the counter moved meanwhile.
   */
  build: (seq: number) => Promise<NewCase<R>>;
  idempotency?: IdempotencyClaim;
  /** The instant (epoch ms) of the request, for idempotency expiry. */
  now: number;
  /**
   * No new attempt starts after this instant (epoch ms, of the same Clock as `now`): RadicadoBusyError
   * instead. The store measures the `deadline - now` it may take itself, from the call.
   */
  deadline: number;
  /**
   * Another case's change committed in the same transaction, given the new case's radicado (a
   * forward closes the original as the linked case is filed): StaleCaseError when that case moved
   * meanwhile, and nothing is filed.
   */
  alongside?: (radicado: string) => CaseChange;
  /** An identified citizen (their keyed hash, citizenKey): the case joins their list in the same transaction. */
  follower?: string;
}

export interface InboxQuery {
  limit: number;
  cursor?: string;
  /** Only priority (true) or only ordinary (false) cases. */
  priority?: boolean;
  /** Only cases in one of these statuses. */
  statuses?: readonly string[];
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface CaseStore {
  /**
   * Files a case with the next radicado of (entity, year): the counter, the case, its first
   * audit event and the idempotency record are written in one transaction, so a radicado is
   * never skipped nor duplicated and a key files at most one case.
   */
  fileCase<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>>;
  get(radicado: string): Promise<CaseRecord | undefined>;
  /** The cases of these radicados that exist (strongly consistent, as `get`), in any order. */
  getMany(radicados: readonly string[]): Promise<CaseRecord[]>;
  /**
   * Commits one change of a case with its audit event, in one transaction, on the condition that
   * the case is still at `before.version` (StaleCaseError otherwise). The case's index entries
   * (inbox, watch, routing outbox) follow its status.
   */
  commit(change: CaseChange): Promise<void>;
  listInbox(entityId: string, office: string, page: InboxQuery): Promise<Page<CaseRecord>>;
  /**
   * Pending cases of an entity (running or suspended) whose watch date (the due date while the
   * term runs, the petitioner's last day while suspended) is on or before `until`, by that date.
   */
  listWatched(
    entityId: string,
    until: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<CaseRecord>>;
  /** Radicados filed before `before` and not yet routed (the routing outbox). */
  listUnrouted(before: string, limit: number): Promise<string[]>;
  events(radicado: string): Promise<AuditEvent[]>;
  /** Records an intake message that failed validation, with its reason (no personal data). */
  recordRejection(channel: string, externalId: string, reason: unknown, at: string): Promise<void>;
}

export interface EntityStore {
  get(id: string): Promise<Entity | undefined>;
  list(): Promise<Entity[]>;
  put(entity: Entity): Promise<void>;
}

export interface MessageQueue<T> {
  send(messages: readonly T[]): Promise<void>;
}

export interface RoutingMessage {
  radicado: string;
}

export interface ReceiptSigner {
  sign(payload: Record<string, unknown>): Promise<string>;
  /** The payload when the signature holds, undefined otherwise. */
  verify(jws: string): Promise<Record<string, unknown> | undefined>;
  jwks(): { keys: Record<string, unknown>[] };
}
