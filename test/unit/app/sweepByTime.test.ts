/**
 * Alerts by time, not by scan (issue 17; sweep.ts): the sweep reads only the cases whose alert
 * instant has come, within a budget, entity after entity in turn; settings that place cases reach
 * them once per change. Property: over random case histories swept at random instants, it records
 * exactly the alerts (and deemed acceptances) a scan of every pending case at the same instants
 * records, each once, in the same run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeCase } from '#app/caseChange.ts';
import { SETTLE_AFTER_MS, type SweepDeps, sweepCases } from '#app/sweep.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { dayStart } from '#domain/case/nextAlert.ts';
import { isPending } from '#domain/case/status.ts';
import { alertKey, watchCase } from '#domain/case/watch.ts';
import { addBusinessDays, addCalendarDays } from '#domain/clock/index.ts';
import { DEFAULT_SEMAFORO, type Entity } from '#domain/entity.ts';
import {
  InMemoryCaseStore,
  InMemoryEntityStore,
  InMemoryNoticeStore,
  SettableClock,
} from '#test/support/fakes/index.ts';
import { MEDELLIN, MINTIC, SUPERSALUD } from './world.ts';

const START = '2026-02-02T15:00:00.000Z';
const HOUR = 3_600_000;

/** The stores a sweep needs, the cases placed with the entities' thresholds as they stand. */
function stores(entities: readonly Entity[] = [MINTIC, SUPERSALUD, MEDELLIN]) {
  const settings = new InMemoryEntityStore(entities);
  const current = new Map(entities.map((e) => [e.id, e]));
  const cases = new InMemoryCaseStore(undefined, {
    thresholds: (id) => current.get(id)?.semaforo ?? DEFAULT_SEMAFORO,
  });
  const notices = new InMemoryNoticeStore(cases);
  const clock = new SettableClock(START);
  const deps: SweepDeps = { cases, entities: settings, notices, clock };
  /** An admin's change of settings (the entity store's copy and the writers' thresholds). */
  const change = async (entity: Entity) => {
    current.set(entity.id, entity);
    await settings.put(entity);
  };
  return { cases, notices, clock, deps, settings, change };
}

function record(n: number, over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    radicado: `MINTIC-2026-${String(n).padStart(6, '0')}`,
    entityId: 'MINTIC',
    kind: 'petition',
    termClass: 'general',
    ruleSet: 'ordinary',
    channel: 'web',
    subject: 'Asunto',
    description: 'Texto',
    anonymous: true,
    priority: false,
    receivedAt: '2026-02-02T10:00:00-05:00',
    clockSettings: {},
    status: 'routed',
    office: 'atencion-ciudadano',
    clockEvents: [],
    receivedOn: '2026-02-02',
    dueDate: null,
    maxExtendedDue: null,
    forwardBy: '2026-02-02',
    completionRequestBy: '2026-02-02',
    trackingHash: 'h',
    contentSha256: 'c',
    version: 1,
    lastEventSeq: 0,
    lastEventHash: '0'.repeat(64),
    ...over,
  } as CaseRecord;
}

/** The sweep of before issue 17, as the reference: every pending case judged at every run. */
async function scanSweep(s: ReturnType<typeof stores>, entities: readonly Entity[]): Promise<void> {
  const at = s.clock.now().toISOString();
  for (const c of s.cases.all().filter((x) => isPending(x.status))) {
    const thresholds = entities.find((e) => e.id === c.entityId)?.semaforo ?? DEFAULT_SEMAFORO;
    const d = watchCase(c, at, thresholds);
    for (const a of [...(d.alert ? [d.alert] : []), ...d.duties])
      await s.notices.putAlert(a, alertKey(a.alert, a.date));
    if (d.deemAccepted) {
      await changeCase(s.cases, c.radicado, (before) => ({
        event: { type: 'deemed_accepted', at, actor: { kind: 'system', id: 'sweeper' }, data: {} },
        after: { ...before, deemedAccepted: true, updatedAt: at },
      }));
    }
  }
}

type Write = { afterHours: number; what: 'request_completion' | 'complete' | 'extend' | 'answer' | 'assign' };

const histories = fc.record({
  cases: fc.array(
    fc.record({
      entity: fc.constantFrom('MINTIC', 'SUPERSALUD'),
      kind: fc.constantFrom('petition', 'information_request', 'complaint' as const),
      termClass: fc.constantFrom('general', 'information', 'query' as const),
      receivedDaysAgo: fc.integer({ min: 0, max: 40 }),
      legendBy: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      copiesDue: fc.option(fc.integer({ min: 5, max: 40 }), { nil: undefined }),
      writes: fc.array(
        fc.record({
          afterHours: fc.integer({ min: 1, max: 24 * 50 }),
          what: fc.constantFrom('request_completion', 'complete', 'extend', 'answer', 'assign' as const),
        }),
        { maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  // Hours between two runs of the sweep (a run may be missed for days).
  runs: fc.array(fc.integer({ min: 1, max: 24 * 6 }), { minLength: 5, maxLength: 30 }),
});

/** A write of one case at `at`: a clock event, an answer or an assignment, on the case as stored. */
function written(c: CaseRecord, w: Write, at: string): CaseRecord | undefined {
  if (!isPending(c.status)) return undefined;
  const day = at.slice(0, 10);
  const suspended = c.status === 'awaiting_completion';
  const next = { ...c, version: c.version + 1, updatedAt: at };
  const events = c.clockEvents ?? [];
  if (w.what === 'answer') return { ...next, status: 'answered' };
  if (w.what === 'assign') return { ...next, status: suspended ? c.status : 'assigned', officer: 'o-1' };
  if (w.what === 'request_completion' && !suspended)
    return {
      ...next,
      status: 'awaiting_completion',
      clockEvents: [...events, { type: 'completion_requested', at }],
    };
  if (w.what === 'complete' && suspended)
    return { ...next, status: 'routed', clockEvents: [...events, { type: 'completed', at }] };
  if (w.what === 'extend' && !suspended)
    return { ...next, clockEvents: [...events, { type: 'extended', at, until: addBusinessDays(day, 20) }] };
  return undefined;
}

describe('sweep by time', () => {
  it('records exactly what a scan of every pending case records, in the same runs, each once', async () => {
    await fc.assert(
      fc.asyncProperty(histories, async (h) => {
        const entities = [MINTIC, SUPERSALUD, MEDELLIN];
        const scan = stores(entities);
        const timed = stores(entities);
        const writes: { at: number; radicado: string; w: Write }[] = [];
        h.cases.forEach((spec, i) => {
          const receivedOn = addCalendarDays('2026-02-02', -spec.receivedDaysAgo);
          const c = record(i + 1, {
            radicado: `${spec.entity}-2026-${String(i + 1).padStart(6, '0')}`,
            entityId: spec.entity,
            kind: spec.kind,
            termClass: spec.termClass,
            receivedAt: `${receivedOn}T09:00:00-05:00`,
            updatedAt: START,
            ...(spec.legendBy !== undefined ? { legendBy: addBusinessDays(receivedOn, spec.legendBy) } : {}),
            ...(spec.copiesDue !== undefined
              ? { copiesDue: addBusinessDays(receivedOn, spec.copiesDue) }
              : {}),
          });
          scan.cases.insert(c);
          timed.cases.insert(c);
          for (const w of spec.writes)
            writes.push({ at: Date.parse(START) + w.afterHours * HOUR, radicado: c.radicado, w });
        });
        writes.sort((a, b) => a.at - b.at);
        let now = Date.parse(START);
        for (const gap of h.runs) {
          const runAt = now + gap * HOUR;
          // The writes before this run, in both worlds, on each world's case as it stands.
          while (writes.length > 0 && (writes[0]?.at ?? 0) < runAt) {
            const { at, radicado, w } = writes.shift()!;
            const instant = new Date(at).toISOString();
            for (const s of [scan, timed]) {
              const c = await s.cases.get(radicado);
              const next = c && written(c, w, instant);
              if (next) s.cases.insert(next);
            }
          }
          now = runAt;
          scan.clock.set(new Date(now));
          timed.clock.set(new Date(now));
          await scanSweep(scan, entities);
          await sweepCases(timed.deps);
        }
        const alerts = (s: ReturnType<typeof stores>) =>
          s.notices.allAlerts().map((a) => `${a.radicado} ${a.alert} ${a.date} ${a.at}`);
        expect(alerts(timed)).toEqual(alerts(scan));
        const deemed = (s: ReturnType<typeof stores>) =>
          s.cases
            .all()
            .filter((c) => c.deemedAccepted)
            .map((c) => c.radicado);
        expect(deemed(timed)).toEqual(deemed(scan));
      }),
      { numRuns: 120, seed: 1717 },
    );
  });

  it('reads a green case only from the start of the day it turns yellow', async () => {
    // Prepare: filed Monday 2026-02-02, general term; the sweep's first run settles the entities.
    const s = stores();
    s.cases.insert(record(1, { updatedAt: '2026-02-02T10:00:00-05:00' }));
    const yellowDay = addBusinessDays('2026-02-02', 8);
    await sweepCases(s.deps);

    // Act: the evening before, then the morning of.
    s.clock.set(`${addCalendarDays(yellowDay, -1)}T23:00:00-05:00`);
    const before = await sweepCases(s.deps);
    s.clock.set(`${yellowDay}T00:05:00-05:00`);
    const on = await sweepCases(s.deps);
    const again = await sweepCases(s.deps);

    // Assess
    expect(before).toMatchObject({ watched: 0, alerts: { yellow: 0 } });
    expect(on).toMatchObject({ watched: 1, alerts: { yellow: 1 } });
    expect(again.watched).toBe(0);
    expect(s.cases.watchedAt('MINTIC-2026-000001')).toBe(dayStart(addBusinessDays('2026-02-02', 12)));
  });

  it('serves at most its budget, the next run from the entity it stopped at, until the backlog drains', async () => {
    // Prepare: three red cases of MINTIC and two of SUPERSALUD, all due now.
    const s = stores();
    const red = { receivedAt: '2026-01-05T10:00:00-05:00', updatedAt: '2026-01-05T10:00:00-05:00' };
    for (const n of [1, 2, 3]) s.cases.insert(record(n, red));
    for (const n of [4, 5])
      s.cases.insert(record(n, { ...red, radicado: `SUPERSALUD-2026-00000${n}`, entityId: 'SUPERSALUD' }));
    s.deps.budget = 2;

    // Act
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await sweepCases(s.deps));

    // Assess: MINTIC (2 of 3), SUPERSALUD (2), MINTIC's last one, then nothing left.
    expect(runs.map((r) => [r.watched, r.budgetReached])).toEqual([
      [2, true],
      [2, true],
      [1, false],
      [0, false],
    ]);
    expect(s.notices.allAlerts().map((a) => a.radicado.slice(0, 3))).toHaveLength(5);
    expect((await s.cases.sweepState())?.startAt).toBeUndefined();
  });

  it('begins nothing once its time is up: the next run serves from where it stopped', async () => {
    // Prepare: two red cases of MINTIC and one of SUPERSALUD, all due now.
    const s = stores();
    const red = { receivedAt: '2026-01-05T10:00:00-05:00', updatedAt: '2026-01-05T10:00:00-05:00' };
    for (const n of [1, 2]) s.cases.insert(record(n, red));
    s.cases.insert(record(3, { ...red, radicado: 'SUPERSALUD-2026-000003', entityId: 'SUPERSALUD' }));
    s.deps.pageSize = 1;
    await s.cases.saveSweepState({ settled: {}, startAt: 'SUPERSALUD' });

    // Act: a run whose time is up, then one with time.
    const late = await sweepCases({ ...s.deps, stopBy: Date.now() - 1 });
    const startAt = (await s.cases.sweepState())?.startAt;
    const next = await sweepCases({ ...s.deps, budget: 1 });
    const firstServed = s.notices.allAlerts().map((a) => a.entityId);
    const rest = await sweepCases(s.deps);

    // Assess: nothing served late, its turn kept; then SUPERSALUD's case first, MINTIC's after.
    expect([late.watched, late.budgetReached, startAt]).toEqual([0, true, 'SUPERSALUD']);
    expect([next.watched, new Set(firstServed)]).toEqual([1, new Set(['SUPERSALUD'])]);
    expect([rest.watched, rest.budgetReached]).toEqual([2, false]);
  });

  it('gives every entity a page in turn: one backlog never takes a whole run', async () => {
    // Prepare: MINTIC has three due cases, SUPERSALUD one; a page of one case, two cases a run.
    const s = stores();
    const red = { receivedAt: '2026-01-05T10:00:00-05:00', updatedAt: '2026-01-05T10:00:00-05:00' };
    for (const n of [1, 2, 3]) s.cases.insert(record(n, red));
    s.cases.insert(record(4, { ...red, radicado: 'SUPERSALUD-2026-000004', entityId: 'SUPERSALUD' }));
    s.deps.budget = 2;
    s.deps.pageSize = 1;

    // Act
    const first = await sweepCases(s.deps);

    // Assess: SUPERSALUD served in the first run, beside MINTIC's first case.
    expect([first.watched, first.budgetReached]).toEqual([2, true]);
    expect(new Set(s.notices.allAlerts().map((a) => a.entityId))).toEqual(new Set(['MINTIC', 'SUPERSALUD']));
  });

  it('puts the alerts of a case placed at a day start at once; checks first those of one a write placed', async () => {
    // Prepare: a case filed two weeks ago (yellow by now); the sweep's reads of existing alerts counted.
    const s = stores();
    s.cases.insert(
      record(1, { receivedAt: '2026-01-20T10:00:00-05:00', updatedAt: '2026-01-20T10:00:00-05:00' }),
    );
    const checked: string[] = [];
    const existing = s.notices.existingAlerts.bind(s.notices);
    s.notices.existingAlerts = async (wanted) => {
      checked.push(...wanted.map((k) => k.sk));
      return existing(wanted);
    };
    const first = await sweepCases(s.deps);
    // An officer's write an hour later places it at that instant: read again, alert already there.
    s.clock.set(new Date(Date.parse(START) + HOUR));
    const c = (await s.cases.get('MINTIC-2026-000001'))!;
    s.cases.insert({
      ...c,
      officer: 'o-1',
      status: 'assigned',
      version: c.version + 1,
      updatedAt: s.clock.now().toISOString(),
    });
    const second = await sweepCases(s.deps);

    // Assess
    const [alert, ...more] = s.notices.allAlerts();
    expect(more).toEqual([]);
    expect(alert?.alert).toBe('yellow');
    expect([first.watched, first.alerts.yellow, second.watched, second.alerts.yellow]).toEqual([1, 1, 1, 0]);
    expect(checked).toEqual([alertKey('yellow', alert?.date ?? '')]);
  });

  it('places every pending case again when the entity’s thresholds change', async () => {
    // Prepare: green under MINTIC's thresholds (50 %) on day 4, yellow under 20 %.
    const s = stores();
    s.clock.set(`${addBusinessDays('2026-02-02', 4)}T10:00:00-05:00`);
    s.cases.insert(record(1, { updatedAt: '2026-02-02T10:00:00-05:00' }));
    expect(await sweepCases(s.deps)).toMatchObject({ watched: 0, settled: 3 });

    // Act
    await s.change({ ...MINTIC, semaforo: { yellow: 0.2, red: 0.8, redDaysLeft: 2 } });
    const report = await sweepCases(s.deps);

    // Assess: placed again (at its last change: it is yellow since day 3), read and alerted in the same run.
    expect(report).toMatchObject({ replaced: 1, settled: 1, watched: 1, alerts: { yellow: 1 } });
    expect((await sweepCases(s.deps)).settled).toBe(0);
  });

  it('settles a change only by a pass begun after writers’ cached settings expired', async () => {
    // Prepare: the change was made a minute ago (a writer may still use the old thresholds).
    const s = stores();
    await sweepCases(s.deps);
    await s.change({ ...MINTIC, semaforo: { yellow: 0.3, red: 0.8, redDaysLeft: 2 } });
    const stored = await s.settings.getVersioned('MINTIC');
    const changedAt = Date.parse(START) - 60_000;
    s.settings.getVersioned = async () =>
      stored && { ...stored, updatedAt: new Date(changedAt).toISOString() };

    // Act
    const early = await sweepCases(s.deps);
    s.clock.set(new Date(changedAt + SETTLE_AFTER_MS));
    const later = await sweepCases(s.deps);
    const after = await sweepCases(s.deps);

    // Assess: a pass each run until one begun late enough; then none.
    expect([early.settled, later.settled, after.settled]).toEqual([0, 1, 0]);
  });
});
