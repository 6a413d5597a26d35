/**
 * The clock keeps watch (sweep.ts): semáforo alerts once per case, level and due date; overdue
 * escalated to supervisors; deemed acceptance marked once; withdrawal candidates named. Cases are
 * filed through the use cases with past receipts, as a channel would, and dated by the real clock.
 */
import { describe, expect, it } from 'vitest';
import { type SweepReport, sweepCases } from '#app/sweep.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { alertKey } from '#domain/case/watch.ts';
import type { Kind, Semaforo } from '#domain/vocabulary.ts';
import {
  ATENCION,
  actNow,
  emailChannel,
  fileRouted,
  MINTIC,
  NOW,
  onceBefore,
  petition,
  petitioner,
  receivedFor,
  supervisor,
  suspendedSince,
  type World,
  world,
} from './world.ts';

const sweepDeps = (w: World, pageSize?: number) => ({
  cases: w.cases,
  entities: w.entities,
  notices: w.notices,
  clock: w.clock,
  ...(pageSize ? { pageSize } : {}),
});

/** A case of MINTIC at `level` now, routed by the entity's rules. */
async function caseAt(w: World, level: Semaforo, kind: Kind = 'petition', subject = `Caso ${level}`) {
  const receivedAt = new Date(receivedFor(MINTIC, kind, level));
  const { record } = await fileRouted(w, petition({ kind, subject }), { actor: emailChannel, receivedAt });
  return record;
}

/** Five pending cases, one per thing the sweeper looks for, and one green. */
async function pendingCases(w: World) {
  const yellow = await caseAt(w, 'yellow');
  await actNow(w, supervisor, yellow.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
  return {
    yellow,
    red: await caseAt(w, 'red'),
    overdue: await caseAt(w, 'overdue'),
    information: await caseAt(w, 'overdue', 'information_request'),
    withdrawal: await suspendedSince(w, 60),
    green: await caseAt(w, 'green'),
  };
}

const noAlerts = { yellow: 0, red: 0, overdue: 0, withdrawal_candidate: 0, legend_due: 0, copies_due: 0 };

describe('sweepCases', () => {
  it('records the alert each case calls for, to whom it is for; a rerun records none', async () => {
    // Prepare
    const w = await world();
    const c = await pendingCases(w);

    // Act
    const first = await sweepCases(sweepDeps(w));
    const second = await sweepCases(sweepDeps(w));

    // Assess
    expect(first).toEqual<SweepReport>({
      entities: 3,
      watched: 5, // not the green one: nothing is due for it yet
      alerts: { yellow: 1, red: 1, overdue: 2, withdrawal_candidate: 1, legend_due: 0, copies_due: 1 },
      deemedAccepted: 1,
      withdrawalCandidates: 1,
      stale: 0,
      failed: 0,
      closuresApplied: 0,
      replaced: 0,
      settled: 3,
      budgetReached: false,
    });
    // The rerun reads only the case its deemed acceptance wrote (placed at that write): nothing new.
    expect(second).toMatchObject({ watched: 1, alerts: noAlerts, deemedAccepted: 0, settled: 0 });
    const alerts = w.notices.allAlerts().map((a) => [a.radicado, a.alert, a.audience]);
    expect(alerts).toEqual(
      expect.arrayContaining([
        [c.yellow.radicado, 'yellow', { kind: 'officer', entityId: 'MINTIC', subject: 'officer-1' }],
        [c.red.radicado, 'red', { kind: 'office', entityId: 'MINTIC', office: ATENCION }],
        [c.overdue.radicado, 'overdue', { kind: 'supervisors', entityId: 'MINTIC' }],
        [c.information.radicado, 'overdue', { kind: 'supervisors', entityId: 'MINTIC' }],
        // Deemed accepted (art. 14 num. 1): its copies are due within 3 days.
        [
          c.information.radicado,
          'copies_due',
          { kind: 'office', entityId: 'MINTIC', office: 'transparencia' },
        ],
        [
          c.withdrawal.radicado,
          'withdrawal_candidate',
          { kind: 'office', entityId: 'MINTIC', office: ATENCION },
        ],
      ]),
    );
    expect(alerts).toHaveLength(6);
  });

  it('keys each alert by level and due date, with clock facts and no personal data', async () => {
    const w = await world();
    const red = await caseAt(w, 'red');
    await sweepCases(sweepDeps(w));
    const alert = await w.notices.alert(red.radicado, alertKey('red', red.dueDate!));
    expect(alert).toMatchObject({
      radicado: red.radicado,
      date: red.dueDate,
      semaforo: 'red',
      office: ATENCION,
      at: NOW,
      totalTermDays: 15,
    });
    const text = JSON.stringify(alert);
    for (const personal of [petitioner.name, petitioner.email, petitioner.idNumber, red.subject]) {
      expect(text).not.toContain(personal);
    }
  });

  it('does not count an alert a sweep running at the same time recorded first', async () => {
    // Prepare: the other sweep records the alert between this one's read and its put.
    const w = await world();
    await caseAt(w, 'red');
    let racing: SweepReport | undefined;
    onceBefore(w.notices, 'putAlert', async () => {
      racing = await sweepCases(sweepDeps(w));
    });

    // Act
    const report = await sweepCases(sweepDeps(w));

    // Assess
    expect(racing?.alerts).toEqual({ ...noAlerts, red: 1 });
    expect(report.alerts).toEqual(noAlerts);
    expect(w.notices.allAlerts()).toHaveLength(1);
  });

  it('marks an overdue information request deemed accepted once, with a chained event by the sweeper (art. 14)', async () => {
    // Prepare
    const w = await world();
    const info = await caseAt(w, 'overdue', 'information_request');

    // Act
    await sweepCases(sweepDeps(w));
    await sweepCases(sweepDeps(w));

    // Assess
    const stored = await w.cases.get(info.radicado);
    expect(stored).toMatchObject({ deemedAccepted: true, status: 'routed', version: info.version + 1 });
    const events = await w.cases.events(info.radicado);
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed', 'deemed_accepted']);
    expect(events.at(-1)).toMatchObject({
      actor: { kind: 'system', id: 'sweeper' },
      data: { dueDate: info.dueDate },
    });
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it('leaves a case that changed while it was being marked for the next run (stale)', async () => {
    // Prepare: an officer assigns the information request as the sweeper marks it.
    const w = await world();
    const info = await caseAt(w, 'overdue', 'information_request');
    onceBefore(w.cases, 'commit', () =>
      actNow(w, supervisor, info.radicado, { type: 'assign', office: 'transparencia', officer: 'o' }),
    );

    // Act
    const first = await sweepCases(sweepDeps(w));
    const second = await sweepCases(sweepDeps(w));

    // Assess
    expect(first).toMatchObject({ stale: 1, deemedAccepted: 0 });
    expect(second).toMatchObject({ stale: 0, deemedAccepted: 1 });
    expect((await w.cases.events(info.radicado)).map((e) => e.type)).toEqual([
      'filed',
      'routed',
      'assigned',
      'deemed_accepted',
    ]);
  });

  it('reads the watch index page by page', async () => {
    const w = await world();
    await pendingCases(w);
    const report = await sweepCases(sweepDeps(w, 1));
    expect(report).toMatchObject({
      // The five due, and the deemed accepted one again: its write placed it at this run's instant.
      watched: 6,
      alerts: { yellow: 1, red: 1, overdue: 2, withdrawal_candidate: 1, legend_due: 0, copies_due: 1 },
    });
  });

  it('leaves a case whose stored clock data is broken, and sweeps the others', async () => {
    // Prepare
    const w = await world();
    const red = await caseAt(w, 'red');
    const broken = await caseAt(w, 'yellow');
    w.cases.insert({ ...broken, receivedAt: 'not an instant' }, await w.cases.events(broken.radicado));

    // Act
    const report = await sweepCases(sweepDeps(w));

    // Assess
    expect(report).toMatchObject({ failed: 1, alerts: { ...noAlerts, red: 1 } });
    expect(w.notices.allAlerts().map((a) => a.radicado)).toEqual([red.radicado]);
  });

  it('watches nothing that is answered or closed', async () => {
    const w = await world();
    const overdue = await caseAt(w, 'overdue');
    await actNow(w, supervisor, overdue.radicado, { type: 'assign', office: ATENCION, officer: 'o' });
    await actNow(w, supervisor, overdue.radicado, { type: 'respond', answer: 'Tarde.', outcome: 'granted' });
    const report = await sweepCases(sweepDeps(w));
    expect(report).toMatchObject({ watched: 0, alerts: noAlerts });
  });
});
