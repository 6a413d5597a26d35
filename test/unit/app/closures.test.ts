/**
 * Closures reach every pending case (closures.ts; RULES.md, second pass): a closure or an act
 * suspending terms declared after a filing moves its dates, in its own audited change, told to the
 * petitioner when a date of theirs moved; closed cases stay; a rerun changes nothing; the sweep
 * finishes what a settings change left.
 */
import { describe, expect, it } from 'vitest';
import { applyEntityClosures } from '#app/closures.ts';
import { replaceEntitySettings } from '#app/entitySettings.ts';
import { sweepCases } from '#app/sweep.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { addBusinessDays } from '#domain/clock/index.ts';
import type { Entity } from '#domain/entity.ts';
import { citizenNotice } from '#domain/notices.ts';
import { ATENCION, actNow, admin, fileRouted, MINTIC, petition, supervisor, world } from './world.ts';

/** MINTIC's closures at a settings version newer than any the cases took. */
let version = 100;
const withClosures = (closures: Entity['closures']) => ({
  entityId: MINTIC.id,
  closures,
  version: ++version,
});

describe('applyEntityClosures', () => {
  it('moves the due date of a pending case by the business days closed inside its term, once', async () => {
    const w = await world();
    const { record } = await fileRouted(w); // received 3 March 2026, due 25 March
    const act = { from: '2026-03-09', to: '2026-03-13', reference: 'Resolución 123 de 2026' };
    const entity = withClosures(['2026-03-04', act]);
    const older = { ...entity, closures: [], version: entity.version - 1 };

    const report = await applyEntityClosures({ cases: w.cases, clock: w.clock }, entity);
    const again = await applyEntityClosures({ cases: w.cases, clock: w.clock }, entity);

    expect(report).toEqual({ applied: 1, stale: 0, partial: false });
    expect(again).toEqual({ applied: 0, stale: 0, partial: false });
    // An older version read before the change (a slow sweep) never undoes it.
    expect(await applyEntityClosures({ cases: w.cases, clock: w.clock }, older)).toEqual({
      applied: 0,
      stale: 0,
      partial: false,
    });
    const after = (await w.cases.get(record.radicado))!;
    // Six business days closed (4 March and 9–13 March).
    expect(after.dueDate).toBe(addBusinessDays(record.dueDate!, 6));
    expect(after.clockSettings.closures).toEqual(['2026-03-04', act]);
    const events = await w.cases.events(record.radicado);
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed', 'closures_applied']);
    expect(events[2]?.data).toMatchObject({
      dueMoved: true,
      dueDate: after.dueDate,
      moved: { dueDate: { from: record.dueDate, to: after.dueDate } },
    });
    expect(verifyChain(events)).toEqual({ ok: true });
    // The petitioner is told the new date.
    const plan = citizenNotice(after, events[2]!);
    expect('send' in plan && plan.send.text).toContain('cierre o suspensión de términos');
  });

  it('records a closure outside the term without moving anything, and tells the petitioner nothing', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await applyEntityClosures({ cases: w.cases, clock: w.clock }, withClosures(['2026-06-01']));
    const after = (await w.cases.get(record.radicado))!;
    expect(after.dueDate).toBe(record.dueDate);
    const event = (await w.cases.events(record.radicado)).at(-1)!;
    expect(event.data).toMatchObject({ dueMoved: false, moved: {} });
    expect(citizenNotice(after, event)).toMatchObject({ skip: 'not_notified' });
  });

  it("moves the petitioner's 10 days to clarify, and leaves closed cases alone", async () => {
    const w = await world();
    const { record: waiting } = await fileRouted(w, petition({ subject: 'Por aclarar' }));
    await actNow(w, supervisor, waiting.radicado, { type: 'request_clarification', what: '¿Qué vereda?' });
    const asked = (await w.cases.get(waiting.radicado))!;
    const { record: done } = await fileRouted(w, petition({ subject: 'Respondida' }));
    await actNow(w, supervisor, done.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    await actNow(w, supervisor, done.radicado, { type: 'respond', answer: 'Listo.', outcome: 'granted' });
    const answered = (await w.cases.get(done.radicado))!;

    const report = await applyEntityClosures(
      { cases: w.cases, clock: w.clock },
      withClosures(['2026-03-05']),
    );

    expect(report.applied).toBe(1);
    const moved = (await w.cases.get(waiting.radicado))!;
    expect(moved.petitionerRespondBy).toBe(addBusinessDays(asked.petitionerRespondBy!, 1));
    expect(await w.cases.get(done.radicado)).toEqual(answered);
  });

  it('stops at its budget, leaving the rest to the sweep', async () => {
    const w = await world();
    await fileRouted(w, petition({ subject: 'Uno' }));
    await fileRouted(w, petition({ subject: 'Dos' }));
    const report = await applyEntityClosures(
      { cases: w.cases, clock: w.clock, budgetMs: -1 },
      withClosures(['2026-03-04']),
    );
    expect(report).toEqual({ applied: 0, stale: 0, partial: true });
  });

  it('runs when an admin changes the closures; the sweep finishes a change left half-way', async () => {
    const w = await world();
    const { record: first } = await fileRouted(w, petition({ subject: 'Uno' }));
    const { record: second } = await fileRouted(w, petition({ subject: 'Dos' }));
    const stored = await w.entities.getVersioned('MINTIC');
    const { id: _id, ...settings } = MINTIC;
    await replaceEntitySettings({ settings: w.entities, clock: w.clock, cases: w.cases }, admin, 'MINTIC', {
      settings: { ...settings, closures: ['2026-03-04'] },
      ifMatch: `"${stored?.version ?? 0}"`,
    });
    expect((await w.cases.get(first.radicado))!.dueDate).toBe(addBusinessDays(first.dueDate!, 1));

    // Settings changed with no case reached (a change interrupted): the next sweep applies them.
    const now = await w.entities.getVersioned('MINTIC');
    await replaceEntitySettings({ settings: w.entities, clock: w.clock }, admin, 'MINTIC', {
      settings: { ...settings, closures: ['2026-03-04', '2026-03-05'] },
      ifMatch: `"${now!.version}"`,
    });
    expect((await w.cases.get(second.radicado))!.dueDate).toBe(addBusinessDays(second.dueDate!, 1));
    const swept = await sweepCases({
      cases: w.cases,
      entities: w.entities,
      notices: w.notices,
      clock: w.clock,
    });
    expect(swept.closuresApplied).toBe(2);
    expect((await w.cases.get(second.radicado))!.dueDate).toBe(addBusinessDays(second.dueDate!, 2));
    expect(
      (await sweepCases({ cases: w.cases, entities: w.entities, notices: w.notices, clock: w.clock }))
        .closuresApplied,
    ).toBe(0);
  });
});
