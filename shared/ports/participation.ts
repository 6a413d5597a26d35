/** What the participation use cases need from storage: consultations, comments, campaign groups, counters. */
import type { Disposition, StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import type { StreamComment } from '#domain/participation/counting.ts';
import type { CommentGroup, GroupTally } from '#domain/participation/grouping.ts';
import type { Page } from './index.ts';

export type { CommentGroup } from '#domain/participation/grouping.ts';

export interface DispositionChange {
  comment: StoredComment;
  disposition: Disposition;
}

/** A comment changed since it was read (another disposition won): read again and retry. */
export class StaleCommentError extends Error {}

/** Consultations: the aggregate whose version every workflow step checks. */
export interface ConsultationStore {
  /** Writes a new consultation (never over an existing id). */
  create(c: Consultation): Promise<void>;
  get(id: string): Promise<Consultation | undefined>;
  /** Writes `next` if the stored version is still `next.version - 1`; false when it changed. */
  save(next: Consultation): Promise<boolean>;
  /** Consultations that are not drafts, newest publication first. */
  listPublic(page: { limit: number; cursor?: string }): Promise<Page<Consultation>>;
  /** Ids of open consultations whose closesAt is before `before`. */
  listOpenClosingBefore(before: string, limit: number): Promise<string[]>;
  /** Ids of consultations whose campaign groups are to be computed (grouping pending), oldest close first. */
  listGroupingDue(limit: number): Promise<string[]>;
}

/** A consultation's comments (written once each; only their disposition changes). */
export interface CommentStore {
  /**
   * Writes comments, each at most once for good. `overwrite` (only while the consultation takes
   * comments, so no disposition exists): blind batch puts, a redelivery rewrites the same item and
   * nothing is reported as duplicate. Else conditional puts: a reference already stored is a
   * duplicate, left as it is. Counting is not done here but from the stream (ConsultationCounters).
   */
  ingest(
    comments: readonly StoredComment[],
    options: { overwrite: boolean },
  ): Promise<{ duplicates: string[] }>;
  get(consultationId: string, references: readonly string[]): Promise<StoredComment[]>;
  list(consultationId: string, page: { limit: number; cursor?: string }): Promise<Page<StoredComment>>;
  listGroupMembers(
    consultationId: string,
    groupKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>>;
  /** Feeds every stored comment of the consultation (strongly consistent reads) to the tally. */
  tally(consultationId: string, tally: GroupTally): Promise<void>;
  /**
   * Sets dispositions (and moves the disposition counters) in transactions; each comment on the
   * condition of its version. StaleCommentError when one changed meanwhile (nothing of its chunk written).
   */
  applyDispositions(consultation: Consultation, changes: readonly DispositionChange[]): Promise<void>;
}

/** A consultation's campaign groups, tallied after the close. */
export interface CampaignGroupStore {
  /**
   * Stores the groups (of two or more) of a tally begun at this grouping epoch, each whole; false,
   * with the rest left unwritten, when a later epoch's tally already stored one of them.
   */
  put(consultationId: string, epoch: number, groups: readonly CommentGroup[]): Promise<boolean>;
  list(
    consultationId: string,
    page: { limit: number; cursor?: string; minSize: number },
  ): Promise<Page<CommentGroup>>;
  get(consultationId: string, keys: readonly string[]): Promise<Map<string, CommentGroup>>;
}

/** A consultation's sharded counters (per section and stance, disposition, department, age band). */
export interface ConsultationCounters {
  /**
   * Counts the comments of one consultation whose INSERT stream records these are, each once:
   * records at or before a shard's checkpoint were counted by an earlier delivery. Returns how
   * many were counted now.
   */
  count(consultationId: string, records: readonly StreamComment[]): Promise<number>;
  /** The consultation's counters: the sum of its shards. */
  totals(consultationId: string, options?: { consistent?: boolean }): Promise<Record<string, number>>;
}
