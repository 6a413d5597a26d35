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

export const entityPqrsdReportRoute = defineRoute({
  operationId: 'getEntityPqrsdReport',
  method: 'GET',
  path: '/v1/public/entities/{id}/pqrsd-report',
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  summary: "An entity's PQRSD report for a period",
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  params: z.object({ id: z.string().regex(ENTITY_ID) }),
  query: PeriodQuery,
  responses,
  problems: [400, 404, 500],
});

export const nationalPqrsdReportRoute = defineRoute({
  operationId: 'getNationalPqrsdReport',
  method: 'GET',
  path: '/v1/public/pqrsd-report',
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  summary: 'The PQRSD report of every entity together, for a period',
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  query: PeriodQuery,
  responses,
  problems: [400, 500],
});

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

export const entityPqrsdReportCsvRoute = defineRoute({
  operationId: 'getEntityPqrsdReportCsv',
  method: 'GET',
  path: '/v1/public/entities/{id}/pqrsd-report.csv',
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  summary: "An entity's PQRSD report for a period, as open-data CSV",
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  params: z.object({ id: z.string().regex(ENTITY_ID) }),
  query: CsvQuery,
  responses: csvResponses,
  problems: [400, 404, 500],
});

export const nationalPqrsdReportCsvRoute = defineRoute({
  operationId: 'getNationalPqrsdReportCsv',
  method: 'GET',
  path: '/v1/public/pqrsd-report.csv',
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  summary: 'The national PQRSD report for a period, as open-data CSV',
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  query: CsvQuery,
  responses: csvResponses,
  problems: [400, 500],
});

export const TRANSPARENCY_ROUTES = [
  entityPqrsdReportRoute,
  nationalPqrsdReportRoute,
  entityPqrsdReportCsvRoute,
  nationalPqrsdReportCsvRoute,
] as const;
