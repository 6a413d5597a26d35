import { describe, expect, it } from 'vitest';
import {
  businessDaysBetween,
  ClockError,
  type ClockInput,
  type ClockResult,
  clockStatus,
  computeClock,
  dueDate,
  explainText,
} from '#domain/clock/index.ts';

/** The ClockError thrown by `f`, or a failure. */
function clockError(f: () => unknown): ClockError {
  try {
    f();
  } catch (e) {
    if (e instanceof ClockError) return e;
    throw e;
  }
  throw new Error('expected a ClockError');
}

const MARCH = '2026-03-02T09:00:00-05:00'; // a Monday; day 1 = Tue 3 March; 23 March is San José
const req = (at: string) => ({ type: 'completion_requested' as const, at });
const done = (at: string) => ({ type: 'completed' as const, at });

describe('receipt and day 1', () => {
  it('counts from the first business day after the Bogota calendar day of receipt', () => {
    // Prepare: 03:00 UTC on the 21st is 22:00 on the 20th in Bogota
    const input: ClockInput = { termClass: 'general', filed: '2026-03-21T03:00:00Z' };
    // Act
    const r = computeClock(input);
    // Assess
    expect(r.receivedOn).toBe('2026-03-20');
    expect(r.trace.find((t) => t.kind === 'counted')?.date).toBe('2026-03-24');
    expect(r.due).toBe('2026-04-15');
  });

  it('accepts a bare Bogota date as the receipt day', () => {
    expect(computeClock({ termClass: 'general', filed: '2025-12-19' }).due).toBe('2026-01-14');
  });

  it('shows a Saturday filing, the Sunday and the Monday holiday before day 1', () => {
    // Act
    const r = computeClock({ termClass: 'general', filed: '2026-03-21T15:00:00-05:00' });
    // Assess
    expect(r.trace.slice(0, 4)).toMatchObject([
      { date: '2026-03-21', kind: 'received' },
      { date: '2026-03-22', kind: 'skipped', reason: 'weekend' },
      { date: '2026-03-23', kind: 'skipped', reason: 'holiday', holidays: ['Día de San José'] },
      { date: '2026-03-24', kind: 'counted', day: 1 },
    ]);
  });

  it('names both holidays when two coincide (2025-06-30)', () => {
    const r = computeClock({ termClass: 'general', filed: '2025-06-27T10:00:00-05:00' });
    const june30 = r.trace.find((t) => t.date === '2025-06-30');
    expect(june30).toMatchObject({
      kind: 'skipped',
      holidays: ['Sagrado Corazón de Jesús', 'San Pedro y San Pablo'],
    });
    expect(june30?.text).toContain('Ley 51 de 1983');
  });
});

describe('rule sets, chosen by the receipt date', () => {
  it('returns the rule and article that set the term', () => {
    const r = computeClock({ termClass: 'query', filed: '2026-05-04T11:00:00-05:00' });
    expect(r).toMatchObject({
      ruleSet: 'co-ley1755-2015',
      termDays: 30,
      rule: { law: 'Ley 1755 de 2015', article: 'art. 14 num. 2' },
    });
  });

  it('uses the Bogota day at the regime boundary, not the UTC one', () => {
    // 2020-03-28T04:59:59Z is 2020-03-27 23:59:59 in Bogota: still the ordinary regime
    expect(computeClock({ termClass: 'general', filed: '2020-03-28T04:59:59Z' }).ruleSet).toBe(
      'co-ley1755-2015',
    );
    expect(computeClock({ termClass: 'general', filed: '2020-03-28T05:00:00Z' }).ruleSet).toBe(
      'co-decreto491-2020',
    );
    expect(computeClock({ termClass: 'general', filed: '2022-05-19T04:59:59Z' }).ruleSet).toBe(
      'co-decreto491-2020',
    );
  });

  it('under Decreto 491 the extension may reach double the emergency term (60 days)', () => {
    const r = computeClock({ termClass: 'general', filed: '2021-03-01T10:00:00-05:00' });
    expect(r.termDays).toBe(30);
    expect(businessDaysBetween(r.receivedOn, r.maxExtendedDue ?? '')).toBe(60);
  });

  it('under Decreto 491 keeps personal-data terms and their fixed extensions', () => {
    const q = computeClock({ termClass: 'data_protection_query', filed: '2021-03-01T10:00:00-05:00' });
    expect(q).toMatchObject({
      ruleSet: 'co-decreto491-2020',
      termDays: 10,
      rule: { law: 'Ley 1581 de 2012' },
    });
    expect(businessDaysBetween(q.due, q.maxExtendedDue ?? '')).toBe(5);
  });

  it('chooses the regime by the deemed receipt when the office-hours rule moves it', () => {
    // Friday 2020-03-27 18:00, after hours → deemed received Monday 2020-03-30 → Decreto 491
    const r = computeClock({
      termClass: 'general',
      filed: '2020-03-27T18:00:00-05:00',
      entity: { officeHours: { open: '08:00', close: '17:00' }, afterHoursNextDay: true },
    });
    expect(r).toMatchObject({ receivedOn: '2020-03-30', ruleSet: 'co-decreto491-2020', termDays: 30 });
  });

  it('refuses receipts before Ley 1755 de 2015 (no rule set modelled: never a guess)', () => {
    const e = clockError(() => computeClock({ termClass: 'general', filed: '2015-06-29T10:00:00-05:00' }));
    expect(e).toMatchObject({ code: 'out_of_range', field: 'filed' });
    expect(computeClock({ termClass: 'general', filed: '2015-06-30T10:00:00-05:00' }).ruleSet).toBe(
      'co-ley1755-2015',
    );
  });

  it('answers a due date inside the calendar whose extension maximum or copies date would leave it', () => {
    // 2100-12-01 (Wednesday): days 2, 3, 6, 7, 9, 10, 13–17, 20–23 (8 December a holiday).
    const general = computeClock({ termClass: 'general', filed: '2100-12-01T09:00:00-05:00' });
    expect(general).toMatchObject({ due: '2100-12-23', legalDue: '2100-12-23', maxExtendedDue: null });
    expect(explainText(general)).toContain('Prórroga máxima: después del 2100-12-31');
    expect(dueDate({ termClass: 'general', filed: '2100-12-01T09:00:00-05:00' })).toBe('2100-12-23');
    expect(computeClock({ termClass: 'query', filed: '2100-10-05T09:00:00-05:00' })).toMatchObject({
      due: '2100-11-19',
      maxExtendedDue: null,
    });
    expect(
      computeClock({ termClass: 'data_protection_claim', filed: '2100-12-01T09:00:00-05:00' }),
    ).toMatchObject({ due: '2100-12-23', legendBy: '2100-12-03', maxExtendedDue: null });
    // Filed Thursday 16 December: due Thursday the 30th; three days for copies end in 2101.
    const info = computeClock({ termClass: 'information', filed: '2100-12-16T09:00:00-05:00' });
    expect(info.due).toBe('2100-12-30');
    expect(info).not.toHaveProperty('copiesDue');
    expect(
      clockStatus({ termClass: 'general', filed: '2100-12-01T09:00:00-05:00' }, '2100-12-02T10:00:00-05:00'),
    ).toMatchObject({ maxExtendedDue: null, extensionAllowed: true });
  });

  it('near the end of the calendar takes an extension to a date it knows, and asks for one when none is given', () => {
    const filed = '2100-12-01T09:00:00-05:00';
    const dated = computeClock({
      termClass: 'general',
      filed,
      events: [{ type: 'extended', at: '2100-12-10T10:00:00-05:00', until: '2100-12-30' }],
    });
    expect(dated).toMatchObject({ due: '2100-12-30', events: [{ accepted: true }] });
    const undated = computeClock({
      termClass: 'general',
      filed,
      events: [{ type: 'extended', at: '2100-12-10T10:00:00-05:00' }],
    });
    expect(undated).toMatchObject({ due: '2100-12-23', events: [{ accepted: false }] });
    expect(undated.events[0]?.note).toMatch(/después del 2100-12-31.*indique la nueva fecha/);
    expect(() =>
      computeClock({
        termClass: 'general',
        filed,
        events: [{ type: 'extended', at: '2100-12-10T10:00:00-05:00', until: '2101-01-10' }],
      }),
    ).toThrow(ClockError);
  });

  it('refuses dates outside the 1984–2100 calendar, including a due date that would leave it', () => {
    expect(
      clockError(() => computeClock({ termClass: 'general', filed: '2101-01-04T10:00:00-05:00' })),
    ).toMatchObject({
      code: 'out_of_range',
      field: 'filed',
    });
    expect(
      clockError(() => computeClock({ termClass: 'general', filed: '1983-12-30T10:00:00-05:00' })),
    ).toMatchObject({
      code: 'out_of_range',
      field: 'filed',
    });
    expect(
      clockError(() => computeClock({ termClass: 'query', filed: '2100-12-01T10:00:00-05:00' })),
    ).toMatchObject({
      code: 'out_of_range',
      field: 'filed',
    });
  });
});

describe('entity settings', () => {
  it('applies a shorter term and says it is the entity’s', () => {
    const r = computeClock({
      termClass: 'general',
      filed: '2025-12-19T10:00:00-05:00',
      entity: { terms: { general: 10 } },
    });
    expect(r).toMatchObject({ termDays: 10, legalTermDays: 15, termSource: 'entity', due: '2026-01-06' });
  });

  it('refuses a term longer than the law, naming the setting', () => {
    const e = clockError(() =>
      computeClock({
        termClass: 'general',
        filed: '2026-03-02T09:00:00-05:00',
        entity: { terms: { general: 20 } },
      }),
    );
    expect(e).toMatchObject({ code: 'contrary_to_law', field: 'entity.terms.general' });
    // every configured class is checked, not only the one filed
    const f = clockError(() =>
      computeClock({ termClass: 'general', filed: MARCH, entity: { terms: { information: 11 } } }),
    );
    expect(f.field).toBe('entity.terms.information');
  });

  it('measures the entity term against the regime in force (20 is shorter than Decreto 491’s 30)', () => {
    const r = computeClock({
      termClass: 'general',
      filed: '2021-03-01T10:00:00-05:00',
      entity: { terms: { general: 20 } },
    });
    expect(r).toMatchObject({ termDays: 20, termSource: 'entity', ruleSet: 'co-decreto491-2020' });
  });

  it('names bad settings', () => {
    const cases: [ClockInput['entity'], string][] = [
      [{ closures: ['2026-02-30'] }, 'entity.closures[0]'],
      [{ closures: ['2026-03-05', '2101-01-03'] }, 'entity.closures[1]'],
      [{ officeHours: { open: '17:00', close: '08:00' } }, 'entity.officeHours.close'],
      [{ officeHours: { open: '8:00', close: '17:00' } }, 'entity.officeHours.open'],
      [{ terms: { general: 0 } }, 'entity.terms.general'],
      [{ suspensionReading: 'pause' as never }, 'entity.suspensionReading'],
      [{ closure: ['2026-03-05'] } as never, 'entity.closure'],
    ];
    for (const [entity, field] of cases) {
      expect(
        clockError(() => computeClock({ termClass: 'general', filed: MARCH, entity })).field,
        field,
      ).toBe(field);
    }
  });

  it('office-hours rule: after closing or on a non-business day → next business day', () => {
    const hours = { open: '08:00', close: '17:00' };
    const at = (filed: string, entity: ClockInput['entity']) =>
      computeClock({ termClass: 'general', filed, entity });
    expect(at('2026-03-20T17:00:00-05:00', { officeHours: hours, afterHoursNextDay: true }).receivedOn).toBe(
      '2026-03-20',
    );
    expect(at('2026-03-20T17:00:01-05:00', { officeHours: hours, afterHoursNextDay: true }).receivedOn).toBe(
      '2026-03-24',
    );
    expect(at('2026-03-21T10:00:00-05:00', { officeHours: hours, afterHoursNextDay: true })).toMatchObject({
      receivedOn: '2026-03-24',
      deemedReceipt: { reason: 'non_business_day' },
      due: '2026-04-16',
    });
    // opted out explicitly
    expect(at('2026-03-20T18:30:00-05:00', { officeHours: hours, afterHoursNextDay: false }).receivedOn).toBe(
      '2026-03-20',
    );
    // hours given, flag absent: the hours are the entity's rule
    expect(at('2026-03-20T18:30:00-05:00', { officeHours: hours }).receivedOn).toBe('2026-03-24');
    // flag without hours: the usual 08:00–17:00, said so
    expect(at('2026-03-20T18:30:00-05:00', { afterHoursNextDay: true })).toMatchObject({
      receivedOn: '2026-03-24',
      officeHoursRule: { hours: '08:00–17:00', defaulted: true },
    });
    // a closure is not a business day for the rule either
    expect(at('2026-03-24T10:00:00-05:00', { officeHours: hours, closures: ['2026-03-24'] }).receivedOn).toBe(
      '2026-03-25',
    );
  });

  it('traces the filing day, the moved receipt, and closures with their reason', () => {
    const r = computeClock({
      termClass: 'information',
      filed: '2026-03-27T18:30:00-05:00',
      entity: {
        officeHours: { open: '08:00', close: '17:00' },
        closures: [{ date: '2026-04-08', reason: 'Traslado de sede' }],
      },
    });
    expect(r.trace[0]).toMatchObject({ date: '2026-03-27', kind: 'filed' });
    expect(r.trace[0]?.text).toContain('18:30');
    expect(r.trace.find((t) => t.kind === 'received')?.date).toBe('2026-03-30');
    expect(r.trace.find((t) => t.date === '2026-04-08')).toMatchObject({
      kind: 'skipped',
      reason: 'closure',
      closure: 'Traslado de sede',
    });
  });
});

describe('completion and clarification (arts. 17 and 19)', () => {
  it('suspends from the request (not counted) and waits for the petitioner', () => {
    // Act
    const r: ClockResult = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [req('2026-03-04T10:00:00-05:00')],
    });
    // Assess: request 4 March + 1 month = Saturday 4 April → Monday 6 April (Ley 4 de 1913, art. 62)
    expect(r.due).toBeNull();
    expect(r.suspended).toEqual({
      kind: 'completion',
      provision: 'petición incompleta, Ley 1755 de 2015, art. 17',
      since: '2026-03-04',
      businessDaysUsed: 1,
      respondBy: '2026-04-06',
      extended: false,
      lapsed: false,
    });
    expect(r.trace.find((t) => t.date === '2026-03-04' && t.kind !== 'event')).toMatchObject({
      kind: 'suspended',
    });
  });

  it('gives the petitioner one more month on request, once, asked before the deadline', () => {
    const base = [req('2026-03-04T10:00:00-05:00')];
    const ext = { type: 'completion_extension_requested' as const, at: '2026-04-01T10:00:00-05:00' };
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [...base, ext, { ...ext, at: '2026-04-02T10:00:00-05:00' }],
    });
    expect(r.suspended).toMatchObject({ respondBy: '2026-05-04', extended: true });
    expect(r.refusedEvents).toHaveLength(1);
    expect(r.refusedEvents[0]?.note).toMatch(/una vez/);
    const late = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [...base, { ...ext, at: '2026-04-07T10:00:00-05:00' }],
    });
    expect(late.suspended?.respondBy).toBe('2026-04-06');
    expect(late.refusedEvents[0]?.note).toMatch(/Extemporánea/);
  });

  it('refuses a late completion: desistimiento tácito may be declared', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [req('2026-03-04T10:00:00-05:00'), done('2026-04-07T10:00:00-05:00')],
    });
    expect(r.due).toBeNull();
    expect(r.withdrawalFrom).toBe('2026-04-07');
    expect(r.suspended?.lapsed).toBe(true);
    expect(r.refusedEvents[0]?.note).toMatch(/desistimiento tácito/);
  });

  it('refuses a request after the 10 days of art. 17 and keeps counting', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [req('2026-03-17T10:00:00-05:00')],
    });
    expect(r.completionRequestBy).toBe('2026-03-16');
    expect(r.due).toBe('2026-03-24');
    expect(r.refusedEvents[0]).toMatchObject({ type: 'completion_requested', accepted: false });
  });

  it('a request on the day of receipt uses no days', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [req('2026-03-02T15:00:00-05:00'), done('2026-03-05T10:00:00-05:00')],
    });
    expect(r.due).toBe('2026-03-27');
  });

  it('a request on the due date leaves one day after completion', () => {
    // entity term 5: due Monday 9 March; request that day uses 4 days; completion on the 11th → due the 12th
    const entity = { terms: { general: 5 } };
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity,
      events: [req('2026-03-09T16:00:00-05:00'), done('2026-03-11T10:00:00-05:00')],
    });
    expect(r.due).toBe('2026-03-12');
    const late = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity,
      events: [req('2026-03-10T09:00:00-05:00')],
    });
    expect(late.due).toBe('2026-03-09');
    expect(late.refusedEvents[0]?.note).toMatch(/venció/);
  });

  it('restart never ends before resume (property checked in properties.test.ts) — here: both readings shown', () => {
    const events = [req('2026-03-04T10:00:00-05:00'), done('2026-03-10T12:00:00-05:00')];
    const resume = computeClock({ termClass: 'general', filed: MARCH, events });
    const restart = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity: { suspensionReading: 'restart' },
      events,
    });
    expect([resume.due, restart.due]).toEqual(['2026-03-31', '2026-04-01']);
    expect(resume.suspensionReading).toBe('resume');
    expect(restart.trace.find((t) => t.date === '2026-03-03')).toMatchObject({ kind: 'discarded', day: 1 });
    expect(restart.trace.find((t) => t.date === '2026-03-11')).toMatchObject({ kind: 'counted', day: 1 });
    expect(resume.trace.find((t) => t.date === '2026-03-11')).toMatchObject({ kind: 'counted', day: 2 });
  });

  it('refuses a completion without a pending request, or for the other kind of request', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        done('2026-03-03T10:00:00-05:00'),
        { type: 'clarification_requested', at: '2026-03-04T10:00:00-05:00' },
        done('2026-03-05T10:00:00-05:00'),
      ],
    });
    expect(r.refusedEvents.map((e) => e.index)).toEqual([0, 2]);
    expect(r.suspended?.kind).toBe('clarification');
  });

  it('refuses a second request while suspended', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        req('2026-03-04T10:00:00-05:00'),
        { type: 'clarification_requested', at: '2026-03-05T10:00:00-05:00' },
      ],
    });
    expect(r.refusedEvents).toHaveLength(1);
    expect(r.suspended?.kind).toBe('completion');
  });

  it('personal-data claims: 2 months to complete, not extendable (Ley 1581 art. 15)', () => {
    const r = computeClock({
      termClass: 'data_protection_claim',
      filed: '2026-11-10T08:30:00-05:00',
      events: [
        req('2026-11-12T09:00:00-05:00'),
        { type: 'completion_extension_requested', at: '2026-12-01T09:00:00-05:00' },
      ],
    });
    expect(r.suspended).toMatchObject({
      respondBy: '2027-01-12',
      provision: 'petición incompleta, Ley 1581 de 2012, art. 15',
    });
    expect(r.refusedEvents[0]?.note).toMatch(/no es prorrogable/);
  });

  it('applies events in time order, whatever their order in the input', () => {
    const events = [done('2026-03-10T12:00:00-05:00'), req('2026-03-04T10:00:00-05:00')];
    const r = computeClock({ termClass: 'general', filed: MARCH, events });
    expect(r.due).toBe('2026-03-31');
    expect(r.events.map((e) => e.index)).toEqual([1, 0]);
  });

  it('applies the office-hours rule to the completion (a document received)', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity: { officeHours: { open: '08:00', close: '17:00' } },
      events: [req('2026-03-04T10:00:00-05:00'), done('2026-03-10T19:00:00-05:00')],
    });
    // completed deemed 11 March; resume from the 12th: one day later than the in-hours completion
    expect(r.events[1]?.on).toBe('2026-03-11');
    expect(r.due).toBe('2026-04-01');
  });
});

describe('extension (art. 14 parágrafo; Ley 1581 arts. 14–15)', () => {
  const filed = '2025-12-19T10:00:00-05:00'; // due 2026-01-14, maximum 2026-02-04
  const ext = (at: string, until?: string) => ({
    type: 'extended' as const,
    at,
    ...(until ? { until } : {}),
  });

  it('moves the due date to the notified date and numbers the extra days', () => {
    const r = computeClock({
      termClass: 'general',
      filed,
      events: [ext('2026-01-13T10:00:00-05:00', '2026-01-28')],
    });
    expect(r).toMatchObject({
      due: '2026-01-28',
      legalDue: '2026-01-14',
      extension: { until: '2026-01-28', notifiedOn: '2026-01-13' },
    });
    expect(r.totalTermDays).toBe(25);
    expect(r.trace.find((t) => t.date === '2026-01-15')).toMatchObject({
      kind: 'counted',
      day: 16,
      extension: true,
    });
  });

  it('without a date, extends to the legal maximum', () => {
    expect(
      computeClock({ termClass: 'general', filed, events: [ext('2026-01-13T10:00:00-05:00')] }).due,
    ).toBe('2026-02-04');
  });

  it('refuses, with a reason: after expiry, beyond the maximum, not later, not a business day, while suspended', () => {
    const refused = (events: ClockInput['events'], input: Partial<ClockInput> = {}) => {
      const r = computeClock({ termClass: 'general', filed, ...input, events });
      expect(r.refusedEvents).toHaveLength(1);
      return r.refusedEvents[0]!.note;
    };
    expect(refused([ext('2026-01-15T08:00:00-05:00', '2026-02-04')])).toMatch(
      /vencimiento del término legal \(2026-01-14\)/,
    );
    expect(refused([ext('2026-01-13T10:00:00-05:00', '2026-02-05')])).toMatch(
      /excede el máximo legal 2026-02-04/,
    );
    expect(refused([ext('2026-01-13T10:00:00-05:00', '2026-01-14')])).toMatch(/no es posterior/);
    expect(refused([ext('2026-01-13T10:00:00-05:00', '2026-01-31')])).toMatch(/no es un día hábil/);
    expect(
      refused([req('2026-03-04T10:00:00-05:00'), ext('2026-03-05T10:00:00-05:00')], { filed: MARCH }),
    ).toMatch(/suspendido/);
  });

  it('reads the new date under other common names, and refuses two different ones', () => {
    for (const key of ['newDue', 'newDate', 'due', 'to']) {
      const r = computeClock({
        termClass: 'general',
        filed,
        events: [{ type: 'extended', at: '2026-01-13T10:00:00-05:00', [key]: '2026-01-28' }],
      });
      expect(r.due, key).toBe('2026-01-28');
    }
    const e = clockError(() =>
      computeClock({
        termClass: 'general',
        filed,
        events: [
          { type: 'extended', at: '2026-01-13T10:00:00-05:00', until: '2026-01-28', newDue: '2026-01-29' },
        ],
      }),
    );
    expect(e.field).toBe('events[0].until');
  });

  it('a later notice before the legal due date replaces the earlier one; after it, none is accepted', () => {
    const r = computeClock({
      termClass: 'general',
      filed,
      events: [
        ext('2026-01-05T10:00:00-05:00', '2026-02-04'),
        ext('2026-01-10T10:00:00-05:00', '2026-01-28'),
        ext('2026-01-20T10:00:00-05:00', '2026-02-03'),
      ],
    });
    expect(r.due).toBe('2026-01-28');
    expect(r.events.map((e) => e.accepted)).toEqual([true, true, false]);
  });

  it('personal data: + 5 days for queries, + 8 for claims, counted after the first term', () => {
    const q = computeClock({
      termClass: 'data_protection_query',
      filed: '2026-11-10T08:30:00-05:00',
      events: [ext('2026-11-20T10:00:00-05:00')],
    });
    expect(q.due).toBe('2026-12-02');
    const c = computeClock({
      termClass: 'data_protection_claim',
      filed: '2026-11-10T08:30:00-05:00',
      events: [ext('2026-11-20T10:00:00-05:00', '2026-12-16')],
    });
    expect(c.refusedEvents[0]?.note).toMatch(/8 días hábiles después del vencimiento/);
  });

  it('the restart reading drops an extension notified before the suspension; resume keeps it', () => {
    const events = [
      ext('2026-03-03T10:00:00-05:00'),
      req('2026-03-04T10:00:00-05:00'),
      done('2026-03-10T12:00:00-05:00'),
    ];
    const resume = computeClock({ termClass: 'general', filed: MARCH, events });
    const restart = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity: { suspensionReading: 'restart' },
      events,
    });
    expect(resume.due).toBe(resume.maxExtendedDue);
    expect(restart).toMatchObject({ due: '2026-04-01', extension: null });
    expect(restart.events[2]?.note).toMatch(/queda sin efecto/);
  });

  it('information requests: copies are due 3 days after the extended due date', () => {
    const r = computeClock({
      termClass: 'information',
      filed: '2026-03-30T09:00:00-05:00',
      events: [ext('2026-04-14T10:00:00-05:00', '2026-04-22')],
    });
    expect(r).toMatchObject({ due: '2026-04-22', copiesDue: '2026-04-27' });
  });
});

describe('forward to the competent authority (art. 21)', () => {
  it('starts the term over from the competent entity’s receipt and discards the days before', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [{ type: 'forward_received', at: '2026-03-06T11:00:00-05:00' }],
    });
    expect(r).toMatchObject({
      due: '2026-03-30',
      termStartsAfter: '2026-03-06',
      receivedOn: '2026-03-02',
      forwarded: { late: false },
    });
    expect(r.trace.find((t) => t.date === '2026-03-03')).toMatchObject({ kind: 'discarded' });
    expect(r.trace.find((t) => t.date === '2026-03-09')).toMatchObject({ kind: 'counted', day: 1 });
  });

  it('notes a forward received after the 5 days', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [{ type: 'forward_received', at: '2026-03-12T11:00:00-05:00' }],
    });
    expect(r).toMatchObject({ due: '2026-04-07', forwarded: { receivedOn: '2026-03-12', late: true } });
    expect(r.events[0]?.note).toMatch(/después del plazo de remisión/);
  });

  it('clears a pending suspension and recomputes the 10 days to ask for completion', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [
        req('2026-03-04T10:00:00-05:00'),
        { type: 'forward_received', at: '2026-03-06T11:00:00-05:00' },
      ],
    });
    expect(r).toMatchObject({ due: '2026-03-30', suspended: null, completionRequestBy: '2026-03-20' });
  });

  it('applies the office-hours rule to the competent entity’s receipt', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      entity: { officeHours: { open: '08:00', close: '17:00' } },
      events: [{ type: 'forward_received', at: '2026-03-06T18:00:00-05:00' }],
    });
    expect(r.due).toBe('2026-03-31');
  });

  it('refuses events before the filing', () => {
    const r = computeClock({
      termClass: 'general',
      filed: MARCH,
      events: [{ type: 'forward_received', at: '2026-03-01T11:00:00-05:00' }],
    });
    expect(r.due).toBe('2026-03-24');
    expect(r.refusedEvents[0]?.note).toMatch(/Anterior a la recepción/);
    expect(r.trace[0]).toMatchObject({ kind: 'event', date: '2026-03-01' });
  });
});

describe('bad input is a ClockError naming the field', () => {
  const cases: [unknown, string][] = [
    [{ termClass: 'petition', filed: MARCH }, 'termClass'],
    [{ filed: MARCH }, 'termClass'],
    [{ termClass: 'general' }, 'filed'],
    [{ termClass: 'general', filed: '2026-03-02T09:00:00' }, 'filed'],
    [{ termClass: 'general', filed: '2026-02-30T09:00:00-05:00' }, 'filed'],
    [{ termClass: 'general', filed: 20260302 }, 'filed'],
    [{ termClass: 'general', filed: MARCH, events: [{ type: 'answered', at: MARCH }] }, 'events[0].type'],
    [
      { termClass: 'general', filed: MARCH, events: [req(MARCH), { type: 'completed', at: 'soon' }] },
      'events[1].at',
    ],
    [
      { termClass: 'general', filed: MARCH, events: [{ type: 'extended', at: MARCH, until: '2026-13-01' }] },
      'events[0].until',
    ],
    [
      { termClass: 'general', filed: MARCH, events: [{ type: 'extended', at: MARCH, until: '2101-01-03' }] },
      'events[0].until',
    ],
    [
      {
        termClass: 'general',
        filed: MARCH,
        events: [{ type: 'forward_received', at: '2101-01-03T10:00:00-05:00' }],
      },
      'events[0].at',
    ],
    [{ termClass: 'general', filed: MARCH, fundamentalRight: 'yes' }, 'fundamentalRight'],
    [{ termClass: 'general', filed: MARCH, entity: [] }, 'entity'],
  ];
  it.each(cases)('%j → %s', (input, field) => {
    const e = clockError(() => computeClock(input as ClockInput));
    expect(e.field).toBe(field);
    expect(e.message).not.toContain('\n');
    // the fast path names the same field
    expect(clockError(() => dueDate(input as ClockInput)).field).toBe(field);
  });
});

describe('dueDate (fast path)', () => {
  it('gives the same due date as computeClock, with and without events', () => {
    const inputs: ClockInput[] = [
      { termClass: 'general', filed: '2025-12-19T10:00:00-05:00' },
      {
        termClass: 'general',
        filed: MARCH,
        events: [req('2026-03-04T10:00:00-05:00'), done('2026-03-10T12:00:00-05:00')],
      },
      { termClass: 'general', filed: MARCH, events: [req('2026-03-04T10:00:00-05:00')] },
      {
        termClass: 'information',
        filed: '2026-03-27T18:30:00-05:00',
        entity: { officeHours: { open: '08:00', close: '17:00' } },
      },
    ];
    for (const input of inputs) expect(dueDate(input)).toBe(computeClock(input).due);
  });
});

describe('computeClock without the trace', () => {
  it('gives the same dates and an empty trace', async () => {
    const { computeClock: compute } = await import('#domain/clock/index.ts');
    const input = { termClass: 'information' as const, filed: '2026-03-30T09:00:00-05:00' };
    const full = compute(input);
    const lean = compute(input, { trace: false });
    expect(lean.trace).toEqual([]);
    expect({ ...lean, trace: full.trace }).toEqual(full);
  });
});
