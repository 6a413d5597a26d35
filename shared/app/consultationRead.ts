/** Reads of consultations: the communicator's view, the public list and view, the results from counters. */
import type { Actor } from '#domain/actor.ts';
import {
  type Consultation,
  consultationAt,
  officerConsultation,
  publicConsultation,
} from '#domain/participation/consultation.ts';
import { buildResults, type Results } from '#domain/participation/results.ts';
import type { Clock } from '#ports/index.ts';
import type { ConsultationCounters, ConsultationStore } from '#ports/participation.ts';
import { requireDuty } from './access.ts';
import { noConsultation, ownConsultationNow } from './consultationCreate.ts';
import { paged } from './errors.ts';

export async function getOfficerConsultation(
  deps: { consultations: ConsultationStore; clock: Clock },
  actor: Actor,
  id: string,
) {
  requireDuty(actor, 'participation');
  return officerConsultation(await ownConsultationNow(deps, actor, id));
}

/** A consultation anyone may see, as it stands now: not a draft (a draft is not found). */
export async function publicOne(
  deps: { consultations: ConsultationStore; clock: Clock },
  id: string,
): Promise<Consultation> {
  const c = await deps.consultations.get(id);
  if (!c || c.status === 'draft') throw noConsultation(id);
  return consultationAt(c, deps.clock.now());
}

export async function getPublicConsultation(
  deps: { consultations: ConsultationStore; clock: Clock },
  id: string,
) {
  return publicConsultation(await publicOne(deps, id));
}

export async function listPublicConsultations(
  deps: { consultations: ConsultationStore; clock: Clock },
  page: { limit: number; cursor?: string | undefined },
) {
  const result = await paged(
    deps.consultations.listPublic({
      limit: page.limit,
      ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
    }),
  );
  return {
    items: result.items.map((c) => {
      const { sections, ...rest } = publicConsultation(consultationAt(c, deps.clock.now()));
      return { ...rest, sections: sections.length };
    }),
    ...(result.cursor ? { cursor: result.cursor } : {}),
  };
}

/** Results from the counters: O(sections) whatever the number of comments. */
interface ResultsDeps {
  consultations: ConsultationStore;
  counters: ConsultationCounters;
  disclosureK: number;
  clock: Clock;
}

export async function getResults(deps: ResultsDeps, id: string): Promise<Results> {
  return (await getConsultationResults(deps, id)).results;
}

/** The results with the consultation they are of (a page shows both). */
export async function getConsultationResults(
  deps: ResultsDeps,
  id: string,
): Promise<{ consultation: Consultation; results: Results }> {
  const consultation = await publicOne(deps, id);
  return {
    consultation,
    results: buildResults(consultation, await deps.counters.totals(consultation.id), deps.disclosureK),
  };
}
