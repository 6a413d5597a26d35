/**
 * The participation ports in memory (shared/ports/participation.ts), as the DynamoDB stores
 * (shared/adapters/dynamodb/) behave on the one table:
 *  - InMemoryConsultationStore: `create` never over an id; `save` only over `version - 1` (false
 *    otherwise, or when there is nothing to save over); the public listing holds what is not a
 *    draft, newest `opensAt` first; the scheduler's listings hold the open ones whose `closesAt`
 *    is strictly before the instant asked, soonest first, and those not open whose grouping is
 *    pending, oldest `closedAt` first;
 *  - InMemoryCommentStore: `ingest` writes each reference once per batch (a reference repeated in
 *    the batch is a duplicate); with `overwrite` a blind put (a stored comment is replaced whole,
 *    disposition and version included, and reported as nothing), else a conditional put (a
 *    stored reference is a duplicate, left as it is). Each item created makes one INSERT record
 *    on the table stream (`inserts()`, sequence numbers increasing), a rewrite none. All comments
 *    come partition after partition (16, by the reference's first character), a page carrying at
 *    most 500,000 characters of text; a group's members by reference. `applyDispositions` works in
 *    transactions of `chunk` comments (98, as the table's): each on the condition of its version
 *    and of the consultation being closed or answered, StaleCommentError with nothing of that
 *    chunk written (earlier chunks stay), the disposition counters moving with them;
 *  - InMemoryCampaignGroupStore: groups put whole by key (a rerun overwrites), listed by key with
 *    a minimum size;
 *  - InMemoryConsultationCounters: per comment partition p, counter shard p with its checkpoint
 *    `countedThrough` (countSince of the real domain): a record at or below it was counted by an
 *    earlier delivery; dispositions add to a shard of their own; totals are the sum.
 * Cursors are of one listing only (cursor.ts): a consultation's comments, one group's members,
 * one consultation's groups.
 */
import { isDeepStrictEqual } from 'node:util';
import { commentPartition } from '#adapters/dynamodb/keys.ts';
import { addDeltas, dispositionDeltas, type StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import { countSince, type StreamComment } from '#domain/participation/counting.ts';
import type { CommentGroup, GroupTally } from '#domain/participation/grouping.ts';
import type { Page } from '#ports/index.ts';
import {
  type CampaignGroupStore,
  type CommentStore,
  type ConsultationCounters,
  type ConsultationStore,
  type DispositionChange,
  StaleCommentError,
} from '#ports/participation.ts';
import { pageOf } from './cursor.ts';

const copy = <T>(value: T): T => structuredClone(value);
const utc = (instant: string) => new Date(instant).toISOString();
const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class InMemoryConsultationStore implements ConsultationStore {
  private readonly items = new Map<string, Consultation>();

  async create(c: Consultation): Promise<void> {
    if (this.items.has(c.id)) throw new Error(`consultation ${c.id} exists`);
    this.items.set(c.id, copy(c));
  }

  async get(id: string): Promise<Consultation | undefined> {
    const found = this.items.get(id);
    return found ? copy(found) : undefined;
  }

  async save(next: Consultation): Promise<boolean> {
    const stored = this.items.get(next.id);
    if (stored?.version !== next.version - 1) return false;
    this.items.set(next.id, copy(next));
    return true;
  }

  async listPublic(page: { limit: number; cursor?: string }): Promise<Page<Consultation>> {
    const entries = [...this.items.values()]
      .filter((c) => c.status !== 'draft')
      .map((c) => ({ key: `${utc(c.opensAt)}#${c.id}`, item: copy(c) }));
    return pageOf(entries, 'consultations', page, 'desc');
  }

  async listOpenClosingBefore(before: string, limit: number): Promise<string[]> {
    const bound = utc(before);
    return [...this.items.values()]
      .filter((c) => c.status === 'open')
      .map((c) => ({ key: `${utc(c.closesAt)}#${c.id}`, id: c.id }))
      .filter((e) => e.key < bound)
      .sort(byKey)
      .slice(0, limit)
      .map((e) => e.id);
  }

  async listGroupingDue(limit: number): Promise<string[]> {
    return [...this.items.values()]
      .filter((c) => c.status !== 'open' && c.grouping?.state === 'pending')
      .map((c) => ({ key: `${utc(c.closedAt ?? c.closesAt)}#${c.id}`, id: c.id }))
      .sort(byKey)
      .slice(0, limit)
      .map((e) => e.id);
  }

  // -- For tests ---------------------------------------------------------------------------------

  /** Every stored consultation, drafts included, by id. */
  all(): Consultation[] {
    return [...this.items.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => copy(c));
  }
}

/** Characters of comment text one page of all comments carries at most (as the table's store). */
export const PAGE_TEXT_BUDGET = 500_000;
/** Comments per disposition transaction in the table's store. */
export const DISPOSE_CHUNK = 98;

const partitionKey = (reference: string) =>
  `${String(commentPartition(reference)).padStart(2, '0')}#${reference}`;

export class InMemoryCommentStore implements CommentStore {
  /** consultation id → reference → comment. */
  private readonly items = new Map<string, Map<string, StoredComment>>();
  private readonly stream: StreamComment[] = [];
  private sequence = 0;
  private readonly chunk: number;

  constructor(
    private readonly consultations: InMemoryConsultationStore,
    private readonly counters: InMemoryConsultationCounters,
    options: { chunk?: number } = {},
  ) {
    this.chunk = options.chunk ?? DISPOSE_CHUNK;
  }

  async ingest(
    comments: readonly StoredComment[],
    options: { overwrite: boolean },
  ): Promise<{ duplicates: string[] }> {
    const unique = new Map<string, StoredComment>();
    const duplicates: string[] = [];
    for (const c of comments) {
      if (unique.has(c.reference)) duplicates.push(c.reference);
      else unique.set(c.reference, c);
    }
    for (const c of unique.values()) {
      const stored = this.of(c.consultationId).get(c.reference);
      if (stored === undefined) this.insert(c);
      else if (!options.overwrite) duplicates.push(c.reference);
      // A blind put over an item: replaced whole (a MODIFY record at most, never counted).
      else if (!isDeepStrictEqual(stored, c)) this.of(c.consultationId).set(c.reference, copy(c));
    }
    return { duplicates };
  }

  async get(consultationId: string, references: readonly string[]): Promise<StoredComment[]> {
    const stored = this.of(consultationId);
    // BatchGetItem gives no order: by reference here, so that no caller leans on the order asked.
    return [...new Set(references)].sort().flatMap((r) => {
      const c = stored.get(r);
      return c ? [copy(c)] : [];
    });
  }

  async list(consultationId: string, page: { limit: number; cursor?: string }): Promise<Page<StoredComment>> {
    const entries = [...this.of(consultationId).values()].map((c) => ({
      key: partitionKey(c.reference),
      item: copy(c),
    }));
    const listing = `comments#${consultationId}`;
    // The page's texts stay within the budget (at least one comment a page): fewer than `limit`.
    const ahead = pageOf(entries, listing, page).items;
    let taken = 0;
    let chars = 0;
    for (const c of ahead) {
      if (taken > 0 && chars + c.text.length > PAGE_TEXT_BUDGET) break;
      chars += c.text.length;
      taken++;
    }
    return pageOf(entries, listing, { ...page, limit: Math.max(1, taken) });
  }

  async listGroupMembers(
    consultationId: string,
    groupKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>> {
    const entries = [...this.of(consultationId).values()]
      .filter((c) => c.groupKey === groupKey)
      .map((c) => ({ key: c.reference, item: copy(c) }));
    return pageOf(entries, `group#${consultationId}#${groupKey}`, page);
  }

  async tally(consultationId: string, tally: GroupTally): Promise<void> {
    const byPartition = new Map<number, StoredComment[]>();
    for (const c of this.of(consultationId).values()) {
      const p = commentPartition(c.reference);
      byPartition.set(p, [...(byPartition.get(p) ?? []), c]);
    }
    for (const rows of byPartition.values()) {
      tally.add(
        rows.map(({ groupKey, sectionId, stance, reference, acceptedAt }) => ({
          groupKey,
          sectionId,
          stance,
          reference,
          acceptedAt,
        })),
      );
    }
  }

  async applyDispositions(consultation: Consultation, changes: readonly DispositionChange[]): Promise<void> {
    for (let i = 0; i < changes.length; i += this.chunk) {
      const chunk = changes.slice(i, i + this.chunk);
      const references = new Set(chunk.map((c) => c.comment.reference));
      if (references.size < chunk.length) throw new Error('a transaction may not touch one comment twice');
      const status = (await this.consultations.get(consultation.id))?.status;
      if (status !== 'closed' && status !== 'answered') {
        throw new StaleCommentError('the consultation no longer takes dispositions');
      }
      const stored = this.of(consultation.id);
      if (chunk.some(({ comment }) => stored.get(comment.reference)?.version !== comment.version)) {
        throw new StaleCommentError('a comment changed since it was read');
      }
      const deltas: Record<string, number> = {};
      for (const { comment, disposition } of chunk) {
        addDeltas(deltas, dispositionDeltas(comment, comment.disposition?.value, disposition.value));
        const current = stored.get(comment.reference)!;
        stored.set(comment.reference, {
          ...current,
          disposition: copy(disposition),
          version: comment.version + 1,
        });
      }
      this.counters.add(consultation.id, deltas);
    }
  }

  // -- For tests ---------------------------------------------------------------------------------

  /** The table stream's INSERT records of comments so far, in stream order (what the pipe passes). */
  inserts(): StreamComment[] {
    return copy(this.stream);
  }

  /** Every stored comment of a consultation, by reference. */
  all(consultationId: string): StoredComment[] {
    return [...this.of(consultationId).values()]
      .sort((a, b) => (a.reference < b.reference ? -1 : 1))
      .map((c) => copy(c));
  }

  private of(consultationId: string): Map<string, StoredComment> {
    let stored = this.items.get(consultationId);
    if (!stored) {
      stored = new Map();
      this.items.set(consultationId, stored);
    }
    return stored;
  }

  private insert(c: StoredComment): void {
    this.of(c.consultationId).set(c.reference, copy(c));
    this.sequence++;
    this.stream.push({
      sequence: String(this.sequence),
      comment: {
        consultationId: c.consultationId,
        reference: c.reference,
        sectionId: c.sectionId,
        stance: c.stance,
        ...(c.department !== undefined ? { department: c.department } : {}),
        ...(c.ageBand !== undefined ? { ageBand: c.ageBand } : {}),
      },
    });
  }
}

export class InMemoryCampaignGroupStore implements CampaignGroupStore {
  /** consultation id → group key → group. */
  private readonly items = new Map<string, Map<string, CommentGroup>>();
  private readonly epochs = new Map<string, number>();

  async put(consultationId: string, epoch: number, groups: readonly CommentGroup[]): Promise<boolean> {
    const stored = this.items.get(consultationId) ?? new Map<string, CommentGroup>();
    this.items.set(consultationId, stored);
    for (const g of groups) {
      const at = `${consultationId}#${g.key}`;
      if ((this.epochs.get(at) ?? 0) > epoch) return false;
      this.epochs.set(at, epoch);
      stored.set(g.key, copy(g));
    }
    return true;
  }

  async list(
    consultationId: string,
    page: { limit: number; cursor?: string; minSize: number },
  ): Promise<Page<CommentGroup>> {
    const entries = [...(this.items.get(consultationId)?.values() ?? [])]
      .filter((g) => g.size >= page.minSize)
      .map((g) => ({ key: g.key, item: copy(g) }));
    const { minSize: _minSize, ...rest } = page;
    return pageOf(entries, `groups#${consultationId}`, rest);
  }

  async get(consultationId: string, keys: readonly string[]): Promise<Map<string, CommentGroup>> {
    const stored = this.items.get(consultationId);
    return new Map(
      [...new Set(keys)].flatMap((k) => {
        const g = stored?.get(k);
        return g ? [[k, copy(g)] as const] : [];
      }),
    );
  }
}

interface Shard {
  counters: Record<string, number>;
  countedThrough?: string;
}

/** The shard dispositions go to (a random one in the table: any other than the comments' 0–15 here). */
const DISPOSITIONS_SHARD = 31;

export class InMemoryConsultationCounters implements ConsultationCounters {
  /** consultation id → shard → counters and checkpoint. */
  private readonly shards = new Map<string, Map<number, Shard>>();

  async count(consultationId: string, records: readonly StreamComment[]): Promise<number> {
    const byPartition = new Map<number, StreamComment[]>();
    for (const r of records) {
      if (r.comment.consultationId !== consultationId) {
        throw new Error(`a comment of ${r.comment.consultationId} counted for ${consultationId}`);
      }
      const p = commentPartition(r.comment.reference);
      byPartition.set(p, [...(byPartition.get(p) ?? []), r]);
    }
    let counted = 0;
    for (const [partition, list] of byPartition) {
      const shard = this.shard(consultationId, partition);
      const plan = countSince(list, shard.countedThrough);
      if (plan.counted === 0) continue;
      addDeltas(shard.counters, plan.deltas);
      if (plan.through !== undefined) shard.countedThrough = plan.through;
      counted += plan.counted;
    }
    return counted;
  }

  async totals(consultationId: string, _options?: { consistent?: boolean }): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const shard of this.shards.get(consultationId)?.values() ?? []) addDeltas(out, shard.counters);
    return out;
  }

  /** What a disposition transaction adds (InMemoryCommentStore.applyDispositions). */
  add(consultationId: string, deltas: Readonly<Record<string, number>>): void {
    addDeltas(this.shard(consultationId, DISPOSITIONS_SHARD).counters, deltas);
  }

  // -- For tests ---------------------------------------------------------------------------------

  /** The checkpoint of one counter shard (a sequence key), if it counted anything. */
  checkpoint(consultationId: string, shard: number): string | undefined {
    return this.shards.get(consultationId)?.get(shard)?.countedThrough;
  }

  private shard(consultationId: string, shard: number): Shard {
    let shards = this.shards.get(consultationId);
    if (!shards) {
      shards = new Map();
      this.shards.set(consultationId, shards);
    }
    let found = shards.get(shard);
    if (!found) {
      found = { counters: {} };
      shards.set(shard, found);
    }
    return found;
  }
}
