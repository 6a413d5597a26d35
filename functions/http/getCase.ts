import { caseOfActor, etagOf } from '#app/actOnCase.ts';
import { getOfficerCase, getPublicCase } from '#app/readCases.ts';
import { on, serve } from '#http/handler.ts';
import { getCaseRoute } from '#http/routes/cases.ts';
import { cases, clock, entities } from '../deps.ts';

const deps = { cases: cases(), entities: entities(), clock };

/** With an officer's token: the officer view of a case of its entity; else the public view. */
export const handler = serve([
  on(getCaseRoute, async ({ actor, params, headers }) => {
    if (actor) {
      const record = await caseOfActor(deps.cases, actor, params.radicado);
      return {
        status: 200,
        body: await getOfficerCase(deps, actor, record),
        headers: { etag: etagOf(record) },
      };
    }
    return { status: 200, body: await getPublicCase(deps, params.radicado, headers['x-tracking-code']) };
  }),
]);
