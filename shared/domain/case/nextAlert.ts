/**
 * When the sweeper must look at a pending case next (issue 17: alerts by time, not by scan). Pure.
 *
 * Between two changes of a case (its clock events fixed), what `watchCase` calls for depends only
 * on the Bogota day of the instant: the level only rises (green → yellow → red → overdue), a duty
 * once close stays close, deemed acceptance and withdrawal candidacy once due stay due. So "is
 * there something not called for at `after`?" is false and then true for good, and the first day
 * it holds is found by bisection over the days up to the last date that can still change anything.
 * The sweeper reads a case at that instant, acts, and moves it to the next one (or off: null).
 */
import {
  FIRST_DATE,
  formatDay,
  LAST_DATE,
  parseDay,
  parseInstant,
  type SemaforoThresholds,
} from '../clock/index.ts';
import type { CaseRecord } from './case.ts';
import { isPending } from './status.ts';
import { alertKey, type WatchDecision, type WatchedCase, type WatchView, watchCase } from './watch.ts';

const FIRST_DAY = parseDay(FIRST_DATE) as number;
const LAST_DAY = parseDay(LAST_DATE) as number;

/** What a decision calls for: its alerts (by their once-only keys) and the deemed acceptance to mark. */
export function callsFor(d: WatchDecision): Set<string> {
  const out = new Set<string>();
  for (const a of [...(d.alert ? [d.alert] : []), ...d.duties]) out.add(alertKey(a.alert, a.date));
  if (d.deemAccepted) out.add('DEEMED_ACCEPTED');
  return out;
}

/** The instant a Bogota day starts (UTC, as toISOString writes it: sort keys compare as strings). */
export function dayStart(day: string): string {
  return `${day}T05:00:00.000Z`;
}

/** Whether an instant (as dayStart writes it) is the start of a Bogota day: where the sweeper places cases. */
export function isDayStart(at: string): boolean {
  return at.endsWith('T05:00:00.000Z');
}

/** The start of the Bogota day after the one of `at`: when a case that could not be judged is tried again. */
export function nextDayStart(at: string): string {
  return dayStart(formatDay(Math.min(LAST_DAY, dayOf(at) + 1)));
}

function dayOf(at: string): number {
  const when = parseInstant(at);
  if (when === undefined) throw new Error(`nextAlert: ${at} is not an ISO 8601 instant`);
  return when.day;
}

/**
 * A day by which what the case calls for has stopped changing with time alone: past the latest of
 * its dates (overdue and withdrawal start the day after theirs; one more day of margin).
 */
function lastChangingDay(c: WatchedCase, d: WatchDecision): number | null {
  const dates = [
    d.status?.due,
    d.status?.petitionerRespondBy,
    c.legendAt === undefined ? c.legendBy : null,
    c.copiesDue,
  ];
  const days = dates.flatMap((x) => (typeof x === 'string' ? [parseDay(x) ?? FIRST_DAY] : []));
  return days.length === 0 ? null : Math.min(LAST_DAY, Math.max(...days) + 2);
}

/**
 * The first Bogota day start strictly after `after` at which `watchCase` calls for an alert or a
 * deemed acceptance it does not call for at `after`; null when nothing more will come with time
 * (or the case is not pending). Throws the clock's error on broken stored data.
 */
export function nextAlertAt(c: WatchedCase, after: string, thresholds: SemaforoThresholds): string | null {
  const now = watchCase(c, after, thresholds);
  if (now.status === null) return null;
  const known = callsFor(now);
  const last = lastChangingDay(c, now);
  let lo = dayOf(after) + 1;
  if (last === null || last < lo) return null;
  const fresh = (day: number) => {
    const later = callsFor(watchCase(c, dayStart(formatDay(day)), thresholds));
    for (const k of later) if (!known.has(k)) return true;
    return false;
  };
  if (!fresh(last)) return null;
  let hi = last;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fresh(mid)) hi = mid;
    else lo = mid + 1;
  }
  return dayStart(formatDay(lo));
}

/**
 * The first instant at or after `from` at which the case calls for anything: `from` itself when
 * it does then (the sweeper checks, and records what is missing), else the next alert instant.
 */
export function firstAlertAt(c: WatchedCase, from: string, thresholds: SemaforoThresholds): string | null {
  const now = watchCase(c, from, thresholds);
  if (now.status === null) return null;
  if (callsFor(now).size > 0) return new Date(from).toISOString();
  return nextAlertAt(c, from, thresholds);
}

/** The instant of the case's last change: its clock as of then is what the record holds. */
export function lastChangeOf(
  c: Pick<CaseRecord, 'updatedAt' | 'routedAt' | 'receivedAt' | 'clockEvents'>,
): string {
  let last = c.updatedAt ?? c.routedAt ?? c.receivedAt;
  for (const e of c.clockEvents ?? []) if (Date.parse(e.at) > Date.parse(last)) last = e.at;
  return last;
}

/**
 * Where a case written now stands in the sweeper's watch index: undefined when it is not pending
 * (off the index), null when pending with nothing more to come with time (listed, never due),
 * else the instant of its first alert from its last change on. Broken stored data is due at
 * once: the sweeper reports it.
 */
export function watchInstant(c: WatchView, thresholds: SemaforoThresholds): string | null | undefined {
  if (!isPending(c.status)) return undefined;
  const from = lastChangeOf(c);
  try {
    return firstAlertAt(c, from, thresholds);
  } catch {
    const at = Date.parse(from);
    return Number.isNaN(at) ? new Date(0).toISOString() : new Date(at).toISOString();
  }
}
