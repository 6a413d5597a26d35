/**
 * The case (one PQRSD filing) as stored, and the views of it. Pure.
 */
import { reachesPrivately } from '../channels.ts';
import type { EntityClock } from '../clock/index.ts';
import type { DocumentRef } from '../documents.ts';
import type { ForwardSuggestion } from '../entity.ts';
import type { CaseStatus, Channel, Kind, Semaforo, TermClass } from '../vocabulary.ts';
import type { Filing, Petitioner } from './filing.ts';
import type {
  CaseLifecycle,
  LegalGround,
  LifecycleClockEvent,
  LifecycleSeed,
  Outcome,
  Withdrawal,
} from './lifecycle.ts';
import type { LifecycleDates } from './status.ts';

/**
 * The case's dates, as the clock gives them for its events (`lifecycleDates`). Cases filed before
 * the lifecycle was stored lack the optional ones (read as null).
 */
export interface CaseDates {
  receivedOn: string;
  /** Null while the term is suspended (awaiting the petitioner). */
  dueDate: string | null;
  maxExtendedDue: string | null;
  forwardBy: string;
  completionRequestBy: string;
  copiesDue?: string;
  /** Personal-data claims: the "reclamo en trámite" legend by this day (Ley 1581 art. 15 num. 2). */
  legendBy?: string | null;
  /** The due date without the extension (an extension is notified before it). */
  legalDue?: string | null;
  /** While suspended: the petitioner's last day. */
  petitionerRespondBy?: string | null;
  petitionerExtended?: boolean;
  /** The new date of a notified extension. */
  extendedUntil?: string | null;
}

/** The answer given (respond): the text goes to the petitioner, never to public outputs. */
export interface CaseAnswer {
  at: string;
  outcome: Outcome;
  late: boolean;
  /** A denial's reasons, its ground (Ley 1712 art. 18 or 19, the literal) and what is withheld. */
  legalReserve?: string;
  legalGround?: LegalGround;
  withheld?: string;
  /** Art. 19: a disrespectful petition rejected, or a repeated one answered by reference. */
  basis?: 'disrespectful' | 'repeated';
  reference?: string;
  /** Art. 22: the group of analogous petitions this answer went to. */
  group?: { id: string; size: number };
  text: string;
  /** The documents the answer came with. */
  documents?: DocumentRef[];
  /** Ley 1755 art. 14 num. 1: an information request not answered in time is deemed accepted. */
  deemedAccepted?: boolean;
}

/** A case received in person or by phone (Decreto 1166 de 2016): the record the officer kept. */
export interface VerbalRecord {
  /** The officer who received it (token subject). */
  officer: string;
  channel: 'in_person' | 'phone';
  /** Where (service point) it was received, when in person. */
  place?: string;
}

export interface CaseRecord extends CaseDates {
  radicado: string;
  entityId: string;
  kind: Kind;
  termClass: TermClass;
  ruleSet: string;
  category?: string;
  channel: Channel;
  externalId?: string;
  subject: string;
  description: string;
  petitioner?: Petitioner;
  anonymous: boolean;
  priority: boolean;
  receivedAt: string;
  /** The entity's clock settings at receipt: the case's dates are computed with these, for good. */
  clockSettings: EntityClock;
  status: CaseStatus;
  office?: string;
  /** The assigned officer (token subject). */
  officer?: string;
  /** The clock events accepted so far (the clock's input with receivedAt and clockSettings). */
  clockEvents?: LifecycleClockEvent[];
  /** The instant of the last change. */
  updatedAt?: string;
  answer?: CaseAnswer;
  /** Art. 21: the competent entity and the case filed there. */
  forwardedTo?: { entityId: string; radicado: string; late: boolean };
  /** The case this one was forwarded from (art. 21): its term runs from this case's receipt. */
  forwardedFrom?: { entityId: string; radicado: string };
  closedAt?: string;
  /** Withdrawn by the office (tacit, art. 17) or by the petitioner (express, art. 18). */
  withdrawal?: Withdrawal;
  /** Art. 26: when the petitioner insisted on a reserved request, and the court the file went to. */
  insistedAt?: string;
  court?: { name: string; sentOn: string };
  /** Ley 1581 art. 15 num. 2: when the office recorded the "reclamo en trámite" legend. */
  legendAt?: string;
  /**
   * Ley 1755 art. 14 num. 1: an information request unanswered by its due date is deemed accepted
   * (set once by the sweeper, with a `deemed_accepted` audit event).
   */
  deemedAccepted?: boolean;
  verbal?: VerbalRecord;
  /** The documents the petitioner filed with the petition. */
  documents?: DocumentRef[];
  /**
   * Art. 21: the kind or the category is outside the entity's competence (set at routing), with
   * the entities whose competence covers it.
   */
  forwardSuggested?: ForwardSuggestion;
  /**
   * The entity settings version whose closures the case took after its filing (closures.ts): an
   * older version never replaces them, so a late reader cannot undo a newer change.
   */
  closuresVersion?: number;
  /** Art. 17: the petition lacks identification or contact (set at filing): the office asks. */
  completionSuggested?: { missing: string[] };
  routedAt?: string;
  trackingHash: string;
  /** A channel filing's tracking code, sealed for its filing notice (shared/app/tracking.ts). */
  trackingSealed?: string;
  contentSha256: string;
  version: number;
  lastEventSeq: number;
  lastEventHash: string;
}

/** The lifecycle state of a stored case (its dates recomputed by the clock). */
export function lifecycleSeedOf(c: CaseRecord): LifecycleSeed {
  return {
    radicado: c.radicado,
    entityId: c.entityId,
    status: c.status,
    office: c.office,
    officer: c.officer,
    kind: c.kind,
    termClass: c.termClass,
    priority: c.priority,
    receivedAt: c.receivedAt,
    clockSettings: c.clockSettings,
    clockEvents: c.clockEvents ?? [],
    updatedAt: c.updatedAt ?? c.routedAt ?? c.receivedAt,
    answer: c.answer && {
      at: c.answer.at,
      outcome: c.answer.outcome,
      late: c.answer.late,
      ...(c.answer.legalReserve !== undefined ? { legalReserve: c.answer.legalReserve } : {}),
      ...(c.answer.legalGround !== undefined ? { legalGround: c.answer.legalGround } : {}),
      ...(c.answer.withheld !== undefined ? { withheld: c.answer.withheld } : {}),
    },
    withdrawal: c.withdrawal,
    insistedAt: c.insistedAt,
    court: c.court,
    legendAt: c.legendAt,
    notifiedByPublication: !reachesPrivately(c),
  };
}

/** The case's dates fields from the lifecycle's dates. */
export function caseDatesOf(d: LifecycleDates): CaseDates {
  return {
    receivedOn: d.receivedOn,
    dueDate: d.dueDate,
    maxExtendedDue: d.maxExtendedDue,
    forwardBy: d.forwardBy,
    completionRequestBy: d.completionRequestBy,
    ...(d.copiesDue !== null ? { copiesDue: d.copiesDue } : {}),
    ...(d.legendBy !== null ? { legendBy: d.legendBy } : {}),
    legalDue: d.legalDue,
    petitionerRespondBy: d.petitionerRespondBy,
    petitionerExtended: d.petitionerExtended,
    extendedUntil: d.extendedUntil,
  };
}

/**
 * The stored case after a lifecycle decision: the lifecycle's fields and dates, the next version.
 * (The audit head, answer text and links are set by the use case.)
 */
export function applyLifecycle(c: CaseRecord, next: CaseLifecycle): CaseRecord {
  // What the lifecycle owns is taken from `next` (a continued withdrawal drops its closedAt).
  const {
    office: _o,
    officer: _f,
    copiesDue: _c,
    closedAt: _closed,
    withdrawal: _w,
    insistedAt: _i,
    legendBy: _l,
    court: _court,
    ...rest
  } = c;
  return {
    ...rest,
    ...caseDatesOf(next.dates),
    status: next.status,
    ...(next.office !== undefined ? { office: next.office } : {}),
    ...(next.officer !== undefined ? { officer: next.officer } : {}),
    kind: next.kind,
    termClass: next.termClass,
    priority: next.priority,
    clockEvents: [...next.clockEvents],
    updatedAt: next.updatedAt,
    ...(next.closedAt !== undefined ? { closedAt: next.closedAt } : {}),
    ...(next.withdrawal !== undefined ? { withdrawal: next.withdrawal } : {}),
    ...(next.insistedAt !== undefined ? { insistedAt: next.insistedAt } : {}),
    ...(next.legendAt !== undefined ? { legendAt: next.legendAt } : {}),
    ...(next.court !== undefined ? { court: { ...next.court } } : {}),
    version: c.version + 1,
  };
}

/**
 * The filed content that the receipt's hash covers: what the citizen said, as validated, and the
 * documents they attached (name, type, size and SHA-256 of each).
 */
export function filedContent(filing: Filing, documents: readonly DocumentRef[] = []) {
  return {
    ...(documents.length > 0
      ? {
          documents: documents.map((d) => ({
            fileName: d.fileName,
            mediaType: d.mediaType,
            bytes: d.bytes,
            sha256: d.sha256,
          })),
        }
      : {}),
    entityId: filing.entityId,
    kind: filing.kind,
    subject: filing.subject,
    description: filing.description,
    category: filing.category,
    channel: filing.channel,
    petitioner: filing.petitioner,
    anonymous: filing.anonymous,
  };
}

export interface ClockView {
  semaforo: Semaforo;
  businessDaysUsed: number;
  businessDaysLeft: number;
}

/**
 * A case's status and dates, without personal data or any text: the base of the petitioner's view
 * (which adds the answer, app/readCases.ts) and of the officer's.
 */
export function publicView(c: CaseRecord, clock: ClockView, explanation: unknown) {
  return {
    radicado: c.radicado,
    entityId: c.entityId,
    kind: c.kind,
    termClass: c.termClass,
    ruleSet: c.ruleSet,
    status: c.status,
    office: c.office ?? null,
    receivedAt: c.receivedAt,
    receivedOn: c.receivedOn,
    dueDate: c.dueDate,
    maxExtendedDue: c.maxExtendedDue,
    ...(c.copiesDue ? { copiesDue: c.copiesDue } : {}),
    semaforo: clock.semaforo,
    businessDaysUsed: clock.businessDaysUsed,
    businessDaysLeft: clock.businessDaysLeft,
    explanation,
  };
}
