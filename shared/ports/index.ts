/**
 * The interfaces the use cases need. Adapters (shared/adapters) implement them.
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import type { WatchView } from '#domain/case/watch.ts';
import type { Entity } from '#domain/entity.ts';
import type { Pseudonym } from './pseudonyms.ts';

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
  /** An identified citizen (their current pseudonym, CASES_SCOPE): the case joins their list in the same transaction. */
  follower?: Pseudonym;
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

/** A pending case on the watch index (the fields it holds), with the instant it is placed at (null: never due). */
export interface Watched {
  case: WatchView;
  at: string | null;
}

/** The sweeper's durable state (one item): small, rewritten whole at the end of each run. */
export interface SweepState {
  /** The entity the next run serves first (the run before stopped at its budget there). */
  startAt?: string;
  /** Per entity: the mark of the settings (closures, thresholds) every pending case has taken. */
  settled: Record<string, string>;
  /** Per entity: a settling pass under way (its mark, start, where it stopped, whether a case was stale). */
  settling?: Record<string, { mark: string; startedAt: string; cursor?: string; stale?: boolean }>;
}

export interface CaseStore {
  /**
   * Files a case with the next radicado of (entity, year): the counter, the case, its first
   * audit event and the idempotency record are written in one transaction, so a radicado is
   * never skipped nor duplicated and a key files at most one case.
   */
  fileCase<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>>;
  get(radicado: string): Promise<CaseRecord | undefined>;
  /**
   * What a filing receipt attests, kept apart from the case (its own key family) so the public
   * receipt check reads no case and no petitioner.
   */
  receiptFacts(radicado: string): Promise<ReceiptFacts | undefined>;
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
   * Pending cases of an entity (running or suspended) due for the sweeper's look at or before
   * `until` (an instant as toISOString writes it; `9999-12-31`: every pending case), by that
   * instant. Every write places a case by its first alert from its last change on (nextAlert.ts
   * `watchInstant`, with the entity's semáforo thresholds).
   */
  listWatched(
    entityId: string,
    until: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Watched>>;
  /**
   * Moves a case read from the watch index to `at` (null: nothing more to come with time), if it
   * is still at the version and the place read; false when it changed meanwhile (its write, or
   * another sweep run, placed it anew). Not a change of the case: its version, audit trail and
   * data stay as they are.
   */
  moveWatch(read: Watched, at: string | null): Promise<boolean>;
  /** The sweeper's own state: where its next run starts, which settings it has settled. */
  sweepState(): Promise<SweepState | undefined>;
  saveSweepState(state: SweepState): Promise<void>;
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

/** What a filing receipt attests of a case: enough to check a receipt, nothing personal. */
export type ReceiptFacts = Pick<CaseRecord, 'radicado' | 'entityId' | 'receivedAt' | 'contentSha256'>;

export interface ReceiptSigner {
  sign(payload: Record<string, unknown>): Promise<string>;
  /** The payload when the signature holds, undefined otherwise. */
  verify(jws: string): Promise<Record<string, unknown> | undefined>;
  /** The public keys a receipt may verify under: the current one, then the retired ones. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}
