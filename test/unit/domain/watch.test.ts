import { describe, expect, it } from 'vitest';
import { clockInputOf } from '#domain/case/lifecycle.ts';
import { alertKey, parseAlertKey, type WatchedCase, watchCase } from '#domain/case/watch.ts';
import { addBusinessDays, computeClock } from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO } from '#domain/entity.ts';

// Filed on Monday 2026-03-02 at 10:00 Bogota, general term (15 business days): due 2026-03-24
// (23 March is a holiday). Day n of the term is the n-th business day after the filing.
const FILED = '2026-03-02T10:00:00-05:00';
const DUE = '2026-03-24';
const day = (n: number, time = '12:00:00') => `${addBusinessDays('2026-03-02', n)}T${time}-05:00`;

function kase(over: Partial<WatchedCase> = {}): WatchedCase {
  return {
    radicado: 'MINTIC-2026-000001',
    entityId: 'MINTIC',
    status: 'assigned',
    kind: 'petition',
    termClass: 'general',
    receivedAt: FILED,
    clockSettings: {},
    clockEvents: [],
    office: 'conectividad',
    officer: 'officer-sub-1',
    ...over,
  };
}

function unassigned(over: Partial<WatchedCase> = {}): WatchedCase {
  const { officer: _o, ...rest } = kase(over);
  return { ...rest, status: 'routed' };
}

describe('semáforo alerts', () => {
  it('has the due date of the legal clock (sanity of the fixture)', () => {
    expect(day(15).slice(0, 10)).toBe(DUE);
    expect(watchCase(kase(), day(1), DEFAULT_SEMAFORO).status?.due).toBe(DUE);
  });

  it('sends nothing while green', () => {
    const d = watchCase(kase(), day(7), DEFAULT_SEMAFORO);
    expect(d.status?.semaforo).toBe('green');
    expect(d.alert).toBeNull();
    expect(d.deemAccepted).toBe(false);
  });

  it('alerts yellow from 50 % of the term, to the assigned officer, keyed by the due date', () => {
    const d = watchCase(kase(), day(8), DEFAULT_SEMAFORO);
    expect(d.alert).toMatchObject({
      alert: 'yellow',
      date: DUE,
      radicado: 'MINTIC-2026-000001',
      audience: { kind: 'officer', entityId: 'MINTIC', subject: 'officer-sub-1' },
      businessDaysUsed: 8,
      businessDaysLeft: 7,
      totalTermDays: 15,
      office: 'conectividad',
    });
    expect(alertKey('yellow', d.alert?.date ?? '')).toBe(`ALERT#yellow#${DUE}`);
  });

  it('alerts red from 80 % of the term (only the level reached, not a stale yellow)', () => {
    const d = watchCase(kase(), day(12), DEFAULT_SEMAFORO);
    expect(d.alert?.alert).toBe('red');
    expect(d.alert?.businessDaysLeft).toBe(3);
  });

  it('goes to the office when nobody is assigned, to the supervisors when not even routed', () => {
    expect(watchCase(unassigned(), day(12), DEFAULT_SEMAFORO).alert?.audience).toEqual({
      kind: 'office',
      entityId: 'MINTIC',
      office: 'conectividad',
    });
    const { office: _office, ...noOffice } = unassigned();
    expect(watchCase({ ...noOffice, status: 'received' }, day(12), DEFAULT_SEMAFORO).alert?.audience).toEqual(
      {
        kind: 'supervisors',
        entityId: 'MINTIC',
      },
    );
  });

  it('escalates an overdue case to the supervisors, whoever has it', () => {
    const d = watchCase(kase(), day(16), DEFAULT_SEMAFORO);
    expect(d.alert).toMatchObject({
      alert: 'overdue',
      date: DUE,
      audience: { kind: 'supervisors', entityId: 'MINTIC' },
      businessDaysOverdue: 1,
    });
  });

  it("follows the entity's thresholds", () => {
    const strict = { yellow: 0.3, red: 0.6, redDaysLeft: 0 };
    expect(watchCase(kase(), day(5), strict).alert?.alert).toBe('yellow');
    expect(watchCase(kase(), day(9), strict).alert?.alert).toBe('red');
    expect(watchCase(kase(), day(4), strict).alert).toBeNull();
  });

  it('alerts again after an extension moves the due date (a new key), from its new level', () => {
    const extended = kase({ clockEvents: [{ type: 'extended', at: day(10), until: '2026-04-14' }] });
    // Day 12 was red under the first term; with the longer one it is green again: no alert.
    const before = watchCase(extended, day(12), DEFAULT_SEMAFORO);
    expect(before.status?.due).toBe('2026-04-14');
    expect(before.alert).toBeNull();
    const later = watchCase(extended, day(24), DEFAULT_SEMAFORO);
    expect(later.alert).toMatchObject({ alert: 'red', date: '2026-04-14' });
    expect(alertKey('red', later.alert?.date ?? '')).not.toBe(alertKey('red', DUE));
  });

  it('watches nothing of a case no longer pending', () => {
    for (const status of ['answered', 'closed', 'forwarded', 'withdrawn'] as const) {
      const d = watchCase(kase({ status }), day(20), DEFAULT_SEMAFORO);
      expect(d).toEqual({
        radicado: 'MINTIC-2026-000001',
        status: null,
        alert: null,
        duties: [],
        deemAccepted: false,
        withdrawalCandidate: false,
      });
    }
  });
});

describe('duties with a date of their own', () => {
  it('alerts the legend of a personal-data claim from the day before legendBy, until recorded', () => {
    const claim = kase({ termClass: 'data_protection_claim', kind: 'claim', legendBy: '2026-03-05' });
    expect(watchCase(claim, '2026-03-03T10:00:00-05:00', DEFAULT_SEMAFORO).duties).toEqual([]);
    const close = watchCase(claim, '2026-03-04T10:00:00-05:00', DEFAULT_SEMAFORO).duties;
    expect(close).toMatchObject([{ alert: 'legend_due', date: '2026-03-05' }]);
    expect(
      watchCase(
        { ...claim, legendAt: '2026-03-04T09:00:00-05:00' },
        '2026-03-04T10:00:00-05:00',
        DEFAULT_SEMAFORO,
      ).duties,
    ).toEqual([]);
  });

  it('alerts the copies of an information request deemed accepted, by copiesDue', () => {
    const info = kase({ kind: 'information_request', termClass: 'information' });
    const overdue = watchCase(info, day(20), DEFAULT_SEMAFORO);
    expect(overdue.status?.semaforo).toBe('overdue');
    const copiesDue = overdue.status?.due ? overdue.status.due : '';
    const withCopies = watchCase({ ...info, copiesDue: day(20).slice(0, 10) }, day(20), DEFAULT_SEMAFORO);
    expect(withCopies.duties).toMatchObject([{ alert: 'copies_due', date: day(20).slice(0, 10) }]);
    expect(copiesDue).not.toBe('');
  });
});

describe('deemed acceptance (Ley 1755 art. 14 num. 1)', () => {
  const info = (over: Partial<WatchedCase> = {}) =>
    kase({ kind: 'information_request', termClass: 'information', ...over });

  it('marks an information request still pending after its due date, once', () => {
    // 10 business days: due on day 10.
    expect(watchCase(info(), day(10), DEFAULT_SEMAFORO).deemAccepted).toBe(false);
    const d = watchCase(info(), day(11), DEFAULT_SEMAFORO);
    expect(d.deemAccepted).toBe(true);
    expect(d.alert?.alert).toBe('overdue');
    expect(watchCase(info({ deemedAccepted: true }), day(11), DEFAULT_SEMAFORO).deemAccepted).toBe(false);
  });

  it('applies to the information term class whatever the kind, and not to other terms', () => {
    expect(watchCase(kase({ termClass: 'information' }), day(11), DEFAULT_SEMAFORO).deemAccepted).toBe(true);
    expect(watchCase(kase(), day(16), DEFAULT_SEMAFORO).deemAccepted).toBe(false);
  });
});

describe('withdrawal candidates (Ley 1755 art. 17)', () => {
  const suspended = kase({
    status: 'awaiting_completion',
    clockEvents: [{ type: 'completion_requested', at: day(2, '09:00:00') }],
  });
  const respondBy = computeClock(clockInputOf({ ...suspended, clockEvents: suspended.clockEvents ?? [] }))
    .suspended?.respondBy;

  it('is not a candidate while the petitioner still has time, and gets no semáforo alert', () => {
    expect(respondBy).toMatch(/^2026-04-0\d$/);
    const d = watchCase(suspended, `${respondBy}T18:00:00-05:00`, DEFAULT_SEMAFORO);
    expect(d.withdrawalCandidate).toBe(false);
    expect(d.alert).toBeNull();
  });

  it('is a candidate the day after the last day: one alert to the officer, keyed by that day', () => {
    const d = watchCase(suspended, '2026-05-04T08:00:00-05:00', DEFAULT_SEMAFORO);
    expect(d.withdrawalCandidate).toBe(true);
    expect(d.deemAccepted).toBe(false);
    expect(d.alert).toMatchObject({
      alert: 'withdrawal_candidate',
      date: respondBy,
      audience: { kind: 'officer', subject: 'officer-sub-1' },
    });
  });
});

describe('keys and horizon', () => {
  it('round-trips alert keys and refuses others', () => {
    expect(parseAlertKey('ALERT#withdrawal_candidate#2026-04-02')).toEqual({
      kind: 'withdrawal_candidate',
      date: '2026-04-02',
    });
    expect(parseAlertKey(alertKey('red', '2026-03-24'))).toEqual({ kind: 'red', date: '2026-03-24' });
    for (const bad of ['ALERT#blue#2026-03-24', 'ALERT#red#24-03-2026', 'EVENT#000001', 'CASE'])
      expect(parseAlertKey(bad)).toBeUndefined();
  });
});
