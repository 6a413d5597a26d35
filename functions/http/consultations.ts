/** Communicators' consultation routes (officer token, role communicator, own entity only). */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { disposeComments } from '#app/commentDispose.ts';
import { listCommentsForOfficer, listGroupsForOfficer } from '#app/commentList.ts';
import { actOnConsultation } from '#app/consultationActions.ts';
import { createConsultation } from '#app/consultationCreate.ts';
import { getOfficerConsultation } from '#app/consultationRead.ts';
import { officerConsultation } from '#domain/participation/consultation.ts';
import { authenticate } from '#http/auth.ts';
import { type HttpHandler, httpHandler } from '#http/handler.ts';
import { metrics } from '#http/observability.ts';
import {
  consultationActionRoute,
  createConsultationRoute,
  disposeCommentsRoute,
  getConsultationRoute,
  listCommentsRoute,
  listGroupsRoute,
} from '#http/participationRoutes.ts';
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

const handlers: Record<string, HttpHandler> = {
  [`POST ${createConsultationRoute.path}`]: httpHandler(createConsultationRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    const created = await createConsultation(deps, actor, request.body);
    metrics.addMetric('ConsultationCreated', 'Count', 1);
    return {
      status: 201,
      body: officerConsultation(created),
      headers: { location: `/v1/consultations/${created.id}` },
    };
  }),
  [`GET ${getConsultationRoute.path}`]: httpHandler(getConsultationRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    return { status: 200, body: await getOfficerConsultation(deps, actor, request.params.id) };
  }),
  [`POST ${consultationActionRoute.path}`]: httpHandler(consultationActionRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    const next = await actOnConsultation(deps, actor, request.params.id, request.body.action);
    return { status: 200, body: officerConsultation(next) };
  }),
  [`GET ${listCommentsRoute.path}`]: httpHandler(listCommentsRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    return { status: 200, body: await listCommentsForOfficer(deps, actor, request.params.id, request.query) };
  }),
  [`GET ${listGroupsRoute.path}`]: httpHandler(listGroupsRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    return { status: 200, body: await listGroupsForOfficer(deps, actor, request.params.id, request.query) };
  }),
  [`POST ${disposeCommentsRoute.path}`]: httpHandler(disposeCommentsRoute, async (request) => {
    const actor = await authenticate(request.rawHeaders);
    const items = request.body.items.map((i) => ({
      reference: i.reference,
      group: i.group,
      value: i.disposition,
      reasons: i.reasons,
    }));
    const result = await disposeComments(deps, actor, request.params.id, items);
    metrics.addMetric('CommentsDisposed', 'Count', result.updated);
    return { status: 200, body: result };
  }),
};

/** One function serves the communicators' routes; API Gateway names the route. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) => {
  const route = handlers[event.routeKey];
  if (!route) throw new Error(`no handler for route ${event.routeKey}`);
  return route(event, context);
};
