/**
 * The clock under RULES.md's "Second pass": the petitioner's last day runs to midnight, art. 19's
 * ten days to clarify, the "reclamo en trámite" legend (Ley 1581 art. 15 num. 2), acts suspending
 * terms over a range, and every citation in the clock's notes checked against the articles used.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectCitable } from '../../support/citations.ts';
import {
  addBusinessDays,
  type ClockInput,
  type ClockResult,
  computeClock,
  formatDay,
  isBusinessDay,
  nextBusinessDay,
  parseDay,
  TERM_CLASSES_FOR_TESTS,
} from './support.ts';

const MARCH = '2026-03-02T09:00:00-05:00'; // a Monday; 23 March is San José
const OFFICE = { officeHours: { open: '08:00', close: '17:00' } };
const ev = (type: string, at: string, extra: Record<string, unknown> = {}) => ({ type, at, ...extra });

describe("the petitioner's last day ends at midnight (Ley 4 de 1913 art. 59; CPACA art. 5 num. 1)", () => {
  const asked = ev('completion_requested', '2026-03-04T10:00:00-05:00'); // respondBy Monday 6 April

  it('takes a completion at 18:00 or 23:59:59 of the last day; the term restarts when the entity receives it', () => {
    const input = (at: string): ClockInput =>
      ({
        termClass: 'general',
        filed: MARCH,
        entity: OFFICE,
        events: [asked, ev('completed', at)],
      }) as ClockInput;
    const evening = computeClock(input('2026-04-06T18:00:00-05:00'));
    expect(evening.refusedEvents).toEqual([]);
    expect(evening.withdrawalFrom).toBeNull();
    // Received after closing: deemed Tuesday 7 April; 14 days remain after it.
    expect(evening.events[1]?.on).toBe('2026-04-07');
    expect(evening.due).toBe('2026-04-27');
    expect(computeClock(input('2026-04-06T23:59:59-05:00')).due).toBe('2026-04-27');
    expect(computeClock(input('2026-04-06T16:00:00-05:00')).due).toBe('2026-04-24');
    const late = computeClock(input('2026-04-07T00:00:00-05:00'));
    expect(late.due).toBeNull();
    expect(late.withdrawalFrom).toBe('2026-04-07');
    expect(late.suspended?.lapsed).toBe(true);
  });

  it('property: a completion or clarification at any instant of the last day is on time, the next day is not', () => {
    const first = parseDay('2016-01-04')!;
    const last = parseDay('2030-12-01')!;
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }),
        fc.constantFrom('general', 'information', 'query', 'data_protection_claim', 'data_protection_query'),
        fc.constantFrom('completion', 'clarification'),
        fc.boolean(),
        fc.integer({ min: 0, max: 86_399 }),
        (day, termClass, kind, office, second) => {
          const filedDay = isBusinessDay(formatDay(day)) ? formatDay(day) : nextBusinessDay(formatDay(day));
          const askedOn = addBusinessDays(filedDay, 1);
          const request = ev(`${kind}_requested`, `${askedOn}T09:00:00-05:00`);
          const base = {
            termClass,
            filed: `${filedDay}T09:00:00-05:00`,
            ...(office ? { entity: OFFICE } : {}),
          } as ClockInput;
          const pending = computeClock({ ...base, events: [request] } as ClockInput);
          const lastDay = pending.suspended!.respondBy;
          const done = kind === 'completion' ? 'completed' : 'clarified';
          const hh = String(Math.floor(second / 3600)).padStart(2, '0');
          const mm = String(Math.floor((second % 3600) / 60)).padStart(2, '0');
          const ss = String(second % 60).padStart(2, '0');
          const onTime = computeClock({
            ...base,
            events: [request, ev(done, `${lastDay}T${hh}:${mm}:${ss}-05:00`)],
          } as ClockInput);
          expect(onTime.refusedEvents).toEqual([]);
          expect(onTime.due).not.toBeNull();
          const nextDay = formatDay(parseDay(lastDay)! + 1);
          const late = computeClock({
            ...base,
            events: [request, ev(done, `${nextDay}T00:00:00-05:00`)],
          } as ClockInput);
          expect(late.withdrawalFrom).toBe(nextDay);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('unclear petitions (Ley 1755 art. 19): ten business days, no extension, then archive', () => {
  it('gives 10 business days from the request, refuses an extension, archives after', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        ev('clarification_requested', '2026-03-04T10:00:00-05:00'),
        ev('completion_extension_requested', '2026-03-05T10:00:00-05:00'),
      ],
    } as ClockInput);
    // 5, 6, 9, 10, 11, 12, 13, 16, 17, 18 March
    expect(r.suspended).toMatchObject({
      kind: 'clarification',
      provision: 'petición por aclarar, Ley 1755 de 2015, art. 19',
      respondBy: '2026-03-18',
      extended: false,
    });
    expect(r.refusedEvents[0]?.note).toMatch(/Ley 1755 de 2015, art\. 19: .*no es prorrogable/);
    const late = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        ev('clarification_requested', '2026-03-04T10:00:00-05:00'),
        ev('clarified', '2026-03-19T08:00:00-05:00'),
      ],
    } as ClockInput);
    expect(late.withdrawalFrom).toBe('2026-03-19');
    expect(late.refusedEvents[0]?.note).toMatch(/archivo.*Ley 1755 de 2015, art\. 19/);
  });

  it('a clarified petition resumes the term with the days used before the request', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        ev('clarification_requested', '2026-03-04T10:00:00-05:00'),
        ev('clarified', '2026-03-18T20:00:00-05:00'),
      ],
    } as ClockInput);
    // 1 day used (3 March); 14 more after 18 March (23 March, 2 and 3 April are holidays)
    expect(r.due).toBe('2026-04-10');
  });

  it('also suspends a personal-data claim for 10 days, citing art. 19 of Ley 1755 (never Ley 1581)', () => {
    const r = computeClock({
      termClass: 'data_protection_claim',
      filed: '2026-11-10T08:30:00-05:00',
      events: [ev('clarification_requested', '2026-11-12T10:00:00-05:00')],
    } as ClockInput);
    expect(r.suspended).toMatchObject({
      respondBy: '2026-11-27',
      provision: 'petición por aclarar, Ley 1755 de 2015, art. 19',
    });
    const late = computeClock({
      termClass: 'data_protection_claim',
      filed: '2026-11-10T08:30:00-05:00',
      events: [ev('clarification_requested', '2026-11-20T10:00:00-05:00')],
    } as ClockInput);
    // The window to ask is Ley 1581 art. 15's 5 days (18 November).
    expect(late.refusedEvents[0]?.note).toContain(
      '2026-11-18 (Ley 1581 de 2012, art. 15: dentro de los 5 días',
    );
    expect(late.refusedEvents[0]?.note).not.toContain('Ley 1581 de 2012, art. 19');
  });
});

describe('"reclamo en trámite" (Ley 1581 art. 15 num. 2): legendBy', () => {
  const filed = '2026-11-10T08:30:00-05:00';

  it('two business days after the complete claim; none while completion is awaited; only for claims', () => {
    expect(computeClock({ termClass: 'data_protection_claim', filed }).legendBy).toBe('2026-11-12');
    const asked = ev('completion_requested', '2026-11-12T10:00:00-05:00');
    expect(
      computeClock({ termClass: 'data_protection_claim', filed, events: [asked] } as ClockInput).legendBy,
    ).toBeNull();
    // Completed Friday 20 November: 23 and 24 November.
    const done = computeClock({
      termClass: 'data_protection_claim',
      filed,
      events: [asked, ev('completed', '2026-11-20T18:00:00-05:00')],
    } as ClockInput);
    expect(done.legendBy).toBe('2026-11-24');
    // A Friday-evening filing under office hours is received Monday 23 November (16 is a holiday).
    expect(
      computeClock({ termClass: 'data_protection_claim', filed: '2026-11-20T18:00:00-05:00', entity: OFFICE })
        .legendBy,
    ).toBe('2026-11-25');
    for (const termClass of ['general', 'information', 'query', 'data_protection_query'] as const) {
      expect(computeClock({ termClass, filed })).not.toHaveProperty('legendBy');
    }
  });
});

describe('closures and acts suspending terms (RULES.md, second pass)', () => {
  it('an act suspending terms over a range moves the due date by its business days, with its reference', () => {
    const plain = computeClock({ termClass: 'general', filed: MARCH });
    const act = {
      from: '2026-03-09',
      to: '2026-03-15',
      reason: 'Suspensión de términos',
      reference: 'Resolución 123 de 2026',
    };
    const r = computeClock({ termClass: 'general', filed: MARCH, entity: { closures: [act] } } as ClockInput);
    expect(plain.due).toBe('2026-03-24');
    expect(r.due).toBe('2026-03-31'); // five business days inside the act
    expect(JSON.stringify(r.trace)).toContain('Resolución 123 de 2026');
  });

  it('refuses a range that ends before it starts or spans more than a year', () => {
    expect(() =>
      computeClock({
        termClass: 'general',
        filed: MARCH,
        entity: { closures: [{ from: '2026-03-09', to: '2026-03-01' }] },
      } as ClockInput),
    ).toThrow(/entity\.closures\[0\]\.to/);
    expect(() =>
      computeClock({
        termClass: 'general',
        filed: MARCH,
        entity: { closures: [{ from: '2026-01-01', to: '2027-01-02' }] },
      } as ClockInput),
    ).toThrow(/entity\.closures\[0\]\.to/);
  });

  it('property: a closure inside a pending term moves due by exactly one business day; outside, nothing', () => {
    const first = parseDay('2016-01-04')!;
    const last = parseDay('2030-12-01')!;
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }),
        fc.constantFrom('general', 'information', 'query', 'data_protection_claim'),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (day, termClass, offset, inside) => {
          const filed = `${formatDay(day)}T10:00:00-05:00`;
          const before: ClockResult = computeClock({ termClass, filed } as ClockInput);
          const received = parseDay(before.receivedOn)!;
          const due = parseDay(before.due!)!;
          const closed = inside ? received + 1 + ((offset - 1) % (due - received)) : due + offset;
          if (!isBusinessDay(formatDay(closed))) return; // a closure on a non-business day changes nothing by definition
          const after = computeClock({
            termClass,
            filed,
            entity: { closures: [formatDay(closed)] },
          } as ClockInput);
          if (inside) expect(after.due).toBe(nextBusinessDay(before.due!));
          else expect(after.due).toBe(before.due);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('citations: every note of the clock names an article its rule sets use', () => {
  it('checks the notes of accepted and refused events across every term class', () => {
    const notes: string[] = [];
    const scenarios = (filed: string) => [
      [
        ev('completion_requested', '2026-03-04T10:00:00-05:00'),
        ev('completion_extension_requested', '2026-03-05T10:00:00-05:00'),
        ev('completion_extension_requested', '2026-03-06T10:00:00-05:00'),
        ev('completed', '2026-06-30T10:00:00-05:00'),
      ],
      [
        ev('clarification_requested', '2026-03-04T10:00:00-05:00'),
        ev('completion_extension_requested', '2026-03-05T10:00:00-05:00'),
        ev('clarified', '2026-05-30T10:00:00-05:00'),
      ],
      [
        ev('clarification_requested', '2026-03-04T10:00:00-05:00'),
        ev('clarified', '2026-03-06T10:00:00-05:00'),
      ],
      [ev('completion_requested', '2026-04-30T10:00:00-05:00')],
      [ev('clarification_requested', '2026-04-30T10:00:00-05:00')],
      [
        ev('extended', '2026-03-05T10:00:00-05:00'),
        ev('extended', '2026-03-06T10:00:00-05:00', { until: '2027-01-04' }),
      ],
      [ev('extended', '2026-06-05T10:00:00-05:00')],
      [ev('forward_received', '2026-03-20T10:00:00-05:00')],
      [ev('completed', filed)],
    ];
    for (const termClass of TERM_CLASSES_FOR_TESTS) {
      for (const filed of [MARCH, '2021-03-01T09:00:00-05:00']) {
        for (const events of scenarios(filed)) {
          const shifted =
            filed === MARCH ? events : events.map((e) => ({ ...e, at: e.at.replace('2026-', '2021-') }));
          const r = computeClock({ termClass, filed, events: shifted } as ClockInput);
          notes.push(...r.events.map((e) => e.note), r.suspended?.provision ?? '');
        }
      }
    }
    const cited = new Set(notes.flatMap(expectCitable));
    // The scenarios reach the citations that matter, the wrong one of old excluded.
    expect([...cited]).toEqual(
      expect.arrayContaining([
        'Ley 1755 de 2015, art. 17',
        'Ley 1755 de 2015, art. 19',
        'Ley 1581 de 2012, art. 15',
      ]),
    );
    expect(notes.join('\n')).not.toMatch(/Ley 1581 de 2012, art\. 1[79]/);
  });
});
