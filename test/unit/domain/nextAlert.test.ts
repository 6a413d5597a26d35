/**
 * The next alert instant (nextAlert.ts) against brute force: day by day, the first day on which
 * `watchCase` calls for something it did not call for at `after`, over random case histories
 * (term classes, receipts, clock events, closures, duties, thresholds, statuses).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#domain/case/case.ts';
import { callsFor, dayStart, firstAlertAt, nextAlertAt, watchInstant } from '#domain/case/nextAlert.ts';
import { type WatchedCase, watchCase } from '#domain/case/watch.ts';
import {
  addBusinessDays,
  addCalendarDays,
  EVENT_TYPES,
  isClockError,
  type SemaforoThresholds,
} from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO } from '#domain/entity.ts';
import { TERM_CLASSES } from '#domain/vocabulary.ts';

const FILED_ON = '2026-02-02';
const at = (day: string, time: string) => `${day}T${time}-05:00`;
const TIMES = ['00:00:00', '07:30:00', '12:00:00', '18:45:00', '23:59:59'];

/** A history: a pending case of some term class, with clock events in order, judged at `after`. */
const history = fc
  .record({
    termClass: fc.constantFrom(...TERM_CLASSES),
    kind: fc.constantFrom('petition', 'information_request', 'claim', 'query' as const),
    receiptDay: fc.integer({ min: 0, max: 20 }),
    receiptTime: fc.constantFrom(...TIMES),
    closures: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }),
    // Each event: its type and how many business days after the previous one.
    events: fc.array(
      fc.record({
        type: fc.constantFrom(...EVENT_TYPES),
        after: fc.integer({ min: 0, max: 12 }),
        untilDays: fc.integer({ min: 1, max: 30 }),
      }),
      { maxLength: 3 },
    ),
    legendBy: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    legendDone: fc.boolean(),
    copiesDue: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    deemedAccepted: fc.boolean(),
    afterDays: fc.integer({ min: 0, max: 50 }),
    afterTime: fc.constantFrom(...TIMES),
    yellow: fc.integer({ min: 1, max: 100 }),
    red: fc.integer({ min: 1, max: 100 }),
    redDaysLeft: fc.integer({ min: 0, max: 6 }),
  })
  .map((h) => {
    const receivedOn = addCalendarDays(FILED_ON, h.receiptDay);
    const receivedAt = at(receivedOn, h.receiptTime);
    let on = receivedOn;
    const clockEvents = h.events.map((e) => {
      on = addBusinessDays(on, e.after);
      return {
        type: e.type,
        at: at(on, '10:00:00'),
        ...(e.type === 'extended' ? { until: addBusinessDays(on, e.untilDays) } : {}),
      };
    });
    const suspended = [
      'completion_requested',
      'clarification_requested',
      'completion_extension_requested',
    ].includes(clockEvents.at(-1)?.type ?? '');
    const c: WatchedCase = {
      radicado: 'MINTIC-2026-000001',
      entityId: 'MINTIC',
      status: suspended ? 'awaiting_completion' : 'assigned',
      kind: h.kind,
      termClass: h.termClass,
      receivedAt,
      clockSettings: { closures: h.closures.map((d) => addCalendarDays(FILED_ON, d)) },
      clockEvents,
      office: 'conectividad',
      officer: 'officer-1',
      deemedAccepted: h.deemedAccepted,
      ...(h.legendBy !== undefined ? { legendBy: addBusinessDays(receivedOn, h.legendBy) } : {}),
      ...(h.legendBy !== undefined && h.legendDone ? { legendAt: receivedAt } : {}),
      ...(h.copiesDue !== undefined ? { copiesDue: addBusinessDays(receivedOn, h.copiesDue) } : {}),
    };
    const thresholds: SemaforoThresholds = {
      yellow: Math.min(h.yellow, h.red) / 100,
      red: Math.max(h.yellow, h.red) / 100,
      redDaysLeft: h.redDaysLeft,
    };
    const after = at(addCalendarDays(on, h.afterDays), h.afterTime);
    return { c, thresholds, after };
  });

/** The first day start after `after` calling for something new, by trying every day (or null). */
function bruteForce(c: WatchedCase, after: string, thresholds: SemaforoThresholds): string | null {
  const known = callsFor(watchCase(c, after, thresholds));
  let day = after.slice(0, 10);
  for (let i = 0; i < 260; i++) {
    day = addCalendarDays(day, 1);
    const later = callsFor(watchCase(c, dayStart(day), thresholds));
    if ([...later].some((k) => !known.has(k))) return dayStart(day);
  }
  return null;
}

/** The history judged at `after`, or undefined when the clock refuses it (an impossible history). */
function judgeable(c: WatchedCase, after: string, thresholds: SemaforoThresholds): boolean {
  try {
    watchCase(c, after, thresholds);
    return true;
  } catch (error) {
    if (isClockError(error)) return false;
    throw error;
  }
}

describe('nextAlertAt', () => {
  it('is the first day on which the watch calls for something new (brute force, random histories)', () => {
    let judged = 0;
    fc.assert(
      fc.property(history, ({ c, thresholds, after }) => {
        if (!judgeable(c, after, thresholds)) return;
        judged += 1;
        expect(nextAlertAt(c, after, thresholds)).toBe(bruteForce(c, after, thresholds));
      }),
      { numRuns: 300, seed: 17 },
    );
    // Most random histories are ones the clock accepts: the property was not vacuous.
    expect(judged).toBeGreaterThan(150);
  });

  it('is the start of the Bogota day the case turns yellow, then red, then overdue, then nothing', () => {
    // Filed Monday 2026-03-02, general term: 15 business days, due 2026-03-24.
    const c: WatchedCase = {
      radicado: 'MINTIC-2026-000001',
      entityId: 'MINTIC',
      status: 'assigned',
      kind: 'petition',
      termClass: 'general',
      receivedAt: '2026-03-02T10:00:00-05:00',
      clockSettings: {},
      clockEvents: [],
      office: 'conectividad',
      officer: 'o',
    };
    const yellow = nextAlertAt(c, '2026-03-02T10:00:00-05:00', DEFAULT_SEMAFORO);
    expect(yellow).toBe(dayStart(addBusinessDays('2026-03-02', 8)));
    const red = nextAlertAt(c, yellow!, DEFAULT_SEMAFORO);
    expect(red).toBe(dayStart(addBusinessDays('2026-03-02', 12)));
    const overdue = nextAlertAt(c, red!, DEFAULT_SEMAFORO);
    expect(overdue).toBe(dayStart('2026-03-25'));
    expect(nextAlertAt(c, overdue!, DEFAULT_SEMAFORO)).toBeNull();
    expect(watchCase(c, overdue!, DEFAULT_SEMAFORO).alert?.alert).toBe('overdue');
  });

  it('firstAlertAt is the instant itself when something is called for then, else the next alert', () => {
    const c: WatchedCase = {
      radicado: 'MINTIC-2026-000001',
      entityId: 'MINTIC',
      status: 'routed',
      kind: 'petition',
      termClass: 'general',
      receivedAt: '2026-03-02T10:00:00-05:00',
      clockSettings: {},
      clockEvents: [],
      office: 'conectividad',
    };
    const yellowDay = dayStart(addBusinessDays('2026-03-02', 8));
    expect(firstAlertAt(c, '2026-03-03T09:00:00-05:00', DEFAULT_SEMAFORO)).toBe(yellowDay);
    expect(firstAlertAt(c, '2026-03-16T09:00:00-05:00', DEFAULT_SEMAFORO)).toBe('2026-03-16T14:00:00.000Z');
    expect(
      firstAlertAt({ ...c, status: 'answered' }, '2026-03-16T09:00:00-05:00', DEFAULT_SEMAFORO),
    ).toBeNull();
  });

  it('places a written case from its last change: off when not pending, at once when its data is broken', () => {
    const record = {
      radicado: 'MINTIC-2026-000001',
      entityId: 'MINTIC',
      status: 'routed',
      kind: 'petition',
      termClass: 'general',
      receivedAt: '2026-03-02T10:00:00-05:00',
      updatedAt: '2026-03-03T09:00:00-05:00',
      clockSettings: {},
      clockEvents: [],
      office: 'conectividad',
    } as unknown as CaseRecord;
    expect(watchInstant(record, DEFAULT_SEMAFORO)).toBe(dayStart(addBusinessDays('2026-03-02', 8)));
    expect(watchInstant({ ...record, status: 'closed' }, DEFAULT_SEMAFORO)).toBeUndefined();
    expect(watchInstant({ ...record, receivedAt: 'not an instant' }, DEFAULT_SEMAFORO)).toBe(
      '2026-03-03T14:00:00.000Z',
    );
  });
});
