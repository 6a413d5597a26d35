import { pqrsdReport } from '#app/pqrsdReport.ts';
import { type PqrsdReport, reportCsv, reportCsvDictionary } from '#domain/transparency/report.ts';
import { on, serve } from '#http/handler.ts';
import {
  entityPqrsdReportCsvRoute,
  entityPqrsdReportRoute,
  nationalPqrsdReportCsvRoute,
  nationalPqrsdReportRoute,
} from '#http/routes/transparency.ts';
import { clock, entities, reportCounters } from '../deps.ts';

const deps = { counters: reportCounters(), entities: entities(), clock };

/** The report as CSV (or its dictionary), named for a download: `<scope>-pqrsd-<period>.csv`. */
function csv(report: PqrsdReport | undefined, name: string) {
  return {
    status: 200,
    text: report === undefined ? reportCsvDictionary() : reportCsv(report),
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `inline; filename="${name}.csv"`,
    },
  };
}

export const handler = serve([
  on(entityPqrsdReportRoute, async ({ params, query }) => ({
    status: 200,
    body: await pqrsdReport(deps, { entityId: params.id }, query),
  })),
  on(nationalPqrsdReportRoute, async ({ query }) => ({
    status: 200,
    body: await pqrsdReport(deps, 'national', query),
  })),
  on(entityPqrsdReportCsvRoute, async ({ params, query }) => {
    if (query.part === 'dictionary') return csv(undefined, 'pqrsd-diccionario');
    const report = await pqrsdReport(deps, { entityId: params.id }, query);
    return csv(report, `${params.id}-pqrsd-${report.period.label.replace('/', '_')}`);
  }),
  on(nationalPqrsdReportCsvRoute, async ({ query }) => {
    if (query.part === 'dictionary') return csv(undefined, 'pqrsd-diccionario');
    const report = await pqrsdReport(deps, 'national', query);
    return csv(report, `nacional-pqrsd-${report.period.label.replace('/', '_')}`);
  }),
]);
