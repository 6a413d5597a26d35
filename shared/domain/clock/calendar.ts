/**
 * The business-day calendar (días hábiles): Monday–Friday minus national holidays, 1984–2100,
 * precomputed once per process into an index so that "the n-th business day after d" is two array
 * reads; plus per-entity closures layered on top.
 *
 * Index: `cum[i]` = business days in [FIRST_DAY, FIRST_DAY + i]; `biz[k]` = the k-th business day.
 */
import { dayFromCivil, formatDay, parseDay, requireDay, weekday } from './dates.ts';
import { ClockError } from './errors.ts';
import { FIRST_YEAR, HOLIDAY_RULES, LAST_YEAR, ruleDay } from './holidays.ts';

export const FIRST_DAY = dayFromCivil(FIRST_YEAR, 1, 1);
export const LAST_DAY = dayFromCivil(LAST_YEAR, 12, 31);
export const FIRST_DATE = formatDay(FIRST_DAY);
export const LAST_DATE = formatDay(LAST_DAY);
/** Where a date the clock will not guess lies: said the same in every explanation. */
export const PAST_CALENDAR = `después del ${LAST_DATE}, fuera del calendario soportado`;

const WEEKEND = 1;
const HOLIDAY = 2;

/** Why a day is not a business day. */
export type NonBusinessReason = 'weekend' | 'holiday' | 'closure';

export interface DayInfo {
  readonly date: string;
  readonly business: boolean;
  readonly weekend: boolean;
  /** Names of the national holidays on that date (two can coincide). */
  readonly holidays: readonly string[];
  /** The entity's closure on that date, with its reason when one was given. */
  readonly closure?: { readonly reason: string };
  /** The main reason it is not a business day: weekend, then holiday, then closure. */
  readonly reason?: NonBusinessReason;
}

/** The national calendar index. Immutable once built. */
export class NationalCalendar {
  readonly first = FIRST_DAY;
  readonly last = LAST_DAY;
  /** Per day: bit 0 weekend, bit 1 holiday. */
  readonly flags: Uint8Array;
  /** Business days in [first, first + i]. */
  readonly cum: Int32Array;
  /** Day numbers of the business days, in order. */
  readonly biz: Int32Array;
  /** Holiday names per day number. */
  readonly names: ReadonlyMap<number, readonly string[]>;
  private readonly dateCache: (string | undefined)[];

  constructor() {
    const n = LAST_DAY - FIRST_DAY + 1;
    const flags = new Uint8Array(n);
    const names = new Map<number, string[]>();
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      for (const rule of HOLIDAY_RULES) {
        const d = ruleDay(rule, y);
        if (d === undefined) continue;
        flags[d - FIRST_DAY]! |= HOLIDAY;
        const list = names.get(d);
        if (list) list.push(rule.name);
        else names.set(d, [rule.name]);
      }
    }
    const cum = new Int32Array(n);
    const biz = new Int32Array(n);
    let count = 0;
    // FIRST_DAY (1984-01-01) is a Sunday; walk the weekday instead of computing it per day.
    let w = weekday(FIRST_DAY);
    for (let i = 0; i < n; i++) {
      if (w === 0 || w === 6) flags[i]! |= WEEKEND;
      if (flags[i] === 0) biz[count++] = FIRST_DAY + i;
      cum[i] = count;
      w = w === 6 ? 0 : w + 1;
    }
    this.flags = flags;
    this.cum = cum;
    this.biz = biz.slice(0, count);
    this.names = names;
    this.dateCache = new Array<string | undefined>(n);
  }

  inRange(day: number): boolean {
    return day >= FIRST_DAY && day <= LAST_DAY;
  }

  /** Throws an out-of-range ClockError for a day outside 1984–2100. */
  check(day: number, field = 'date'): void {
    if (!(day >= FIRST_DAY && day <= LAST_DAY)) throw outOfRange(day, field);
  }

  isBusinessDay(day: number): boolean {
    this.check(day);
    return this.flags[day - FIRST_DAY] === 0;
  }

  /** `YYYY-MM-DD` of a day in range, cached. */
  format(day: number): string {
    const i = day - FIRST_DAY;
    if (i < 0 || i >= this.dateCache.length) return formatDay(day);
    let s = this.dateCache[i];
    if (s === undefined) {
      s = formatDay(day);
      this.dateCache[i] = s;
    }
    return s;
  }

  /**
   * The n-th business day after `day` (n > 0), before it (n < 0), or `day` itself (n = 0).
   * Throws when the answer would leave 1984–2100.
   */
  add(day: number, n: number): number {
    if (!(day >= FIRST_DAY && day <= LAST_DAY)) throw outOfRange(day, 'date');
    if (n === 0) return day;
    const i = day - FIRST_DAY;
    let k: number;
    if (n > 0) {
      k = this.cum[i]! + n - 1;
    } else {
      k = this.cum[i]! - (this.flags[i] === 0 ? 1 : 0) + n;
    }
    const r = this.biz[k];
    if (r === undefined) throw outOfRange(n > 0 ? LAST_DAY + 1 : FIRST_DAY - 1, 'date');
    return r;
  }

  /** Business days in the interval (from, to]; negative when to < from. */
  count(from: number, to: number): number {
    this.check(from);
    this.check(to);
    return this.cum[to - FIRST_DAY]! - this.cum[from - FIRST_DAY]!;
  }

  holidayNames(day: number): readonly string[] {
    return this.names.get(day) ?? [];
  }
}

function outOfRange(day: number, field: string): ClockError {
  return new ClockError(
    'out_of_range',
    field,
    `date ${formatDay(day)} is outside the supported calendar ${FIRST_DATE} … ${LAST_DATE}; the clock never guesses holidays`,
  );
}

let national: NationalCalendar | undefined;

/**
 * The process-wide national calendar, built on first use (a few milliseconds; the benchmark
 * measures it). Nothing is computed at import time.
 */
export function nationalCalendar(): NationalCalendar {
  if (national === undefined) national = new NationalCalendar();
  return national;
}

/** Whether the process-wide calendar has been built yet (for the benchmark's cold-start figure). */
export function nationalCalendarBuilt(): boolean {
  return national !== undefined;
}

/** A closure declared by an entity: a day its offices do not attend (data, with a reason). */
export interface Closure {
  readonly date: string;
  readonly reason?: string | undefined;
}

/**
 * A business calendar: the national one minus an entity's closures. Closures on days that are
 * already non-business days change nothing and are kept only for the explanation.
 */
export class BusinessCalendar {
  /** Closures that fall on national business days, sorted, unique. */
  private readonly closures: Int32Array;
  private readonly closureReasons: ReadonlyMap<number, string>;

  constructor(
    readonly national: NationalCalendar,
    closures: readonly Closure[] = [],
  ) {
    const reasons = new Map<number, string>();
    const effective = new Set<number>();
    closures.forEach((c, i) => {
      const d = parseDay(c.date);
      if (d === undefined) {
        throw new ClockError(
          'invalid',
          `closures[${i}]`,
          `expected a date YYYY-MM-DD, got ${JSON.stringify(c.date)}`,
        );
      }
      if (!national.inRange(d)) throw outOfRange(d, `closures[${i}]`);
      if (!reasons.has(d) || c.reason) reasons.set(d, c.reason ?? '');
      if (national.flags[d - FIRST_DAY] === 0) effective.add(d);
    });
    this.closures = Int32Array.from([...effective].sort((a, b) => a - b));
    this.closureReasons = reasons;
  }

  get hasClosures(): boolean {
    return this.closures.length > 0;
  }

  /** Closures (on national business days) in (from, to]. */
  private closuresIn(from: number, to: number): number {
    if (this.closures.length === 0 || to <= from) return 0;
    return upperBound(this.closures, to) - upperBound(this.closures, from);
  }

  isClosure(day: number): boolean {
    return this.closureReasons.has(day);
  }

  isBusinessDay(day: number): boolean {
    return this.national.isBusinessDay(day) && !(this.closures.length > 0 && this.isEffectiveClosure(day));
  }

  private isEffectiveClosure(day: number): boolean {
    const i = upperBound(this.closures, day) - 1;
    return i >= 0 && this.closures[i] === day;
  }

  /** The n-th business day after `day` (n > 0), before it (n < 0), or `day` (n = 0). */
  add(day: number, n: number): number {
    const nat = this.national;
    if (this.closures.length === 0 || n === 0) return nat.add(day, n);
    if (n > 0) {
      let from = day;
      let k = n;
      for (;;) {
        const r = nat.add(from, k);
        const c = this.closuresIn(from, r);
        if (c === 0) return r;
        from = r;
        k = c;
      }
    }
    let from = day;
    let k = -n;
    for (;;) {
      const r = nat.add(from, -k);
      // closures in [r, from): count in (r - 1, from - 1]
      const c = this.closuresIn(r - 1, from - 1);
      if (c === 0) return r;
      from = r;
      k = c;
    }
  }

  /**
   * `add`, or null when the answer lies past the supported calendar: for dates beside the due date
   * (the extension's maximum, copies), unknown there, never guessed, and no reason to refuse the case.
   */
  addWithin(day: number, n: number): number | null {
    try {
      return this.add(day, n);
    } catch (e) {
      if (e instanceof ClockError && e.code === 'out_of_range') return null;
      throw e;
    }
  }

  /** The first business day strictly after `day`. */
  next(day: number): number {
    return this.add(day, 1);
  }

  /** Business days in (from, to]; negative when to < from. */
  count(from: number, to: number): number {
    if (to < from) return -this.count(to, from);
    return this.national.count(from, to) - this.closuresIn(from, to);
  }

  /** Everything the explanation needs to say about a day. */
  info(day: number): DayInfo {
    const nat = this.national;
    nat.check(day);
    const flags = nat.flags[day - FIRST_DAY]!;
    const holidays = nat.holidayNames(day);
    const closureReason = this.closureReasons.get(day);
    const weekend = (flags & WEEKEND) !== 0;
    const business = flags === 0 && closureReason === undefined;
    const reason: NonBusinessReason | undefined = business
      ? undefined
      : weekend
        ? 'weekend'
        : holidays.length > 0
          ? 'holiday'
          : 'closure';
    return {
      date: nat.format(day),
      business,
      weekend,
      holidays,
      ...(closureReason !== undefined ? { closure: { reason: closureReason } } : {}),
      ...(reason ? { reason } : {}),
    };
  }
}

/** Index of the first element greater than x. */
function upperBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// String helpers for the rest of the product ("N business days from a date").
// ---------------------------------------------------------------------------------------------

/** An act suspending terms over a date range (inclusive), with its reference. */
export interface TermSuspension {
  readonly from: string;
  readonly to: string;
  readonly reason?: string | undefined;
  readonly reference?: string | undefined;
}

/** A closure entry as settings hold it: a date, a date with a reason, or an act suspending terms. */
export type ClosureEntry = string | Closure | TermSuspension;

/** Closure entries as days: an act suspending terms gives each day of its range, with its reference. */
export function closureDays(entries: readonly ClosureEntry[]): Closure[] {
  const out: Closure[] = [];
  for (const c of entries) {
    if (typeof c === 'string') out.push({ date: c });
    else if ('date' in c)
      out.push(c.reason !== undefined ? { date: c.date, reason: c.reason } : { date: c.date });
    else {
      const why = [c.reason ?? 'Suspensión de términos', c.reference].filter(Boolean).join(', ');
      const last = requireDay(c.to, 'to');
      for (let d = requireDay(c.from, 'from'); d <= last; d++) out.push({ date: formatDay(d), reason: why });
    }
  }
  return out;
}

/** Options shared by the string helpers: an entity's closures (dates, dates with a reason, acts). */
export interface CalendarOptions {
  readonly closures?: readonly ClosureEntry[];
}

const calendars = new WeakMap<readonly ClosureEntry[], BusinessCalendar>();

/** The business calendar for a closure list (cached per list object). */
export function businessCalendar(closures?: readonly ClosureEntry[]): BusinessCalendar {
  const nat = nationalCalendar();
  if (closures === undefined || closures.length === 0) return defaultCalendar ?? makeDefault(nat);
  let cal = calendars.get(closures);
  if (cal === undefined) {
    cal = new BusinessCalendar(nat, closureDays(closures));
    calendars.set(closures, cal);
  }
  return cal;
}

let defaultCalendar: BusinessCalendar | undefined;
function makeDefault(nat: NationalCalendar): BusinessCalendar {
  defaultCalendar = new BusinessCalendar(nat);
  return defaultCalendar;
}

function dayArg(date: string, field: string): number {
  const d = parseDay(date);
  if (d === undefined)
    throw new ClockError('invalid', field, `expected a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  nationalCalendar().check(d, field);
  return d;
}

function intArg(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) throw new ClockError('invalid', field, `expected an integer, got ${n}`);
}

/** Whether a date is a business day (weekends, national holidays and the given closures excluded). */
export function isBusinessDay(date: string, options: CalendarOptions = {}): boolean {
  return businessCalendar(options.closures).isBusinessDay(dayArg(date, 'date'));
}

/**
 * The n-th business day after `date` (the date itself is day 0, as in the law: "day 1 is the first
 * business day after"); n < 0 counts backwards; n = 0 returns `date`.
 */
export function addBusinessDays(date: string, n: number, options: CalendarOptions = {}): string {
  intArg(n, 'n');
  const cal = businessCalendar(options.closures);
  return cal.national.format(cal.add(dayArg(date, 'date'), n));
}

/** Business days in (from, to]: how many business days after `from` up to and including `to`. */
export function businessDaysBetween(from: string, to: string, options: CalendarOptions = {}): number {
  return businessCalendar(options.closures).count(dayArg(from, 'from'), dayArg(to, 'to'));
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: string, options: CalendarOptions = {}): string {
  return addBusinessDays(date, 1, options);
}

/**
 * Calendar days (consultation periods, Decreto 1081/2015 art. 2.1.2.1.14): the publication day is
 * not counted, so the last day of an n-day period starting on `date` is `date + n`. Calendar-day
 * terms are not moved off weekends or holidays (Ley 4 de 1913, art. 62 only suppresses holidays in
 * terms of days when the law does not say otherwise, and "calendar days" says otherwise).
 */
export function addCalendarDays(date: string, n: number): string {
  intArg(n, 'n');
  const nat = nationalCalendar();
  const d = dayArg(date, 'date') + n;
  nat.check(d, 'date');
  return nat.format(d);
}

/** What the calendar says about one date (business or not, and why; holiday names). */
export function dayInfo(date: string, options: CalendarOptions = {}): DayInfo {
  return businessCalendar(options.closures).info(dayArg(date, 'date'));
}
