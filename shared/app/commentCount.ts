/**
 * Counting comments: the comments whose INSERT records the stream delivered are added to
 * their consultations' counters, each exactly once (counting.ts).
 */
import type { StreamComment } from '#domain/participation/counting.ts';
import type { ConsultationCounters } from '#ports/participation.ts';

export async function countStreamComments(
  deps: { counters: ConsultationCounters },
  records: readonly StreamComment[],
): Promise<number> {
  const byConsultation = new Map<string, StreamComment[]>();
  for (const r of records) {
    const list = byConsultation.get(r.comment.consultationId);
    if (list) list.push(r);
    else byConsultation.set(r.comment.consultationId, [r]);
  }
  const counted = await Promise.all([...byConsultation].map(([id, list]) => deps.counters.count(id, list)));
  return counted.reduce((a, b) => a + b, 0);
}
