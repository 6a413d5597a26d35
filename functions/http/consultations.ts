/** Communicators' consultation routes (officer token, role communicator or admin, own entity only). */
import { disposeComments } from '#app/commentDispose.ts';
import { listCommentsForOfficer, listGroupsForOfficer } from '#app/commentList.ts';
import { actOnConsultation } from '#app/consultationActions.ts';
import { createConsultation } from '#app/consultationCreate.ts';
import { getOfficerConsultation } from '#app/consultationRead.ts';
import { officerConsultation } from '#domain/participation/consultation.ts';
import { on, serve } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import {
  consultationActionRoute,
  createConsultationRoute,
  disposeCommentsRoute,
  getConsultationRoute,
  listCommentsRoute,
  listGroupsRoute,
} from '#http/routes/participation.ts';
import { clock, entities } from '../deps.ts';
import { campaignGroups, comments, consultationCounters, consultations } from '../participationDeps.ts';

const deps = {
  consultations: consultations(),
  comments: comments(),
  groups: campaignGroups(),
  counters: consultationCounters(),
  entities: entities(),
  clock,
};

export const handler = serve([
  on(createConsultationRoute, async ({ actor, body }) => {
    const created = await createConsultation(deps, actor, body);
    metrics.addMetric('ConsultationCreated', 'Count', 1);
    return {
      status: 201,
      body: officerConsultation(created),
      headers: { location: `/v1/consultations/${created.id}` },
    };
  }),
  on(getConsultationRoute, async ({ actor, params }) => ({
    status: 200,
    body: await getOfficerConsultation(deps, actor, params.id),
  })),
  on(consultationActionRoute, async ({ actor, params, body }) => ({
    status: 200,
    body: officerConsultation(await actOnConsultation(deps, actor, params.id, body.action)),
  })),
  on(listCommentsRoute, async ({ actor, params, query }) => ({
    status: 200,
    body: await listCommentsForOfficer(deps, actor, params.id, query),
  })),
  on(listGroupsRoute, async ({ actor, params, query }) => ({
    status: 200,
    body: await listGroupsForOfficer(deps, actor, params.id, query),
  })),
  on(disposeCommentsRoute, async ({ actor, params, body }) => {
    const items = body.items.map((i) => ({
      reference: i.reference,
      group: i.group,
      value: i.disposition,
      reasons: i.reasons,
    }));
    const result = await disposeComments(deps, actor, params.id, items);
    metrics.addMetric('CommentsDisposed', 'Count', result.updated);
    return { status: 200, body: result };
  }),
]);
