/**
 * The routes of consultations (e-participation): communicators create, open, answer and publish
 * them (officer token, role communicator); citizens read them, comment, and read the results and
 * the global report. Declared once here (schemas), listed in routes.ts ROUTES.
 */
import * as z from 'zod';
import { DUTIES } from '#domain/actor.ts';
import { AGE_BANDS, DEPARTMENTS } from '#domain/demographics.ts';
import { refinement } from '#domain/issues.ts';
import {
  CommentInputSchema,
  DISPOSITIONS,
  GROUP_KEY,
  MAX_REASONS_TEXT,
  REFERENCE,
  STANCES,
} from '#domain/participation/comment.ts';
import {
  CONSULTATION_STATUSES,
  CONSULTATION_TYPES,
  ConsultationInputSchema,
} from '#domain/participation/consultation.ts';
import { CONSULTATION_ID } from '#domain/participation/ids.ts';
import { plainText } from '#domain/text.ts';
import { defineRoute } from '../route.ts';
import { DEVICE_KEY, IDEMPOTENCY_KEY } from './filing.ts';

const Instant = z.string().describe('ISO 8601 instant');
const Id = z.object({ id: z.string().regex(CONSULTATION_ID) });
const Cursor = z.string().max(2048).optional();

const SectionSchema = z.object({ id: z.string(), title: z.string(), body: z.string() });

export const PublicConsultationSchema = z.object({
  id: z.string(),
  entityId: z.string(),
  type: z.enum(CONSULTATION_TYPES),
  title: z.string(),
  summary: z.string(),
  documentUrl: z.string().nullable(),
  sections: z.array(SectionSchema),
  opensAt: Instant,
  closesAt: Instant,
  periodDays: z.number().int().describe('Calendar days of comments, publication day not counted'),
  shortPeriodReason: z
    .string()
    .nullable()
    .describe('Why the period is shorter than the 15 days the law asks'),
  status: z.enum(CONSULTATION_STATUSES),
  publishedAt: Instant.nullable().describe('When the global report was published'),
});

const OfficerConsultationSchema = PublicConsultationSchema.extend({
  createdAt: Instant,
  openedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
  answeredAt: Instant.nullable(),
  version: z.number().int(),
});

const Counts = <T extends readonly string[]>(names: T) =>
  z.object(Object.fromEntries(names.map((n) => [n, z.number().int()])) as Record<T[number], z.ZodNumber>);
const DispositionCounts = Counts([...DISPOSITIONS, 'pending'] as const);
const CellSchema = z.object({
  value: z.string(),
  count: z.number().int().nullable(),
  suppressed: z.boolean(),
});

export const ResultsSchema = z.object({
  consultationId: z.string(),
  status: z.enum(CONSULTATION_STATUSES),
  totals: z.object({
    comments: z.number().int(),
    stances: Counts(STANCES),
    dispositions: DispositionCounts,
    acceptedShare: z.number(),
    acceptedOrPartiallyShare: z.number(),
  }),
  sections: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      comments: z.number().int(),
      stances: Counts(STANCES),
      dispositions: DispositionCounts,
    }),
  ),
  breakdowns: z
    .object({
      k: z.number().int(),
      department: z
        .array(CellSchema.extend({ name: z.string().optional().describe("The department's name (DANE)") }))
        .describe(`DIVIPOLA department codes (${DEPARTMENTS.length}) with their names, and not_given`),
      ageBand: z.array(CellSchema).describe(`${AGE_BANDS.join(', ')} and not_given`),
    })
    .describe('Counts of commenters by attribute; cells under k people are suppressed (count null)'),
});

const ReportRowSchema = z.object({
  reference: z.string(),
  sectionId: z.string(),
  sectionTitle: z.string(),
  stance: z.enum(STANCES),
  text: z.string(),
  receivedOn: z.string(),
  group: z.string(),
  groupSize: z.number().int().describe('Comments in its campaign group (1: a group of its own)'),
  disposition: z.enum(DISPOSITIONS).nullable(),
  reasons: z.string().nullable(),
});

const ReportSchema = z.object({
  consultation: PublicConsultationSchema,
  results: ResultsSchema,
  dataDictionary: z.array(z.object({ column: z.string(), type: z.string(), description: z.string() })),
  comments: z.array(ReportRowSchema),
  cursor: z.string().optional(),
});

const ReportQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: Cursor,
});

const OfficerCommentSchema = z.object({
  reference: z.string(),
  sectionId: z.string(),
  stance: z.enum(STANCES),
  text: z.string(),
  acceptedAt: Instant,
  identified: z
    .boolean()
    .describe('Sent with a verified citizen identity (else anonymous, with a device key)'),
  group: z.string(),
  groupSize: z
    .number()
    .int()
    .nullable()
    .describe(
      'Comments in its campaign group; null until the groups are computed (when the comment period closes)',
    ),
  disposition: z
    .object({
      value: z.enum(DISPOSITIONS),
      reasons: z.string(),
      at: Instant,
      viaGroup: z.string().nullable(),
    })
    .nullable(),
});

export const createConsultationRoute = defineRoute({
  operationId: 'createConsultation',
  method: 'POST',
  path: '/v1/consultations',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: 'Create a consultation (draft regulation or questions), in draft',
  description:
    'A communicator of the entity. A draft regulation needs at least 15 calendar days of comments (publication day not counted) unless shortPeriodReason is given (shown publicly): otherwise 422 naming closesAt and the rule.',
  tags: ['participation'],
  body: ConsultationInputSchema,
  responses: { 201: { description: 'Created, in draft', schema: OfficerConsultationSchema } },
  problems: [400, 401, 403, 413, 415, 422, 500],
});

export const getConsultationRoute = defineRoute({
  operationId: 'getConsultation',
  method: 'GET',
  path: '/v1/consultations/{id}',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: "A consultation of the communicator's entity, drafts included",
  tags: ['participation'],
  params: Id,
  responses: { 200: { description: 'The consultation', schema: OfficerConsultationSchema } },
  problems: [400, 401, 403, 404, 500],
});

export const consultationActionRoute = defineRoute({
  operationId: 'consultationAction',
  method: 'POST',
  path: '/v1/consultations/{id}/actions',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: 'Open a draft, mark a closed consultation answered, or publish its global report',
  description:
    'open: draft → open (the comment period is checked again against the actual publication time). Closing is automatic at closesAt. answer: closed → answered, once the comments received are tallied (the Publish schedule, within a minute of the close or of a late comment) and every one has a disposition (else 409). publish: answered → published (the global report becomes public).',
  tags: ['participation'],
  params: Id,
  body: z.strictObject({
    action: z.enum(['open', 'answer', 'publish'], { message: 'must be open, answer or publish' }),
  }),
  responses: { 200: { description: 'The consultation after the action', schema: OfficerConsultationSchema } },
  problems: [400, 401, 403, 404, 409, 415, 422, 500],
});

export const listCommentsRoute = defineRoute({
  operationId: 'listConsultationComments',
  method: 'GET',
  path: '/v1/consultations/{id}/comments',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: "A consultation's comments with their group and disposition (all, or one campaign group's)",
  tags: ['participation'],
  params: Id,
  query: z.object({
    group: z.string().regex(GROUP_KEY).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
    cursor: Cursor,
  }),
  responses: {
    200: {
      description: 'A page of comments; pass `cursor` back for the next one',
      schema: z.object({ items: z.array(OfficerCommentSchema), cursor: z.string().optional() }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

export const listGroupsRoute = defineRoute({
  operationId: 'listCommentGroups',
  method: 'GET',
  path: '/v1/consultations/{id}/groups',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: 'Campaign groups: identical or near-identical comments (same section, stance and words)',
  tags: ['participation'],
  params: Id,
  query: z.object({
    minSize: z.coerce.number().int().min(1).default(2),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: Cursor,
  }),
  responses: {
    200: {
      description:
        'A page of groups with their size and first comment; a page may be short (groups of one are skipped): follow `cursor` until it is absent. Groups are computed when the comment period closes (within the schedule interval), and again when a comment accepted in time arrives late (state pending meanwhile).',
      schema: z.object({
        grouping: z.object({
          state: z.enum(['after_close', 'pending', 'done']),
          computedAt: Instant.nullable(),
          comments: z.number().int().nullable(),
          groups: z.number().int().nullable(),
        }),
        items: z.array(
          z.object({
            group: z.string(),
            sectionId: z.string(),
            stance: z.enum(STANCES),
            size: z.number().int(),
            exemplar: z.object({ reference: z.string(), text: z.string() }),
          }),
        ),
        cursor: z.string().optional(),
      }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

const DispositionItemSchema = z
  .strictObject({
    reference: z.string().regex(REFERENCE).optional(),
    group: z.string().regex(GROUP_KEY).optional(),
    disposition: z.enum(DISPOSITIONS, { message: 'must be accepted, partially_accepted or not_accepted' }),
    reasons: plainText(MAX_REASONS_TEXT),
  })
  .superRefine((i, ctx) => {
    // Neither is a missing field; both, a contradiction.
    if ((i.reference === undefined) === (i.group === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['reference'],
        ...(i.reference === undefined
          ? refinement(
              'required',
              'indique reference o group, uno de los dos',
              'give either reference or group',
            )
          : refinement(
              'conflict',
              'indique reference o group, no ambos: quite uno de los dos',
              'give either reference or group, not both',
            )),
      });
  });

export const disposeCommentsRoute = defineRoute({
  operationId: 'disposeComments',
  method: 'POST',
  path: '/v1/consultations/{id}/dispositions',
  fn: 'Consultations',
  access: { officer: DUTIES.participation },
  summary: 'Answer comments: a disposition with reasons per comment, or per campaign group',
  description:
    'While the consultation is closed or answered. A group is answered up to 2,000 comments per request: when `remaining` is true, send the same request again.',
  tags: ['participation'],
  params: Id,
  body: z.strictObject({ items: z.array(DispositionItemSchema).min(1).max(100) }),
  responses: {
    200: {
      description: 'How many comments were changed, per item',
      schema: z.object({
        updated: z.number().int(),
        items: z.array(
          z.object({
            reference: z.string().optional(),
            group: z.string().optional(),
            comments: z.number().int(),
            remaining: z.boolean(),
          }),
        ),
      }),
    },
  },
  problems: [400, 401, 403, 404, 409, 413, 415, 422, 500],
});

export const submitCommentRoute = defineRoute({
  operationId: 'submitComment',
  method: 'POST',
  path: '/v1/public/consultations/{id}/comments',
  fn: 'SubmitComment',
  access: {
    public:
      "Any person may comment on an open consultation (Decreto 1081/2015 art. 2.1.2.1.14), identified or anonymously: a citizen's OIDC ID token is verified when sent, else an X-Device-Key is required, of which only a hash is kept. The comment is only enqueued (202), so a burst cannot throttle the table.",
    citizen: 'optional',
  },
  summary: 'Comment on a section of an open consultation',
  description:
    'Identified (Authorization: Bearer <citizen identity token>) or anonymous with X-Device-Key (only its hash is kept). 202 with the public reference at once; the comment is written shortly after. The text is kept as plain text (markup is shown as typed, never rendered), may be empty (a bare stance) and up to 50,000 characters, and is published in the global report without who sent it; e-mails and long numbers are redacted there. Idempotency-Key makes a retry give the same reference and one comment; the same key with another comment (section, stance, text, attributes) once the first is written → 422. Draft or closed consultation → 409; unknown section → 404.',
  tags: ['participation'],
  params: Id,
  body: CommentInputSchema,
  headers: z.object({
    'x-device-key': z.string().regex(DEVICE_KEY).optional(),
    'idempotency-key': z.string().regex(IDEMPOTENCY_KEY).optional(),
  }),
  responses: {
    202: {
      description: 'Accepted: keep the reference',
      schema: z.object({
        reference: z.string(),
        consultationId: z.string(),
        sectionId: z.string(),
        acceptedAt: Instant,
        status: z.literal('accepted'),
      }),
    },
  },
  problems: [400, 401, 404, 409, 413, 415, 422, 429, 500],
});

export const listPublicConsultationsRoute = defineRoute({
  operationId: 'listPublicConsultations',
  method: 'GET',
  path: '/v1/public/consultations',
  fn: 'PublicConsultations',
  access: {
    public: 'Public list of consultations that are not drafts (title, dates, status); no personal data.',
  },
  summary: 'Consultations open, closed or published (newest first)',
  tags: ['public', 'participation'],
  cacheSeconds: 60,
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: Cursor }),
  responses: {
    200: {
      description: 'A page of consultations (sections: their number)',
      schema: z.object({
        items: z.array(PublicConsultationSchema.extend({ sections: z.number().int() })),
        cursor: z.string().optional(),
      }),
    },
  },
  problems: [400, 500],
});

export const getPublicConsultationRoute = defineRoute({
  operationId: 'getPublicConsultation',
  method: 'GET',
  path: '/v1/public/consultations/{id}',
  fn: 'PublicConsultations',
  access: {
    public: 'Public view of a consultation and its sections (the text under consultation); no personal data.',
  },
  summary: 'A consultation with its sections',
  tags: ['public', 'participation'],
  cacheSeconds: 60,
  params: Id,
  responses: { 200: { description: 'The consultation', schema: PublicConsultationSchema } },
  problems: [400, 404, 500],
});

export const consultationResultsRoute = defineRoute({
  operationId: 'getConsultationResults',
  method: 'GET',
  path: '/v1/public/consultations/{id}/results',
  fn: 'PublicConsultations',
  access: {
    public:
      'Public results from counters: comments per section and stance, dispositions; breakdowns by commenter attribute suppress cells under k people; no personal data.',
  },
  summary: 'Comments per section and stance, dispositions, share accepted, breakdowns (k-suppressed)',
  description: 'Read from sharded counters: the cost is the same for ten comments or a million.',
  tags: ['public', 'participation'],
  cacheSeconds: 30,
  params: Id,
  responses: { 200: { description: 'Results', schema: ResultsSchema } },
  problems: [400, 404, 500],
});

export const consultationResultsHtmlRoute = defineRoute({
  ...consultationResultsRoute,
  operationId: 'getConsultationResultsHtml',
  path: '/v1/public/consultations/{id}/results.html',
  summary: 'The results as a page to read (Spanish; English with Accept-Language: en), with charts',
  description:
    'Comments per section and stance and the share accepted, as charts with their data tables; breakdowns by commenter attribute (cells under k people withheld); links to the JSON and, once published, the global report. No script; a strict Content-Security-Policy.',
  responses: { 200: { description: 'The page', contentType: 'text/html' } },
});

const reportRoute = <Q extends z.ZodType>(format: 'json' | 'csv' | 'html', query: Q, contentType?: string) =>
  defineRoute({
    operationId: `getConsultationReport${format.toUpperCase()}`,
    method: 'GET',
    path: `/v1/public/consultations/{id}/report.${format}`,
    fn: 'PublicConsultations',
    access: {
      public:
        'The published global report (informe global) the law requires: comments and answers without who sent them (e-mails and long numbers redacted), as JSON, open-data CSV or an escaped HTML page; 404 until the entity publishes it.',
    },
    summary: `The global report (informe global) as ${format.toUpperCase()}, once published`,
    description:
      'Every comment (without who sent it) with its disposition and reasons, the totals per section and stance and the share accepted. A page of comments at a time: follow `cursor` (JSON) or the Link rel="next" header (CSV, HTML). CSV: UTF-8, RFC 4180, the header row on the first page only (pages concatenate into one file); `?part=dictionary` gives its data dictionary. Not published yet → 404.',
    tags: ['public', 'participation'],
    cacheSeconds: 300,
    params: Id,
    query,
    responses: {
      200:
        contentType === undefined
          ? { description: 'The report', schema: ReportSchema }
          : { description: 'The report', contentType },
    },
    problems: [400, 404, 500],
  });

export const reportJsonRoute = reportRoute('json', ReportQuery);
export const reportCsvRoute = reportRoute(
  'csv',
  ReportQuery.extend({ part: z.enum(['comments', 'dictionary']).default('comments') }),
  'text/csv',
);
export const reportHtmlRoute = reportRoute('html', ReportQuery, 'text/html');

export const PARTICIPATION_ROUTES = [
  createConsultationRoute,
  getConsultationRoute,
  consultationActionRoute,
  listCommentsRoute,
  listGroupsRoute,
  disposeCommentsRoute,
  submitCommentRoute,
  listPublicConsultationsRoute,
  getPublicConsultationRoute,
  consultationResultsRoute,
  consultationResultsHtmlRoute,
  reportJsonRoute,
  reportCsvRoute,
  reportHtmlRoute,
] as const;
