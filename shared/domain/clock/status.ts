/**
 * The clock at an instant: business days used and left, the semáforo, whether an extension may
 * still be notified. Only events at or before the instant are taken into account.
 */
import type { Semaforo, TermClass } from '../vocabulary.ts';
import { PAST_CALENDAR } from './calendar.ts';
import { requireInstant } from './dates.ts';
import { runClock } from './engine.ts';
import { ClockError } from './errors.ts';
import { type ClockInput, type EntityClock, parseCase } from './schema.ts';

export interface SemaforoThresholds {
  /** Fraction of the term used from which the case is yellow (0.5 = 50 %; 50 is read as 50 %). */
  readonly yellow: number;
  /** Fraction of the term used from which the case is red. */
  readonly red: number;
  /** Red as well when this many business days or fewer are left. */
  readonly redDaysLeft: number;
}

/** DESIGN.md: yellow ≥ 50 %, red ≥ 80 % or ≤ 2 days left, overdue past the due date. */
export const DEFAULT_THRESHOLDS: SemaforoThresholds = { yellow: 0.5, red: 0.8, redDaysLeft: 2 };

export interface ClockStatus {
  readonly at: string;
  /** Bogota date of `at`. */
  readonly on: string;
  readonly ruleSet: string;
  readonly termClass: TermClass;
  readonly due: string | null;
  readonly maxExtendedDue: string | null;
  /** Term counted towards `due` (extension included). */
  readonly totalTermDays: number;
  /** Business days of the term elapsed up to and including `on` (suspended days excluded). */
  readonly businessDaysUsed: number;
  readonly businessDaysLeft: number;
  /** Business days after the due date up to `on`. */
  readonly businessDaysOverdue: number;
  /** businessDaysUsed / totalTermDays. */
  readonly fractionUsed: number;
  readonly semaforo: Semaforo;
  /** The term is stopped waiting for the petitioner. */
  readonly suspended: boolean;
  /** While suspended: the petitioner's last day. */
  readonly petitionerRespondBy: string | null;
  /** While suspended and past the petitioner's last day: desistimiento tácito may be declared. */
  readonly withdrawalAllowed: boolean;
  /** An extension may still be notified (before the legal term expires, not yet at the maximum). */
  readonly extensionAllowed: boolean;
  /** Why an extension is or is not allowed. */
  readonly extensionNote: string;
}

function fraction(v: number, field: string): number {
  if (!Number.isFinite(v) || v <= 0 || v > 100) {
    throw new ClockError(
      'invalid',
      field,
      `expected a fraction in (0, 1] or a percentage in (1, 100], got ${v}`,
    );
  }
  return v > 1 ? v / 100 : v;
}

/** Validates thresholds (fractions, or percentages when above 1). */
export function normalizeThresholds(t: Partial<SemaforoThresholds> = {}): SemaforoThresholds {
  const yellow = fraction(t.yellow ?? DEFAULT_THRESHOLDS.yellow, 'thresholds.yellow');
  const red = fraction(t.red ?? DEFAULT_THRESHOLDS.red, 'thresholds.red');
  const redDaysLeft = t.redDaysLeft ?? DEFAULT_THRESHOLDS.redDaysLeft;
  if (!Number.isInteger(redDaysLeft) || redDaysLeft < 0) {
    throw new ClockError(
      'invalid',
      'thresholds.redDaysLeft',
      `expected a non-negative integer, got ${redDaysLeft}`,
    );
  }
  if (yellow > red) throw new ClockError('invalid', 'thresholds.yellow', 'yellow must not exceed red');
  return { yellow, red, redDaysLeft };
}

/** The semáforo for a number of days used out of a term. */
export function semaforoFor(
  used: number,
  total: number,
  overdue: boolean,
  thresholds: SemaforoThresholds = DEFAULT_THRESHOLDS,
): Semaforo {
  if (overdue) return 'overdue';
  const left = total - used;
  const f = total > 0 ? used / total : 1;
  if (f >= thresholds.red || left <= thresholds.redDaysLeft) return 'red';
  if (f >= thresholds.yellow) return 'yellow';
  return 'green';
}

/** The clock of a case at an instant (ISO 8601 with offset). */
export function clockStatus(
  input: ClockInput,
  at: string,
  thresholds?: Partial<SemaforoThresholds>,
): ClockStatus {
  const t = normalizeThresholds(thresholds);
  if (typeof at !== 'string') throw new ClockError('invalid', 'at', 'expected an ISO 8601 instant');
  const when = requireInstant(at, 'at');
  const parsed = parseCase(input);
  const filed = requireInstant(parsed.filed, 'filed');
  if (when.epoch < filed.epoch && !(when.dateOnly && when.day === filed.day)) {
    throw new ClockError('invalid', 'at', `is before the filing (${parsed.filed})`);
  }
  const events = (parsed.events ?? []).filter(
    (e, i) => requireInstant(e.at, `events[${i}].at`).epoch <= when.epoch,
  );
  const c = runClock({ ...parsed, entity: (input as { entity?: EntityClock }).entity, events });
  const cal = c.cal;
  const nat = cal.national;
  nat.check(when.day, 'at');
  const onDay = when.day;
  const total = c.run.total;

  let used: number;
  let overdueDays = 0;
  if (c.suspension) {
    used = c.suspension.usedBefore;
  } else {
    const run = c.run;
    const due = c.due!;
    used = onDay <= run.start ? run.used0 : run.used0 + cal.count(run.start, Math.min(onDay, due));
    if (onDay > due) overdueDays = cal.count(due, onDay);
  }
  const left = Math.max(0, total - used);
  const overdue = c.due !== null && onDay > c.due;

  let extensionAllowed = false;
  let extensionNote: string;
  if (c.suspension) {
    extensionNote = 'El término está suspendido: no corre ni admite prórroga.';
  } else if (onDay > c.legalDue!) {
    extensionNote = `El término legal venció el ${nat.format(c.legalDue!)}: la prórroga ya no procede.`;
  } else if (c.maxDue !== null && c.due! >= c.maxDue) {
    extensionNote = `Ya se prorrogó hasta el máximo legal (${nat.format(c.maxDue)}).`;
  } else {
    extensionAllowed = true;
    extensionNote = `Puede notificarse hasta el ${nat.format(c.legalDue!)}, con una fecha no posterior al ${c.maxDue === null ? `máximo legal, que cae ${PAST_CALENDAR}` : nat.format(c.maxDue)} (${c.rule.extension.law}, ${c.rule.extension.article}).`;
  }

  return {
    at,
    on: nat.format(onDay),
    ruleSet: c.ruleSet.id,
    termClass: c.termClass,
    due: c.due === null ? null : nat.format(c.due),
    maxExtendedDue: c.maxDue === null ? null : nat.format(c.maxDue),
    totalTermDays: total,
    businessDaysUsed: used,
    businessDaysLeft: overdue ? 0 : left,
    businessDaysOverdue: overdueDays,
    fractionUsed: total > 0 ? used / total : 1,
    semaforo: semaforoFor(used, total, overdue, t),
    suspended: c.suspension !== null,
    petitionerRespondBy: c.suspension ? nat.format(c.suspension.deadline) : null,
    withdrawalAllowed: c.suspension !== null && (onDay > c.suspension.deadline || c.suspension.lapsed),
    extensionAllowed,
    extensionNote,
  };
}
