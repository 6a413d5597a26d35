/** What the participation use cases need from storage (consultations, comments, their counters). */
import type { Disposition, StoredComment } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import type { Page } from './index.ts';

export interface CommentGroup {
  key: string;
  sectionId: string;
  stance: StoredComment['stance'];
  size: number;
  /** The first comment written in it. */
  exemplar: string;
}

export interface DispositionChange {
  comment: StoredComment;
  disposition: Disposition;
}

/** A comment changed since it was read (another disposition won): read again and retry. */
export class StaleCommentError extends Error {}

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
  /**
   * Writes comments with their group sizes and counter increments, each comment at most once for
   * good (a redelivered reference is a duplicate, counted nowhere). Returns the duplicates.
   */
  ingestComments(
    consultation: Consultation,
    comments: readonly StoredComment[],
  ): Promise<{ duplicates: string[] }>;
  getComments(consultationId: string, references: readonly string[]): Promise<StoredComment[]>;
  listComments(
    consultationId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>>;
  listGroupMembers(
    consultationId: string,
    groupKey: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredComment>>;
  listGroups(
    consultationId: string,
    page: { limit: number; cursor?: string; minSize: number },
  ): Promise<Page<CommentGroup>>;
  getGroups(consultationId: string, keys: readonly string[]): Promise<Map<string, CommentGroup>>;
  /**
   * Sets dispositions (and moves the disposition counters) in transactions; each comment on the
   * condition of its version. StaleCommentError when one changed meanwhile (nothing of its chunk written).
   */
  applyDispositions(consultation: Consultation, changes: readonly DispositionChange[]): Promise<void>;
  /** The consultation's counters: the sum of its shards. */
  counters(consultationId: string, options?: { consistent?: boolean }): Promise<Record<string, number>>;
}
