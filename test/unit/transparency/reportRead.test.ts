/**
 * Reading the PQRSD report (shared/app/pqrsdReport.ts) from the counters the stream keeps: the
 * period asked, a refusal naming the query field, an unknown entity, pending cases late as of today.
 */
import { describe, expect, it } from 'vitest';
import { pqrsdReport } from '#app/pqrsdReport.ts';
import { countStreamCases } from '#app/reportCount.ts';
import { InMemoryReportCounters } from '#test/support/fakes/index.ts';
import { petition, petitioner, refusalOf, world } from '../app/world.ts';
import { fileAndRoute } from './history.ts';
import { seededHistory } from './scenario.ts';

async function counted() {
  const history = await seededHistory();
  const counters = new InMemoryReportCounters();
  await countStreamCases(
    { counters },
    history.stream.map((r) => r.new),
  );
  return { ...history, deps: { counters, entities: history.w.entities, clock: history.w.clock } };
}

describe('the PQRSD report, read from the counters', () => {
  it("gives an entity's period: the first quarter adds up, July is apart", async () => {
    const { deps } = await counted();
    const q1 = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026-Q1' });
    expect(q1.period).toMatchObject({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(q1.received.total).toBe(7);
    expect(q1.received.byKind).toMatchObject({ petition: 4, information_request: 2, complaint: 1 });
    expect(q1.forwarded.total).toBe(1);
    expect(q1.withdrawn).toEqual({ tacit: 1, express: 1 });
    const july = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026-07' });
    expect(july.received.total).toBe(1);
    const year = await pqrsdReport(deps, { entityId: 'MINTIC' }, { from: '2026-01-01', to: '2026-12-31' });
    expect(year.received.total).toBe(8);
  });

  it('suppresses breakdown cells under the participation setting k', async () => {
    const { deps } = await counted();
    const byDefault = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026-Q1' });
    const k2 = await pqrsdReport({ ...deps, disclosureK: 2 }, { entityId: 'MINTIC' }, { period: '2026-Q1' });
    // Two victims: hidden under the default k = 5, shown under k = 2.
    const victims = (r: typeof k2) => r.breakdowns.preferential.find((c) => c.value === 'victim');
    expect(byDefault.breakdowns.k).toBe(5);
    expect(victims(byDefault)).toMatchObject({ count: null, suppressed: true });
    expect(k2.breakdowns.k).toBe(2);
    expect(victims(k2)).toMatchObject({ count: 2, suppressed: false });
  });

  it('counts the country as every entity together', async () => {
    const { deps } = await counted();
    const national = await pqrsdReport(deps, 'national', { period: '2026' });
    const mintic = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026' });
    const supersalud = await pqrsdReport(deps, { entityId: 'SUPERSALUD' }, { period: '2026' });
    expect(national.entityId).toBeNull();
    expect(national.received.total).toBe(mintic.received.total + supersalud.received.total);
  });

  it('counts a pending case as late once today is past its due date', async () => {
    const { deps, w } = await counted();
    w.clock.set('2026-07-08T15:00:00Z');
    const before = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026-07' });
    w.clock.set('2026-12-01T15:00:00Z');
    const after = await pqrsdReport(deps, { entityId: 'MINTIC' }, { period: '2026-07' });
    expect(before.pending).toMatchObject({ total: 1, late: 0 });
    expect(after.pending).toMatchObject({ total: 1, late: 1 });
  });

  it('refuses a period it cannot read, naming the query field (400); an unknown entity is a 404', async () => {
    const { deps } = await counted();
    for (const [query, field] of [
      [{ period: '2026-S3' }, 'query.period'],
      [{ period: '2026', from: '2026-01-01' }, 'query.period'],
      [{ from: '2026-01-01' }, 'query.to'],
      [{ from: '2026-01-15', to: '2026-03-31' }, 'query.from'],
      [{}, 'query.from'],
    ] as const) {
      const refused = await refusalOf(pqrsdReport(deps, { entityId: 'MINTIC' }, query));
      expect(refused.code, JSON.stringify(query)).toBe('bad_request');
      expect(refused.issues[0]?.field, JSON.stringify(query)).toBe(field);
    }
    expect((await refusalOf(pqrsdReport(deps, { entityId: 'NADIE' }, { period: '2026' }))).code).toBe(
      'not_found',
    );
  });

  it('breaks received cases down by department with names, hiding cells under k and their complement', async () => {
    const w = await world('2026-03-03T15:00:00Z');
    const filings = [
      ...Array.from({ length: 6 }, () => ({ ...petitioner, department: '05' as const })),
      { ...petitioner, department: '11' as const },
      ...Array.from({ length: 5 }, () => petitioner),
    ];
    for (const p of filings) await fileAndRoute(w, petition({ petitioner: p }));
    const counters = new InMemoryReportCounters();
    await countStreamCases({ counters }, w.cases.all());
    const report = await pqrsdReport(
      { counters, entities: w.entities, clock: w.clock },
      { entityId: 'MINTIC' },
      { period: '2026-03' },
    );
    const cell = (v: string) => report.breakdowns.department.find((c) => c.value === v);
    expect(cell('05')).toEqual({ value: '05', name: 'Antioquia', count: 6, suppressed: false });
    expect(cell('11')).toEqual({ value: '11', name: 'Bogotá, D.C.', count: null, suppressed: true });
    // One hidden cell alone could be told from the total: the next smallest is hidden too.
    expect(cell('not_given')).toEqual({ value: 'not_given', count: null, suppressed: true });
    expect(report.received.total).toBe(12);
  });
});
