import { caseOfActor, etagOf } from '#app/actOnCase.ts';
import { getOfficerCase, getPublicCase } from '#app/readCases.ts';
import { authenticate } from '#http/auth.ts';
import { httpHandler } from '#http/handler.ts';
import { getCaseRoute } from '#http/routes.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

/** With an Authorization header: the officer view (verified token, own entity); else the public view. */
export const handler = httpHandler(getCaseRoute, async (request) => {
  if (request.rawHeaders.authorization !== undefined) {
    const actor = await authenticate(request.rawHeaders);
    const record = await caseOfActor(deps.cases, actor, request.params.radicado);
    return {
      status: 200,
      body: await getOfficerCase(deps, actor, record),
      headers: { etag: etagOf(record) },
    };
  }
  return {
    status: 200,
    body: await getPublicCase(deps, request.params.radicado, request.headers['x-tracking-code']),
  };
});
