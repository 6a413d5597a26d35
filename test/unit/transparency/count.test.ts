/**
 * Counting cases from the stream (shared/app/reportCount.ts): the counters equal a recount of the
 * cases as they are now, however the stream's records are batched, delivered twice or lost before
 * a later change of the same case.
 */
import { describe, expect, it } from 'vitest';
import { countNotified, countStreamCases } from '#app/reportCount.ts';
import { addCells, type Cells, contributions } from '#domain/transparency/contributions.ts';
import { registerEntry } from '#domain/transparency/register.ts';
import { InMemoryEntityStore, InMemoryReportCounters } from '#test/support/fakes/index.ts';
import { MINTIC } from '../app/world.ts';
import type { StreamRecord } from './history.ts';
import { seededHistory } from './scenario.ts';

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-07'];
const nonzero = (cells: Cells) => Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== 0));

/** A seeded shuffle-free batching: records cut into batches of sizes from `sizes`, in order. */
function batches(records: readonly StreamRecord[], sizes: readonly number[]): StreamRecord[][] {
  const out: StreamRecord[][] = [];
  for (let i = 0, b = 0; i < records.length; b++) {
    const n = sizes[b % sizes.length]!;
    out.push(records.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('counting cases from the stream', () => {
  it('equals a recount per entity and nationally, whatever the batches and redeliveries', async () => {
    const { w, counters: expected, stream } = await seededHistory();
    for (const sizes of [[1], [3, 1, 7], [500]]) {
      const counters = new InMemoryReportCounters();
      for (const batch of batches(stream, sizes)) {
        const images = batch.map((r) => r.new);
        await countStreamCases({ counters }, images);
        // The pipe delivers a batch again after a failure: nothing is counted twice.
        expect(await countStreamCases({ counters }, images)).toMatchObject({ changed: 0 });
      }
      for (const [entityId, cells] of expected) {
        expect(await counters.cells({ entityId }, MONTHS)).toEqual(nonzero(cells));
      }
      const recount = w.cases.all().reduce((all, c) => addCells(all, contributions(c)), {} as Cells);
      expect(await counters.cells('national', MONTHS)).toEqual(nonzero(recount));
      // The register holds each case's entry as it is now, by month of receipt then radicado.
      const entries = w.cases
        .all()
        .filter((c) => c.entityId === 'MINTIC')
        .map((c) => registerEntry(c))
        .sort((a, b) => a.row.radicado.localeCompare(b.row.radicado));
      expect((await counters.register('MINTIC', MONTHS, { limit: 100 })).items).toEqual(entries);
    }
  });

  it('makes good a change the stream lost with the next change of the same case', async () => {
    const { counters: expected, stream } = await seededHistory();
    const counters = new InMemoryReportCounters();
    // Every other record lost, but each case's last one delivered.
    const last = new Map(stream.map((r) => [r.radicado, r]));
    const some = stream.filter((r, i) => i % 2 === 0 || last.get(r.radicado) === r);
    await countStreamCases(
      { counters },
      some.map((r) => r.new),
    );
    for (const [entityId, cells] of expected) {
      expect(await counters.cells({ entityId }, MONTHS)).toEqual(nonzero(cells));
    }
  });

  it('moves no counter for a change that moves no figure (an assignment), but rewrites its register entry', async () => {
    const { stream } = await seededHistory();
    const counters = new InMemoryReportCounters();
    const first = stream[0]!;
    await countStreamCases({ counters }, [first.new]);
    const writes = counters.writes;
    const assigned = { ...first.new, version: first.new.version + 1, officer: 'officer-9' };
    expect(await countStreamCases({ counters }, [assigned])).toEqual({ changed: 0, skipped: 0 });
    expect(counters.writes).toBe(writes);
    const [entry] = (await counters.register('MINTIC', MONTHS, { limit: 1 })).items;
    expect(entry).toMatchObject({ officer: 'officer-9', row: { radicado: first.radicado } });
    expect(await countStreamCases({ counters }, [first.new])).toEqual({ changed: 0, skipped: 1 });
    // The same image again: nothing to write at all.
    expect(await countStreamCases({ counters }, [assigned])).toEqual({ changed: 0, skipped: 1 });
  });

  it('records the day an answer counts as notified: delivered, or after a publication (CPACA art. 69)', async () => {
    const { w, cases } = await seededHistory();
    const counters = new InMemoryReportCounters();
    await countStreamCases(
      { counters },
      w.cases.all().map((c) => ({ ...c })),
    );
    // A holiday closure of the entity's own moves the publication's end (5 business days) by one.
    const entities = new InMemoryEntityStore([
      { ...MINTIC, closures: [{ date: '2026-01-22', reason: 'Traslado de sede' }] },
    ]);
    await countNotified({ counters, entities }, [
      // Sent Tuesday 20 January, delivered at 20:00 in Bogotá: already the 21st in UTC.
      {
        radicado: cases.onTime.radicado,
        state: 'sent',
        at: '2026-01-20T20:00:00Z',
        channel: 'email',
        deliveredAt: '2026-01-21T01:00:00Z',
      },
      { radicado: cases.denied.radicado, state: 'sent', at: '2026-01-14T15:00:00Z', channel: 'publication' },
    ]);
    const notifiedOf = async (r: string) =>
      (await counters.register('MINTIC', MONTHS, { limit: 100 })).items.find((e) => e.row.radicado === r)!.row
        .notified;
    const rows = (await counters.register('MINTIC', MONTHS, { limit: 100 })).items.map((e) => e.row);
    const row = (r: string) => rows.find((x) => x.radicado === r)!;
    expect(row(cases.onTime.radicado).notified).toBe('2026-01-20');
    // Published Wed 14 Jan for five business days (15, 16, 19, 20, 21; the 22nd closed): notified Fri 23.
    expect(row(cases.denied.radicado).notified).toBe('2026-01-23');
    expect(row(cases.tacit.radicado).notified).toBeNull();

    // A bounce puts the notice back to pending (no day), its claim changes nothing, and the SMS
    // that reaches the petitioner gives the day; the marks of one batch count in stream order.
    const extended = cases.extended.radicado;
    const sms = { radicado: extended, at: '2026-02-26T14:00:00Z', channel: 'sms' as const };
    await countNotified({ counters, entities }, [
      { radicado: extended, state: 'sent', at: '2026-02-25T15:00:00Z', channel: 'email' },
      { radicado: extended, state: 'pending', at: '2026-02-25T16:00:00Z', failed: true },
    ]);
    expect(await notifiedOf(extended)).toBeNull();
    await countNotified({ counters, entities }, [
      { ...sms, state: 'sending' },
      { ...sms, state: 'sent' },
      { ...sms, state: 'sending' },
    ]);
    expect(await notifiedOf(extended)).toBe('2026-02-26');
    // The pending mark a later notice of the case is written with touches nothing.
    await countNotified({ counters, entities }, [{ ...sms, state: 'pending' }]);
    expect(await notifiedOf(extended)).toBe('2026-02-26');
    // Skipped in the end (no way to reach them): not notified.
    await countNotified({ counters, entities }, [{ ...sms, state: 'skipped' }]);
    expect(await notifiedOf(extended)).toBeNull();
  });
});
