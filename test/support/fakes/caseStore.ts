/**
 * CaseStore in memory, honouring the port's contract (shared/ports/index.ts):
 *  - fileCase: the next radicado of (entity, year), never skipped nor repeated; a live idempotency
 *    record with the same request hash replays the stored response (JSON, as stored), another hash
 *    is a `key_conflict`; an expired record is taken over; no attempt starts at or after the
 *    deadline (RadicadoBusyError: an in-memory store has no contention, so its one attempt starts
 *    at `input.now`); an `alongside` change of a case that moved is a StaleCaseError and nothing
 *    is written;
 *  - commit: StaleCaseError when the stored version is not `before.version` (or the event's
 *    sequence is taken); the change's own shape (version + 1, audit head = event) is checked too;
 *  - the inbox (open cases in an office, not `received`): priority first, then due date (no due
 *    date last), then radicado; the watch index (pending cases, placed by every write at their
 *    first alert from their last change on, under the entity's thresholds, and moved by the
 *    sweeper on the version read); the routing outbox (received cases, by receipt); opaque cursors.
 * Everything stored and returned is a copy: a caller mutating what it got changes nothing here.
 */
import type { AuditEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { watchInstant } from '#domain/case/nextAlert.ts';
import { isOpen } from '#domain/case/status.ts';
import { WATCH_VIEW_FIELDS, type WatchView } from '#domain/case/watch.ts';
import { DEFAULT_THRESHOLDS, type SemaforoThresholds } from '#domain/clock/index.ts';
import {
  type CaseChange,
  type CaseStore,
  type FileCaseInput,
  type FileOutcome,
  type InboxQuery,
  type Page,
  RadicadoBusyError,
  type ReceiptFacts,
  StaleCaseError,
  type SweepState,
  type Watched,
} from '#ports/index.ts';
import type { InMemoryCitizens } from './citizens.ts';
import { pageOf } from './cursor.ts';

/** The sort date of a case without one (suspended): after every real date. */
const NO_DATE = '9999-12-31';

interface IdempotencyRecord {
  requestHash: string;
  response: string;
  radicado: string;
  expiresAt?: number;
}

export interface Rejection {
  channel: string;
  externalId: string;
  reason: unknown;
  at: string;
}

const copy = <T>(value: T): T => structuredClone(value);

/** A case as the watch index holds it: only the fields it projects. */
const watchViewOf = (c: CaseRecord): WatchView =>
  copy(Object.fromEntries(WATCH_VIEW_FIELDS.filter((f) => f in c).map((f) => [f, c[f]])) as WatchView);

export interface InMemoryCaseStoreOptions {
  /** The entity's semáforo thresholds, which place a written case on the watch index (default: the design's). */
  thresholds?: (entityId: string) => SemaforoThresholds;
}

export class InMemoryCaseStore implements CaseStore {
  /** `citizens`: the lists a filing's follower joins (the same table as the cases on AWS). */
  constructor(
    private readonly citizens?: InMemoryCitizens,
    private readonly options: InMemoryCaseStoreOptions = {},
  ) {}

  /** The watch index: radicado → the instant a pending case is placed at (NO_DATE: never due). */
  private readonly watch = new Map<string, string>();
  private state: SweepState | undefined;

  private readonly cases = new Map<string, CaseRecord>();
  private readonly trails = new Map<string, AuditEvent[]>();
  private readonly counters = new Map<string, number>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly rejections: Rejection[] = [];

  async fileCase<R>(input: FileCaseInput<R>): Promise<FileOutcome<R>> {
    if (input.now >= input.deadline) {
      throw new RadicadoBusyError(`no radicado for ${input.entityId}-${input.year} before the deadline`);
    }
    const claim = input.idempotency;
    const claimKey = claim ? `${claim.scope}#${claim.key}` : undefined;
    const existing = claimKey ? this.idempotency.get(claimKey) : undefined;
    const live =
      existing !== undefined &&
      (existing.expiresAt === undefined || existing.expiresAt >= Math.floor(input.now / 1000));
    if (claim && existing && live) {
      return existing.requestHash === claim.requestHash
        ? { kind: 'replayed', response: JSON.parse(existing.response) as R }
        : { kind: 'key_conflict' };
    }

    const counterKey = `${input.entityId}#${input.year}`;
    const seq = (this.counters.get(counterKey) ?? 0) + 1;
    const built = await input.build(seq);
    const stored = claim ? await built.respond() : undefined;
    const { record, event } = built;
    if (this.cases.has(record.radicado)) {
      throw new Error(`radicado counter ${counterKey} is behind its cases (${record.radicado} exists)`);
    }
    const change = input.alongside?.(record.radicado);
    if (change) this.checkChange(change);

    // All or nothing: every check passed, now the writes.
    this.counters.set(counterKey, seq);
    this.store(record);
    this.trails.set(record.radicado, [copy(event)]);
    if (claim && claimKey) {
      this.idempotency.set(claimKey, {
        requestHash: claim.requestHash,
        response: JSON.stringify(stored),
        radicado: record.radicado,
        ...(claim.expiresAt !== undefined ? { expiresAt: claim.expiresAt } : {}),
      });
    }
    if (change) this.writeChange(change);
    if (input.follower) {
      if (!this.citizens) throw new Error('InMemoryCaseStore: a follower needs the citizens store');
      const { radicado, entityId, receivedAt } = record;
      await this.citizens.link(input.follower, { radicado, entityId, receivedAt, linkedAt: receivedAt });
    }
    const response = claim ? (stored as R) : await built.respond();
    return { kind: 'created', record: copy(record), response };
  }

  async get(radicado: string): Promise<CaseRecord | undefined> {
    const found = this.cases.get(radicado);
    return found ? copy(found) : undefined;
  }

  async receiptFacts(radicado: string): Promise<ReceiptFacts | undefined> {
    const found = this.cases.get(radicado);
    if (!found) return undefined;
    const { entityId, receivedAt, contentSha256 } = found;
    return { radicado, entityId, receivedAt, contentSha256 };
  }

  async getMany(radicados: readonly string[]): Promise<CaseRecord[]> {
    return radicados.flatMap((r) => {
      const found = this.cases.get(r);
      return found ? [copy(found)] : [];
    });
  }

  async commit(change: CaseChange): Promise<void> {
    this.checkChange(change);
    this.writeChange(change);
  }

  async listInbox(entityId: string, office: string, page: InboxQuery): Promise<Page<CaseRecord>> {
    const statuses = page.statuses ?? [];
    const entries = [...this.cases.values()]
      .filter(
        (c) =>
          c.entityId === entityId &&
          c.office === office &&
          c.status !== 'received' &&
          isOpen(c.status) &&
          (page.priority === undefined || c.priority === page.priority) &&
          (statuses.length === 0 || statuses.includes(c.status)),
      )
      .map((c) => ({
        key: `${c.priority ? 'P0' : 'P1'}#${c.dueDate ?? NO_DATE}#${c.radicado}`,
        item: copy(c),
      }));
    return pageOf(entries, `inbox#${entityId}#${office}`, page);
  }

  async listWatched(
    entityId: string,
    until: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Watched>> {
    const entries = [...this.cases.values()]
      .filter((c) => c.entityId === entityId && this.watch.has(c.radicado))
      .map((c) => ({ at: this.watch.get(c.radicado) ?? NO_DATE, c }))
      .filter(({ at, c }) => `${at}#${c.radicado}` <= `${until}#~`)
      .map(({ at, c }) => ({
        key: `${at}#${c.radicado}`,
        // What the watch index projects, as DynamoDB's INCLUDE would.
        item: { case: watchViewOf(c), at: at === NO_DATE ? null : at },
      }));
    return pageOf(entries, `watch#${entityId}`, page);
  }

  async moveWatch(read: Watched, at: string | null): Promise<boolean> {
    const record = read.case;
    const stored = this.cases.get(record.radicado);
    if (!stored || stored.version !== record.version) return false;
    if (this.watch.get(record.radicado) !== (read.at ?? NO_DATE)) return false;
    this.watch.set(record.radicado, at ?? NO_DATE);
    return true;
  }

  async sweepState(): Promise<SweepState | undefined> {
    return this.state && copy(this.state);
  }

  async saveSweepState(state: SweepState): Promise<void> {
    this.state = copy(state);
  }

  async listUnrouted(before: string, limit: number): Promise<string[]> {
    return [...this.cases.values()]
      .filter((c) => c.status === 'received')
      .map((c) => ({ key: `${c.receivedAt}#${c.radicado}`, radicado: c.radicado }))
      .filter((e) => e.key < before)
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, limit)
      .map((e) => e.radicado);
  }

  async events(radicado: string): Promise<AuditEvent[]> {
    return copy(this.trails.get(radicado) ?? []);
  }

  async recordRejection(channel: string, externalId: string, reason: unknown, at: string): Promise<void> {
    this.rejections.push(copy({ channel, externalId, reason, at }));
  }

  // -- For tests: what a test prepares or inspects directly -------------------------------------

  /** Stores a case and its trail as they are (a case in a given state, a tampered trail). */
  insert(record: CaseRecord, events: readonly AuditEvent[] = []): void {
    this.store(record);
    this.trails.set(record.radicado, copy([...events]));
  }

  /** The last radicado sequence of (entity, year); 0 when none was filed. */
  counter(entityId: string, year: number): number {
    return this.counters.get(`${entityId}#${year}`) ?? 0;
  }

  /** Every stored case (copies), in radicado order. */
  all(): CaseRecord[] {
    return [...this.cases.values()].sort((a, b) => (a.radicado < b.radicado ? -1 : 1)).map(copy);
  }

  private checkChange(change: CaseChange): void {
    const { before, after, event } = change;
    const stored = this.cases.get(before.radicado);
    if (!stored || stored.version !== before.version) {
      throw new StaleCaseError(`case ${before.radicado} changed meanwhile`);
    }
    if ((this.trails.get(event.radicado) ?? []).some((e) => e.seq === event.seq)) {
      throw new StaleCaseError(`event ${event.seq} of ${event.radicado} exists`);
    }
    // The port's shape of a change: a caller breaking it has a bug the real table would store.
    if (
      after.radicado !== before.radicado ||
      event.radicado !== before.radicado ||
      after.version !== before.version + 1 ||
      after.lastEventSeq !== event.seq ||
      after.lastEventHash !== event.hash
    ) {
      throw new Error(`malformed change of ${before.radicado}: version or audit head does not follow`);
    }
  }

  private writeChange(change: CaseChange): void {
    this.appendEvent(change.event);
    this.store(change.after);
  }

  /** A case as written, and its place on the watch index (what the table's item keys do). */
  private store(record: CaseRecord): void {
    this.cases.set(record.radicado, copy(record));
    const thresholds = this.options.thresholds?.(record.entityId) ?? DEFAULT_THRESHOLDS;
    const at = watchInstant(record, thresholds);
    if (at === undefined) this.watch.delete(record.radicado);
    else this.watch.set(record.radicado, at ?? NO_DATE);
  }

  /** Where a case is on the watch index (undefined: off it; NO_DATE: never due). For tests. */
  watchedAt(radicado: string): string | undefined {
    return this.watch.get(radicado);
  }

  private appendEvent(event: AuditEvent): void {
    const trail = this.trails.get(event.radicado) ?? [];
    trail.push(copy(event));
    trail.sort((a, b) => a.seq - b.seq);
    this.trails.set(event.radicado, trail);
  }
}
