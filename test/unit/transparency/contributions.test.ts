/**
 * What one case adds to its entity's report counters (contributions.ts), figure by figure, on
 * cases filed and acted on through the real use cases and dated by the real legal clock.
 */
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '#domain/case/case.ts';
import type { Petitioner } from '#domain/case/filing.ts';
import { ratingContributions } from '#domain/satisfaction.ts';
import { type Cells, contributions, delta } from '#domain/transparency/contributions.ts';
import { NOW, petition, petitioner, world } from '../app/world.ts';
import { act, assign, DAY, fileAndRoute, sweep, withdrawExpress } from './history.ts';

/** The cells of `c` without the month prefix, for a case received in `month`. */
function cellsOf(c: CaseRecord, month = '2026-03'): Cells {
  const out: Cells = {};
  for (const [k, v] of Object.entries(contributions(c))) {
    expect(k.startsWith(`${month}|`)).toBe(true);
    out[k.slice(8)] = v;
  }
  return out;
}

/** What every case filed on the web by the usual petitioner (no attributes given) contributes. */
const received = (kind = 'petition', termClass = 'general', channel = 'web'): Cells => ({
  'received|total': 1,
  [`received|byKind|${kind}`]: 1,
  [`received|byChannel|${channel}`]: 1,
  [`received|byTermClass|${termClass}`]: 1,
  'received|by|department|not_given': 1,
  'received|by|gender|not_given': 1,
  'received|by|ageBand|not_given': 1,
  'received|by|preferential|not_given': 1,
});

const respond = { type: 'respond', answer: 'Respuesta de fondo.', outcome: 'granted' };

describe('contributions of one case (received in March 2026, Bogotá)', () => {
  it('a petition answered on day 7 of its 15: on time, 7 business days', async () => {
    // Filed Tue 3 March; day 1 is Wed 4 March; answered Thu 12 March (day 7).
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    expect(cellsOf(record)).toEqual({ ...received(), 'pending|due|2026-03-25': 1 });
    await assign(w, record.radicado);
    w.clock.set('2026-03-12T15:00:00Z');
    const answered = await act(w, record.radicado, respond);
    expect(cellsOf(answered)).toEqual({ ...received(), 'answered|onTime': 1, 'answered|days|7': 1 });
    // Closing after the answer changes no figure.
    expect(delta(answered, await act(w, record.radicado, { type: 'close' }))).toEqual({});
  });

  it('a petition answered two business days after its due date (25 March; 23 March a holiday): late', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    await assign(w, record.radicado);
    w.clock.set('2026-03-27T15:00:00Z');
    const answered = await act(w, record.radicado, respond);
    expect(cellsOf(answered)).toEqual({
      ...received(),
      'answered|late': 1,
      'answered|days|17': 1,
      'answered|daysOver|2': 1,
    });
  });

  it('counts a filing at 23:59 in Bogotá on the last of February in February (04:59 UTC on 1 March)', async () => {
    const w = await world('2026-03-01T04:59:00Z');
    const { record } = await fileAndRoute(w, petition({ channel: 'email' }));
    expect(Object.keys(contributions(record)).every((k) => k.startsWith('2026-02|'))).toBe(true);
    expect(contributions(record)['2026-02|received|byChannel|email']).toBe(1);
  });

  it('a completion request stops the term (pending, suspended) and is counted once, completed or not', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    w.clock.advance(DAY);
    const suspended = await act(w, record.radicado, { type: 'request_completion', what: 'Su dirección.' });
    expect(cellsOf(suspended)).toEqual({ ...received(), completionRequested: 1, 'pending|suspended': 1 });
    w.clock.advance(2 * DAY);
    const completed = await act(w, record.radicado, { type: 'record_completion' });
    expect(delta(suspended, completed)).toEqual({
      '2026-03|pending|suspended': -1,
      [`2026-03|pending|due|${completed.dueDate}`]: 1,
    });
  });

  it('an extension, counted once per case', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    w.clock.advance(DAY);
    const extended = await act(w, record.radicado, {
      type: 'extend',
      newDueDate: '2026-04-08',
      reason: 'Se consulta a otra dependencia.',
    });
    expect(cellsOf(extended)).toEqual({ ...received(), extended: 1, 'pending|due|2026-04-08': 1 });
  });

  it('a forward to the competent entity (art. 21), late after its five days; the new case is received there', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    const reason = 'Es competencia de la Superintendencia.';
    const forwarded = await act(w, record.radicado, { type: 'forward', toEntityId: 'SUPERSALUD', reason });
    expect(cellsOf(forwarded)).toEqual({
      ...received(),
      'forwarded|total': 1,
      'forwarded|to|SUPERSALUD': 1,
    });
    const there = w.cases.all().find((c) => c.entityId === 'SUPERSALUD')!;
    expect(contributions(there)['2026-03|received|total']).toBe(1);

    const { record: other } = await fileAndRoute(w, petition());
    w.clock.advance(10 * DAY);
    const late = await act(w, other.radicado, { type: 'forward', toEntityId: 'SUPERSALUD', reason });
    expect(cellsOf(late)).toMatchObject({ 'forwarded|total': 1, 'forwarded|late': 1 });
  });

  it('no competent authority (art. 21)', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    const closed = await act(w, record.radicado, { type: 'no_competent_authority', reason: 'Ninguna.' });
    expect(cellsOf(closed)).toEqual({ ...received(), noCompetentAuthority: 1 });
  });

  it('an express withdrawal (art. 18), taken back when the office continues of its own motion', async () => {
    const w = await world();
    const { record, trackingCode } = await fileAndRoute(w, petition());
    const withdrawn = await withdrawExpress(w, record.radicado, trackingCode);
    expect(cellsOf(withdrawn)).toEqual({ ...received(), 'withdrawn|express': 1 });
    const continued = await act(w, record.radicado, {
      type: 'continue_ex_officio',
      reason: 'Interés público.',
    });
    expect(delta(withdrawn, continued)).toEqual({
      '2026-03|withdrawn|express': -1,
      '2026-03|pending|due|2026-03-25': 1,
    });
  });

  it('a tacit withdrawal (art. 17) once the petitioner let the month pass', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    w.clock.advance(DAY);
    await act(w, record.radicado, { type: 'request_completion', what: 'Su dirección.' });
    w.clock.advance(40 * DAY);
    const withdrawn = await act(w, record.radicado, { type: 'withdraw', reason: 'No completó.' });
    expect(cellsOf(withdrawn)).toEqual({ ...received(), completionRequested: 1, 'withdrawn|tacit': 1 });
  });

  it('information requests denied, fully or partly, by the literal of Ley 1712 art. 18 or 19', async () => {
    const w = await world();
    const info = petition({ kind: 'information_request' });
    const { record: a } = await fileAndRoute(w, info);
    const { record: b } = await fileAndRoute(w, info);
    for (const r of [a, b]) await assign(w, r.radicado);
    w.clock.advance(DAY);
    const deny = (outcome: string, article: string, literal: string) => ({
      ...respond,
      outcome,
      legalReserve: 'Información reservada.',
      legalGround: { article, literal },
      withheld: 'El anexo 2.',
    });
    const partly = await act(w, a.radicado, deny('partially_granted', '19', 'd'));
    const fully = await act(w, b.radicado, deny('denied', '18', 'a'));
    const base = {
      ...received('information_request', 'information'),
      'answered|onTime': 1,
      'answered|days|1': 1,
    };
    expect(cellsOf(partly)).toEqual({ ...base, 'denied|partial': 1, 'denied|byGround|19-d': 1 });
    expect(cellsOf(fully)).toEqual({ ...base, 'denied|full': 1, 'denied|byGround|18-a': 1 });
  });

  it('a petition denied is not an information request denied', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    await assign(w, record.radicado);
    const answered = await act(w, record.radicado, { ...respond, outcome: 'denied' });
    expect(Object.keys(cellsOf(answered)).filter((k) => k.startsWith('denied'))).toEqual([]);
  });

  it('an information request past its due date is deemed accepted once, answered late or not (Ley 1755 art. 14 num. 1)', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition({ kind: 'information_request' }));
    await assign(w, record.radicado);
    w.clock.advance(20 * DAY);
    await sweep(w);
    const deemed = (await w.cases.get(record.radicado))!;
    expect(cellsOf(deemed)).toEqual({
      ...received('information_request', 'information'),
      deemedAccepted: 1,
      [`pending|due|${deemed.dueDate}`]: 1,
    });
    const granted = await act(w, record.radicado, respond);
    expect(cellsOf(granted)).toMatchObject({ deemedAccepted: 1, 'answered|late': 1 });
  });

  it('an answer by reference to an earlier one (art. 19)', async () => {
    const w = await world();
    const { record: first } = await fileAndRoute(w, petition());
    const { record: again } = await fileAndRoute(w, petition());
    for (const r of [first, again]) await assign(w, r.radicado);
    await act(w, first.radicado, respond);
    const byReference = await act(w, again.radicado, {
      ...respond,
      basis: 'repeated',
      reference: first.radicado,
    });
    expect(cellsOf(byReference)).toMatchObject({ answeredByReference: 1, 'answered|onTime': 1 });
  });

  it('a reclassification moves the case from one kind to the other', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    const complaint = await act(w, record.radicado, {
      type: 'reclassify',
      kind: 'complaint',
      reason: 'Es una queja.',
    });
    expect(delta(record, complaint)).toEqual({
      '2026-03|received|byKind|petition': -1,
      '2026-03|received|byKind|complaint': 1,
    });
  });

  it('counts the petitioner in each preferential group and under each attribute given, else not_given', async () => {
    const w = await world();
    const { record } = await fileAndRoute(
      w,
      petition({ petitioner: { ...petitioner, preferential: ['older_adult', 'disability'] } }),
    );
    expect(cellsOf(record)).toMatchObject({
      'received|by|preferential|older_adult': 1,
      'received|by|preferential|disability': 1,
    });
    expect(cellsOf(record)['received|by|preferential|not_given']).toBeUndefined();
    // The attributes a filing carries; a stored value no longer on the list counts as not given.
    const { record: given } = await fileAndRoute(
      w,
      petition({ petitioner: { ...petitioner, department: '05', gender: 'female', ageBand: '29_44' } }),
    );
    expect(cellsOf(given)).toMatchObject({
      'received|by|department|05': 1,
      'received|by|gender|female': 1,
      'received|by|ageBand|29_44': 1,
    });
    const stale = { ...given, petitioner: { ...given.petitioner, ageBand: '99' } as unknown as Petitioner };
    expect(cellsOf(stale)).toMatchObject({ 'received|by|ageBand|not_given': 1 });
  });
});

describe('delta', () => {
  it('is the new contributions for an insert, their negation for a removal, nothing for no change', async () => {
    const w = await world();
    const { record } = await fileAndRoute(w, petition());
    const cells = contributions(record);
    expect(delta(undefined, record)).toEqual(cells);
    expect(delta(record, undefined)).toEqual(
      Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, -v])),
    );
    const touched: CaseRecord = { ...record, version: record.version + 1, updatedAt: NOW };
    expect(delta(record, touched)).toEqual({});
    expect(delta(undefined, undefined)).toEqual({});
  });
});

describe('ratingContributions', () => {
  it('counts a rating in the month rated, by its value', () => {
    expect(ratingContributions({ month: '2026-04', rating: 4 })).toEqual({
      '2026-04|satisfaction|rating|4': 1,
    });
  });
});
