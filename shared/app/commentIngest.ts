/**
 * The participation consumer's use case: writes a batch of accepted comments (with their campaign
 * group key), each once for good; the stream counts them (counting.ts). Comments that
 * land after their consultation closed (accepted in time, delayed on the queue) make its campaign
 * groups pending again (commentGrouping.ts).
 */
import { type CommentMessage, groupKey, type StoredComment } from '#domain/participation/comment.ts';
import type { Clock } from '#ports/index.ts';
import type { CommentStore, ConsultationStore } from '#ports/participation.ts';
import { regroupIfClosed } from './commentGrouping.ts';

export interface IngestOutcome {
  written: string[];
  duplicates: string[];
  /** Messages that can never be written (unknown consultation or section): reference → reason. */
  rejected: Map<string, string>;
}

/** A bound on the skew between this function's clock and the schedule's. */
const CLOCK_SKEW_MS = 60_000;

export async function ingestComments(
  deps: { consultations: ConsultationStore; comments: CommentStore; clock: Clock },
  messages: readonly CommentMessage[],
): Promise<IngestOutcome> {
  const outcome: IngestOutcome = { written: [], duplicates: [], rejected: new Map() };
  const byConsultation = new Map<string, CommentMessage[]>();
  for (const m of messages) {
    const list = byConsultation.get(m.consultationId);
    if (list) list.push(m);
    else byConsultation.set(m.consultationId, [m]);
  }
  for (const [id, list] of byConsultation) {
    const c = await deps.consultations.get(id);
    if (!c) {
      for (const m of list) outcome.rejected.set(m.reference, 'unknown consultation');
      continue;
    }
    const sections = new Set(c.sections.map((s) => s.id));
    const comments: StoredComment[] = [];
    const seen = new Set<string>();
    for (const m of list) {
      if (!sections.has(m.sectionId)) outcome.rejected.set(m.reference, 'unknown section');
      // The queue can deliver one message twice in a batch: written once, the repeat a duplicate.
      else if (seen.has(m.reference)) outcome.duplicates.push(m.reference);
      else {
        seen.add(m.reference);
        comments.push({ ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 });
      }
    }
    if (comments.length === 0) continue;
    // Well before the close (the schedule closes at closesAt, whatever the clocks' skew), no
    // disposition can exist: blind batch puts. Else conditional puts, never over a stored comment.
    const open = () =>
      c.status === 'open' && deps.clock.now().getTime() < Date.parse(c.closesAt) - CLOCK_SKEW_MS;
    const { duplicates } = await deps.comments.ingest(comments, { overwrite: open() });
    // Written before the close can have happened: its grouping cannot have started. Else make it
    // pending again; duplicates too, the delivery that wrote them may have failed before this step.
    if (!open()) await regroupIfClosed(deps, c.id);
    const dup = new Set(duplicates);
    outcome.duplicates.push(...duplicates);
    outcome.written.push(...comments.filter((x) => !dup.has(x.reference)).map((x) => x.reference));
  }
  return outcome;
}
