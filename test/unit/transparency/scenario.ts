/**
 * A seeded history of cases across two periods (the first quarter and July 2026) at MINTIC, one
 * forwarded to SUPERSALUD: on time, late, extended, forwarded, denied with a ground, withdrawn
 * both ways, deemed accepted, pending; and the counters its stream leaves, per entity.
 */
import { businessDaysBetween } from '#domain/clock/index.ts';
import { addCells, type Cells, delta } from '#domain/transparency/contributions.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { buildReport } from '#domain/transparency/report.ts';
import { petition, petitioner, world } from '../app/world.ts';
import { act, assign, CaseStream, DAY, fileAndRoute, sweep, withdrawExpress } from './history.ts';

const respond = { type: 'respond', answer: 'Respuesta de fondo.', outcome: 'granted' };
const reason = 'Motivo.';

export async function seededHistory() {
  // Tuesday 13 January 2026, 10:00 in Bogotá (12 January was a holiday).
  const w = await world('2026-01-13T15:00:00Z');
  const stream = new CaseStream(w);
  const step = async <T>(work: Promise<T>): Promise<T> => {
    const out = await work;
    stream.capture();
    return out;
  };
  const later = (days: number) => w.clock.advance(days * DAY);

  // On time: answered on day 5 of 15. Late, extended: answered the day after the new date.
  const onTime = (await step(fileAndRoute(w, petition({ subject: 'A tiempo' })))).record;
  const extended = (await step(fileAndRoute(w, petition({ channel: 'email', subject: 'Prorrogada' }))))
    .record;
  // Information requests: one partly denied (Ley 1712 art. 18 lit. c), one left to be deemed accepted.
  const info = petition({
    kind: 'information_request',
    petitioner: { ...petitioner, preferential: ['victim'] },
  });
  const denied = (await step(fileAndRoute(w, info))).record;
  const deemed = (await step(fileAndRoute(w, info))).record;
  const forwarded = (await step(fileAndRoute(w, petition({ kind: 'complaint' })))).record;
  const tacit = (await step(fileAndRoute(w, petition()))).record;
  const express = await step(fileAndRoute(w, petition({ channel: 'call_centre' })));
  for (const r of [onTime, extended, denied, deemed]) await step(assign(w, r.radicado));

  later(1); // Wed 14 Jan
  await step(act(w, forwarded.radicado, { type: 'forward', toEntityId: 'SUPERSALUD', reason }));
  await step(act(w, tacit.radicado, { type: 'request_completion', what: 'Su dirección.' }));
  await step(act(w, extended.radicado, { type: 'extend', newDueDate: '2026-02-24', reason }));
  await step(withdrawExpress(w, express.record.radicado, express.trackingCode));
  await step(
    act(w, denied.radicado, {
      ...respond,
      outcome: 'partially_granted',
      legalReserve: 'Secreto comercial.',
      legalGround: { article: '18', literal: 'c' },
      withheld: 'Los precios.',
    }),
  );
  later(6); // Tue 20 Jan: day 5 of onTime's term
  await step(act(w, onTime.radicado, respond));
  later(20); // Mon 9 Feb: the information request is past its 10 days
  await step(sweep(w));
  later(16); // Wed 25 Feb: a day after the extended date
  await step(act(w, extended.radicado, respond));
  later(20); // Tue 17 Mar: the petitioner never completed
  await step(act(w, tacit.radicado, { type: 'withdraw', reason }));

  // July: one more petition, still pending.
  w.clock.set('2026-07-07T15:00:00Z');
  const july = (await step(fileAndRoute(w, petition({ subject: 'Julio' })))).record;

  const counters = new Map<string, Cells>();
  for (const r of stream.records) {
    const cells = counters.get(r.new.entityId) ?? {};
    counters.set(r.new.entityId, addCells(cells, delta(r.old, r.new)));
  }
  return {
    w,
    counters,
    stream: stream.records,
    cases: { onTime, extended, denied, deemed, forwarded, tacit, express: express.record, july },
  };
}

/** The report of counters for a period, read on `today` (the national calendar). */
export const reportOf = (
  cells: Cells,
  period = '2026-Q1',
  today = '2026-03-20',
  entityId: string | null = 'MINTIC',
) =>
  buildReport({
    period: parsePeriod({ period }),
    cells,
    entityId,
    today,
    businessDaysOver: (due) => businessDaysBetween(due, today),
  });
