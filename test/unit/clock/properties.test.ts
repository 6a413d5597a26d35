/**
 * Property tests (fast-check) of the case clock, over receipts 2015-06-30 … 2100-06-30, every term
 * class, random entity settings (shorter terms, closures, office hours) and random events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  businessDaysBetween,
  type ClockInput,
  type ClockResult,
  clockStatus,
  computeClock,
  dueDate,
  formatDay,
  isBusinessDay,
  parseDay,
  TERM_CLASSES_FOR_TESTS,
} from './support.ts';

const FIRST = parseDay('2015-06-30')!;
const LAST = parseDay('2100-06-30')!;
const SEMAFORO_ORDER = ['green', 'yellow', 'red', 'overdue'];

function iso(day: number, second: number): string {
  const hh = String(Math.floor(second / 3600)).padStart(2, '0');
  const mm = String(Math.floor((second % 3600) / 60)).padStart(2, '0');
  const ss = String(second % 60).padStart(2, '0');
  return `${formatDay(day)}T${hh}:${mm}:${ss}-05:00`;
}

/** Shorter-than-the-law terms for any regime (the ordinary terms are the smallest). */
const MAX_SHORTER: Record<string, number> = {
  general: 15,
  information: 10,
  query: 30,
  between_authorities: 10,
  data_protection_query: 10,
  data_protection_claim: 15,
};

const caseArb = fc
  .record({
    day: fc.integer({ min: FIRST, max: LAST }),
    second: fc.integer({ min: 0, max: 86_399 }),
    termClass: fc.constantFrom(...TERM_CLASSES_FOR_TESTS),
    shorter: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    closureOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 90 }), { maxLength: 12 }),
    officeHours: fc.boolean(),
  })
  .map(({ day, second, termClass, shorter, closureOffsets, officeHours }) => {
    const closures = closureOffsets.map((o) => formatDay(day + o));
    const entity: NonNullable<ClockInput['entity']> = {
      ...(shorter !== undefined
        ? { terms: { [termClass]: Math.min(shorter, MAX_SHORTER[termClass]!) } }
        : {}),
      ...(closures.length > 0 ? { closures } : {}),
      ...(officeHours ? { officeHours: { open: '08:00', close: '17:00' } } : {}),
    };
    return { termClass, filed: iso(day, second), entity, day, second } as ClockInput & {
      events?: undefined;
      day: number;
      second: number;
    };
  });

/** A date the arbitraries keep within the calendar (filings end six months before 2100 does). */
function known(date: string | null): string {
  if (date === null) throw new Error('a date within the calendar came out null');
  return date;
}

function counted(r: ClockResult) {
  return r.trace.filter((t) => t.kind === 'counted');
}

describe('case clock properties', () => {
  it('due is a business day, exactly the term after receipt, and the trace counts exactly the term', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        // Act
        const r = computeClock(input);
        const closures = input.entity?.closures as string[] | undefined;
        const opts = closures ? { closures } : {};
        // Assess
        expect(isBusinessDay(r.due, opts)).toBe(true);
        expect(businessDaysBetween(r.receivedOn, r.due, opts)).toBe(r.termDays);
        const days = counted(r);
        expect(days.map((t) => t.day)).toEqual(Array.from({ length: r.termDays }, (_, i) => i + 1));
        expect(days.at(-1)?.date).toBe(r.due);
        for (const t of days) expect(isBusinessDay(t.date, opts)).toBe(true);
        for (const t of r.trace) if (t.kind === 'skipped') expect(isBusinessDay(t.date, opts)).toBe(false);
        expect(dueDate(input)).toBe(r.due);
      }),
      { numRuns: 200 },
    );
  });

  it('maxExtendedDue is after due and at most twice the term from receipt', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const r = computeClock(input);
        const closures = input.entity?.closures as string[] | undefined;
        const max = known(r.maxExtendedDue);
        const n = businessDaysBetween(r.receivedOn, max, closures ? { closures } : {});
        expect(max > r.due).toBe(true);
        expect(n).toBeLessThanOrEqual(2 * r.termDays);
        // Ley 1581: + 5 / + 8 days (capped at double when an entity shortens the term below that)
        if (r.termClass === 'data_protection_query') expect(n).toBe(Math.min(r.termDays + 5, 2 * r.termDays));
        else if (r.termClass === 'data_protection_claim')
          expect(n).toBe(Math.min(r.termDays + 8, 2 * r.termDays));
        else expect(n).toBe(2 * r.termDays);
      }),
      { numRuns: 200 },
    );
  });

  it('due never decreases when the filing moves later (within one rule set)', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 40 * 86_400 }), (input, laterBy) => {
        // Prepare: the same case filed later
        const t = input.day * 86_400 + input.second + laterBy;
        const later = { ...input, filed: iso(Math.floor(t / 86_400), t % 86_400) };
        if (Math.floor(t / 86_400) > LAST) return;
        // Act
        const a = computeClock(input);
        const b = computeClock(later);
        // Assess: across a change of rule set the term itself changes (see the test below)
        if (a.ruleSet === b.ruleSet) expect(b.due >= a.due).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the one place due goes backwards is the end of Decreto 491: terms shrink from 30 to 15', () => {
    const before = computeClock({ termClass: 'general', filed: '2022-05-18T16:00:00-05:00' });
    const after = computeClock({ termClass: 'general', filed: '2022-05-19T08:00:00-05:00' });
    expect([before.ruleSet, before.due, after.ruleSet, after.due]).toEqual([
      'co-decreto491-2020',
      '2022-07-05',
      'co-ley1755-2015',
      '2022-06-10',
    ]);
  });

  it('with random completion events: restart never ends before resume, and the trace counts the total', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 0, max: 40 }),
        (input, requestAfter, completedAfter) => {
          // Prepare
          const filedDay = parseDay(input.filed.slice(0, 10))!;
          const events: ClockInput['events'] = [
            { type: 'completion_requested', at: iso(filedDay + requestAfter, 36_000) },
            { type: 'completed', at: iso(filedDay + requestAfter + completedAfter, 50_000) },
          ];
          const resume = computeClock({ ...input, events });
          const restart = computeClock({
            ...input,
            entity: { ...input.entity, suspensionReading: 'restart' },
            events,
          });
          // Assess
          for (const r of [resume, restart]) {
            if (r.due === null) continue;
            expect(counted(r)).toHaveLength(r.totalTermDays);
            expect(counted(r).at(-1)?.date).toBe(r.due);
          }
          if (resume.due !== null && restart.due !== null) expect(restart.due >= resume.due).toBe(true);
          // a suspension accepted never shortens the term
          const plain = computeClock(input);
          if (resume.due !== null) expect(resume.due >= plain.due).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an extension is accepted exactly when notified by the legal due date with a later business date ≤ the maximum', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: -5, max: 40 }),
        fc.integer({ min: 0, max: 70 }),
        (input, notifyOffset, untilOffset) => {
          // Prepare
          const base = computeClock(input);
          const due = parseDay(base.due)!;
          const at = iso(due + notifyOffset, 43_200);
          const until = formatDay(due - 10 + untilOffset);
          if (parseDay(at.slice(0, 10))! * 86_400 + 43_200 < input.day * 86_400 + input.second) return;
          const closures = input.entity?.closures as string[] | undefined;
          // Act
          const r = computeClock({ ...input, events: [{ type: 'extended', at, until }] });
          // Assess
          const ok =
            notifyOffset <= 0 &&
            until > base.due &&
            until <= known(base.maxExtendedDue) &&
            isBusinessDay(until, closures ? { closures } : {});
          expect(r.events[0]?.accepted).toBe(ok);
          expect(r.due).toBe(ok ? until : base.due);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('status: used + left = total until due, and the semáforo never goes back', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 2, maxLength: 6 }),
        (input, offsets) => {
          // Prepare: instants after the filing, in order
          const sorted = [...offsets].sort((a, b) => a - b);
          const filedDay = input.day;
          let previous = -1;
          for (const o of sorted) {
            const day = filedDay + o;
            if (day > LAST + 150) return;
            // Act
            const s = clockStatus(input, iso(day, 86_399));
            // Assess
            if (s.semaforo !== 'overdue')
              expect(s.businessDaysUsed + s.businessDaysLeft).toBe(s.totalTermDays);
            const rank = SEMAFORO_ORDER.indexOf(s.semaforo);
            expect(rank).toBeGreaterThanOrEqual(previous);
            previous = rank;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
