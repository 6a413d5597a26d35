/**
 * The participation consumer's use case: writes a batch of accepted comments (grouped into
 * campaigns by their text, counted in the consultation's sharded counters), each once for good.
 */
import { type CommentMessage, groupKey, type StoredComment } from '#domain/participation/comment.ts';
import type { ConsultationStore } from '#ports/participation.ts';

export interface IngestOutcome {
  written: string[];
  duplicates: string[];
  /** Messages that can never be written (unknown consultation or section): reference → reason. */
  rejected: Map<string, string>;
}

export async function ingestComments(
  deps: { consultations: ConsultationStore },
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
    for (const m of list) {
      if (!sections.has(m.sectionId)) outcome.rejected.set(m.reference, 'unknown section');
      else comments.push({ ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 });
    }
    const { duplicates } = await deps.consultations.ingestComments(c, comments);
    const dup = new Set(duplicates);
    outcome.duplicates.push(...duplicates);
    outcome.written.push(...comments.filter((x) => !dup.has(x.reference)).map((x) => x.reference));
  }
  return outcome;
}
