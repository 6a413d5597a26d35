/**
 * Campaign groups: how many comments share a group key (comment.ts `groupKey`), computed once the
 * comment period is over instead of live. Pure.
 *
 * Not live: a size item per distinct text would cost a write per comment at ingestion; the key is
 * known at ingestion, only the sizes wait for the close (groups of one have no item).
 * Why: docs/adr/0004-counting-comments-from-stream.md
 *
 * A comment written after that (one accepted before closesAt but still on the queue) makes the
 * grouping stale: a new `epoch`, state `pending` again, and the next tick tallies anew. A tally
 * only counts if the epoch it started from is still current when it is saved, so a comment
 * written during a tally is never missed.
 */
import type { Stance, StoredComment } from './comment.ts';

export interface CommentGroup {
  key: string;
  sectionId: string;
  stance: Stance;
  size: number;
  /** Its earliest comment (by acceptance, then reference): shown as the group's text. */
  exemplar: string;
}

/** The grouping of a consultation (absent while comments are taken). */
export interface Grouping {
  state: 'pending' | 'done';
  /** Bumped whenever a comment arrives that the last tally may not have seen. */
  epoch: number;
  /** Of the last tally saved (state done): comments counted, groups of two or more, when. */
  comments?: number;
  groups?: number;
  at?: string;
}

/** What a tally reads of each comment. */
export type GroupRow = Pick<StoredComment, 'groupKey' | 'sectionId' | 'stance' | 'reference' | 'acceptedAt'>;

interface Entry {
  first: GroupRow;
  size: number;
}

const earlier = (a: GroupRow, b: GroupRow) =>
  a.acceptedAt < b.acceptedAt || (a.acceptedAt === b.acceptedAt && a.reference < b.reference);

/** Counts comments by group; feed it every comment once, in any order and in as many calls as pages. */
export class GroupTally {
  private readonly entries = new Map<string, Entry>();
  comments = 0;

  add(rows: Iterable<GroupRow>): void {
    for (const row of rows) {
      this.comments++;
      const e = this.entries.get(row.groupKey);
      if (!e) this.entries.set(row.groupKey, { first: row, size: 1 });
      else {
        e.size++;
        if (earlier(row, e.first)) e.first = row;
      }
    }
  }

  /** The groups of two or more comments, by key. */
  campaigns(): CommentGroup[] {
    const out: CommentGroup[] = [];
    for (const [key, { first, size }] of this.entries) {
      if (size < 2) continue;
      out.push({ key, sectionId: first.sectionId, stance: first.stance, size, exemplar: first.reference });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** A grouping to compute again, from a new epoch (the close starts epoch 1); the last tally's figures stay shown. */
export function groupingPending(previous: Grouping | undefined): Grouping {
  return { ...previous, state: 'pending', epoch: (previous?.epoch ?? 0) + 1 };
}

/**
 * The size shown for a comment's group: its group's, else 1 once a tally has been saved (a group
 * of one has no item), else unknown (null) while the comment period runs.
 */
export function groupSizeOf(group: CommentGroup | undefined, grouping: Grouping | undefined): number | null {
  if (group) return group.size;
  return grouping?.at !== undefined ? 1 : null;
}
