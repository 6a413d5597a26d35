/**
 * The legal clock (RULES.md): Colombian business days, dated rule sets, the case clock with its
 * events, the status at an instant and the explanation. Pure: no I/O, no "now" — instants are passed in.
 */
export {
  addBusinessDays,
  addCalendarDays,
  BusinessCalendar,
  businessCalendar,
  businessDaysBetween,
  type CalendarOptions,
  type Closure,
  type ClosureEntry,
  closureDays,
  type DayInfo,
  dayInfo,
  FIRST_DATE,
  isBusinessDay,
  LAST_DATE,
  NationalCalendar,
  type NonBusinessReason,
  nationalCalendar,
  nationalCalendarBuilt,
  nextBusinessDay,
  type TermSuspension,
} from './calendar.ts';
export { addMonthsToDay, dayFromCivil, formatDay, parseDay, parseInstant } from './dates.ts';
export { ClockError, type ClockErrorCode, isClockError } from './errors.ts';
export { explainText } from './explain.ts';
export {
  easterSunday,
  FIRST_YEAR,
  HOLIDAY_RULES,
  type Holiday,
  type HolidayRule,
  holidaysOf,
  LAST_YEAR,
} from './holidays.ts';
export {
  type ClockEventResult,
  type ClockResult,
  computeClock,
  dueDate,
  type SettledClockResult,
} from './result.ts';
export { COVID, ORDINARY, RULE_SETS, type RuleSet, ruleSetById, type TermRule } from './rules.ts';
export {
  type ClockEvent,
  ClockEventSchema,
  type ClockEventType,
  type ClockInput,
  ClockInputSchema,
  type EntityClock,
  EntityClockSchema,
  EVENT_TYPES,
  MAX_SUSPENSION_DAYS,
  parseClockInput,
  SUSPENSION_READINGS,
  type SuspensionReading,
} from './schema.ts';
export {
  type ClockStatus,
  clockStatus,
  DEFAULT_THRESHOLDS,
  normalizeThresholds,
  type SemaforoThresholds,
  semaforoFor,
} from './status.ts';
export type { TraceEntry, TraceKind, TraceReason } from './trace.ts';
