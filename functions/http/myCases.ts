/** An identified citizen's list of cases: read it, add a case to it. */
import { linkMyCase, listMyCases } from '#app/myCases.ts';
import { on, serve } from '#http/handler.ts';
import { linkMyCaseRoute, listMyCasesRoute } from '#http/routes/petitioner.ts';
import { cases, citizens, clock, serviceSecret } from '../deps.ts';

const deps = { cases: cases(), citizens: citizens(), clock, secret: await serviceSecret() };

export const handler = serve([
  on(listMyCasesRoute, async ({ citizen, query }) => ({
    status: 200,
    body: await listMyCases(deps, citizen, query),
  })),
  on(linkMyCaseRoute, async ({ citizen, body }) => ({
    status: 200,
    body: await linkMyCase(deps, citizen, body),
  })),
]);
