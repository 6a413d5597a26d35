/**
 * Transparency (issue 15): the PQRSD reports every entity must publish (Decreto 1081 de 2015 art.
 * 2.1.1.6.2; Ley 1712 art. 11 lit. h) and the national roll-up, from counters, cacheable.
 */
import * as z from 'zod';
import { ENTITY_ID } from '#domain/entity.ts';
import { PqrsdReportSchema } from '#domain/transparency/report.ts';
import { defineRoute } from '../route.ts';

const CACHE_SECONDS = 300;

const PeriodQuery = z.object({
  period: z
    .string()
    .max(16)
    .optional()
    .describe('A year (2026), semester (2026-S2), quarter (2026-Q3) or month (2026-11), Bogotá calendar'),
  from: z
    .string()
    .max(10)
    .optional()
    .describe('First day of a range of whole months (YYYY-MM-01), with `to`'),
  to: z.string().max(10).optional().describe('Last day of the range (the last day of a month)'),
});

const PUBLIC_BY_LAW =
  'Ley 1712 art. 11 lit. h and Decreto 1081 de 2015 art. 2.1.1.6.2: the PQRSD report is public; it holds counts only, breakdowns by petitioner attribute suppress cells under k people.';

const responses = {
  200: {
    description:
      'The report of the period: counts by kind, channel and term class; on time, late and pending; business days to answer; extended, forwarded, withdrawn, deemed accepted, denied by legal ground; breakdowns',
    schema: PqrsdReportSchema,
    headers: {
      ETag: 'Hash of the body: send it back in If-None-Match for a 304',
      'Cache-Control': `public, max-age=${CACHE_SECONDS}`,
    },
  },
  304: { description: 'Not modified (If-None-Match named the current ETag)' },
} as const;

const description =
  'Every figure of a case counts in the Bogotá month it was received, so a period adds up: received = answered + forwarded + no competent authority + withdrawn + pending. Pending cases past their due date are late as of today. Read from counters kept from the table stream: the cost does not grow with the cases. A period is a year, semester, quarter or month, or `from`/`to` over whole months (up to 120).';

const CsvQuery = PeriodQuery.extend({
  part: z
    .enum(['report', 'dictionary'])
    .default('report')
    .describe('`dictionary`: the data dictionary of the columns instead of the report'),
});

const csvResponses = {
  200: {
    description:
      'The same report as rows (dimension, key, value): UTF-8, RFC 4180, cells that a spreadsheet would run as a formula defused; or its data dictionary',
    contentType: 'text/csv',
    headers: {
      ETag: 'Hash of the body: send it back in If-None-Match for a 304',
      'Cache-Control': `public, max-age=${CACHE_SECONDS}`,
    },
  },
  304: { description: 'Not modified (If-None-Match named the current ETag)' },
} as const;

/** What the JSON and CSV forms of a report route differ in. */
interface Format<Q extends z.ZodType, R> {
  suffix: string;
  operation: string;
  summary: string;
  query: Q;
  responses: R;
}
const JSON_FORMAT = { suffix: '', operation: '', summary: '', query: PeriodQuery, responses };
const CSV_FORMAT = {
  suffix: '.csv',
  operation: 'Csv',
  summary: ', as open-data CSV',
  query: CsvQuery,
  responses: csvResponses,
};

const common = () => ({
  method: 'GET' as const,
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
});

/** An entity's report, in one format. */
const entityReport = <Q extends z.ZodType, R extends typeof responses | typeof csvResponses>(
  f: Format<Q, R>,
) =>
  defineRoute({
    ...common(),
    operationId: `getEntityPqrsdReport${f.operation}`,
    path: `/v1/public/entities/{id}/pqrsd-report${f.suffix}`,
    summary: `An entity's PQRSD report for a period${f.summary}`,
    params: z.object({ id: z.string().regex(ENTITY_ID) }),
    query: f.query,
    responses: f.responses,
    problems: [400, 404, 500],
  });

/** The country's report (every entity together), in one format. */
const nationalReport = <Q extends z.ZodType, R extends typeof responses | typeof csvResponses>(
  f: Format<Q, R>,
) =>
  defineRoute({
    ...common(),
    operationId: `getNationalPqrsdReport${f.operation}`,
    path: `/v1/public/pqrsd-report${f.suffix}`,
    summary: `The national PQRSD report (every entity together) for a period${f.summary}`,
    query: f.query,
    responses: f.responses,
    problems: [400, 500],
  });

export const entityPqrsdReportRoute = entityReport(JSON_FORMAT);
export const nationalPqrsdReportRoute = nationalReport(JSON_FORMAT);
export const entityPqrsdReportCsvRoute = entityReport(CSV_FORMAT);
export const nationalPqrsdReportCsvRoute = nationalReport(CSV_FORMAT);

export const TRANSPARENCY_ROUTES = [
  entityPqrsdReportRoute,
  nationalPqrsdReportRoute,
  entityPqrsdReportCsvRoute,
  nationalPqrsdReportCsvRoute,
] as const;
