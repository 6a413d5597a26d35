/** The case routes: following a case, officers acting on it, their inbox, verbal petitions. */
import * as z from 'zod';
import { DUTIES } from '#domain/actor.ts';
import { FilingSchema } from '#domain/case/filing.ts';
import { ACTION_TYPES, LegalGroundSchema, LifecycleActionSchema, OUTCOMES } from '#domain/case/lifecycle.ts';
import { OFFICE_ID } from '#domain/entity.ts';
import { CASE_STATUSES, CHANNELS, KINDS, SEMAFORO, TERM_CLASSES } from '#domain/vocabulary.ts';
import { defineRoute } from '../route.ts';
import { Day, FiledCaseSchema, IdempotencyKey, Instant, Radicado } from './filing.ts';

const TraceSchema = z
  .array(z.record(z.string(), z.unknown()))
  .describe('The due-date explanation, day by day');

const DocumentRefSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});

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
  dueDate: Day.nullable().describe('Null while the term is suspended (awaiting the petitioner)'),
  maxExtendedDue: Day.nullable(),
  copiesDue: Day.optional(),
  semaforo: z.enum(SEMAFORO),
  businessDaysUsed: z.number().int(),
  businessDaysLeft: z.number().int(),
  explanation: TraceSchema,
});

const Subject = z.string().describe("The officer's account id (token subject)");

/** What the petitioner was told, how, and the day each notice counts as given. */
const Notices = z
  .array(
    z.object({
      kind: z.string().describe('The event told of (filed, answered …)'),
      seq: z.number().int(),
      channel: z.enum(['email', 'sms', 'publication']),
      sentAt: Instant,
      deliveredAt: Instant.optional().describe(
        "When the provider reported it delivered (the mail server or the phone's carrier took it)",
      ),
      failures: z
        .array(z.object({ channel: z.enum(['email', 'sms']), at: Instant }))
        .optional()
        .describe('The channels it failed on first (bounced or refused), in order'),
      notifiedOn: Day.describe(
        'The day it counts as given: delivered (sent, while no delivery is reported), or the day after a publication (CPACA art. 69)',
      ),
    }),
  )
  .describe('Notices to the petitioner, in event order');

/** Art. 21: the kind or category is outside the entity's competence (set at routing). */
const ForwardSuggested = z
  .object({
    kind: z.enum(KINDS).optional(),
    category: z.string().optional(),
    suggestedEntities: z.array(z.string()),
  })
  .nullable()
  .describe("Outside the entity's competence: forward by forwardBy (Ley 1755 art. 21)");
/** Art. 17: the petition lacks identification or contact (set at filing). */
const CompletionSuggested = z
  .object({ missing: z.array(z.string()) })
  .nullable()
  .describe('Petitioner data missing: ask for completion by completionRequestBy (Ley 1755 arts. 16, 17)');

export const OfficerCaseSchema = PublicCaseSchema.extend({
  subject: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  channel: z.enum(CHANNELS),
  anonymous: z.boolean(),
  petitioner: z.record(z.string(), z.unknown()).nullable(),
  priority: z.boolean(),
  officer: Subject.nullable(),
  forwardBy: Day,
  completionRequestBy: Day,
  legendBy: Day.nullable().describe(
    'Personal-data claims: the "reclamo en trámite" legend by this day (Ley 1581 art. 15 num. 2)',
  ),
  legendAt: Instant.nullable().describe('When the office recorded the legend (record_legend)'),
  legalDue: Day.nullable(),
  petitionerRespondBy: Day.nullable(),
  extendedUntil: Day.nullable(),
  clockEvents: z.array(z.object({ type: z.string(), at: z.string(), until: z.string().optional() })),
  forwardSuggested: ForwardSuggested,
  completionSuggested: CompletionSuggested,
  forwardedTo: z.object({ entityId: z.string(), radicado: Radicado, late: z.boolean() }).nullable(),
  forwardedFrom: z.object({ entityId: z.string(), radicado: Radicado }).nullable(),
  answer: z
    .object({
      at: Instant,
      outcome: z.enum(OUTCOMES),
      late: z.boolean(),
      legalReserve: z.string().optional(),
      legalGround: LegalGroundSchema.optional(),
      withheld: z.string().optional(),
      basis: z.enum(['disrespectful', 'repeated']).optional(),
      reference: Radicado.optional(),
      text: z.string(),
      deemedAccepted: z.boolean().optional(),
      documents: z.array(DocumentRefSchema).optional(),
      notifiedOn: Day.nullable().describe("The day the answer's notice counts as given"),
    })
    .nullable(),
  notices: Notices,
  documents: z.array(DocumentRefSchema).describe('Filed with the petition'),
  withdrawal: z
    .object({ kind: z.enum(['tacit', 'express']), at: Instant, from: z.enum(CASE_STATUSES) })
    .nullable()
    .describe(
      'Withdrawn by the office (art. 17) or by the petitioner (art. 18: continue_ex_officio may reopen it)',
    ),
  court: z
    .object({ name: z.string(), sentOn: Day })
    .nullable()
    .describe('Art. 26: the court the file was sent to after the insistence'),
  verbal: z
    .object({ officer: Subject, channel: z.enum(['in_person', 'phone']), place: z.string().optional() })
    .nullable(),
  closedAt: Instant.nullable(),
  updatedAt: Instant,
  version: z.number().int().min(1),
  allowedActions: z
    .array(z.enum(ACTION_TYPES))
    .describe('What you may do now, given the status and your roles'),
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
  dueDate: Day.nullable(),
  semaforo: z.enum(SEMAFORO),
  businessDaysLeft: z.number().int(),
  office: z.string(),
  officer: Subject.nullable(),
  petitionerRespondBy: Day.nullable().describe("While suspended: the petitioner's last day (art. 17, 19)"),
  withdrawalCandidate: z
    .boolean()
    .describe("The petitioner's period lapsed: the office may declare the withdrawal (art. 17)"),
  forwardSuggested: ForwardSuggested,
  completionSuggested: CompletionSuggested,
  forwardBy: Day,
  completionRequestBy: Day,
});

/** A comma-separated list of values of an enum (`?status=routed,assigned`). */
function csv<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(values, { message: `each must be one of ${values.join(', ')}` })).min(1));
}

/** What the petitioner sees: the public view, the answer, what is asked of them, the steps so far. */
export const TrackingViewSchema = PublicCaseSchema.extend({
  answer: z
    .object({
      text: z.string(),
      outcome: z.enum(OUTCOMES),
      answeredAt: Instant,
      legalReserve: z.string().optional().describe('The reasons of a denial'),
      legalGround: LegalGroundSchema.optional().describe('Ley 1712 de 2014, art. 18 or 19, and the literal'),
      withheld: z.string().optional().describe('What is withheld'),
      basis: z
        .enum(['disrespectful', 'repeated'])
        .optional()
        .describe(
          'Ley 1755 art. 19: rejected as disrespectful, or answered by reference to an earlier answer',
        ),
      reference: Radicado.optional().describe('The petition already answered that this answer refers to'),
      documents: z.array(DocumentRefSchema).describe('Download each: GET …/documents/{id}'),
      notifiedOn: Day.nullable().describe(
        'The day its notice counts as given (CPACA art. 69 for a publication)',
      ),
    })
    .nullable()
    .describe('Once answered'),
  notices: Notices,
  pendingRequest: z
    .object({
      type: z.enum(['completion', 'clarification']),
      text: z.string().describe('What the entity asks'),
      respondBy: Day.nullable().describe("The petitioner's last day (to midnight, Bogota)"),
      documents: z.array(DocumentRefSchema),
    })
    .nullable()
    .describe('While the case waits for the petitioner: answer it with POST …/replies'),
  documents: z.array(DocumentRefSchema).describe('The documents filed with the petition'),
  insistenceBy: Day.nullable().describe(
    'After a denial citing a legal reserve: the last day to insist (Ley 1755 art. 26), POST …/insistence',
  ),
  timeline: z
    .array(z.object({ type: z.string(), at: Instant }).loose())
    .describe('Filed, routed, requests, replies, extensions, forward, answer, withdrawal… with their dates'),
});

export const getCaseRoute = defineRoute({
  operationId: 'getCase',
  method: 'GET',
  path: '/v1/cases/{radicado}',
  fn: 'GetCase',
  access: {
    public:
      'Case tracking by a petitioner who holds no account: the X-Tracking-Code header is compared with its stored hash (or the identified citizen must have the case in their list), and an unknown radicado or a wrong code answer the same 404. An officer token, when sent, is verified as behind the authorizer and gives the officer view of its own entity only.',
    officer: DUTIES.caseWork,
    citizen: 'optional',
  },
  summary:
    "Follow a case (the petitioner's view with the tracking code or their identity; the officer's view with a token)",
  description:
    "With X-Tracking-Code, or a citizen's identity token for a case in their list (GET /v1/me/cases): the petitioner's view, without personal data: status, dates, the answer once given, the request awaiting them, the steps so far (an unknown radicado and a wrong code answer the same 404). With an officer's token: the whole case for officers of its entity (another entity's case is a 404), with an ETag to send back as If-Match when acting on it.",
  tags: ['cases'],
  params: z.object({ radicado: Radicado }),
  headers: z.object({ 'x-tracking-code': z.string().max(64).optional() }),
  responses: {
    200: {
      description:
        "The case: the petitioner's view, or the officer view (with ETag) when an officer's token is sent",
      schema: z.union([OfficerCaseSchema, TrackingViewSchema]),
      headers: { ETag: "The case's version (officer view): send it as If-Match to act on the case" },
    },
  },
  problems: [404],
});

export const caseActionRoute = defineRoute({
  operationId: 'actOnCase',
  method: 'POST',
  path: '/v1/cases/{radicado}/actions',
  fn: 'CaseActions',
  access: { officer: DUTIES.caseWork },
  summary: 'Act on a case: assign, reclassify, ask to complete, extend, forward, answer, close…',
  description:
    "One action of the case lifecycle (Ley 1755 de 2015), by `type`. Send If-Match with the ETag from GET /v1/cases/{radicado}: a case changed since you read it answers 412 (read it again), a missing If-Match 428. An action the case's status does not allow answers 409 (`urn:urna:problem:illegal-transition`, with `caseStatus`); one the law does not allow at this date 422 (`too-late` / `too-early`, citing the article); a role or office that may not take it 403; another entity's case 404. Every action appends a hash-chained audit event in the same transaction.",
  tags: ['cases'],
  params: z.object({ radicado: Radicado }),
  headers: z.object({ 'if-match': z.string().max(200).optional() }),
  body: LifecycleActionSchema,
  responses: {
    200: {
      description: 'The case after the action, with its new ETag',
      schema: z.object({
        case: OfficerCaseSchema,
        linked: z
          .object({ entityId: z.string(), radicado: Radicado })
          .optional()
          .describe('forward: the case filed at the competent entity'),
      }),
      headers: { ETag: "The case's new version" },
    },
  },
  problems: [400, 401, 403, 404, 409, 412, 422, 428, 500],
});

export const caseHistoryRoute = defineRoute({
  operationId: 'caseHistory',
  method: 'GET',
  path: '/v1/cases/{radicado}/history',
  fn: 'CaseActions',
  access: { officer: DUTIES.caseWork },
  summary: "A case's audit trail: every change, who, when, before and after, hash-chained",
  tags: ['cases'],
  params: z.object({ radicado: Radicado }),
  responses: {
    200: {
      description: 'The events in order',
      schema: z.object({
        radicado: Radicado,
        items: z.array(
          z.object({
            seq: z.number().int().min(1),
            type: z.string(),
            at: Instant,
            actor: z.object({ kind: z.string(), id: z.string().optional() }),
            data: z.record(z.string(), z.unknown()),
            prevHash: z.string(),
            hash: z.string(),
          }),
        ),
      }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

export const VerbalFilingSchema = z.object({
  filing: FilingSchema.describe('What the petitioner said, as the officer recorded it'),
  record: z.strictObject({
    channel: z.enum(['in_person', 'phone'], { message: 'must be in_person or phone' }),
    place: z.string().trim().min(1).max(200).optional().describe('The service point (in person)'),
    receivedAt: Instant.optional().describe(
      'When the petitioner made it (default: now); within the last 72 hours, not in the future',
    ),
  }),
});

export const registerVerbalRoute = defineRoute({
  operationId: 'registerVerbal',
  method: 'POST',
  path: '/v1/cases/verbal',
  fn: 'CaseActions',
  access: { officer: DUTIES.caseWork },
  summary: 'Register a petition received in person or by phone (Decreto 1166 de 2016)',
  description:
    "An officer files, for the petitioner, a petition made verbally, with the record the decree asks for (date, channel, petitioner's data when given, subject, officer). The answer carries the radicado and the tracking code to give the petitioner.",
  tags: ['cases'],
  body: VerbalFilingSchema,
  headers: z.object({ 'idempotency-key': IdempotencyKey.optional() }),
  responses: { 201: { description: 'Filed', schema: FiledCaseSchema } },
  problems: [400, 401, 403, 413, 415, 422, 500, 503],
});

export const listInboxRoute = defineRoute({
  operationId: 'listInbox',
  method: 'GET',
  path: '/v1/inbox',
  fn: 'ListInbox',
  access: { officer: DUTIES.caseWork },
  summary: "An office's open cases, priority first, then by due date",
  description:
    "Needs an officer's access token (Authorization: Bearer). Officers read their own offices' inboxes; supervisors and admins any office of their entity. No or an invalid token → 401; a token whose account may not read this office → 403. Open cases (not closed): priority first (art. 20), then by due date; suspended cases (no due date) last. Filters: status, semáforo, priority; a filtered page may hold fewer than `limit` items: follow `cursor` until it is absent.",
  tags: ['inbox'],
  query: z.object({
    office: z.string().regex(OFFICE_ID),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(2048).optional(),
    status: csv(CASE_STATUSES).optional().describe('Comma-separated statuses'),
    semaforo: csv(SEMAFORO).optional().describe("Comma-separated semáforo colours (today's reading)"),
    priority: z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
    withdrawalCandidates: z
      .enum(['true'], { message: 'must be true' })
      .transform(() => true)
      .optional()
      .describe("Only suspended cases whose petitioner's period lapsed (art. 17)"),
  }),
  responses: {
    200: {
      description: 'A page of the inbox; pass `cursor` back for the next one',
      schema: z.object({ items: z.array(InboxItemSchema), cursor: z.string().optional() }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

export const analogousGroupsRoute = defineRoute({
  operationId: 'analogousGroups',
  method: 'GET',
  path: '/v1/inbox/analogous',
  fn: 'ListInbox',
  access: { officer: DUTIES.caseWork },
  summary: 'Groups of more than ten analogous petitions in an office (Ley 1755 art. 22)',
  description:
    "The office's cases whose term runs (routed, assigned), grouped by kind and normalised text (case, accents, numbers and punctuation aside); groups of 11 or more, largest first. The office decides whether they are analogous and may answer a group once: POST /v1/inbox/analogous/answers. Who may read the inbox may read its groups.",
  tags: ['inbox'],
  query: z.object({ office: z.string().regex(OFFICE_ID) }),
  responses: {
    200: {
      description: 'The suggested groups',
      schema: z.object({
        office: z.string(),
        groups: z.array(
          z.object({
            key: z.string(),
            kind: z.enum(KINDS),
            subject: z.string(),
            size: z.number().int(),
            radicados: z.array(Radicado),
          }),
        ),
      }),
    },
  },
  problems: [400, 401, 403, 404, 500],
});

export const analogousAnswerRoute = defineRoute({
  operationId: 'answerAnalogous',
  method: 'POST',
  path: '/v1/inbox/analogous/answers',
  fn: 'CaseActions',
  access: { officer: DUTIES.caseWork },
  summary: 'Answer more than ten analogous petitions once (Ley 1755 art. 22)',
  description:
    "Each case is answered in its own transaction (its audit event, the notice to its petitioner) with the same answer, a routed one first assigned to whoever answers; the answer is published once on the entity's notices list, personal data removed. Art. 22 covers petitions, information requests and queries: the cases must be of one of those kinds, all the same, and none a personal-data case (422 otherwise; the office judges the matter). Exactly once per `groupId`: a retry with the same id and the same answer skips the cases it answered; another answer under a used id is a 422 `conflict`. Cases that cannot be answered now are listed under `refused` with the reason; the others are answered.",
  tags: ['inbox'],
  body: z.strictObject({
    groupId: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/)
      .describe('Your id for this joint answer (a UUID): send it again on a retry'),
    radicados: z.array(Radicado).min(1).max(1000),
    answer: z.string().trim().min(1).max(20_000),
    outcome: z.enum(OUTCOMES),
  }),
  responses: {
    200: {
      description: 'What each case got',
      schema: z.object({
        groupId: z.string(),
        answered: z.array(Radicado),
        already: z.array(Radicado).describe('Answered by this group before'),
        refused: z
          .array(z.object({ radicado: Radicado, code: z.string(), detail: z.string() }))
          .describe('`detail` in the language of the answer (Content-Language)'),
        published: z.string().nullable().describe("The notice's id on the entity's notices list"),
      }),
    },
  },
  problems: [400, 401, 403, 422, 500],
});

export const CASE_ROUTES = [
  getCaseRoute,
  caseActionRoute,
  caseHistoryRoute,
  registerVerbalRoute,
  listInboxRoute,
  analogousGroupsRoute,
  analogousAnswerRoute,
] as const;
