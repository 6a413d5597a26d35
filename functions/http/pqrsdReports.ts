import { pqrsdReport } from '#app/pqrsdReport.ts';
import { on, serve } from '#http/handler.ts';
import { entityPqrsdReportRoute, nationalPqrsdReportRoute } from '#http/routes/transparency.ts';
import { clock, entities, reportCounters } from '../deps.ts';

const deps = { counters: reportCounters(), entities: entities(), clock };

export const handler = serve([
  on(entityPqrsdReportRoute, async ({ params, query }) => ({
    status: 200,
    body: await pqrsdReport(deps, { entityId: params.id }, query),
  })),
  on(nationalPqrsdReportRoute, async ({ query }) => ({
    status: 200,
    body: await pqrsdReport(deps, 'national', query),
  })),
]);
