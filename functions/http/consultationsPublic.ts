/** Public, cacheable reads of consultations: list, one, results (counters), the global report. */
import {
  getConsultationResults,
  getPublicConsultation,
  getResults,
  listPublicConsultations,
} from '#app/consultationRead.ts';
import { getReport } from '#app/reportBuild.ts';
import { publicConsultation } from '#domain/participation/consultation.ts';
import { csvHeader, csvRows, DATA_DICTIONARY, dictionaryCsv } from '#domain/participation/report.ts';
import { on, serve } from '#http/handler.ts';
import { consultationReportPage, consultationResultsPage } from '#http/pages/consultationPages.ts';
import { htmlResult } from '#http/pages/layout.ts';
import { localeOf } from '#http/problem.ts';
import {
  consultationResultsHtmlRoute,
  consultationResultsRoute,
  getPublicConsultationRoute,
  listPublicConsultationsRoute,
  reportCsvRoute,
  reportHtmlRoute,
  reportJsonRoute,
} from '#http/routes/participation.ts';
import { optional } from '#shared/config.ts';
import { clock, entities } from '../deps.ts';
import { campaignGroups, comments, consultationCounters, consultations } from '../participationDeps.ts';

const deps = {
  consultations: consultations(),
  comments: comments(),
  groups: campaignGroups(),
  counters: consultationCounters(),
  disclosureK: optional('DISCLOSURE_K'),
  clock,
  entities: entities(),
};

/** The name of the entity that runs a consultation, for the pages (its id if it is gone). */
const entityName = async (id: string) => (await deps.entities.get(id))?.name ?? id;

/** The next page's URL of a report (same format, same limit). */
const next = (path: string, limit: number, cursor: string | undefined) =>
  cursor === undefined ? undefined : `${path}?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;

export const handler = serve([
  on(listPublicConsultationsRoute, async (request) => ({
    status: 200,
    body: await listPublicConsultations(deps, request.query),
  })),
  on(getPublicConsultationRoute, async (request) => ({
    status: 200,
    body: await getPublicConsultation(deps, request.params.id),
  })),
  on(consultationResultsRoute, async (request) => ({
    status: 200,
    body: await getResults(deps, request.params.id),
  })),
  on(consultationResultsHtmlRoute, async ({ params, rawHeaders }) => {
    const { consultation, results } = await getConsultationResults(deps, params.id);
    const locale = localeOf(rawHeaders['accept-language']);
    const base = `/v1/public/consultations/${consultation.id}`;
    const page = consultationResultsPage({
      consultation,
      results,
      entityName: await entityName(consultation.entityId),
      locale,
      links: {
        json: `${base}/results`,
        ...(consultation.status === 'published' ? { report: `${base}/report.html` } : {}),
      },
    });
    return htmlResult(page, locale);
  }),
  on(reportJsonRoute, async (request) => {
    const report = await getReport(deps, request.params.id, request.query);
    return {
      status: 200,
      body: {
        consultation: publicConsultation(report.consultation),
        results: report.results,
        dataDictionary: DATA_DICTIONARY,
        comments: report.rows,
        ...(report.cursor !== undefined ? { cursor: report.cursor } : {}),
      },
    };
  }),
  on(reportCsvRoute, async (request) => {
    const headers = { 'content-type': 'text/csv; charset=utf-8; header=present' };
    if (request.query.part === 'dictionary') {
      return { status: 200, text: dictionaryCsv(), headers };
    }
    const report = await getReport(deps, request.params.id, request.query);
    const path = `/v1/public/consultations/${report.consultation.id}/report.csv`;
    const link = next(path, request.query.limit, report.cursor);
    return {
      status: 200,
      text: (request.query.cursor === undefined ? csvHeader() : '') + csvRows(report.rows),
      headers: {
        ...headers,
        'content-disposition': `inline; filename="${report.consultation.id}-informe-global.csv"`,
        ...(link ? { link: `<${link}>; rel="next"` } : {}),
      },
    };
  }),
  on(reportHtmlRoute, async (request) => {
    const report = await getReport(deps, request.params.id, request.query);
    const path = `/v1/public/consultations/${report.consultation.id}/report.html`;
    const link = next(path, request.query.limit, report.cursor);
    const locale = localeOf(request.rawHeaders['accept-language']);
    const page = consultationReportPage({
      ...report,
      entityName: await entityName(report.consultation.entityId),
      locale,
      ...(link ? { next: link } : {}),
    });
    return htmlResult(page, locale, link ? { link: `<${link}>; rel="next"` } : {});
  }),
]);
