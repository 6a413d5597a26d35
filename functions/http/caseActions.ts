import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { actOnCase, caseOfActor } from '#app/actOnCase.ts';
import { fileCase } from '#app/fileCase.ts';
import { caseHistory } from '#app/readCases.ts';
import { hasRole } from '#domain/actor.ts';
import { authenticate } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { HttpProblem } from '#http/problem.ts';
import { caseActionRoute, caseHistoryRoute, registerVerbalRoute } from '#http/routes.ts';
import { cases, clock, entities, fileCaseDeps } from '../deps.ts';

/** Decreto 1166 de 2016: the officer records the petition as it is made; a late record is refused. */
const VERBAL_RECORD_MAX_AGE_MS = 72 * 3600_000;

const deps = { cases: cases(), entities: entities(), clock, filing: fileCaseDeps };

const act = httpHandler(caseActionRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  const result = await actOnCase(deps, actor, {
    radicado: request.params.radicado,
    ifMatch: request.rawHeaders['if-match'],
    action: request.body,
  });
  return {
    status: 200,
    body: { case: result.case, ...(result.linked ? { linked: result.linked } : {}) },
    headers: { etag: result.etag },
  };
});

const history = httpHandler(caseHistoryRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  const record = await caseOfActor(deps.cases, actor, request.params.radicado);
  return { status: 200, body: await caseHistory(deps, record) };
});

const verbal = httpHandler(registerVerbalRoute, async (request) => {
  const actor = await authenticate(request.rawHeaders);
  const { filing, record } = request.body;
  if (filing.entityId !== actor.entityId) {
    throw new HttpProblem(403, 'an officer registers verbal petitions for its own entity only', {
      errors: [{ field: 'filing.entityId', message: 'is not your entity' }],
    });
  }
  if (!(hasRole(actor, 'officer') || hasRole(actor, 'supervisor') || hasRole(actor, 'admin'))) {
    throw new HttpProblem(403, 'registering a verbal petition needs the role officer, supervisor or admin');
  }
  const receivedAt = record.receivedAt ? new Date(record.receivedAt) : undefined;
  if (receivedAt && receivedAt.getTime() < deps.clock.now().getTime() - VERBAL_RECORD_MAX_AGE_MS) {
    throw new HttpProblem(
      422,
      'record.receivedAt: a verbal petition is registered within 72 hours of being made',
      {
        errors: [{ field: 'record.receivedAt', message: 'is more than 72 hours ago' }],
      },
    );
  }
  const key = request.headers['idempotency-key'];
  const filed = await fileCase(await fileCaseDeps(), {
    filing: { ...filing, channel: record.channel },
    actor: { kind: 'officer', id: actor.subject },
    ...(receivedAt ? { receivedAt } : {}),
    // A retried registration (same officer, key and record) answers the first filing.
    ...(key ? { idempotency: { scope: `verbal#${actor.subject}`, key, request: request.body } } : {}),
    verbal: {
      officer: actor.subject,
      channel: record.channel,
      ...(record.place !== undefined ? { place: record.place } : {}),
    },
  });
  return { status: 201, body: filed };
});

/** One function serves the officers' case routes; API Gateway names the route. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) => {
  switch (event.routeKey) {
    case `GET ${caseHistoryRoute.path}`:
      return history(event, context);
    case `POST ${registerVerbalRoute.path}`:
      return verbal(event, context);
    default:
      return act(event, context);
  }
};
