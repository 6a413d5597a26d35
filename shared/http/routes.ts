/**
 * Every HTTP route, declared once: request and response schemas. Handlers validate with these;
 * /openapi.json is generated from them; tests check real responses against that document.
 */
import * as z from 'zod';
import { CASE_STATUSES } from '#domain/case/case.ts';
import { FilingSchema } from '#domain/case/filing.ts';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { CATEGORY_IDS } from '#domain/categories.ts';
import { CHANNELS, KINDS, SEMAFORO, TERM_CLASSES } from '#domain/vocabulary.ts';
import { defineRoute } from './route.ts';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Instant = z.iso.datetime({ offset: true });
const Radicado = z
  .string()
  .regex(RADICADO_PATTERN, { message: 'must be a radicado such as MINTIC-2026-000001' });

export const FiledCaseSchema = z.object({
  radicado: Radicado,
  trackingCode: z.string().describe('Shown once: keep it to follow the case. Only its hash is stored.'),
  entityId: z.string(),
  kind: z.enum(KINDS),
  receivedAt: Instant,
  termClass: z.enum(TERM_CLASSES),
  ruleSet: z.string(),
  dueDate: Day,
  status: z.enum(CASE_STATUSES),
  receipt: z
    .string()
    .describe('Compact JWS (EdDSA/Ed25519) over radicado, entityId, receivedAt, dueDate, contentSha256'),
});

const TraceSchema = z
  .array(z.record(z.string(), z.unknown()))
  .describe('The due-date explanation, day by day');

export const PublicCaseSchema = z.object({
  radicado: Radicado,
  entityId: z.string(),
  kind: z.enum(KINDS),
  termClass: z.enum(TERM_CLASSES),
  ruleSet: z.string(),
  status: z.enum(CASE_STATUSES),
  office: z.string().nullable(),
  receivedAt: Instant,
  receivedOn: Day,
  dueDate: Day,
  maxExtendedDue: Day,
  copiesDue: Day.optional(),
  semaforo: z.enum(SEMAFORO),
  businessDaysUsed: z.number().int(),
  businessDaysLeft: z.number().int(),
  explanation: TraceSchema,
});

const InboxItemSchema = z.object({
  radicado: Radicado,
  kind: z.enum(KINDS),
  termClass: z.enum(TERM_CLASSES),
  subject: z.string(),
  category: z.string().nullable(),
  channel: z.enum(CHANNELS),
  priority: z.boolean(),
  anonymous: z.boolean(),
  status: z.enum(CASE_STATUSES),
  receivedAt: Instant,
  dueDate: Day,
  semaforo: z.enum(SEMAFORO),
  businessDaysLeft: z.number().int(),
  forwardSuggested: z.object({ category: z.string(), suggestedEntities: z.array(z.string()) }).nullable(),
  forwardBy: Day,
});

const PublicEntitySchema = z.object({
  id: z.string(),
  name: z.string(),
  kinds: z.array(z.enum(KINDS)),
  categories: z.array(z.enum(CATEGORY_IDS as [string, ...string[]])),
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
});

const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{16,128}$/, {
  message: 'must be 16 to 128 letters, digits or _ . : - (a UUID is a good key)',
});

export const fileCaseRoute = defineRoute({
  operationId: 'fileCase',
  method: 'POST',
  path: '/v1/cases',
  summary: 'File a PQRSD',
  description:
    'Files a petition, complaint, claim, suggestion, report, information request or query. Answers at once with the radicado, the legal due date and a signed receipt. Send an Idempotency-Key to retry safely.',
  tags: ['cases'],
  body: FilingSchema,
  headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
  responses: { 201: { description: 'Filed', schema: FiledCaseSchema } },
  problems: [400, 413, 415, 422, 500, 503],
});

export const getCaseRoute = defineRoute({
  operationId: 'getCase',
  method: 'GET',
  path: '/v1/cases/{radicado}',
  summary: 'Follow a case (public view, with the tracking code)',
  tags: ['cases'],
  params: z.object({ radicado: Radicado }),
  headers: z.object({ 'x-tracking-code': z.string().max(64).optional() }),
  responses: { 200: { description: 'The case, without personal data', schema: PublicCaseSchema } },
  problems: [400, 404, 500],
});

export const listInboxRoute = defineRoute({
  operationId: 'listInbox',
  method: 'GET',
  path: '/v1/inbox',
  summary: "An office's open cases, priority first, then by due date",
  description:
    "Needs an officer's access token (Authorization: Bearer). Officers read their own offices' inboxes; supervisors and admins any office of their entity. No or an invalid token → 401; a token whose account may not read this office → 403.",
  tags: ['inbox'],
  auth: 'officer',
  query: z.object({
    office: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'must be an office id' }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
  }),
  responses: {
    200: {
      description: 'A page of the inbox; pass `cursor` back for the next one',
      schema: z.object({ items: z.array(InboxItemSchema), cursor: z.string().optional() }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

export const listEntitiesRoute = defineRoute({
  operationId: 'listEntities',
  method: 'GET',
  path: '/v1/public/entities',
  summary: 'The entities that receive PQRSD, with the kinds and categories they accept',
  tags: ['public'],
  cacheSeconds: 300,
  responses: { 200: { description: 'Entities', schema: z.object({ items: z.array(PublicEntitySchema) }) } },
  problems: [500],
});

export const verifyReceiptRoute = defineRoute({
  operationId: 'verifyReceipt',
  method: 'GET',
  path: '/v1/receipts/verify',
  summary: 'Verify a filing receipt',
  tags: ['receipts'],
  query: z.object({ receipt: z.string().min(1).max(4096) }),
  responses: {
    200: {
      description: 'Whether the signature holds and the receipt matches the registry',
      schema: z.union([
        z.object({ valid: z.literal(false), reason: z.string() }),
        z.object({
          valid: z.literal(true),
          registered: z.boolean(),
          receipt: z.object({
            radicado: z.string(),
            entityId: z.string(),
            receivedAt: z.string(),
            dueDate: z.string(),
            contentSha256: z.string(),
            issuedAt: z.string().nullable(),
          }),
        }),
      ]),
    },
  },
  problems: [400, 500],
});

export const jwksRoute = defineRoute({
  operationId: 'jwks',
  method: 'GET',
  path: '/.well-known/jwks.json',
  summary: 'The public keys that verify receipts',
  tags: ['receipts'],
  cacheSeconds: 3600,
  responses: {
    200: {
      description: 'JWK Set',
      schema: z.object({
        keys: z.array(z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string() }).loose()),
      }),
    },
  },
  problems: [500],
});

export const openApiRoute = defineRoute({
  operationId: 'openapi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  tags: ['meta'],
  cacheSeconds: 3600,
  responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
  problems: [500],
});

export const ROUTES = [
  fileCaseRoute,
  getCaseRoute,
  listInboxRoute,
  listEntitiesRoute,
  verifyReceiptRoute,
  jwksRoute,
  openApiRoute,
] as const;
