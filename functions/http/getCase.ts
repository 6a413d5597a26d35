import { caseOfActor, etagOf } from '#app/actOnCase.ts';
import { petitionersCase } from '#app/petitioner.ts';
import { getOfficerCase, getPublicCase } from '#app/readCases.ts';
import { on, serve } from '#http/handler.ts';
import { getCaseRoute } from '#http/routes/cases.ts';
import { cases, citizens, clock, entities, notices, serviceSecret } from '../deps.ts';

const deps = {
  cases: cases(),
  entities: entities(),
  notices: notices(),
  citizens: citizens(),
  clock,
  secret: await serviceSecret(),
};

/** With an officer's token: the officer view of a case of its entity; else the petitioner's view. */
export const handler = serve([
  on(getCaseRoute, async ({ actor, citizen, params, headers }) => {
    if (actor) {
      const record = await caseOfActor(deps.cases, actor, params.radicado);
      return {
        status: 200,
        body: await getOfficerCase(deps, actor, record),
        headers: { etag: etagOf(record) },
      };
    }
    const record = await petitionersCase(deps, params.radicado, {
      trackingCode: headers['x-tracking-code'],
      citizen,
    });
    return { status: 200, body: await getPublicCase(deps, record) };
  }),
]);
