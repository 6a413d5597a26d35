/** The entity's PQRSD report to its management (Ley 1474 art. 76), for oversight roles. */
import { internalPqrsdReport } from '#app/pqrsdReport.ts';
import { on, serve } from '#http/handler.ts';
import { internalPqrsdReportRoute } from '#http/routes/transparency.ts';
import { clock, entities, reportCounters } from '../deps.ts';

const deps = { counters: reportCounters(), entities: entities(), clock };

export const handler = serve([
  on(internalPqrsdReportRoute, async ({ actor, params, query }) => ({
    status: 200,
    body: await internalPqrsdReport(deps, actor, params.entityId, query),
  })),
]);
