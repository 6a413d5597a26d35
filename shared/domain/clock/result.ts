/**
 * The clock's answer for one case (dates `YYYY-MM-DD`, Bogota) and the functions that produce it.
 */
import type { TermClass } from '../vocabulary.ts';
import type { Computation, Deemed, EventOutcome, SuspensionKind } from './engine.ts';
import { basicDue, caseBasis, prepareEvents, runClock, suspensionCitation } from './engine.ts';
import { ClockError } from './errors.ts';
import { type ClockInput, type EntityClock, parseCase, type SuspensionReading } from './schema.ts';
import { buildTrace, type TraceEntry } from './trace.ts';

export interface ClockEventResult {
  /** Position in the input `events`. */
  readonly index: number;
  readonly type: string;
  readonly at: string;
  /** The Bogota date it took effect (after the office-hours rule for documents received). */
  readonly on: string;
  readonly accepted: boolean;
  /** Why it was refused, or what it did. */
  readonly note: string;
}

export interface ClockResult {
  /** Id of the rule set the filing lives under (chosen by the receipt date); store it with the case. */
  readonly ruleSet: string;
  readonly ruleSetName: string;
  readonly termClass: TermClass;
  /** The rule and article that set the term. */
  readonly rule: { readonly law: string; readonly article: string; readonly text: string };
  /** The term that applies, in business days (the entity's when shorter, else the law's). */
  readonly termDays: number;
  readonly legalTermDays: number;
  readonly termSource: 'law' | 'entity';
  /** The term counted towards the due date, extension included. */
  readonly totalTermDays: number;
  /** Decreto 491/2020 art. 5 parágrafo applied (ordinary terms kept). */
  readonly fundamentalRight: boolean;
  /** The filing instant as given, and its Bogota date. */
  readonly filed: string;
  readonly filedOn: string;
  /** The day of receipt (day 0; after the office-hours rule when the entity uses it). */
  readonly receivedOn: string;
  readonly deemedReceipt: { readonly reason: Deemed; readonly officeHours: string } | null;
  /** Day 1 is the first business day after this date (receipt, completion, competent entity's receipt). */
  readonly termStartsAfter: string;
  /** Last day of the term (a response that day is on time); null while the term is suspended. */
  readonly due: string | null;
  /** The due date without the extension. */
  readonly legalDue: string | null;
  /**
   * Latest date an extension may set (double the term from receipt; Ley 1581: + 5 / + 8 days);
   * null while suspended, or when it falls past the supported calendar (2100-12-31).
   */
  readonly maxExtendedDue: string | null;
  readonly extension: { readonly until: string; readonly notifiedOn: string } | null;
  /** Art. 21: forward to the competent entity by this date (Ley 1581 claims: 2 days). */
  readonly forwardBy: string;
  /** Art. 17: ask the petitioner to complete by this date (Ley 1581 claims: 5 days). */
  readonly completionRequestBy: string;
  /** Information requests: if unanswered by `due`, deemed accepted; copies by this date (absent past 2100). */
  readonly copiesDue?: string;
  /**
   * Personal-data claims (Ley 1581 art. 15 num. 2): the "reclamo en trámite" legend by this date,
   * two business days after the complete claim is received; null while completion is awaited.
   */
  readonly legendBy?: string | null;
  /** The term is stopped, waiting for the petitioner. */
  readonly suspended: {
    readonly kind: SuspensionKind;
    /** The provision: "petición incompleta, Ley 1755 de 2015, art. 17". */
    readonly provision: string;
    readonly since: string;
    readonly businessDaysUsed: number;
    /** Last day for the petitioner (to midnight); after it, desistimiento tácito (clarification: archive). */
    readonly respondBy: string;
    readonly extended: boolean;
    /** A completion arrived late and was refused. */
    readonly lapsed: boolean;
  } | null;
  readonly suspensionReading: SuspensionReading;
  readonly forwarded: { readonly receivedOn: string; readonly late: boolean } | null;
  /**
   * The day from which the entity may declare desistimiento tácito (a late completion was refused)
   * or archive the petition (a late clarification, art. 19).
   */
  readonly withdrawalFrom: string | null;
  readonly officeHoursRule: { readonly hours: string; readonly defaulted: boolean } | null;
  /** Every event, in the order applied (by instant). */
  readonly events: readonly ClockEventResult[];
  /** The refused events, with their reasons. */
  readonly refusedEvents: readonly ClockEventResult[];
  readonly trace: readonly TraceEntry[];
}

/**
 * A result with no pending suspension (always the case for an input without events); its
 * `maxExtendedDue` is still null when it would fall past the supported calendar.
 */
export type SettledClockResult = ClockResult & {
  readonly due: string;
  readonly legalDue: string;
};

function eventResult(c: Computation, o: EventOutcome): ClockEventResult {
  const f = (d: number) => c.cal.national.format(d);
  return { index: o.index, type: o.type, at: o.at, on: f(o.on), accepted: o.accepted, note: o.note };
}

/** Shapes a computation as the public result. */
export function toResult(c: Computation, withTrace: boolean): ClockResult {
  const f = (d: number) => c.cal.national.format(d);
  const events = c.outcomes.map((o) => eventResult(c, o));
  const hours = c.entity.officeHours;
  return {
    ruleSet: c.ruleSet.id,
    ruleSetName: c.ruleSet.name,
    termClass: c.termClass,
    rule: { law: c.rule.law, article: c.rule.article, text: c.rule.text },
    termDays: c.termDays,
    legalTermDays: c.legalTermDays,
    termSource: c.termSource,
    totalTermDays: c.run.total,
    fundamentalRight: c.fundamentalRight && c.ruleSet.fundamentalRightTerms !== undefined,
    filed: c.filedInput,
    filedOn: f(c.filed.day),
    receivedOn: f(c.receivedDay),
    deemedReceipt: c.deemed && hours ? { reason: c.deemed, officeHours: hours.label } : null,
    termStartsAfter: f(c.run.start),
    due: c.due === null ? null : f(c.due),
    legalDue: c.legalDue === null ? null : f(c.legalDue),
    maxExtendedDue: c.maxDue === null ? null : f(c.maxDue),
    extension: c.extension ? { until: f(c.extension.until), notifiedOn: f(c.extension.on) } : null,
    forwardBy: f(c.forwardBy),
    completionRequestBy: f(c.completionRequestBy),
    ...(c.copiesDue !== null ? { copiesDue: f(c.copiesDue) } : {}),
    ...(c.rule.legend ? { legendBy: c.legendBy === null ? null : f(c.legendBy) } : {}),
    suspended: c.suspension
      ? {
          kind: c.suspension.kind,
          provision: suspensionCitation(c.rule, c.suspension.kind),
          since: f(c.suspension.from),
          businessDaysUsed: c.suspension.usedBefore,
          respondBy: f(c.suspension.deadline),
          extended: c.suspension.extended,
          lapsed: c.suspension.lapsed,
        }
      : null,
    suspensionReading: c.reading,
    forwarded: c.forwarded ? { receivedOn: f(c.forwarded.on), late: c.forwarded.late } : null,
    withdrawalFrom: c.withdrawalFrom === null ? null : f(c.withdrawalFrom),
    officeHoursRule: hours ? { hours: hours.label, defaulted: hours.defaulted } : null,
    events,
    refusedEvents: events.filter((e) => !e.accepted),
    trace: withTrace ? buildTrace(c) : [],
  };
}

/**
 * The case clock with its explanation. Validates the input (zod) and throws a ClockError naming
 * the field for anything invalid or out of range.
 */
/** `trace: false` leaves the day-by-day explanation out (an empty trace): for hot paths that store dates. */
export interface ComputeOptions {
  readonly trace?: boolean;
}

export function computeClock(
  input: ClockInput & { readonly events?: readonly [] | undefined },
  options?: ComputeOptions,
): SettledClockResult;
export function computeClock(input: ClockInput, options?: ComputeOptions): ClockResult;
export function computeClock(input: ClockInput, options: ComputeOptions = {}): ClockResult {
  return toResult(computeRaw(input), options.trace ?? true);
}

/** The computation behind a result, for callers that need day numbers (status). */
export function computeRaw(input: ClockInput): Computation {
  const parsed = parseCase(input);
  return runClock({ ...parsed, entity: (input as { entity?: EntityClock }).entity });
}

/**
 * Fast path: the due date only, no explanation (≥ 1 M/s on one core). Validates by hand (entity
 * settings are validated once per settings object and cached). Null while the term is suspended.
 */
export function dueDate(input: ClockInput): string | null {
  if (input === null || typeof input !== 'object')
    throw new ClockError('invalid', 'input', 'expected an object');
  const events = input.events;
  if (events === undefined || (Array.isArray(events) && events.length === 0)) {
    const b = caseBasis(input);
    return b.cal.national.format(basicDue(b));
  }
  const c = runClock({
    termClass: input.termClass,
    filed: input.filed,
    entity: input.entity,
    events: prepareEvents(events),
    fundamentalRight: input.fundamentalRight,
  });
  return c.due === null ? null : c.cal.national.format(c.due);
}
