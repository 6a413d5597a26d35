/**
 * The petitioner's side of a case (issue 13): act on it with its tracking code (X-Tracking-Code) or,
 * for a case in their list, their identity token — reply to a request, withdraw, insist, rate — and
 * the identified citizen's own list of cases.
 */
import * as z from 'zod';
import { AttachmentsSchema } from '#domain/documents.ts';
import { RatingInputSchema } from '#domain/satisfaction.ts';
import { plainText } from '#domain/text.ts';
import { CASE_STATUSES, KINDS } from '#domain/vocabulary.ts';
import { defineRoute } from '../route.ts';
import { Day, IdempotencyKey, Instant, Radicado } from './filing.ts';

const BY_CODE =
  'The petitioner acts on their case without an account: the X-Tracking-Code header is compared with its stored hash (or the identified citizen must have the case in their list), and an unknown radicado, a wrong code or a case not theirs answer the same 404. Body size and schema are checked; every act is an audit event of the case.';
const MINE =
  "An identified citizen's own list of cases: the citizen's OIDC ID token is verified (signature, CITIZEN_AUTH_ISSUER, audience, expiry), 401 without one; only a keyed hash of the citizen is stored.";

const Params = z.object({ radicado: Radicado });
const Headers = z.object({
  'x-tracking-code': z.string().max(64).optional(),
  'idempotency-key': IdempotencyKey.optional(),
});
const CREDENTIAL =
  'Send X-Tracking-Code, or Authorization: Bearer <citizen identity token> for a case in your list. An Idempotency-Key makes a retry safe: the same key and request answer the first result.';

export const replyRoute = defineRoute({
  operationId: 'replyToCase',
  method: 'POST',
  path: '/v1/cases/{radicado}/replies',
  fn: 'PetitionerActs',
  access: { public: BY_CODE, citizen: 'optional' },
  summary: 'Answer the completion or clarification the entity asked for',
  description: `${CREDENTIAL} Recorded as the petitioner's submission at that instant: the term runs again (Ley 1755 de 2015, arts. 17 and 19), the office is told and the case goes back to it. No pending request → 409; after the petitioner's period → 422 citing the article (the office may still decide).`,
  tags: ['petitioner'],
  params: Params,
  headers: Headers,
  body: z.strictObject({ text: plainText(20_000), attachments: AttachmentsSchema }),
  responses: {
    201: {
      description: 'Recorded',
      schema: z.object({
        radicado: Radicado,
        respondedTo: z.enum(['completion', 'clarification']),
        receivedAt: Instant,
        status: z.enum(CASE_STATUSES),
        dueDate: Day.nullable(),
      }),
    },
  },
  problems: [404, 409, 422],
});

export const withdrawalRoute = defineRoute({
  operationId: 'withdrawPetition',
  method: 'POST',
  path: '/v1/cases/{radicado}/withdrawal',
  fn: 'PetitionerActs',
  access: { public: BY_CODE, citizen: 'optional' },
  summary: 'Withdraw the petition (Ley 1755 de 2015, art. 18)',
  description: `${CREDENTIAL} At any time before the answer; send \`{}\` or a reason. The office is told and may continue it of its own motion for public interest. Answered or closed → 409.`,
  tags: ['petitioner'],
  params: Params,
  headers: Headers,
  body: z.strictObject({ reason: plainText(2000).optional() }),
  responses: {
    201: {
      description: 'Withdrawn',
      schema: z.object({ radicado: Radicado, status: z.literal('withdrawn'), withdrawnAt: Instant }),
    },
  },
  problems: [404, 409],
});

export const insistenceRoute = defineRoute({
  operationId: 'insistOnCase',
  method: 'POST',
  path: '/v1/cases/{radicado}/insistence',
  fn: 'PetitionerActs',
  access: { public: BY_CODE, citizen: 'optional' },
  summary: 'Insist on a request denied citing a legal reserve (Ley 1755 de 2015, art. 26)',
  description: `${CREDENTIAL} Within 10 business days of the notice of the denial (the view's insistenceBy; for a petitioner notified by publication, counted from the day the notice deems it done, CPACA art. 69): the office sends the file to the competent court, which decides. No denial citing a reserve → 409; too late → 422 citing the article.`,
  tags: ['petitioner'],
  params: Params,
  headers: Headers,
  responses: {
    201: {
      description: 'Insisted',
      schema: z.object({
        radicado: Radicado,
        status: z.literal('insistence'),
        insistedAt: Instant,
        insistenceBy: Day,
      }),
    },
  },
  problems: [404, 409, 422],
});

export const satisfactionRoute = defineRoute({
  operationId: 'rateCase',
  method: 'POST',
  path: '/v1/cases/{radicado}/satisfaction',
  fn: 'PetitionerActs',
  access: { public: BY_CODE, citizen: 'optional' },
  summary: 'Rate the answer, once (for statistics only)',
  description: `${CREDENTIAL} Once the case is answered, once per case (before the answer or a second time → 409). Stored for aggregate statistics only, without the radicado: never linked back to the petitioner in any output.`,
  tags: ['petitioner'],
  params: Params,
  headers: Headers,
  body: RatingInputSchema,
  responses: {
    201: { description: 'Rated', schema: z.object({ radicado: Radicado, rated: z.literal(true) }) },
  },
  problems: [404, 409, 422],
});

const MyCaseSchema = z.object({
  radicado: Radicado,
  entityId: z.string(),
  kind: z.enum(KINDS),
  status: z.enum(CASE_STATUSES),
  receivedAt: Instant,
  dueDate: Day.nullable(),
  linkedAt: Instant,
  /** Forwarded to the competent entity (Ley 1755 de 2015, art. 21): its case, yours as well. */
  forwardedTo: Radicado.optional(),
});

export const listMyCasesRoute = defineRoute({
  operationId: 'listMyCases',
  method: 'GET',
  path: '/v1/me/cases',
  fn: 'MyCases',
  access: { public: MINE, citizen: 'required' },
  summary: "An identified citizen's cases across every entity, newest first",
  description:
    'Those filed with the identity token and those linked with POST /v1/me/cases. Follow and act on each with the same token.',
  tags: ['petitioner'],
  query: z.object({
    limit: z.coerce.number().int().min(1).max(50).default(20),
    cursor: z.string().max(2048).optional(),
  }),
  responses: {
    200: {
      description: 'A page; pass `cursor` back for the next one',
      schema: z.object({ items: z.array(MyCaseSchema), cursor: z.string().optional() }),
    },
  },
  problems: [],
});

export const linkMyCaseRoute = defineRoute({
  operationId: 'linkMyCase',
  method: 'POST',
  path: '/v1/me/cases',
  fn: 'MyCases',
  access: { public: MINE, citizen: 'required' },
  summary: 'Add a case to your list with its radicado and tracking code',
  description:
    'A wrong code answers the same 404 as an unknown radicado; after 10 wrong codes for a radicado in 15 minutes, 429 with Retry-After. Linking a case twice changes nothing.',
  tags: ['petitioner'],
  body: z.strictObject({ radicado: Radicado, trackingCode: z.string().min(1).max(64) }),
  responses: { 200: { description: 'Linked', schema: MyCaseSchema } },
  problems: [404, 429],
});

export const PETITIONER_ROUTES = [
  replyRoute,
  withdrawalRoute,
  insistenceRoute,
  satisfactionRoute,
  listMyCasesRoute,
  linkMyCaseRoute,
] as const;
