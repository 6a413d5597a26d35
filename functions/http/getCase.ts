import { caseOfActor, etagOf } from '#app/actOnCase.ts';
import { petitionersCase } from '#app/petitioner.ts';
import { getOfficerCase, getPublicCase } from '#app/readCases.ts';
import { on, serve } from '#http/handler.ts';
import { getCaseRoute } from '#http/routes/cases.ts';
import { entities, notices, petitionerDeps } from '../deps.ts';

const deps = { ...(await petitionerDeps()), entities: entities(), notices: notices() };

/** With an officer's token: the officer view of a case of its entity; else the petitioner's view. */
export const handler = serve([
  on(getCaseRoute, async ({ actor, citizen, params, headers, client }) => {
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
      client,
    });
    return { status: 200, body: await getPublicCase(deps, record) };
  }),
]);
