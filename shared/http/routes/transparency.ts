/**
 * Transparency (issue 15): the PQRSD reports every entity must publish (Decreto 1081 de 2015 art.
 * 2.1.1.6.2; Ley 1712 art. 11 lit. h) and the national roll-up, from counters, cacheable.
 */
import * as z from 'zod';
import { DUTIES } from '#domain/actor.ts';
import { ENTITY_ID } from '#domain/entity.ts';
import { InternalReportSchema } from '#domain/transparency/internal.ts';
import { REGISTER_OUTCOMES } from '#domain/transparency/register.ts';
import { PqrsdReportSchema } from '#domain/transparency/report.ts';
import { CHANNELS, KINDS, TERM_CLASSES } from '#domain/vocabulary.ts';
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

const htmlResponses = {
  200: {
    description:
      'The same report as a page to read (Spanish; English with Accept-Language: en): the figures, charts of on time and late per month, days to answer, cases by kind and channel, each with its data table, and links to the JSON and CSV. No script; a strict Content-Security-Policy.',
    contentType: 'text/html',
    headers: {
      ETag: 'Hash of the body: send it back in If-None-Match for a 304',
      'Cache-Control': `public, max-age=${CACHE_SECONDS}`,
    },
  },
  304: { description: 'Not modified (If-None-Match named the current ETag)' },
} as const;

/** What the JSON, CSV and HTML forms of a report route differ in. */
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

const HTML_FORMAT = {
  suffix: '.html',
  operation: 'Html',
  summary: ', as a page to read',
  query: PeriodQuery.describe('No period: the current year'),
  responses: htmlResponses,
};

type Responses = typeof responses | typeof csvResponses | typeof htmlResponses;

const common = () => ({
  method: 'GET' as const,
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  description,
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
});

/** An entity's report, in one format. */
const entityReport = <Q extends z.ZodType, R extends Responses>(f: Format<Q, R>) =>
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
const nationalReport = <Q extends z.ZodType, R extends Responses>(f: Format<Q, R>) =>
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

export const entityPqrsdReportHtmlRoute = entityReport(HTML_FORMAT);
export const nationalPqrsdReportHtmlRoute = nationalReport(HTML_FORMAT);

// ── The open-data register (Ley 1712 art. 11 lit. h) ─────────────────────────────────────────

const RegisterQuery = PeriodQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('From the previous page (`cursor`, or the Link rel="next")'),
});

const Day = z.iso.date();
export const RegisterRowSchema = z.object({
  radicado: z.string(),
  entity: z.string(),
  kind: z.enum(KINDS),
  channel: z.enum(CHANNELS),
  termClass: z.enum(TERM_CLASSES),
  received: Day,
  due: Day.nullable(),
  answered: Day.nullable(),
  notified: Day.nullable(),
  businessDaysUsed: z.number().int().nullable(),
  extended: z.boolean(),
  forwardedTo: z.string().nullable(),
  outcome: z.enum(REGISTER_OUTCOMES),
  denialGround: z.string().nullable(),
});

const registerDescription =
  'One row per request received in the period (by month of receipt, then radicado), without personal data or free text: radicado, kind, channel, term class, received, due, answered, notified, business days used, extended, forwarded to, outcome and the legal ground of a denial. The data dictionary (`.csv?part=dictionary`) and the DCAT metadata (`/pqrsd-register/metadata`) describe it. Kept from the table stream as cases change; a page of `limit` rows at a time.';

const registerCommon = () => ({
  method: 'GET' as const,
  fn: 'PqrsdReports',
  access: { public: PUBLIC_BY_LAW },
  tags: ['public'],
  cacheSeconds: CACHE_SECONDS,
  params: z.object({ id: z.string().regex(ENTITY_ID) }),
  problems: [400, 404, 500] as (400 | 404 | 500)[],
});

export const entityPqrsdRegisterRoute = defineRoute({
  ...registerCommon(),
  operationId: 'getEntityPqrsdRegister',
  path: '/v1/public/entities/{id}/pqrsd-register.json',
  summary: "An entity's open-data register of PQRSD for a period",
  description: registerDescription,
  query: RegisterQuery,
  responses: {
    200: {
      description: 'A page of the register',
      schema: z.object({
        entityId: z.string(),
        period: z.object({ label: z.string(), from: Day, to: Day }),
        items: z.array(RegisterRowSchema),
        cursor: z.string().optional(),
      }),
    },
  },
});

export const entityPqrsdRegisterCsvRoute = defineRoute({
  ...registerCommon(),
  operationId: 'getEntityPqrsdRegisterCsv',
  path: '/v1/public/entities/{id}/pqrsd-register.csv',
  summary: "An entity's open-data register of PQRSD for a period, as CSV",
  description: `${registerDescription} CSV: UTF-8, RFC 4180, formula cells defused, the header row on the first page only (pages concatenate into one file); the next page in the Link rel="next" header.`,
  query: RegisterQuery.extend({
    part: z
      .enum(['register', 'dictionary'])
      .default('register')
      .describe('`dictionary`: the data dictionary of the columns'),
  }),
  responses: { 200: { description: 'A page of the register, or its dictionary', contentType: 'text/csv' } },
});

export const entityPqrsdRegisterMetadataRoute = defineRoute({
  ...registerCommon(),
  operationId: 'getEntityPqrsdRegisterMetadata',
  path: '/v1/public/entities/{id}/pqrsd-register/metadata',
  summary: "The register's metadata for the national open-data portal (DCAT, JSON-LD)",
  description:
    'Title, description, publisher, license (CC BY-SA 4.0), update frequency (daily), temporal coverage (the period; no period: the current year), the CSV and JSON distributions and the column list.',
  query: PeriodQuery,
  responses: { 200: { description: 'A dcat:Dataset', contentType: 'application/ld+json' } },
});

// ── Ley 1474 art. 76: the report to the entity's management ──────────────────────────────────

export const internalPqrsdReportRoute = defineRoute({
  operationId: 'getInternalPqrsdReport',
  method: 'GET',
  path: '/v1/entities/{entityId}/pqrsd-internal-report',
  fn: 'PqrsdInternalReport',
  access: { officer: DUTIES.oversight },
  summary:
    "The entity's PQRSD report to its management (Ley 1474 art. 76): by office and officer, overdue listed",
  description:
    "For the entity's supervisors, admins and office of internal control: the period's cases (by month received) by office and by officer (received, answered on time and late, closed otherwise, pending, overdue), and every pending case past its due date by radicado. Another entity's id → 404; other roles → 403. Read from the register (no free text, no petitioner).",
  tags: ['admin'],
  params: z.object({ entityId: z.string().regex(ENTITY_ID) }),
  query: PeriodQuery,
  responses: { 200: { description: 'The report', schema: InternalReportSchema } },
  problems: [400, 401, 403, 404, 500],
});

export const TRANSPARENCY_ROUTES = [
  entityPqrsdReportRoute,
  nationalPqrsdReportRoute,
  entityPqrsdReportCsvRoute,
  nationalPqrsdReportCsvRoute,
  entityPqrsdReportHtmlRoute,
  nationalPqrsdReportHtmlRoute,
  entityPqrsdRegisterRoute,
  entityPqrsdRegisterCsvRoute,
  entityPqrsdRegisterMetadataRoute,
  internalPqrsdReportRoute,
] as const;
