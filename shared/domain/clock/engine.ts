/**
 * The case clock: from a receipt instant, the entity's settings and the case events, the dates the
 * law sets. Day numbers throughout; strings only at the edges (see index.ts).
 *
 * Counting model. The term is counted in "runs": a run starts after a day (the receipt, the
 * completion, the competent entity's receipt) with some business days already used, and counts
 * the business days after it. The due date of a run is `add(start, total − used)`.
 * - Completion/clarification request on day r (Ley 1755 arts. 17, 19): the run stops; the days
 *   used are the business days counted before r (the day of the request is not counted: the term
 *   is suspended "from that request"; counting it could leave zero days after completion, and the
 *   law reactivates the term "from the day after" completion, so at least one day must remain).
 * - Completion on day c: a new run starts after c; reading `resume` keeps the days used, `restart`
 *   starts the full term again (the earlier days are discarded).
 * - Extension (art. 14 parágrafo) notified on day n ≤ the legal due date with a new date U: the run
 *   total becomes `used + count(start, U]`, capped at double the term (Ley 1581: term + 5 / + 8).
 * - Forward received by the competent entity on day f (art. 21): everything before is discarded and
 *   a fresh run starts after f.
 */

import * as z from 'zod';
import type { TermClass } from '../vocabulary.ts';
import { TERM_CLASSES } from '../vocabulary.ts';
import { BusinessCalendar, closureDays, nationalCalendar, PAST_CALENDAR } from './calendar.ts';
import {
  addMonthsToDay,
  type BogotaInstant,
  formatDay,
  parseHhmm,
  requireDay,
  requireInstant,
} from './dates.ts';
import { ClockError } from './errors.ts';
import { CLARIFICATION, type RuleSet, ruleSetFor, type TermRule } from './rules.ts';
import {
  type ClockEvent,
  ClockEventSchema,
  type ClockEventType,
  clockErrorFromZod,
  type EntityClock,
  EntityClockSchema,
  extensionDate,
  type SuspensionReading,
} from './schema.ts';

/** Default office hours when the office-hours rule is on but no hours were given. */
export const DEFAULT_OFFICE_HOURS = { open: '08:00', close: '17:00' } as const;

/** An entity's settings, validated and indexed once (cached per settings object). */
export interface PreparedEntity {
  readonly terms: Readonly<Partial<Record<TermClass, number>>>;
  /** The office-hours rule, when on. Seconds since Bogota midnight. */
  readonly officeHours: {
    readonly open: number;
    readonly close: number;
    readonly label: string;
    readonly defaulted: boolean;
  } | null;
  readonly cal: BusinessCalendar;
  readonly reading: SuspensionReading;
  /** Rule sets this entity's terms were already checked against. */
  readonly termsChecked: Set<string>;
}

const prepared = new WeakMap<object, PreparedEntity>();
let noEntity: PreparedEntity | undefined;

/**
 * Validates and indexes entity settings. Cached per object: treat settings objects as immutable
 * (build a new object to change them).
 */
export function prepareEntity(entity: EntityClock | undefined): PreparedEntity {
  if (entity === undefined) {
    if (noEntity === undefined) {
      noEntity = {
        terms: {},
        officeHours: null,
        cal: new BusinessCalendar(nationalCalendar()),
        reading: 'resume',
        termsChecked: new Set(),
      };
    }
    return noEntity;
  }
  const cached = prepared.get(entity);
  if (cached) return cached;
  const r = EntityClockSchema.safeParse(entity);
  if (!r.success) throw clockErrorFromZod(r.error).under('entity');
  const e = r.data;
  const rule = e.afterHoursNextDay ?? e.officeHours !== undefined;
  const hours = e.officeHours ?? DEFAULT_OFFICE_HOURS;
  const closures = closureDays(e.closures ?? []);
  let cal: BusinessCalendar;
  try {
    cal = new BusinessCalendar(nationalCalendar(), closures);
  } catch (err) {
    throw err instanceof ClockError ? err.under('entity') : err;
  }
  const p: PreparedEntity = {
    terms: e.terms ?? {},
    officeHours: rule
      ? {
          open: parseHhmm(hours.open)!,
          close: parseHhmm(hours.close)!,
          label: `${hours.open}–${hours.close}`,
          defaulted: e.officeHours === undefined,
        }
      : null,
    cal,
    reading: e.suspensionReading ?? 'resume',
    termsChecked: new Set(),
  };
  prepared.set(entity, p);
  return p;
}

const EventsSchema = z.array(ClockEventSchema).max(1000);

/** Validated events (the fast path validates them here; `computeClock` already did). */
export function prepareEvents(events: unknown): readonly ClockEvent[] {
  if (events === undefined) return [];
  const r = EventsSchema.safeParse(events);
  if (!r.success) throw clockErrorFromZod(r.error).under('events');
  return r.data;
}

export type SuspensionKind = 'completion' | 'clarification';

/** How the office-hours rule moved a receipt. */
export type Deemed = 'after_hours' | 'non_business_day';

export interface EventOutcome {
  /** Position in the input `events` array. */
  readonly index: number;
  readonly type: ClockEventType;
  /** As given. */
  readonly at: string;
  /** The Bogota day it takes effect (after the office-hours rule, for documents received). */
  readonly on: number;
  /** The Bogota day of `at` itself. */
  readonly atDay: number;
  readonly deemed: Deemed | null;
  readonly accepted: boolean;
  /** Why it was refused, or what it did (Spanish, one sentence). */
  readonly note: string;
  /** `extended`: the new due date accepted. */
  readonly until?: number;
}

/** A stretch of counting: business days after `start` up to `end` (inclusive). */
export interface Run {
  readonly start: number;
  /** Business days already used when the run starts. */
  readonly used0: number;
  /** Last day of the run (inclusive): the day before a suspension, a forward day, or the due date. */
  end: number;
  /** Days counted and later discarded (restart reading, forward to the competent entity). */
  discarded: boolean;
  /** Total term the run counts towards (with an extension). */
  total: number;
}

export interface SuspensionSpan {
  readonly kind: SuspensionKind;
  /** Day of the request (not counted). */
  readonly from: number;
  /** Day the petitioner completed or clarified (not counted); null while pending. */
  to: number | null;
  /**
   * Last day for the petitioner, to midnight (completion: 1 month, or 2 with the extension; Ley
   * 1581: 2 months; clarification: 10 business days, art. 19).
   */
  deadline: number;
  extended: boolean;
  /** Business days used before the request. */
  readonly usedBefore: number;
  /** Ended by a forward to the competent entity rather than by completion. */
  discarded: boolean;
  /** A completion (clarification) arrived after the deadline: desistimiento tácito (archive) may be declared. */
  lapsed: boolean;
}

export interface Computation {
  readonly ruleSet: RuleSet;
  readonly rule: TermRule;
  readonly termClass: TermClass;
  readonly legalTermDays: number;
  readonly termDays: number;
  readonly termSource: 'law' | 'entity';
  readonly fundamentalRight: boolean;
  readonly entity: PreparedEntity;
  readonly cal: BusinessCalendar;
  readonly filed: BogotaInstant;
  /** The filing instant as given. */
  readonly filedInput: string;
  readonly receivedDay: number;
  readonly deemed: Deemed | null;
  readonly reading: SuspensionReading;
  /** The last run (open; ends at the due date unless suspended). */
  readonly run: Run;
  /** Every run in order, the last one included. */
  readonly runs: readonly Run[];
  readonly suspensions: readonly SuspensionSpan[];
  /** The pending suspension, if the clock is stopped. */
  readonly suspension: SuspensionSpan | null;
  /** Maximum total term (double, or term + fixed days). */
  readonly maxTotal: number;
  readonly due: number | null;
  /** Due date without the extension (the legal term of the current run). */
  readonly legalDue: number | null;
  readonly maxDue: number | null;
  readonly copiesDue: number | null;
  /** Ley 1581 personal-data claims: the "reclamo en trámite" legend by this day; null while incomplete. */
  readonly legendBy: number | null;
  readonly forwardBy: number;
  readonly completionRequestBy: number;
  readonly extension: { readonly until: number; readonly on: number; readonly index: number } | null;
  readonly forwarded: { readonly on: number; readonly late: boolean; readonly index: number } | null;
  readonly withdrawalFrom: number | null;
  readonly outcomes: readonly EventOutcome[];
}

export interface EngineInput {
  readonly termClass: string;
  readonly filed: string;
  readonly entity?: EntityClock | undefined;
  readonly events?: readonly ClockEvent[] | undefined;
  readonly fundamentalRight?: boolean | undefined;
}

const TERM_CLASS_SET: ReadonlySet<string> = new Set(TERM_CLASSES);

/** Applies the office-hours rule to a document received at `inst`. */
function deem(
  entity: PreparedEntity,
  cal: BusinessCalendar,
  inst: BogotaInstant,
): { day: number; deemed: Deemed | null } {
  const hours = entity.officeHours;
  if (hours === null) return { day: inst.day, deemed: null };
  if (!cal.isBusinessDay(inst.day)) return { day: cal.next(inst.day), deemed: 'non_business_day' };
  if (!inst.dateOnly && inst.second > hours.close) return { day: cal.next(inst.day), deemed: 'after_hours' };
  return { day: inst.day, deemed: null };
}

/** Re-labels an out-of-range error raised deep in the calendar with the input field that drove it. */
function relabel<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ClockError && e.field === 'date') throw e.withField(field);
    throw e;
  }
}

/** The term rule for a class under a rule set. */
export function termRuleFor(set: RuleSet, termClass: TermClass, fundamentalRight: boolean): TermRule {
  const table = fundamentalRight && set.fundamentalRightTerms ? set.fundamentalRightTerms : set.terms;
  return table[termClass];
}

/** What the receipt alone decides: rule set, term, receipt day. */
export interface CaseBasis {
  readonly termClass: TermClass;
  readonly filed: BogotaInstant;
  readonly entity: PreparedEntity;
  readonly cal: BusinessCalendar;
  readonly receivedDay: number;
  readonly deemed: Deemed | null;
  readonly ruleSet: RuleSet;
  readonly rule: TermRule;
  readonly fundamentalRight: boolean;
  readonly entityTerm: number | undefined;
  readonly termDays: number;
}

/** Per-entity terms: shorter than the law, never longer (every configured class is checked). */
function checkEntityTerms(entity: PreparedEntity, ruleSet: RuleSet, fundamentalRight: boolean): void {
  const key = fundamentalRight ? `${ruleSet.id}+fr` : ruleSet.id;
  if (entity.termsChecked.has(key)) return;
  for (const tc of TERM_CLASSES) {
    const v = entity.terms[tc];
    if (v === undefined) continue;
    const law = termRuleFor(ruleSet, tc, fundamentalRight);
    if (v > law.days) {
      throw new ClockError(
        'contrary_to_law',
        `entity.terms.${tc}`,
        `${v} business days is longer than the legal term of ${law.days} (${law.law}, ${law.article}, rule set ${ruleSet.id}); an entity may shorten terms, never lengthen them`,
      );
    }
  }
  entity.termsChecked.add(key);
}

/** Validates the receipt and settles the rule set, the term and the day of receipt. */
export function caseBasis(input: EngineInput): CaseBasis {
  const tcIn = input.termClass;
  if (!TERM_CLASS_SET.has(tcIn)) {
    throw new ClockError(
      'invalid',
      'termClass',
      `unknown term class ${JSON.stringify(tcIn)}; expected one of ${TERM_CLASSES.join(', ')}`,
    );
  }
  const termClass = tcIn as TermClass;
  if (typeof input.filed !== 'string') throw new ClockError('invalid', 'filed', 'expected a string');
  const filed = requireInstant(input.filed, 'filed');
  const fr = input.fundamentalRight;
  if (fr !== undefined && typeof fr !== 'boolean') {
    throw new ClockError('invalid', 'fundamentalRight', 'expected a boolean');
  }
  const entity = prepareEntity(input.entity);
  const cal = entity.cal;
  const nat = cal.national;
  nat.check(filed.day, 'filed');
  let receivedDay = filed.day;
  let deemed: Deemed | null = null;
  if (entity.officeHours !== null) {
    const r = relabel('filed', () => deem(entity, cal, filed));
    receivedDay = r.day;
    deemed = r.deemed;
  }
  const ruleSet = ruleSetFor(receivedDay, 'filed');
  const fundamentalRight = fr === true;
  const rule = termRuleFor(ruleSet, termClass, fundamentalRight);
  checkEntityTerms(entity, ruleSet, fundamentalRight);
  const entityTerm = entity.terms[termClass];
  return {
    termClass,
    filed,
    entity,
    cal,
    receivedDay,
    deemed,
    ruleSet,
    rule,
    fundamentalRight,
    entityTerm,
    termDays: entityTerm ?? rule.days,
  };
}

/** The due date of a case without events (the fast path): day number. */
export function basicDue(b: CaseBasis): number {
  try {
    return b.cal.add(b.receivedDay, b.termDays);
  } catch (e) {
    if (e instanceof ClockError && e.field === 'date') throw e.withField('filed');
    throw e;
  }
}

/**
 * The longest term an extension may reach, in business days from receipt.
 * - Ley 1755 art. 14 parágrafo (and Decreto 491 art. 5): double the term.
 * - Ley 1581 arts. 14–15: the term plus 5 (queries) or 8 (claims) days. With the legal terms
 *   (10 + 5, 15 + 8) that is always less than double. When an entity shortens a personal-data
 *   term below 5 / 8 days, the extension is also capped at double the entity's term, so the
 *   extension never more than doubles the term the entity committed to (the issue's invariant
 *   "maxExtendedDue ≤ twice the term"); this is stricter than the law, never laxer.
 */
export function maxTotalFor(rule: TermRule, termDays: number): number {
  return rule.extension.kind === 'double'
    ? 2 * termDays
    : Math.min(termDays + rule.extension.days, 2 * termDays);
}

/** The provision behind a suspension: "petición incompleta, Ley 1755 de 2015, art. 17", … */
export function suspensionCitation(rule: TermRule, kind: SuspensionKind): string {
  return kind === 'completion'
    ? `petición incompleta, ${rule.completion.law}, ${rule.completion.article}`
    : `petición por aclarar, ${CLARIFICATION.law}, ${CLARIFICATION.article}`;
}

/** Runs the clock. Throws ClockError for invalid or out-of-range input. */
export function runClock(input: EngineInput): Computation {
  const b = caseBasis(input);
  const {
    termClass,
    filed,
    entity,
    cal,
    receivedDay,
    ruleSet,
    rule,
    fundamentalRight,
    entityTerm,
    termDays,
  } = b;
  const nat = cal.national;
  const receipt = { day: receivedDay, deemed: b.deemed };
  const maxTotal = maxTotalFor(rule, termDays);
  const reading = entity.reading;

  return relabel('filed', () => {
    const forwardBy = cal.add(receivedDay, rule.forward.withinDays);
    let completionRequestBy = cal.add(receivedDay, rule.completion.requestWithinDays);
    const firstRun: Run = {
      start: receivedDay,
      used0: 0,
      end: receivedDay,
      discarded: false,
      total: termDays,
    };
    const runs: Run[] = [firstRun];
    let run = firstRun;
    const suspensions: SuspensionSpan[] = [];
    // Mutable state in one object: closures below assign it (TS does not track `let` narrowing there).
    const st: {
      suspension: SuspensionSpan | null;
      extension: { until: number; on: number; index: number } | null;
      forwarded: { on: number; late: boolean; index: number } | null;
      withdrawalFrom: number | null;
      /** The day the complete petition was received (receipt, completion, competent entity's receipt). */
      complete: number;
    } = { suspension: null, extension: null, forwarded: null, withdrawalFrom: null, complete: receivedDay };
    const outcomes: EventOutcome[] = [];

    const events = input.events ?? [];
    if (events.length > 0) {
      const parsed = events.map((ev, index) => ({
        ev,
        index,
        inst: requireInstant(ev.at, `events[${index}].at`),
      }));
      parsed.sort((a, b) => a.inst.epoch - b.inst.epoch || a.index - b.index);

      const dueOf = (r: Run) => cal.add(r.start, r.total - r.used0);
      const legalDueOf = (r: Run) => cal.add(r.start, termDays - r.used0);
      const deadlineFor = (from: number, months: number) => {
        const d = addMonthsToDay(from, months);
        nat.check(d);
        // Ley 4 de 1913 art. 62: a term of months ending on a non-business day runs to the next one.
        return cal.isBusinessDay(d) ? d : cal.next(d);
      };

      for (const { ev, index, inst } of parsed) {
        const field = `events[${index}].at`;
        nat.check(inst.day, field);
        const documentIn =
          ev.type === 'completed' || ev.type === 'clarified' || ev.type === 'forward_received';
        const eff = documentIn
          ? relabel(field, () => deem(entity, cal, inst))
          : { day: inst.day, deemed: null };
        const on = eff.day;
        const base = { index, type: ev.type, at: ev.at, on, atDay: inst.day, deemed: eff.deemed };
        const refuse = (note: string) => outcomes.push({ ...base, accepted: false, note });
        const accept = (note: string, extra: { until?: number } = {}) =>
          outcomes.push({ ...base, accepted: true, note, ...extra });

        if (inst.epoch < filed.epoch && !(inst.dateOnly && inst.day === filed.day)) {
          refuse('Anterior a la recepción de la petición: no produce efectos.');
          continue;
        }

        relabel(field, () => {
          switch (ev.type) {
            case 'completion_requested':
            case 'clarification_requested': {
              const kind: SuspensionKind =
                ev.type === 'completion_requested' ? 'completion' : 'clarification';
              // The window to ask is the completion rule's (art. 17; Ley 1581 art. 15): art. 19 sets none.
              const window = `${rule.completion.law}, ${rule.completion.article}`;
              if (st.suspension) {
                refuse(
                  `El término ya está suspendido desde el ${formatDay(st.suspension.from)}: no hay dos suspensiones a la vez.`,
                );
                return;
              }
              if (on > completionRequestBy) {
                refuse(
                  `Extemporáneo: el requerimiento debía hacerse a más tardar el ${formatDay(completionRequestBy)} (${window}: dentro de los ${rule.completion.requestWithinDays} días siguientes a la radicación). El término sigue corriendo.`,
                );
                return;
              }
              const due = dueOf(run);
              if (on > due) {
                refuse(`El término ya venció el ${formatDay(due)}: no puede suspenderse.`);
                return;
              }
              const usedBefore = run.used0 + Math.max(0, cal.count(run.start, on - 1));
              run.end = on - 1;
              const months = rule.completion.petitionerMonths;
              const span: SuspensionSpan = {
                kind,
                from: on,
                to: null,
                deadline:
                  kind === 'completion' ? deadlineFor(on, months) : cal.add(on, CLARIFICATION.petitionerDays),
                extended: false,
                usedBefore,
                discarded: false,
                lapsed: false,
              };
              st.suspension = span;
              suspensions.push(span);
              accept(
                kind === 'completion'
                  ? `Término suspendido desde este día (no se cuenta); días hábiles usados: ${usedBefore}. El peticionario tiene hasta el ${formatDay(span.deadline)} (${months} ${months === 1 ? 'mes' : 'meses'}) para completar (${window}).`
                  : `Término suspendido desde este día (no se cuenta); días hábiles usados: ${usedBefore}. El peticionario tiene hasta el ${formatDay(span.deadline)} (${CLARIFICATION.petitionerDays} días hábiles) para aclarar; si no lo hace, se archiva (${CLARIFICATION.law}, ${CLARIFICATION.article}).`,
              );
              return;
            }
            case 'completion_extension_requested': {
              if (!st.suspension) {
                refuse('No hay un requerimiento pendiente que prorrogar.');
                return;
              }
              if (st.suspension.kind === 'clarification') {
                refuse(
                  `${CLARIFICATION.law}, ${CLARIFICATION.article}: el plazo de ${CLARIFICATION.petitionerDays} días para aclarar no es prorrogable.`,
                );
                return;
              }
              if (rule.completion.extendableMonths === 0) {
                refuse(
                  `${rule.completion.law}, ${rule.completion.article}: el plazo para completar no es prorrogable.`,
                );
                return;
              }
              if (st.suspension.extended) {
                refuse('El plazo para completar solo puede prorrogarse una vez.');
                return;
              }
              if (on > st.suspension.deadline) {
                refuse(
                  `Extemporánea: la prórroga debía pedirse antes de vencer el plazo (${formatDay(st.suspension.deadline)}).`,
                );
                return;
              }
              st.suspension.deadline = deadlineFor(
                st.suspension.from,
                rule.completion.petitionerMonths + rule.completion.extendableMonths,
              );
              st.suspension.extended = true;
              accept(
                `Plazo del peticionario prorrogado por ${rule.completion.extendableMonths} mes más, hasta el ${formatDay(st.suspension.deadline)} (${rule.completion.law}, ${rule.completion.article}).`,
              );
              return;
            }
            case 'completed':
            case 'clarified': {
              const kind: SuspensionKind = ev.type === 'completed' ? 'completion' : 'clarification';
              if (!st.suspension || st.suspension.kind !== kind) {
                refuse(
                  `No hay un requerimiento de ${kind === 'completion' ? 'completar' : 'aclarar'} pendiente: el término no estaba suspendido por esa causa.`,
                );
                return;
              }
              // The petitioner's period runs to midnight of its last day, Bogota (Ley 4 de 1913 art. 59;
              // CPACA art. 5 num. 1): the office-hours rule only moves the day the term restarts from.
              if (inst.day > st.suspension.deadline) {
                st.suspension.lapsed = true;
                st.withdrawalFrom = st.suspension.deadline + 1;
                refuse(
                  kind === 'completion'
                    ? `Extemporáneo: el plazo para completar venció el ${formatDay(st.suspension.deadline)}; procede el desistimiento tácito por acto motivado (${rule.completion.law}, ${rule.completion.article}), sin perjuicio de presentar de nuevo la petición.`
                    : `Extemporáneo: el plazo para aclarar venció el ${formatDay(st.suspension.deadline)}; procede el archivo de la petición (${CLARIFICATION.law}, ${CLARIFICATION.article}), sin perjuicio de presentarla de nuevo.`,
                );
                return;
              }
              if (kind === 'completion') st.complete = on;
              st.suspension.to = on;
              const prior = st.suspension;
              st.suspension = null;
              if (reading === 'resume') {
                run = { start: on, used0: prior.usedBefore, end: on, discarded: false, total: run.total };
                runs.push(run);
                accept(
                  `Se reactiva el término desde el día siguiente (lectura "reanudar"): se conservan ${prior.usedBefore} días usados y restan ${run.total - prior.usedBefore}.`,
                );
              } else {
                for (const r of runs) r.discarded = true;
                const hadExtension = st.extension !== null;
                st.extension = null;
                run = { start: on, used0: 0, end: on, discarded: false, total: termDays };
                runs.push(run);
                accept(
                  `Se reactiva el término desde el día siguiente (lectura "reiniciar"): corre de nuevo el término completo de ${termDays} días; los ${prior.usedBefore} días anteriores no cuentan.${hadExtension ? ' La prórroga notificada antes queda sin efecto.' : ''}`,
                );
              }
              return;
            }
            case 'extended': {
              const ext = rule.extension;
              const extCite = `${ext.law}, ${ext.article}`;
              if (st.suspension) {
                refuse('El término está suspendido: la prórroga solo se notifica mientras el término corre.');
                return;
              }
              const legalDue = legalDueOf(run);
              if (on > legalDue) {
                refuse(
                  `Extemporánea: la prórroga debe informarse antes del vencimiento del término legal (${formatDay(legalDue)}) (${extCite}).`,
                );
                return;
              }
              // Past the supported calendar the maximum is unknown: every date within it is below it.
              const maxDue = cal.addWithin(run.start, maxTotal - run.used0);
              const given = extensionDate(ev);
              if (given === undefined && maxDue === null) {
                refuse(`El máximo legal cae ${PAST_CALENDAR}: indique la nueva fecha (${extCite}).`);
                return;
              }
              let untilDay = maxDue as number;
              if (given !== undefined) {
                untilDay = requireDay(given.date, `events[${index}].${given.field}`);
                nat.check(untilDay, `events[${index}].${given.field}`);
              }
              const maxText =
                ext.kind === 'double'
                  ? `el doble del término inicial (${maxTotal} días desde la recepción)`
                  : `${maxTotal - termDays} días hábiles después del vencimiento del primer término${maxTotal - termDays < ext.days ? ' (limitado al doble del término fijado por la entidad)' : ''}`;
              if (maxDue !== null && untilDay > maxDue) {
                refuse(
                  `La nueva fecha ${formatDay(untilDay)} excede el máximo legal ${formatDay(maxDue)}: ${maxText} (${extCite}).`,
                );
                return;
              }
              if (untilDay <= legalDue) {
                refuse(
                  `La nueva fecha ${formatDay(untilDay)} no es posterior al vencimiento legal ${formatDay(legalDue)}.`,
                );
                return;
              }
              if (!cal.isBusinessDay(untilDay)) {
                refuse(`La nueva fecha ${formatDay(untilDay)} no es un día hábil.`);
                return;
              }
              const replaced = st.extension !== null;
              run.total = run.used0 + cal.count(run.start, untilDay);
              st.extension = { until: untilDay, on, index };
              accept(
                `Prórroga notificada antes del vencimiento: nueva fecha ${formatDay(untilDay)}${given === undefined ? ' (el máximo legal, pues no se indicó fecha)' : ''}; máximo legal ${maxDue === null ? PAST_CALENDAR : formatDay(maxDue)} (${extCite}).${replaced ? ' Reemplaza la prórroga anterior.' : ''}`,
                { until: untilDay },
              );
              return;
            }
            case 'forward_received': {
              if (on < receivedDay) {
                refuse('Anterior a la recepción de la petición: no produce efectos.');
                return;
              }
              for (const r of runs) r.discarded = true;
              run.end = on;
              if (st.suspension) {
                st.suspension.discarded = true;
                st.suspension.to = on;
                st.suspension = null;
              }
              st.extension = null;
              const late = on > forwardBy;
              st.forwarded = { on, late, index };
              completionRequestBy = cal.add(on, rule.completion.requestWithinDays);
              st.complete = on;
              run = { start: on, used0: 0, end: on, discarded: false, total: termDays };
              runs.push(run);
              accept(
                `Recibida por la autoridad competente: su término de ${termDays} días corre desde el día hábil siguiente (${rule.forward.law}, ${rule.forward.article}).${late ? ` Llegó después del plazo de remisión (${formatDay(forwardBy)}): verifique cuándo se remitió.` : ''}`,
              );
              return;
            }
          }
        });
      }
    }

    const pending: SuspensionSpan | null = st.suspension;
    let due: number | null = null;
    let legalDue: number | null = null;
    let maxDue: number | null = null;
    let copiesDue: number | null = null;
    if (pending === null) {
      due = cal.add(run.start, run.total - run.used0);
      legalDue = cal.add(run.start, termDays - run.used0);
      maxDue = cal.addWithin(run.start, maxTotal - run.used0);
      run.end = due;
      if (rule.copies) copiesDue = cal.addWithin(due, rule.copies.withinDays);
    }
    // Ley 1581 art. 15 num. 2: once the complete claim is received; none while completion is awaited.
    const legendBy =
      rule.legend && pending?.kind !== 'completion' ? cal.add(st.complete, rule.legend.withinDays) : null;
    return {
      ruleSet,
      rule,
      termClass,
      legalTermDays: rule.days,
      termDays,
      termSource: entityTerm === undefined ? 'law' : 'entity',
      fundamentalRight,
      entity,
      cal,
      filed,
      filedInput: input.filed,
      receivedDay,
      deemed: receipt.deemed,
      reading,
      run,
      runs,
      suspensions,
      suspension: pending,
      maxTotal,
      due,
      legalDue,
      maxDue,
      copiesDue,
      legendBy,
      forwardBy,
      completionRequestBy,
      extension: st.extension,
      forwarded: st.forwarded,
      withdrawalFrom: st.withdrawalFrom,
      outcomes,
    };
  });
}
