/**
 * The filing route (`POST /v1/cases`) and the schemas the case routes share, in a module of their
 * own so that FileCase builds only these (zod builds every schema of a module it loads).
 * Why: docs/adr/0006-bundling-shims.md
 */
import * as z from 'zod';
import { FilingSchema } from '#domain/case/filing.ts';
import { RADICADO_PATTERN } from '#domain/case/radicado.ts';
import { pattern } from '#domain/issues.ts';
import { CASE_STATUSES, KINDS, TERM_CLASSES } from '#domain/vocabulary.ts';
import { defineRoute } from '../route.ts';

export const Day = z
  .string()
  .regex(
    pattern(
      /^\d{4}-\d{2}-\d{2}$/,
      'una fecha AAAA-MM-DD, como 2026-12-03',
      'a date YYYY-MM-DD, such as 2026-12-03',
    ),
  );
export const Instant = z.iso.datetime({ offset: true });
export const Radicado = z.string().regex(RADICADO_PATTERN);

/** A client's key for an anonymous device (X-Device-Key): only its hash is kept. */
export const DEVICE_KEY = pattern(
  /^[A-Za-z0-9_-]{16,128}$/,
  'una clave de 16 a 128 letras, dígitos, _ o -',
  'a key of 16 to 128 letters, digits, _ or -',
);
/** An Idempotency-Key: a UUID will do. */
export const IDEMPOTENCY_KEY = pattern(
  /^[A-Za-z0-9_.:-]{16,128}$/,
  'una clave de 16 a 128 letras, dígitos o _ . : - (un UUID sirve)',
  'a key of 16 to 128 letters, digits or _ . : - (a UUID is a good key)',
);

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

export const IdempotencyKey = z.string().regex(IDEMPOTENCY_KEY);

export const fileCaseRoute = defineRoute({
  operationId: 'fileCase',
  method: 'POST',
  path: '/v1/cases',
  fn: 'FileCase',
  access: {
    public:
      'Filing a PQRSD is open to any person by law (Constitución art. 23, Ley 1755 de 2015), anonymously for reports and complaints: there is no account to authenticate. Abuse is bounded by stage throttling, the Idempotency-Key and body-size/schema validation.',
    citizen: 'optional',
  },
  summary: 'File a PQRSD',
  description:
    "Files a petition, complaint, claim, suggestion, report, information request or query. Answers at once with the radicado, the legal due date and a signed receipt. Send an Idempotency-Key to retry safely. With a citizen identity token the case also joins the citizen's list (GET /v1/me/cases), unless the filing is anonymous: nothing stored ties an anonymous filing to its author.",
  tags: ['cases'],
  body: FilingSchema,
  headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
  responses: { 201: { description: 'Filed', schema: FiledCaseSchema } },
  problems: [400, 413, 415, 422, 500, 503],
});
