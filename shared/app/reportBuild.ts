/**
 * The global report of a consultation once published: the totals (from the counters) and every
 * comment with its disposition, a page at a time (a consultation may have a million comments;
 * follow `cursor`). Before publication it is not found.
 */

import type { Consultation } from '#domain/participation/consultation.ts';
import { groupSizeOf } from '#domain/participation/grouping.ts';
import { type ReportRow, reportRow } from '#domain/participation/report.ts';
import { buildResults, type Results } from '#domain/participation/results.ts';
import type { Clock } from '#ports/index.ts';
import type {
  CampaignGroupStore,
  CommentStore,
  ConsultationCounters,
  ConsultationStore,
} from '#ports/participation.ts';
import { publicOne } from './consultationRead.ts';
import { paged, UseCaseError } from './errors.ts';

export interface ReportPage {
  consultation: Consultation;
  results: Results;
  rows: ReportRow[];
  cursor?: string;
}

export async function getReport(
  deps: {
    consultations: ConsultationStore;
    comments: CommentStore;
    groups: CampaignGroupStore;
    counters: ConsultationCounters;
    disclosureK: number;
    clock: Clock;
  },
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<ReportPage> {
  const c = await publicOne(deps, id);
  if (c.status !== 'published') {
    throw new UseCaseError('not_found', {
      es: `El informe global de ${id} aún no se ha publicado`,
      en: `the global report of ${id} is not published yet`,
    });
  }
  const [counters, comments] = await Promise.all([
    deps.counters.totals(c.id),
    paged(
      deps.comments.list(c.id, {
        limit: page.limit,
        ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      }),
    ),
  ]);
  const groups = await deps.groups.get(
    c.id,
    comments.items.map((x) => x.groupKey),
  );
  const titles = new Map(c.sections.map((s) => [s.id, s.title]));
  return {
    consultation: c,
    results: buildResults(c, counters, deps.disclosureK),
    rows: comments.items.map((x) =>
      reportRow(x, titles.get(x.sectionId) ?? '', groupSizeOf(groups.get(x.groupKey), c.grouping) ?? 1),
    ),
    ...(comments.cursor ? { cursor: comments.cursor } : {}),
  };
}
