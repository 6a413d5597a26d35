import {
  entityOf,
  orThisYear,
  type PeriodQuery,
  periodOf,
  pqrsdRegister,
  pqrsdReport,
} from '#app/pqrsdReport.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import {
  registerCsvHeader,
  registerCsvRows,
  registerDictionaryCsv,
  registerMetadata,
} from '#domain/transparency/register.ts';
import { reportCsv, reportCsvDictionary } from '#domain/transparency/report.ts';
import { on, serve } from '#http/handler.ts';
import { htmlResult } from '#http/pages/layout.ts';
import { pqrsdReportPage } from '#http/pages/pqrsdReportPage.ts';
import { localeOf } from '#http/problem.ts';
import {
  entityPqrsdRegisterCsvRoute,
  entityPqrsdRegisterMetadataRoute,
  entityPqrsdRegisterRoute,
  entityPqrsdReportCsvRoute,
  entityPqrsdReportHtmlRoute,
  entityPqrsdReportRoute,
  nationalPqrsdReportCsvRoute,
  nationalPqrsdReportHtmlRoute,
  nationalPqrsdReportRoute,
} from '#http/routes/transparency.ts';
import { optional } from '#shared/config.ts';
import { clock, entities, reportCounters } from '../deps.ts';

const deps = {
  counters: reportCounters(),
  entities: entities(),
  clock,
  disclosureK: optional('DISCLOSURE_K'),
};

/** A CSV answer named for a download (`<name>.csv`, a period's `/` made `_`), with more headers. */
function csv(text: string, name: string, headers: Record<string, string> = {}) {
  return {
    status: 200,
    text,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `inline; filename="${name.replace('/', '_')}.csv"`,
      ...headers,
    },
  };
}

/** The query string of a period as the request gave it (for links to the same data). */
function periodQuery(q: PeriodQuery) {
  const params = new URLSearchParams();
  for (const k of ['period', 'from', 'to'] as const) if (q[k] !== undefined) params.set(k, q[k]);
  return params;
}

/**
 * The API's own origin as the client reached it (links in the open-data metadata are absolute):
 * https, but for a local system on loopback; a Host that is not a host name is not echoed.
 */
function origin(headers: Record<string, string | undefined>): string {
  const host = headers.host ?? '';
  if (!/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(host)) return '';
  return `${/^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host) ? 'http' : 'https'}://${host}`;
}

/**
 * A report as a page: the period asked for (the current year when none), the entities' names
 * for the forwarded, and links to the same data as JSON, CSV and its dictionary.
 */
async function reportPage(entityId: string | null, query: PeriodQuery, acceptLanguage: string | undefined) {
  const named = orThisYear(query, deps.clock);
  const [report, all] = await Promise.all([
    pqrsdReport(deps, entityId === null ? 'national' : { entityId }, named),
    deps.entities.list(),
  ]);
  const names = Object.fromEntries(all.map((e) => [e.id, e.name]));
  const base = entityId === null ? '/v1/public/pqrsd-report' : `/v1/public/entities/${entityId}/pqrsd-report`;
  const q = periodQuery(named);
  const locale = localeOf(acceptLanguage);
  const page = pqrsdReportPage({
    report,
    entity: entityId === null ? null : { id: entityId, name: names[entityId] ?? entityId },
    entityNames: names,
    links: {
      json: `${base}?${q}`,
      csv: `${base}.csv?${q}`,
      dictionary: `${base}.csv?part=dictionary`,
      ...(entityId === null ? {} : { register: `/v1/public/entities/${entityId}/pqrsd-register.csv?${q}` }),
    },
    locale,
  });
  return htmlResult(page, locale);
}

export const handler = serve([
  on(entityPqrsdReportHtmlRoute, ({ params, query, rawHeaders }) =>
    reportPage(params.id, query, rawHeaders['accept-language']),
  ),
  on(nationalPqrsdReportHtmlRoute, ({ query, rawHeaders }) =>
    reportPage(null, query, rawHeaders['accept-language']),
  ),
  on(entityPqrsdReportRoute, async ({ params, query }) => ({
    status: 200,
    body: await pqrsdReport(deps, { entityId: params.id }, query),
  })),
  on(nationalPqrsdReportRoute, async ({ query }) => ({
    status: 200,
    body: await pqrsdReport(deps, 'national', query),
  })),
  on(entityPqrsdReportCsvRoute, async ({ params, query }) => {
    if (query.part === 'dictionary') return csv(reportCsvDictionary(), 'pqrsd-diccionario');
    const report = await pqrsdReport(deps, { entityId: params.id }, query);
    return csv(reportCsv(report), `${params.id}-pqrsd-${report.period.label}`);
  }),
  on(nationalPqrsdReportCsvRoute, async ({ query }) => {
    if (query.part === 'dictionary') return csv(reportCsvDictionary(), 'pqrsd-diccionario');
    const report = await pqrsdReport(deps, 'national', query);
    return csv(reportCsv(report), `nacional-pqrsd-${report.period.label}`);
  }),
  on(entityPqrsdRegisterRoute, async ({ params, query }) => {
    const { period, page } = await pqrsdRegister(deps, params.id, query);
    return {
      status: 200,
      body: {
        entityId: params.id,
        period: { label: period.label, from: period.from, to: period.to },
        items: page.items.map((e) => e.row),
        ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      },
    };
  }),
  on(entityPqrsdRegisterCsvRoute, async ({ params, query }) => {
    if (query.part === 'dictionary') {
      await entityOf(deps, params.id);
      return csv(registerDictionaryCsv(), 'pqrsd-registro-diccionario');
    }
    const { period, page } = await pqrsdRegister(deps, params.id, query);
    const next = periodQuery(query);
    next.set('limit', String(query.limit));
    if (page.cursor !== undefined) next.set('cursor', page.cursor);
    const link = `/v1/public/entities/${params.id}/pqrsd-register.csv?${next}`;
    return csv(
      (query.cursor === undefined ? registerCsvHeader() : '') + registerCsvRows(page.items.map((e) => e.row)),
      `${params.id}-pqrsd-registro-${period.label}`,
      page.cursor !== undefined ? { link: `<${link}>; rel="next"` } : {},
    );
  }),
  on(entityPqrsdRegisterMetadataRoute, async ({ params, query, rawHeaders }) => {
    // No period: this year's register.
    const named = orThisYear(query, deps.clock);
    const period = periodOf(named);
    const entity = await entityOf(deps, params.id);
    const base = `${origin(rawHeaders)}/v1/public/entities/${params.id}`;
    const q = periodQuery(named);
    return {
      status: 200,
      text: JSON.stringify(
        registerMetadata({
          entity: { id: entity.id, name: entity.name },
          period,
          urls: {
            self: `${base}/pqrsd-register/metadata?${q}`,
            csv: `${base}/pqrsd-register.csv?${q}`,
            json: `${base}/pqrsd-register.json?${q}`,
            dictionary: `${base}/pqrsd-register.csv?part=dictionary`,
          },
          modified: bogotaDay(deps.clock.now()),
        }),
      ),
      headers: { 'content-type': 'application/ld+json; charset=utf-8' },
    };
  }),
]);
