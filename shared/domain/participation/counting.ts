/**
 * Counting comments exactly once from the table's stream. Pure.
 *
 * Each comment's INSERT record counts it. Pipes deliver at least once, so a comment partition's
 * counts go to one counter shard with a checkpoint (the last sequence number counted), and a
 * record at or below it is skipped. Why: docs/adr/0004-counting-comments-from-stream.md
 */
import * as z from 'zod';
import { AGE_BANDS, DEPARTMENTS } from '../demographics.ts';
import { addDeltas, type CommentMessage, commentDeltas, REFERENCE, STANCES } from './comment.ts';
import { CONSULTATION_ID, SECTION_ID } from './ids.ts';

/** What counting needs of a comment. */
export type CountedComment = Pick<
  CommentMessage,
  'consultationId' | 'reference' | 'sectionId' | 'stance' | 'department' | 'ageBand'
>;

/** What counting reads of a stored comment (its other attributes are ignored). */
export const CountedCommentSchema = z.object({
  consultationId: z.string().regex(CONSULTATION_ID),
  reference: z.string().regex(REFERENCE),
  sectionId: z.string().regex(SECTION_ID),
  stance: z.enum(STANCES),
  department: z.enum(DEPARTMENTS).optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
});

export interface StreamComment {
  /** The record's stream sequence number (decimal digits, up to 40). */
  sequence: string;
  comment: CountedComment;
}

const DIGITS = 40;

/** A sequence number as a fixed-width string, so that strings compare like the numbers. */
export function sequenceKey(sequence: string): string {
  if (!/^\d{1,40}$/.test(sequence)) throw new RangeError(`not a stream sequence number: ${sequence}`);
  return sequence.padStart(DIGITS, '0');
}

/**
 * The increments of the records after `checkpoint` (a sequenceKey, or none yet), and the new
 * checkpoint (the highest sequence counted); `counted` 0 when everything was counted before.
 */
export function countSince(
  records: readonly StreamComment[],
  checkpoint: string | undefined,
): { deltas: Record<string, number>; counted: number; through: string | undefined } {
  const deltas: Record<string, number> = {};
  let counted = 0;
  let through = checkpoint;
  for (const r of records) {
    const key = sequenceKey(r.sequence);
    if (checkpoint !== undefined && key <= checkpoint) continue;
    addDeltas(deltas, commentDeltas(r.comment));
    counted++;
    if (through === undefined || key > through) through = key;
  }
  return { deltas, counted, through };
}
