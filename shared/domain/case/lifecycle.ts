/**
 * The case lifecycle (Ley 1755 de 2015; RULES.md; issue 5): the statuses of a case, the actions
 * officers take on it, who may take them, and `decide`, which checks one action against the case
 * and returns the next case and the event to append, or a refusal naming the state and the rule.
 *
 * Pure: no I/O, no wall clock (the instant is passed in). Every date rule is the clock's: the case
 * carries the clock events accumulated so far, and its dates are always what `computeClock` gives
 * for them (`lifecycleDates(computeClock(clockInputOf(state)))`).
 *
 * Order of the checks in `decide` (the HTTP status a route would map each to):
 *   invalid payload or instant (400) → another entity's case: not_found (404) → role or office:
 *   forbidden (403) → status: illegal_transition (409) → the action's own rules: invalid (422),
 *   too_early / too_late (422, citing the article).
 */
import * as z from 'zod';
import { type Actor, belongsTo, type Role } from '../actor.ts';
import { publicationPeriod } from '../channels.ts';
import {
  addBusinessDays,
  type ClockEventType,
  type ClockInput,
  type ClockResult,
  clockStatus,
  computeClock,
  type EntityClock,
  isClockError,
  parseInstant,
  ruleSetById,
  type TermRule,
} from '../clock/index.ts';
import { INSISTENCE_DAYS, insistable } from '../clock/rules.ts';
import { DateSchema, InstantSchema } from '../clock/schema.ts';
import { AttachmentsSchema } from '../documents.ts';
import { ENTITY_ID, OFFICE_ID } from '../entity.ts';
import { type IssueCode, issuesOf, type Phrase, phrase, refinement } from '../issues.ts';
import { plainText } from '../text.ts';
import {
  type CaseStatus,
  DEFAULT_TERM_CLASS,
  KINDS,
  type Kind,
  TERM_CLASSES,
  type TermClass,
} from '../vocabulary.ts';
import { RADICADO_PATTERN } from './radicado.ts';
import { isSuspended, type LifecycleDates, lifecycleDates } from './status.ts';

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Actions (zod schemas: a route validates the request body with LifecycleActionSchema)
// ---------------------------------------------------------------------------------------------

const reason = plainText(2000);
const officeId = z.string().regex(OFFICE_ID);
/** An officer is named by the `subject` of their token (opaque, no personal data). */
const officerId = z.string().trim().min(1).max(256);

export const OUTCOMES = ['granted', 'partially_granted', 'denied'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const AssignSchema = z.strictObject({
  type: z.literal('assign'),
  office: officeId,
  /** Without an officer the case waits unassigned in the office's inbox (status routed). */
  officer: officerId.optional(),
});

export const ReclassifySchema = z
  .strictObject({
    type: z.literal('reclassify'),
    kind: z.enum(KINDS).optional(),
    termClass: z.enum(TERM_CLASSES).optional(),
    reason,
  })
  .refine((a) => a.kind !== undefined || a.termClass !== undefined, {
    ...refinement('required', 'indique kind, termClass o ambos', 'give kind, termClass or both'),
    path: ['kind'],
  });

export const SetPrioritySchema = z.strictObject({
  type: z.literal('set_priority'),
  priority: z.boolean(),
  reason,
});

export const RequestCompletionSchema = z.strictObject({
  type: z.literal('request_completion'),
  /** What the petitioner must add. */
  what: plainText(4000),
  attachments: AttachmentsSchema,
});

export const RecordCompletionSchema = z.strictObject({
  type: z.literal('record_completion'),
  /** When the petitioner's completion was received (default: the action's instant). */
  receivedAt: InstantSchema.optional(),
});

export const ExtendCompletionSchema = z.strictObject({
  type: z.literal('extend_completion'),
  /** When the petitioner's request for more time was received (default: the action's instant). */
  requestedAt: InstantSchema.optional(),
});

export const WithdrawSchema = z.strictObject({ type: z.literal('withdraw'), reason });

export const RequestClarificationSchema = z.strictObject({
  type: z.literal('request_clarification'),
  /** What is unclear. */
  what: plainText(4000),
  attachments: AttachmentsSchema,
});

export const RecordClarificationSchema = z.strictObject({
  type: z.literal('record_clarification'),
  /** When the petitioner's clarification was received (default: the action's instant). */
  receivedAt: InstantSchema.optional(),
});

export const ExtendSchema = z.strictObject({
  type: z.literal('extend'),
  newDueDate: DateSchema,
  reason,
});

export const ForwardSchema = z.strictObject({
  type: z.literal('forward'),
  toEntityId: z.string().regex(ENTITY_ID),
  reason,
});

export const NoCompetentAuthoritySchema = z.strictObject({
  type: z.literal('no_competent_authority'),
  reason,
});

/**
 * The literals of Ley 1712 de 2014 that may ground withholding information: art. 18 (classified:
 * a privacy, b life, health or safety, c commercial, industrial and professional secrets) and
 * art. 19 (reserved: a defence and national security … i public health), each with its parágrafo.
 */
export const LEGAL_GROUNDS = {
  '18': ['a', 'b', 'c', 'paragrafo'],
  '19': ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'paragrafo'],
} as const;

export const LegalGroundSchema = z
  .strictObject({
    /** Ley 1712 de 2014, art. 18 (classified) or 19 (reserved). */
    article: z.enum(['18', '19']),
    literal: z.enum(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'paragrafo']),
  })
  .refine((g) => (LEGAL_GROUNDS[g.article] as readonly string[]).includes(g.literal), {
    ...refinement(
      'invalid_value',
      'ese literal no existe en ese artículo: el art. 18 tiene a–c, el art. 19 a–i, y cada uno su parágrafo (Ley 1712 de 2014)',
      'no such literal in that article: art. 18 has a–c, art. 19 a–i, each with its parágrafo (Ley 1712 de 2014)',
    ),
    path: ['literal'],
  });
export type LegalGround = z.infer<typeof LegalGroundSchema>;

/** "Ley 1712 de 2014, art. 19 lit. d" / "…, art. 18 parágrafo". */
export function legalGroundText(g: LegalGround): string {
  return `Ley 1712 de 2014, art. ${g.article} ${g.literal === 'paragrafo' ? 'parágrafo' : `lit. ${g.literal}`}`;
}

export const RespondSchema = z.strictObject({
  type: z.literal('respond'),
  answer: plainText(20_000),
  outcome: z.enum(OUTCOMES),
  /**
   * The reasons of a denial (Ley 1755 arts. 24–25; Ley 1712 art. 28: the burden is the entity's):
   * required to deny information, fully or partly.
   */
  legalReserve: plainText(1000).optional(),
  /** The literal of Ley 1712 art. 18 or 19 a denial of information rests on. */
  legalGround: LegalGroundSchema.optional(),
  /** What is withheld (Ley 1712 art. 21: the rest is delivered). */
  withheld: plainText(2000).optional(),
  /**
   * Ley 1755 art. 19: `disrespectful` rejects a disrespectful petition (denied, with the reasons in
   * `answer`); `repeated` answers a petition that repeats one already answered by referring to that
   * answer (`reference`: its radicado, of this entity, answered).
   */
  basis: z.enum(['disrespectful', 'repeated']).optional(),
  reference: z.string().regex(RADICADO_PATTERN).optional(),
  attachments: AttachmentsSchema,
});

export const CloseSchema = z.strictObject({ type: z.literal('close') });

/**
 * Ley 1581 art. 15 num. 2: the office records that the database now shows the legend "reclamo en
 * trámite" with the claim's reason (within two business days of the complete claim: `legendBy`).
 */
export const RecordLegendSchema = z.strictObject({
  type: z.literal('record_legend'),
  /** The reason the legend shows next to the data. */
  reason: plainText(1000),
});

/** Ley 1755 art. 18: the office continues, of its own motion and by a reasoned act, a petition withdrawn by the petitioner. */
export const ContinueExOfficioSchema = z.strictObject({ type: z.literal('continue_ex_officio'), reason });

/** Ley 1755 art. 26: after the petitioner insisted, the office sends the file to the competent court or judge. */
export const SendToCourtSchema = z.strictObject({
  type: z.literal('send_to_court'),
  /** The court or judge the file is sent to. */
  court: plainText(300),
  /** The day it was sent (not in the future). */
  sentOn: DateSchema,
});

export const LifecycleActionSchema = z.discriminatedUnion('type', [
  AssignSchema,
  ReclassifySchema,
  SetPrioritySchema,
  RequestCompletionSchema,
  RecordCompletionSchema,
  ExtendCompletionSchema,
  WithdrawSchema,
  RequestClarificationSchema,
  RecordClarificationSchema,
  ExtendSchema,
  ForwardSchema,
  NoCompetentAuthoritySchema,
  RespondSchema,
  CloseSchema,
  ContinueExOfficioSchema,
  SendToCourtSchema,
  RecordLegendSchema,
]);
export type LifecycleActionInput = z.input<typeof LifecycleActionSchema>;
export type LifecycleAction = z.output<typeof LifecycleActionSchema>;
export type ActionType = LifecycleAction['type'];
type ActionOf<T extends ActionType> = Extract<LifecycleAction, { type: T }>;

export const ACTION_TYPES = [
  'assign',
  'reclassify',
  'set_priority',
  'request_completion',
  'record_completion',
  'extend_completion',
  'withdraw',
  'request_clarification',
  'record_clarification',
  'extend',
  'forward',
  'no_competent_authority',
  'respond',
  'close',
  'continue_ex_officio',
  'send_to_court',
  'record_legend',
] as const satisfies readonly ActionType[];

// ---------------------------------------------------------------------------------------------
// The transition table and the role table (data)
// ---------------------------------------------------------------------------------------------

export const LIFECYCLE_EVENT_TYPES = [
  'assigned',
  'reclassified',
  'priority_set',
  'completion_requested',
  'completed',
  'completion_extended',
  'withdrawn',
  'clarification_requested',
  'clarified',
  'extended',
  'forwarded',
  'no_competent_authority',
  'answered',
  'closed',
  'continued',
  'sent_to_court',
  'legend_recorded',
  // The petitioner's own acts (decideForPetitioner).
  'replied',
  'insisted',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

const PENDING: readonly CaseStatus[] = [
  'received',
  'routed',
  'assigned',
  'awaiting_completion',
  'awaiting_clarification',
];
const IN_OFFICE: readonly CaseStatus[] = ['routed', 'assigned'];
const SUSPENDED: readonly CaseStatus[] = ['awaiting_completion', 'awaiting_clarification'];

export interface ActionRule {
  /** The statuses the action may be taken from. */
  readonly from: readonly CaseStatus[];
  /** The event it appends. */
  readonly event: LifecycleEventType;
  /** The rule, for the refusal message (the article cited in both languages). */
  readonly rule: Phrase;
}

/**
 * Which action may be taken in which status. The status after it: see `decide` (assign: routed or
 * assigned, unchanged while suspended; requests: awaiting_*; completion or clarification received:
 * back to routed or assigned; respond: answered; close, forward, no_competent_authority, withdraw:
 * their closed status; the others keep the status).
 */
export const ACTIONS: Readonly<Record<ActionType, ActionRule>> = {
  assign: {
    from: PENDING,
    event: 'assigned',
    rule: phrase(
      'un caso se asigna o se reasigna mientras está pendiente (sin responder ni cerrar)',
      'a case is assigned or reassigned while it is pending (not answered, not closed)',
    ),
  },
  reclassify: {
    from: PENDING,
    event: 'reclassified',
    rule: phrase(
      'el tipo y la clase de término cambian mientras el caso está pendiente; el término se recalcula desde la radicación',
      'kind and term class change while the case is pending; the clock is recomputed from receipt',
    ),
  },
  set_priority: {
    from: PENDING,
    event: 'priority_set',
    rule: phrase(
      'Ley 1755 de 2015, art. 20: la prioridad se fija mientras el caso está pendiente',
      'Ley 1755 de 2015, art. 20: priority is set while the case is pending',
    ),
  },
  request_completion: {
    from: IN_OFFICE,
    event: 'completion_requested',
    rule: phrase(
      'Ley 1755 de 2015, art. 17: se pide completar un caso enrutado o asignado cuyo término corre',
      'Ley 1755 de 2015, art. 17: completion is requested of a routed or assigned case whose term runs',
    ),
  },
  record_completion: {
    from: ['awaiting_completion'],
    event: 'completed',
    rule: phrase(
      'Ley 1755 de 2015, art. 17: solo se registra la información que completa un caso que la espera',
      'Ley 1755 de 2015, art. 17: only a case awaiting completion is completed',
    ),
  },
  extend_completion: {
    // Art. 19's 10 days to clarify have no extension: only completion (art. 17) does.
    from: ['awaiting_completion'],
    event: 'completion_extended',
    rule: phrase(
      'Ley 1755 de 2015, art. 17: el plazo del peticionario se prorroga mientras el caso espera su respuesta',
      "Ley 1755 de 2015, art. 17: the petitioner's period is extended while the case awaits the petitioner",
    ),
  },
  withdraw: {
    from: SUSPENDED,
    event: 'withdrawn',
    rule: phrase(
      'Ley 1755 de 2015, art. 17: el desistimiento tácito procede en un caso que espera la respuesta del peticionario',
      'Ley 1755 de 2015, art. 17: desistimiento tácito applies to a case awaiting the petitioner',
    ),
  },
  request_clarification: {
    from: IN_OFFICE,
    event: 'clarification_requested',
    rule: phrase(
      'Ley 1755 de 2015, art. 19: se pide aclarar un caso enrutado o asignado cuyo término corre',
      'Ley 1755 de 2015, art. 19: clarification is requested of a routed or assigned case whose term runs',
    ),
  },
  record_clarification: {
    from: ['awaiting_clarification'],
    event: 'clarified',
    rule: phrase(
      'Ley 1755 de 2015, art. 19: solo se registra la aclaración de un caso que la espera',
      'Ley 1755 de 2015, art. 19: only a case awaiting clarification is clarified',
    ),
  },
  extend: {
    from: IN_OFFICE,
    event: 'extended',
    rule: phrase(
      'Ley 1755 de 2015, art. 14, parágrafo: la prórroga se informa mientras el término corre (caso enrutado o asignado)',
      'Ley 1755 de 2015, art. 14, parágrafo: an extension is notified while the term runs (routed or assigned)',
    ),
  },
  forward: {
    from: PENDING,
    event: 'forwarded',
    rule: phrase(
      'Ley 1755 de 2015, art. 21: un caso se remite mientras está pendiente, antes de responderlo',
      'Ley 1755 de 2015, art. 21: a case is forwarded while it is pending, before it is answered',
    ),
  },
  no_competent_authority: {
    from: PENDING,
    event: 'no_competent_authority',
    rule: phrase(
      'Ley 1755 de 2015, art. 21: la falta de autoridad competente se declara mientras el caso está pendiente',
      'Ley 1755 de 2015, art. 21: no competent authority is declared while the case is pending',
    ),
  },
  respond: {
    from: ['assigned'],
    event: 'answered',
    rule: phrase(
      'un caso lo responde su dependencia una vez asignado, mientras su término corre (no suspendido)',
      'a case is answered by its office once assigned, while its term runs (not suspended)',
    ),
  },
  close: {
    from: ['answered', 'at_court'],
    event: 'closed',
    rule: phrase(
      'un caso se cierra después de responderlo (tras una insistencia, cuando el expediente ya está ante el juez)',
      'a case is closed after it is answered (after an insistence, once the file is at the court)',
    ),
  },
  continue_ex_officio: {
    from: ['withdrawn'],
    event: 'continued',
    rule: phrase(
      'Ley 1755 de 2015, art. 18: la dependencia puede continuar de oficio una petición de la que el peticionario desistió',
      'Ley 1755 de 2015, art. 18: the office may continue of its own motion a petition the petitioner withdrew',
    ),
  },
  send_to_court: {
    from: ['insistence'],
    event: 'sent_to_court',
    rule: phrase(
      'Ley 1755 de 2015, art. 26: el expediente se envía al tribunal o juez administrativo cuando el peticionario insistió en una solicitud negada por reserva',
      'Ley 1755 de 2015, art. 26: the file goes to the court when the petitioner insisted on a reserved request',
    ),
  },
  record_legend: {
    from: PENDING,
    event: 'legend_recorded',
    rule: phrase(
      'Ley 1581 de 2012, art. 15 num. 2: la leyenda "reclamo en trámite" se registra mientras el reclamo está pendiente',
      'Ley 1581 de 2012, art. 15 num. 2: the "reclamo en trámite" legend is recorded while the claim is pending',
    ),
  },
};

/**
 * What an action needs permission for: `assign` on a case that already has an officer is a
 * reassignment (DESIGN/issue 5: the supervisor reassigns).
 */
export type Permission = ActionType | 'reassign';

const WORKERS: readonly Role[] = ['officer', 'supervisor', 'admin'];

/** Which roles may take which action. */
export const ACTION_ROLES: Readonly<Record<Permission, readonly Role[]>> = {
  assign: WORKERS,
  reassign: ['supervisor', 'admin'],
  reclassify: WORKERS,
  set_priority: WORKERS,
  request_completion: WORKERS,
  record_completion: WORKERS,
  extend_completion: WORKERS,
  withdraw: WORKERS,
  request_clarification: WORKERS,
  record_clarification: WORKERS,
  extend: WORKERS,
  forward: WORKERS,
  no_competent_authority: WORKERS,
  respond: WORKERS,
  close: WORKERS,
  continue_ex_officio: WORKERS,
  send_to_court: WORKERS,
  record_legend: WORKERS,
};

/**
 * Where a role acts: the whole entity, the actor's own offices (the case's office, and for assign
 * the target office too), or no case at all.
 */
export type RoleScope = 'entity' | 'own_offices' | 'none';

export const ROLE_SCOPE: Readonly<Record<Role, RoleScope>> = {
  officer: 'own_offices',
  supervisor: 'entity',
  admin: 'entity',
  communicator: 'none',
  internal_control: 'none',
};

// ---------------------------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------------------------

/** A clock event as the case stores it (the clock's input; `until` for `extended`). */
export interface LifecycleClockEvent {
  readonly type: ClockEventType;
  readonly at: string;
  readonly until?: string;
}

export interface CaseLifecycle {
  readonly radicado: string;
  readonly entityId: string;
  readonly status: CaseStatus;
  readonly office?: string;
  /** The assigned officer (token subject). */
  readonly officer?: string;
  readonly kind: Kind;
  readonly termClass: TermClass;
  readonly priority: boolean;
  /** The receipt instant: the clock's `filed`. */
  readonly receivedAt: string;
  /** The entity's clock settings at receipt (CaseRecord.clockSettings). */
  readonly clockSettings: EntityClock;
  /** Clock events accepted so far, in order. */
  readonly clockEvents: readonly LifecycleClockEvent[];
  readonly dates: LifecycleDates;
  /** The instant of the last change (actions are refused before it). */
  readonly updatedAt: string;
  readonly answer?: {
    readonly at: string;
    readonly outcome: Outcome;
    readonly late: boolean;
    readonly legalReserve?: string;
    readonly legalGround?: LegalGround;
    readonly withheld?: string;
    /** Art. 19: a disrespectful petition rejected, or a repeated one answered by reference. */
    readonly basis?: 'disrespectful' | 'repeated';
    readonly reference?: string;
    /** Art. 22: the group of analogous petitions this answer went to. */
    readonly group?: { readonly id: string; readonly size: number };
    /** Ley 1755 art. 14 num. 1: an information request answered after its due date was deemed accepted. */
    readonly deemedAccepted?: boolean;
  };
  readonly forwardedTo?: { readonly entityId: string; readonly late: boolean };
  /** When it reached a closed status. */
  readonly closedAt?: string;
  /** A withdrawal: by the office (tacit, art. 17) or by the petitioner (express, art. 18), and the status it left. */
  readonly withdrawal?: Withdrawal;
  /** Art. 26: when the petitioner insisted, and the court the file was sent to. */
  readonly insistedAt?: string;
  readonly court?: { readonly name: string; readonly sentOn: string };
  /** Ley 1581 art. 15 num. 2: when the office recorded the "reclamo en trámite" legend. */
  readonly legendAt?: string;
  /** The petitioner has no private contact: their notices are published (CPACA art. 69). */
  readonly notifiedByPublication?: boolean;
}

export interface Withdrawal {
  readonly kind: 'tacit' | 'express';
  readonly at: string;
  readonly from: CaseStatus;
}

/** The clock's input for a case (with other events when given: what-if). */
export function clockInputOf(
  state: Pick<CaseLifecycle, 'termClass' | 'receivedAt' | 'clockSettings' | 'clockEvents'>,
  events: readonly LifecycleClockEvent[] = state.clockEvents,
  termClass: TermClass = state.termClass,
): ClockInput {
  return {
    termClass,
    filed: state.receivedAt,
    entity: state.clockSettings,
    events: events.map((e) => ({ ...e })),
  };
}

function clockOf(
  state: CaseLifecycle,
  events: readonly LifecycleClockEvent[] = state.clockEvents,
  termClass: TermClass = state.termClass,
): ClockResult {
  return computeClock(clockInputOf(state, events, termClass), { trace: false });
}

export interface LifecycleSeed {
  radicado: string;
  entityId: string;
  status: CaseStatus;
  office?: string | undefined;
  officer?: string | undefined;
  kind: Kind;
  termClass: TermClass;
  priority: boolean;
  receivedAt: string;
  clockSettings: EntityClock;
  clockEvents?: readonly LifecycleClockEvent[];
  updatedAt?: string;
  answer?: CaseLifecycle['answer'] | undefined;
  withdrawal?: Withdrawal | undefined;
  insistedAt?: string | undefined;
  court?: CaseLifecycle['court'] | undefined;
  legendAt?: string | undefined;
  /** The petitioner has no private contact: their notices are published (CPACA art. 69). */
  notifiedByPublication?: boolean | undefined;
}

/**
 * The lifecycle state of a case (for a stored case: its CaseRecord fields and the clock events
 * stored with it). Its dates are computed by the clock; throws a ClockError on invalid input.
 */
export function lifecycleOf(seed: LifecycleSeed): CaseLifecycle {
  const clockEvents = [...(seed.clockEvents ?? [])];
  const base = {
    radicado: seed.radicado,
    entityId: seed.entityId,
    status: seed.status,
    ...(seed.office !== undefined ? { office: seed.office } : {}),
    ...(seed.officer !== undefined ? { officer: seed.officer } : {}),
    kind: seed.kind,
    termClass: seed.termClass,
    priority: seed.priority,
    receivedAt: seed.receivedAt,
    clockSettings: seed.clockSettings,
    clockEvents,
    updatedAt: seed.updatedAt ?? seed.receivedAt,
    ...(seed.answer !== undefined ? { answer: seed.answer } : {}),
    ...(seed.withdrawal !== undefined ? { withdrawal: seed.withdrawal } : {}),
    ...(seed.insistedAt !== undefined ? { insistedAt: seed.insistedAt } : {}),
    ...(seed.court !== undefined ? { court: seed.court } : {}),
    ...(seed.legendAt !== undefined ? { legendAt: seed.legendAt } : {}),
    ...(seed.notifiedByPublication ? { notifiedByPublication: true } : {}),
  };
  const dates = lifecycleDates(computeClock(clockInputOf({ ...base, clockEvents }), { trace: false }));
  return { ...base, dates };
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

export const REFUSAL_REASONS = [
  'invalid',
  'not_found',
  'forbidden',
  'illegal_transition',
  'too_early',
  'too_late',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface LifecycleEvent {
  readonly type: LifecycleEventType;
  /**
   * What changed: `status: { from, to }` always, and what the action carries (reasons, the answer)
   * with the dates it produced. No personal data of the petitioner beyond what the action carries.
   */
  readonly data: Readonly<Record<string, unknown>>;
  /** The clock event appended to the case (also the last of `next.clockEvents`). */
  readonly clockEvent?: LifecycleClockEvent;
}

export type Decision =
  | { readonly ok: true; readonly next: CaseLifecycle; readonly event: LifecycleEvent }
  | {
      readonly ok: false;
      readonly reason: RefusalReason;
      /** The case's status when refused. */
      readonly status: CaseStatus;
      /** Names the state and the rule (article), in both languages; a field's refusal starts with the field. */
      readonly message: Phrase;
      /** The field at fault, when the refusal is about one (a date given, the payload). */
      readonly field?: string;
      /** The field issue's code (with `field`). */
      readonly code?: IssueCode;
    };

export interface DecideContext {
  /** The entity's kind → term class mapping, for a reclassification that gives a kind only. */
  readonly termClassFor?: (kind: Kind) => TermClass;
  /**
   * Art. 22: the group of analogous petitions a `respond` answers (answerAnalogous sets it; no
   * client can: it is not part of the action).
   */
  readonly group?: { readonly id: string; readonly size: number };
}

type Refusal = Extract<Decision, { ok: false }>;

function refuse(state: CaseLifecycle, reason: RefusalReason, es: string, en: string): Refusal {
  return { ok: false, reason, status: state.status, message: { es, en } };
}

/** A refusal about one field: both messages start with the field, as a field issue's do. */
function refuseField(
  state: CaseLifecycle,
  reason: RefusalReason,
  field: string,
  code: IssueCode,
  es: string,
  en: string,
): Refusal {
  return {
    ok: false,
    reason,
    status: state.status,
    message: { es: `${field}: ${es}`, en: `${field}: ${en}` },
    field,
    code,
  };
}

/** An action the schema refuses: its first issue, as the refusal. */
function refusePayload(state: CaseLifecycle, error: z.ZodError, input: unknown): Refusal {
  const issue = issuesOf(error, [], input)[0];
  if (issue === undefined)
    return refuseField(state, 'invalid', 'type', 'invalid_value', 'no es válida', 'is not valid');
  return { ok: false, reason: 'invalid', status: state.status, ...issue };
}

/** The instant of an action is not one: the caller's mistake. */
function refuseInstant(state: CaseLifecycle): Refusal {
  return refuseField(
    state,
    'invalid',
    'at',
    'invalid_format',
    'escriba una fecha y hora ISO 8601 con zona horaria',
    'expected an ISO 8601 instant with offset',
  );
}

function refuseBeforeLastChange(state: CaseLifecycle): Refusal {
  return refuseField(
    state,
    'invalid',
    'at',
    'too_early',
    `es anterior al último cambio del caso (${state.updatedAt})`,
    `is before the case's last change (${state.updatedAt})`,
  );
}

function refuseTransition(state: CaseLifecycle, type: string, rule: ActionRule): Refusal {
  return refuse(
    state,
    'illegal_transition',
    `${type} no se admite en un caso en estado ${state.status}: ${rule.rule.es}`,
    `${type} is not allowed on a case in status ${state.status}: ${rule.rule.en}`,
  );
}

/** The clock could not compute with the case's dates (out of its calendar): named, in both languages. */
function refuseClock(state: CaseLifecycle, type: string, e: { field: string; message: string }): Refusal {
  return refuse(
    state,
    'invalid',
    `${type}: el reloj legal no puede aplicar esta acción con estas fechas (${e.field}); revíselas`,
    `${type}: ${e.message}`,
  );
}

/** The permission an action needs on this case. */
export function permissionFor(state: CaseLifecycle, action: LifecycleAction): Permission {
  if (action.type === 'assign' && state.officer !== undefined) return 'reassign';
  return action.type;
}

/**
 * Whether the actor may take the action on this case (its entity checked apart: another entity's
 * case is not found). An officer acts on its own offices' cases, and assigns only to them.
 */
export function mayTake(actor: Actor, state: CaseLifecycle, action: LifecycleAction): boolean {
  if (!belongsTo(actor, state.entityId)) return false;
  const permission = permissionFor(state, action);
  const target = action.type === 'assign' ? action.office : undefined;
  return actor.roles.some((role) => {
    if (!ACTION_ROLES[permission].includes(role)) return false;
    const scope = ROLE_SCOPE[role];
    if (scope === 'entity') return true;
    if (scope === 'none') return false;
    return (
      state.office !== undefined &&
      actor.offices.includes(state.office) &&
      (target === undefined || actor.offices.includes(target))
    );
  });
}

/**
 * Whether an action can ever pass on this case as it stands, apart from dates and payload: the
 * legend is a personal-data claim's, once; an extension already at its maximum cannot grow.
 */
function applies(type: ActionType, state: CaseLifecycle): boolean {
  if (type === 'record_legend')
    return state.termClass === 'data_protection_claim' && state.legendAt === undefined;
  if (type === 'extend') {
    const { dueDate, maxExtendedDue } = state.dates;
    return !(dueDate !== null && maxExtendedDue !== null && dueDate >= maxExtendedDue);
  }
  return true;
}

/**
 * The actions this actor may take on the case in its status (what an officer's screen offers);
 * an action's own rules (dates, payload) are checked when it is taken.
 */
export function allowedActions(actor: Actor, state: CaseLifecycle): ActionType[] {
  return ACTION_TYPES.filter((type) => {
    if (!ACTIONS[type].from.includes(state.status) || !applies(type, state)) return false;
    // An assignment within the case's own office: what any worker of that office may do.
    const probe = (type === 'assign' ? { type, office: state.office ?? '' } : { type }) as LifecycleAction;
    return mayTake(actor, state, probe);
  });
}

function epochOf(instant: string): number {
  return parseInstant(instant)?.epoch ?? Number.NaN;
}

/** The term rule the case lives under (for citations). */
function ruleOf(r: ClockResult): TermRule | undefined {
  return ruleSetById(r.ruleSet)?.terms[r.termClass];
}

/** The Bogota date of an instant, as the clock reads it. */
function dayOf(state: CaseLifecycle, at: string): string {
  return clockStatus(clockInputOf(state), at).on;
}

/** The status a case returns to when its term runs again: assigned when it has an officer. */
function workingStatus(state: CaseLifecycle): CaseStatus {
  if (state.officer !== undefined) return 'assigned';
  return state.office !== undefined ? 'routed' : 'received';
}

interface Ok {
  readonly ok: true;
  readonly next: CaseLifecycle;
  readonly event: LifecycleEvent;
}

function accept(
  state: CaseLifecycle,
  action: LifecycleAction | PetitionerAction,
  at: string,
  next: Partial<CaseLifecycle> & Pick<CaseLifecycle, 'status'>,
  data: Record<string, unknown>,
  clockEvent?: LifecycleClockEvent,
  result?: ClockResult,
): Ok {
  const type =
    action.type in PETITIONER_ACTIONS
      ? PETITIONER_ACTIONS[action.type as PetitionerActionType].event
      : ACTIONS[action.type as ActionType].event;
  const nextState: CaseLifecycle = {
    ...state,
    ...next,
    ...(clockEvent ? { clockEvents: [...state.clockEvents, clockEvent] } : {}),
    ...(result ? { dates: lifecycleDates(result) } : {}),
    updatedAt: at,
  };
  return {
    ok: true,
    next: nextState,
    event: {
      type,
      data: { status: { from: state.status, to: nextState.status }, ...data },
      ...(clockEvent ? { clockEvent } : {}),
    },
  };
}

/**
 * Appends a clock event; the clock's refusal note when it does not accept it. The clock writes its
 * notes in Spanish (they are its explanation of a due date): `note` for the Spanish message, and
 * the English one says the clock refused it and quotes the note.
 */
function appendClockEvent(
  state: CaseLifecycle,
  event: LifecycleClockEvent,
): { ok: true; result: ClockResult } | { ok: false; result: ClockResult; note: Phrase } {
  const events = [...state.clockEvents, event];
  const result = clockOf(state, events);
  const outcome = result.events.find((e) => e.index === events.length - 1);
  if (outcome?.accepted) return { ok: true, result };
  const note = outcome?.note ?? 'el reloj legal no lo admite.';
  return { ok: false, result, note: { es: note, en: `the legal clock refuses it (in Spanish: "${note}")` } };
}

/**
 * Decides one action on a case at an instant (ISO 8601 with offset): the next state and the event
 * to append, or a refusal. Never throws for bad input (a clock error becomes `invalid`).
 */
export function decide(
  state: CaseLifecycle,
  input: LifecycleActionInput,
  actor: Actor,
  at: string,
  context: DecideContext = {},
): Decision {
  const parsed = LifecycleActionSchema.safeParse(input);
  if (!parsed.success) return refusePayload(state, parsed.error, input);
  const action = parsed.data;
  const when = typeof at === 'string' ? parseInstant(at) : undefined;
  if (when === undefined || when.dateOnly) return refuseInstant(state);
  if (!belongsTo(actor, state.entityId)) {
    return refuse(
      state,
      'not_found',
      `No existe el caso ${state.radicado}`,
      `case ${state.radicado} not found`,
    );
  }
  if (!mayTake(actor, state, action)) {
    // Allowed within the case's own office: what is not the actor's is the office assigned to.
    if (
      action.type === 'assign' &&
      state.office &&
      mayTake(actor, state, { ...action, office: state.office })
    ) {
      return refuseField(
        state,
        'forbidden',
        'office',
        'not_allowed',
        `${action.office} no es una de sus dependencias: un funcionario asigna solo a sus propias dependencias (${actor.offices.join(', ')}); para otra, pida a un supervisor que reasigne`,
        `${action.office} is not one of your offices: an officer assigns to its own offices only (${actor.offices.join(', ')}); for another, ask a supervisor to reassign`,
      );
    }
    const permission = permissionFor(state, action);
    const office = state.office;
    const roles = ACTION_ROLES[permission];
    return refuse(
      state,
      'forbidden',
      `${permission} en un caso ${office === undefined ? 'sin dependencia' : `de la dependencia ${office}`} requiere el rol ${roles.join(' o ')}${permission === 'reassign' ? '' : ' (un funcionario actúa solo en sus propias dependencias)'}`,
      `${permission} on a case of office ${office ?? '(none)'} needs the role ${roles.join(' or ')}${permission === 'reassign' ? '' : ' (an officer acts on its own offices only)'}`,
    );
  }
  const rule = ACTIONS[action.type];
  if (!rule.from.includes(state.status)) return refuseTransition(state, action.type, rule);
  if (when.epoch < epochOf(state.updatedAt)) return refuseBeforeLastChange(state);
  try {
    return apply(state, action, at, context);
  } catch (e) {
    if (isClockError(e)) return refuseClock(state, action.type, e);
    throw e;
  }
}

function apply(state: CaseLifecycle, action: LifecycleAction, at: string, context: DecideContext): Decision {
  switch (action.type) {
    case 'assign':
      return assign(state, action, at);
    case 'reclassify':
      return reclassify(state, action, at, context);
    case 'set_priority':
      if (action.priority === state.priority) {
        return refuseField(
          state,
          'invalid',
          'priority',
          'invalid_value',
          `ya es ${state.priority}: no hay nada que cambiar (Ley 1755 de 2015, art. 20)`,
          `is already ${state.priority} (Ley 1755 de 2015, art. 20)`,
        );
      }
      return accept(
        state,
        action,
        at,
        { status: state.status, priority: action.priority },
        { priority: action.priority, reason: action.reason },
      );
    case 'request_completion':
    case 'request_clarification':
      return requestFromPetitioner(state, action, at);
    case 'record_completion':
    case 'record_clarification':
      return recordFromPetitioner(state, action, at);
    case 'extend_completion':
      return extendCompletion(state, action, at);
    case 'withdraw':
      return withdraw(state, action, at);
    case 'extend':
      return extend(state, action, at);
    case 'forward':
    case 'no_competent_authority':
      return forward(state, action, at);
    case 'respond':
      return respond(state, action, at, context.group);
    case 'close':
      return accept(state, action, at, { status: 'closed', closedAt: at }, {});
    case 'continue_ex_officio':
      return continueExOfficio(state, action, at);
    case 'send_to_court':
      return sendToCourt(state, action, at);
    case 'record_legend':
      return recordLegend(state, action, at);
  }
}

function recordLegend(state: CaseLifecycle, action: ActionOf<'record_legend'>, at: string): Decision {
  const cite = 'Ley 1581 de 2012, art. 15 num. 2';
  if (state.termClass !== 'data_protection_claim') {
    return refuse(
      state,
      'invalid',
      `record_legend: la leyenda "reclamo en trámite" es de los reclamos sobre datos personales; este caso es ${state.termClass} (${cite})`,
      `record_legend: the "reclamo en trámite" legend is for personal-data claims; this case is ${state.termClass} (${cite})`,
    );
  }
  if (state.legendAt !== undefined) {
    return refuse(
      state,
      'invalid',
      `record_legend: la leyenda ya se registró el ${dayOf(state, state.legendAt)} (${cite})`,
      `record_legend: the legend was recorded on ${dayOf(state, state.legendAt)} already (${cite})`,
    );
  }
  const on = dayOf(state, at);
  const by = state.dates.legendBy;
  return accept(
    state,
    action,
    at,
    { status: state.status, legendAt: at },
    { reason: action.reason, legendBy: by, recordedOn: on, late: by !== null && on > by },
  );
}

function continueExOfficio(
  state: CaseLifecycle,
  action: ActionOf<'continue_ex_officio'>,
  at: string,
): Decision {
  if (state.withdrawal?.kind !== 'express') {
    return refuse(
      state,
      'illegal_transition',
      'continue_ex_officio no se admite en este caso: solo se continúa de oficio una petición de la que el peticionario desistió (Ley 1755 de 2015, art. 18); el desistimiento tácito (art. 17) es definitivo',
      "continue_ex_officio is not allowed on this case: only a petition the petitioner withdrew (Ley 1755 de 2015, art. 18) is continued of the office's own motion; desistimiento tácito (art. 17) is final",
    );
  }
  const { withdrawal, closedAt: _closed, ...open } = state;
  return accept(
    { ...open, status: state.status },
    action,
    at,
    { status: withdrawal.from },
    { reason: action.reason, withdrawnAt: withdrawal.at },
  );
}

function sendToCourt(state: CaseLifecycle, action: ActionOf<'send_to_court'>, at: string): Decision {
  const today = dayOf(state, at);
  if (action.sentOn > today) {
    return refuseField(
      state,
      'invalid',
      'sentOn',
      'invalid_value',
      `${action.sentOn} es posterior a hoy (${today}): indique el día en que se envió`,
      `${action.sentOn} is after today (${today})`,
    );
  }
  const insisted = state.insistedAt !== undefined ? dayOf(state, state.insistedAt) : undefined;
  if (insisted !== undefined && action.sentOn < insisted) {
    return refuseField(
      state,
      'invalid',
      'sentOn',
      'too_early',
      `${action.sentOn} es anterior a la insistencia del peticionario (${insisted})`,
      `${action.sentOn} is before the petitioner insisted (${insisted})`,
    );
  }
  return accept(
    state,
    action,
    at,
    { status: 'at_court', court: { name: action.court, sentOn: action.sentOn } },
    { court: action.court, sentOn: action.sentOn },
  );
}

function assign(state: CaseLifecycle, action: ActionOf<'assign'>, at: string): Decision {
  if (action.office === state.office && action.officer === state.officer) {
    return refuseField(
      state,
      'invalid',
      'office',
      'invalid_value',
      `el caso ya está en la dependencia ${action.office}${action.officer ? ' y con ese funcionario' : ''}: no hay nada que asignar${action.officer ? '' : ' (indique officer para asignarlo a un funcionario)'}`,
      `the case is already with office ${action.office}${action.officer ? ' and that officer' : ' (name an officer to assign it to one)'}`,
    );
  }
  const suspended = isSuspended(state.status);
  const status: CaseStatus = suspended ? state.status : action.officer ? 'assigned' : 'routed';
  const { officer: _dropped, ...rest } = state;
  const next: CaseLifecycle = {
    ...rest,
    status,
    office: action.office,
    ...(action.officer !== undefined ? { officer: action.officer } : {}),
    updatedAt: at,
  };
  return {
    ok: true,
    next,
    event: {
      type: ACTIONS.assign.event,
      data: {
        status: { from: state.status, to: status },
        office: { from: state.office ?? null, to: action.office },
        officer: { from: state.officer ?? null, to: action.officer ?? null },
      },
    },
  };
}

function reclassify(
  state: CaseLifecycle,
  action: ActionOf<'reclassify'>,
  at: string,
  context: DecideContext,
): Decision {
  const kind = action.kind ?? state.kind;
  const termClass =
    action.termClass ??
    (action.kind !== undefined
      ? (context.termClassFor ?? ((k: Kind) => DEFAULT_TERM_CLASS[k]))(action.kind)
      : state.termClass);
  if (kind === state.kind && termClass === state.termClass) {
    return refuseField(
      state,
      'invalid',
      action.kind !== undefined ? 'kind' : 'termClass',
      'invalid_value',
      `el caso ya es ${state.kind} con clase de término ${state.termClass}: no hay nada que reclasificar`,
      `the case is already a ${state.kind} with term class ${state.termClass}: nothing to reclassify`,
    );
  }
  const result = clockOf(state, state.clockEvents, termClass);
  const refused = result.refusedEvents[0];
  if (refused !== undefined) {
    return refuseField(
      state,
      'invalid',
      action.termClass !== undefined ? 'termClass' : 'kind',
      'conflict',
      `con ${termClass}, el evento ${refused.type} del caso (${refused.on}) no sería válido con el nuevo término: ${refused.note}`,
      `reclassify to ${termClass}: the case's ${refused.type} of ${refused.on} would not hold under the new term (the clock, in Spanish: "${refused.note}")`,
    );
  }
  return accept(
    state,
    action,
    at,
    { status: state.status, kind, termClass },
    {
      kind: { from: state.kind, to: kind },
      termClass: { from: state.termClass, to: termClass },
      reason: action.reason,
      dueDate: result.due,
    },
    undefined,
    result,
  );
}

function requestFromPetitioner(
  state: CaseLifecycle,
  action: ActionOf<'request_completion'> | ActionOf<'request_clarification'>,
  at: string,
): Decision {
  const completion = action.type === 'request_completion';
  const current = clockOf(state);
  const tr = ruleOf(current);
  const cite = completion
    ? `${tr?.completion.law ?? 'Ley 1755 de 2015'}, ${tr?.completion.article ?? 'art. 17'}`
    : 'Ley 1755 de 2015, art. 19';
  const within = tr?.completion.requestWithinDays ?? 10;
  const on = dayOf(state, at);
  if (on > current.completionRequestBy) {
    return refuse(
      state,
      'too_late',
      `${action.type} el ${on}: ${completion ? 'la solicitud de completar' : 'la solicitud de aclarar'} debía hacerse a más tardar el ${current.completionRequestBy}, dentro de los ${within} días hábiles siguientes a la radicación (${cite}); el caso está en estado ${state.status} y su término sigue corriendo`,
      `${action.type} on ${on}: the ${completion ? 'completion' : 'clarification'} must be requested by ${current.completionRequestBy}, within ${within} business days of receipt (${cite}); the case is ${state.status} and its term keeps running`,
    );
  }
  if (current.due !== null && on > current.due) {
    return refuse(
      state,
      'too_late',
      `${action.type} el ${on}: el término venció el ${current.due}; ya no puede suspenderse (${cite})`,
      `${action.type} on ${on}: the term expired on ${current.due}; it can no longer be suspended (${cite})`,
    );
  }
  const clockEvent: LifecycleClockEvent = {
    type: completion ? 'completion_requested' : 'clarification_requested',
    at,
  };
  const r = appendClockEvent(state, clockEvent);
  if (!r.ok) return refuseNote(state, action.type, cite, r.note);
  const status: CaseStatus = completion ? 'awaiting_completion' : 'awaiting_clarification';
  return accept(
    state,
    action,
    at,
    { status },
    { what: action.what, petitionerRespondBy: r.result.suspended?.respondBy ?? null },
    clockEvent,
    r.result,
  );
}

/** The clock refused the event: its note (Spanish; quoted in the English message), with the article. */
function refuseNote(state: CaseLifecycle, type: string, cite: string, note: Phrase): Refusal {
  return refuse(state, 'invalid', `${type} (${cite}): ${note.es}`, `${type} (${cite}): ${note.en}`);
}

/** The instant the petitioner's document arrived: not after the action, not before the last clock event. */
function documentInstant(
  state: CaseLifecycle,
  given: string | undefined,
  at: string,
  field: string,
): { error: Refusal; instant?: undefined } | { error?: undefined; instant: string } {
  const instant = given ?? at;
  const epoch = epochOf(instant);
  if (epoch > epochOf(at)) {
    return {
      error: refuseField(
        state,
        'invalid',
        field,
        'invalid_value',
        `es posterior al momento de la acción (${at}): indique cuándo se recibió`,
        `is after the action's instant (${at})`,
      ),
    };
  }
  const last = state.clockEvents[state.clockEvents.length - 1];
  if (last !== undefined && epoch < epochOf(last.at)) {
    return {
      error: refuseField(
        state,
        'invalid',
        field,
        'too_early',
        `es anterior al último evento del término del caso (${last.type}, ${last.at})`,
        `is before the case's last clock event (${last.type} at ${last.at})`,
      ),
    };
  }
  return { instant };
}

function recordFromPetitioner(
  state: CaseLifecycle,
  action: ActionOf<'record_completion'> | ActionOf<'record_clarification'> | PetitionerActionOf<'reply'>,
  at: string,
): Decision {
  const completion =
    action.type === 'record_completion' ||
    (action.type === 'reply' && state.status === 'awaiting_completion');
  const receivedAt = action.type === 'reply' ? undefined : action.receivedAt;
  const doc = documentInstant(state, receivedAt, at, 'receivedAt');
  if (doc.error !== undefined) return doc.error;
  const tr = ruleOf(clockOf(state));
  const cite = completion
    ? `${tr?.completion.law ?? 'Ley 1755 de 2015'}, ${tr?.completion.article ?? 'art. 17'}`
    : 'Ley 1755 de 2015, art. 19';
  const clockEvent: LifecycleClockEvent = { type: completion ? 'completed' : 'clarified', at: doc.instant };
  const r = appendClockEvent(state, clockEvent);
  if (!r.ok) {
    if (r.result.suspended?.lapsed) {
      return refuse(
        state,
        'too_late',
        `${action.type}: el caso está en estado ${state.status} y el plazo del peticionario venció el ${state.dates.petitionerRespondBy}; en su lugar puede declararse el desistimiento tácito (withdraw) (${cite})`,
        `${action.type}: the case is ${state.status} and the petitioner's period ended on ${state.dates.petitionerRespondBy}; desistimiento tácito may be declared instead (withdraw) (${cite})`,
      );
    }
    return refuseNote(state, action.type, cite, r.note);
  }
  return accept(
    state,
    action,
    at,
    { status: workingStatus(state) },
    { receivedAt: doc.instant, dueDate: r.result.due },
    clockEvent,
    r.result,
  );
}

function extendCompletion(state: CaseLifecycle, action: ActionOf<'extend_completion'>, at: string): Decision {
  const doc = documentInstant(state, action.requestedAt, at, 'requestedAt');
  if (doc.error !== undefined) return doc.error;
  const current = clockOf(state);
  const tr = ruleOf(current);
  const cite = `${tr?.completion.law ?? 'Ley 1755 de 2015'}, ${tr?.completion.article ?? 'art. 17'}`;
  if ((tr?.completion.extendableMonths ?? 1) === 0) {
    return refuse(
      state,
      'illegal_transition',
      `extend_completion no se admite en un caso en estado ${state.status}: el plazo del peticionario no es prorrogable para ${state.termClass} (${cite})`,
      `extend_completion is not allowed on a case in status ${state.status}: the petitioner's period is not extendable for ${state.termClass} (${cite})`,
    );
  }
  if (current.suspended?.extended) {
    return refuse(
      state,
      'illegal_transition',
      `extend_completion no se admite en un caso en estado ${state.status}: el plazo del peticionario ya se prorrogó una vez, hasta el ${current.suspended.respondBy} (${cite})`,
      `extend_completion is not allowed on a case in status ${state.status}: the petitioner's period was already extended once, to ${current.suspended.respondBy} (${cite})`,
    );
  }
  const on = dayOf(state, doc.instant);
  const by = current.suspended?.respondBy ?? state.dates.petitionerRespondBy;
  if (by !== null && on > by) {
    return refuse(
      state,
      'too_late',
      `extend_completion el ${on}: el peticionario debía pedir la prórroga antes de que venciera su plazo, el ${by} (${cite})`,
      `extend_completion on ${on}: the petitioner had to ask before the period ended on ${by} (${cite})`,
    );
  }
  const clockEvent: LifecycleClockEvent = { type: 'completion_extension_requested', at: doc.instant };
  const r = appendClockEvent(state, clockEvent);
  if (!r.ok) return refuseNote(state, 'extend_completion', cite, r.note);
  return accept(
    state,
    action,
    at,
    { status: state.status },
    { requestedAt: doc.instant, petitionerRespondBy: r.result.suspended?.respondBy ?? null },
    clockEvent,
    r.result,
  );
}

function withdraw(state: CaseLifecycle, action: ActionOf<'withdraw'>, at: string): Decision {
  const s = clockStatus(clockInputOf(state), at);
  const tr = ruleOf(clockOf(state));
  // An unclarified petition is archived (art. 19); an incomplete one ends in desistimiento (art. 17).
  const clarification = state.status === 'awaiting_clarification';
  const cite = clarification
    ? 'Ley 1755 de 2015, art. 19'
    : `${tr?.completion.law ?? 'Ley 1755 de 2015'}, ${tr?.completion.article ?? 'art. 17'}`;
  if (!s.withdrawalAllowed) {
    return refuse(
      state,
      'too_early',
      `withdraw el ${s.on}: el caso está en estado ${state.status} y el peticionario tiene plazo hasta el ${s.petitionerRespondBy} a medianoche; ${clarification ? 'el archivo' : 'el desistimiento tácito'} procede solo después de ese día (${cite})`,
      `withdraw on ${s.on}: the case is ${state.status} and the petitioner has until midnight of ${s.petitionerRespondBy}; ${clarification ? 'archiving' : 'desistimiento tácito'} only after that day (${cite})`,
    );
  }
  return accept(
    state,
    action,
    at,
    { status: 'withdrawn', closedAt: at, withdrawal: { kind: 'tacit', at, from: state.status } },
    { reason: action.reason, petitionerRespondBy: s.petitionerRespondBy },
  );
}

function extend(state: CaseLifecycle, action: ActionOf<'extend'>, at: string): Decision {
  const current = clockOf(state);
  const tr = ruleOf(current);
  const cite = `${tr?.extension.law ?? 'Ley 1755 de 2015'}, ${tr?.extension.article ?? 'art. 14, parágrafo'}`;
  const on = dayOf(state, at);
  const { legalDue, due, maxExtendedDue } = current;
  if (legalDue === null || due === null) {
    return refuse(
      state,
      'illegal_transition',
      `extend: el término está suspendido (${cite})`,
      `extend: the term is suspended (${cite})`,
    );
  }
  if (on > legalDue) {
    return refuse(
      state,
      'too_late',
      `extend el ${on}: la prórroga debe informarse antes de que venza el término, el ${legalDue} (${cite})`,
      `extend on ${on}: an extension must be notified before the term expires on ${legalDue} (${cite})`,
    );
  }
  // A maximum past the supported calendar (null) is above any date the clock accepts.
  if (maxExtendedDue !== null && due >= maxExtendedDue) {
    return refuse(
      state,
      'illegal_transition',
      `extend no se admite en un caso en estado ${state.status}: ya está prorrogado hasta el máximo, el ${maxExtendedDue} (${cite})`,
      `extend is not allowed on a case in status ${state.status}: it is already extended to the maximum, ${maxExtendedDue} (${cite})`,
    );
  }
  if (maxExtendedDue !== null && action.newDueDate > maxExtendedDue) {
    const double = tr?.extension.kind !== 'fixed';
    return refuseField(
      state,
      'invalid',
      'newDueDate',
      'too_late',
      `${action.newDueDate} es posterior al máximo, el ${maxExtendedDue}${double ? ', el doble del término contado desde la radicación' : ''}: indique esa fecha o una anterior (${cite})`,
      `${action.newDueDate} is later than the maximum ${maxExtendedDue}${double ? ', double the term counted from receipt' : ''} (${cite})`,
    );
  }
  if (action.newDueDate <= due) {
    return refuseField(
      state,
      'invalid',
      'newDueDate',
      'too_early',
      `${action.newDueDate} no es posterior al vencimiento actual, el ${due}: indique una fecha posterior (${cite})`,
      `${action.newDueDate} is not later than the current due date ${due} (${cite})`,
    );
  }
  const clockEvent: LifecycleClockEvent = { type: 'extended', at, until: action.newDueDate };
  const r = appendClockEvent(state, clockEvent);
  if (!r.ok) {
    return refuseField(
      state,
      'invalid',
      'newDueDate',
      'invalid_value',
      `(${cite}) ${r.note.es}`,
      `(${cite}) ${r.note.en}`,
    );
  }
  return accept(
    state,
    action,
    at,
    { status: state.status },
    { newDueDate: action.newDueDate, previousDueDate: due, maxExtendedDue, reason: action.reason },
    clockEvent,
    r.result,
  );
}

function forward(
  state: CaseLifecycle,
  action: ActionOf<'forward'> | ActionOf<'no_competent_authority'>,
  at: string,
): Decision {
  const on = dayOf(state, at);
  const forwardBy = state.dates.forwardBy;
  const late = on > forwardBy;
  if (action.type === 'forward') {
    if (action.toEntityId === state.entityId) {
      return refuseField(
        state,
        'invalid',
        'toEntityId',
        'invalid_value',
        'un caso se remite a otra entidad, la competente, no a la propia (Ley 1755 de 2015, art. 21)',
        'a case is forwarded to another entity (Ley 1755 de 2015, art. 21)',
      );
    }
    return accept(
      state,
      action,
      at,
      { status: 'forwarded', closedAt: at, forwardedTo: { entityId: action.toEntityId, late } },
      { toEntityId: action.toEntityId, reason: action.reason, forwardBy, late },
    );
  }
  return accept(
    state,
    action,
    at,
    { status: 'no_competent_authority', closedAt: at },
    { reason: action.reason, forwardBy, late },
  );
}

/** A request for documents or information (Ley 1755 art. 14 num. 1; Ley 1712). */
function isInformationRequest(state: CaseLifecycle): boolean {
  return state.kind === 'information_request' || state.termClass === 'information';
}

/** Art. 19's two answers: a rejection for disrespect is a denial; a reference names the earlier case. */
function checkBasis(state: CaseLifecycle, action: ActionOf<'respond'>): Decision | undefined {
  const cite = 'Ley 1755 de 2015, art. 19';
  if (action.basis === 'disrespectful' && action.outcome !== 'denied') {
    return refuseField(
      state,
      'invalid',
      'outcome',
      'invalid_value',
      `el rechazo de una petición irrespetuosa es una negativa motivada: use outcome denied y dé los motivos en answer (${cite})`,
      `rejecting a disrespectful petition is a reasoned denial: use outcome denied, reasons in answer (${cite})`,
    );
  }
  if ((action.basis === 'repeated') !== (action.reference !== undefined)) {
    return refuseField(
      state,
      'invalid',
      action.reference === undefined ? 'reference' : 'basis',
      'required',
      `la respuesta por remisión a una anterior indica basis repeated y reference, el radicado ya respondido (${cite})`,
      `an answer by reference gives basis repeated and reference, the radicado already answered (${cite})`,
    );
  }
  if (action.reference === state.radicado) {
    return refuseField(
      state,
      'invalid',
      'reference',
      'invalid_value',
      `remita a otra petición ya respondida, no a esta misma (${cite})`,
      `refer to another petition already answered, not this one (${cite})`,
    );
  }
  return undefined;
}

function respond(
  state: CaseLifecycle,
  action: ActionOf<'respond'>,
  at: string,
  group: DecideContext['group'],
): Decision {
  const information = isInformationRequest(state);
  const withholds = action.outcome !== 'granted';
  const cite = 'Ley 1755 de 2015, art. 25; Ley 1712 de 2014, arts. 18, 19 y 21';
  if (information && withholds) {
    // Ley 1755 art. 25; Ley 1712 arts. 21 and 28: a reasoned act naming the ground and what is withheld.
    const missing = (
      [
        ['legalReserve', 'los motivos de la negativa', 'the reasons of the denial'],
        [
          'legalGround',
          'el fundamento legal (artículo 18 o 19 de la Ley 1712 de 2014 y su literal)',
          'the legal ground (Ley 1712 de 2014 art. 18 or 19 and its literal)',
        ],
        ['withheld', 'qué información se retiene', 'what information is withheld'],
      ] as const
    ).find(([field]) => action[field] === undefined);
    if (missing) {
      const [field, es, en] = missing;
      return refuseField(
        state,
        'invalid',
        field,
        'required',
        `negar una solicitud de información, total o parcialmente, es un acto motivado: indique ${es} (${cite})`,
        `denying an information request, fully or partly, is a reasoned act: give ${en} (${cite})`,
      );
    }
  }
  if (!withholds) {
    const extra = (['legalReserve', 'legalGround', 'withheld'] as const).find((f) => action[f] !== undefined);
    if (extra) {
      return refuseField(
        state,
        'invalid',
        extra,
        'not_allowed',
        'una respuesta favorable no niega nada: quite la reserva, su fundamento y lo retenido',
        'a granted request withholds nothing; give no reserve, ground or withheld information',
      );
    }
  }
  const basisRefusal = checkBasis(state, action);
  if (basisRefusal) return basisRefusal;
  const on = dayOf(state, at);
  const due = state.dates.dueDate;
  const late = due !== null && on > due;
  // Art. 14 num. 1: deemed accepted after its due date; only a reserve of Ley 1712 art. 19 still stands.
  if (information && late && withholds && action.legalGround?.article !== '19') {
    return refuseField(
      state,
      'too_late',
      'outcome',
      'too_late',
      `una solicitud de información no respondida a su vencimiento (${due}) se entiende aceptada: ya no puede negarse, total ni parcialmente, salvo información reservada (Ley 1712 de 2014, art. 19), y los documentos deben entregarse (Ley 1755 de 2015, art. 14 num. 1)`,
      `an information request not answered by its due date (${due}) is deemed accepted: it can no longer be denied, fully or partly, save reserved information (Ley 1712 de 2014, art. 19); the documents must be delivered (Ley 1755 de 2015, art. 14 num. 1)`,
    );
  }
  const grounds = {
    ...(action.legalReserve !== undefined ? { legalReserve: action.legalReserve } : {}),
    ...(action.legalGround !== undefined ? { legalGround: action.legalGround } : {}),
    ...(action.withheld !== undefined ? { withheld: action.withheld } : {}),
    ...(action.basis !== undefined ? { basis: action.basis } : {}),
    ...(action.reference !== undefined ? { reference: action.reference } : {}),
    ...(group !== undefined ? { group: { id: group.id, size: group.size } } : {}),
  };
  // Art. 14 num. 1: a late grant of an information request delivers the copies it owes.
  const copies = information && late ? { deemedAccepted: true } : {};
  const answer = { at, outcome: action.outcome, late, ...grounds, ...copies };
  const copiesDue = state.dates.copiesDue;
  return accept(
    state,
    action,
    at,
    { status: 'answered', answer },
    {
      answer: action.answer,
      outcome: action.outcome,
      ...grounds,
      ...(action.legalGround !== undefined ? { legalGroundText: legalGroundText(action.legalGround) } : {}),
      answeredOn: on,
      dueDate: due,
      late,
      // Ley 1755 art. 14 num. 1: an information request unanswered by its due date is deemed accepted.
      ...(information ? { deemedAccepted: late } : {}),
      ...(information && late && copiesDue !== null
        ? { copiesDelivered: true, copiesDue, copiesLate: on > copiesDue }
        : {}),
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The petitioner's own acts (tracking code or identified citizen): reply, withdraw, insist
// ---------------------------------------------------------------------------------------------

export const PetitionerActionSchema = z.discriminatedUnion('type', [
  /** Answers the pending completion (art. 17) or clarification (art. 19) request. */
  z.strictObject({ type: z.literal('reply') }),
  /** Ley 1755 art. 18: express withdrawal, at any time before the answer. */
  z.strictObject({ type: z.literal('withdraw_petition'), reason: plainText(2000).optional() }),
  /** Ley 1755 art. 26: insistence after a denial citing a legal reserve. */
  z.strictObject({ type: z.literal('insist') }),
]);
export type PetitionerAction = z.output<typeof PetitionerActionSchema>;
export type PetitionerActionType = PetitionerAction['type'];
type PetitionerActionOf<T extends PetitionerActionType> = Extract<PetitionerAction, { type: T }>;

export const PETITIONER_ACTIONS: Readonly<Record<PetitionerActionType, ActionRule>> = {
  reply: {
    from: SUSPENDED,
    event: 'replied',
    rule: phrase(
      'Ley 1755 de 2015, arts. 17 y 19: una respuesta del peticionario atiende una solicitud pendiente de completar o aclarar',
      'Ley 1755 de 2015, arts. 17 and 19: a reply answers a pending completion or clarification request',
    ),
  },
  withdraw_petition: {
    from: PENDING,
    event: 'withdrawn',
    rule: phrase(
      'Ley 1755 de 2015, art. 18: el peticionario desiste de una petición aún no respondida',
      'Ley 1755 de 2015, art. 18: the petitioner withdraws a petition not yet answered',
    ),
  },
  insist: {
    from: ['answered', 'closed'],
    event: 'insisted',
    rule: phrase(
      'Ley 1755 de 2015, art. 26: el peticionario insiste tras una negativa que invoca una reserva legal',
      'Ley 1755 de 2015, art. 26: the petitioner insists after a denial citing a legal reserve',
    ),
  },
};

/**
 * Decides one act of the petitioner on their case (they hold its tracking code, or the case is
 * linked to their identity: the caller checked). Refusals as `decide`'s: the status (409), the
 * law's dates (422, citing the article). The petitioner's days end at midnight, Bogota time.
 */
export function decideForPetitioner(state: CaseLifecycle, input: unknown, at: string): Decision {
  const parsed = PetitionerActionSchema.safeParse(input);
  if (!parsed.success) return refusePayload(state, parsed.error, input);
  const action = parsed.data;
  const when = parseInstant(at);
  if (when === undefined || when.dateOnly) return refuseInstant(state);
  const rule = PETITIONER_ACTIONS[action.type];
  if (!rule.from.includes(state.status)) return refuseTransition(state, action.type, rule);
  if (when.epoch < epochOf(state.updatedAt)) return refuseBeforeLastChange(state);
  try {
    switch (action.type) {
      case 'reply':
        return recordFromPetitioner(state, action, at);
      case 'withdraw_petition':
        return accept(
          state,
          action,
          at,
          { status: 'withdrawn', closedAt: at, withdrawal: { kind: 'express', at, from: state.status } },
          { express: true, ...(action.reason !== undefined ? { reason: action.reason } : {}) },
        );
      case 'insist':
        return insist(state, action, at);
    }
  } catch (e) {
    if (isClockError(e)) return refuseClock(state, action.type, e);
    throw e;
  }
}

/**
 * The last day to insist: INSISTENCE_DAYS business days after the denial was notified (art. 26).
 * Sent by email or SMS, that is the day of the answer (the notice leaves with it); published for a
 * petitioner with no private contact, the day the notice deems it done (CPACA art. 69).
 */
export function insistenceBy(
  state: Pick<
    CaseLifecycle,
    'answer' | 'clockSettings' | 'termClass' | 'receivedAt' | 'clockEvents' | 'notifiedByPublication'
  >,
): string | null {
  if (state.answer === undefined) return null;
  const answeredOn = clockStatus(clockInputOf(state), state.answer.at).on;
  const calendar = { closures: state.clockSettings.closures ?? [] };
  const notifiedOn = state.notifiedByPublication
    ? publicationPeriod(answeredOn, calendar).notifiedOn
    : answeredOn;
  return addBusinessDays(notifiedOn, INSISTENCE_DAYS, calendar);
}

function insist(state: CaseLifecycle, action: PetitionerActionOf<'insist'>, at: string): Decision {
  const answer = state.answer;
  const cite = 'Ley 1755 de 2015, art. 26';
  if (answer === undefined || !insistable(answer)) {
    return refuse(
      state,
      'illegal_transition',
      `insist no se admite en este caso: no hay una negativa fundada en una reserva legal sobre la cual insistir (${cite})`,
      `insist is not allowed on this case: there is no denial citing a legal reserve to insist on (${cite})`,
    );
  }
  const by = insistenceBy(state)!;
  const on = dayOf(state, at);
  if (on > by) {
    return refuse(
      state,
      'too_late',
      `insist el ${on}: la insistencia se presenta dentro de los ${INSISTENCE_DAYS} días hábiles siguientes a la notificación de la negativa, a más tardar el ${by} (${cite})`,
      `insist on ${on}: the insistence is filed within ${INSISTENCE_DAYS} business days of the notice of the denial, by ${by} (${cite})`,
    );
  }
  return accept(
    state,
    action,
    at,
    { status: 'insistence', insistedAt: at },
    { insistenceBy: by, legalReserve: answer.legalReserve },
  );
}
