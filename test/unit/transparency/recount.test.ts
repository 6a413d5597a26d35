/**
 * Counting from the table stream is exact: after a random history of random cases — filed,
 * assigned, answered, extended, forwarded, withdrawn and continued, reclassified, deemed accepted —
 * delivered with redeliveries that the adapter skips by sequence (here: the case's version, which
 * grows per item as stream sequence numbers do), the counters summed from `delta` equal a full
 * recount of `contributions` over the cases as stored at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UseCaseError } from '#app/errors.ts';
import { addCells, type Cells, contributions, delta } from '#domain/transparency/contributions.ts';
import { parsePeriod } from '#domain/transparency/periods.ts';
import { buildReport } from '#domain/transparency/report.ts';
import { KINDS } from '#domain/vocabulary.ts';
import { petition, type World, world } from '../app/world.ts';
import {
  act,
  assign,
  CaseStream,
  DAY,
  fileAndRoute,
  type StreamRecord,
  sweep,
  withdrawExpress,
} from './history.ts';

const OPS = [
  'file',
  'assign',
  'grant',
  'deny',
  'partly',
  'byReference',
  'requestCompletion',
  'recordCompletion',
  'extend',
  'forward',
  'noCompetentAuthority',
  'withdrawTacit',
  'withdrawExpress',
  'continue',
  'reclassify',
  'close',
  'sweep',
] as const;
type Op = (typeof OPS)[number];

const step = fc.record({
  op: fc.constantFrom(...OPS),
  /** Which stored case (modulo their number). */
  target: fc.nat(),
  kind: fc.constantFrom(...KINDS),
  channel: fc.constantFrom('web', 'email', 'call_centre'),
  /** Days the clock moves before the step. */
  days: fc.integer({ min: 0, max: 12 }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const reason = 'Motivo del acto.';
const denial = (outcome: string) => ({
  type: 'respond',
  answer: 'Respuesta.',
  outcome,
  legalReserve: 'Reserva legal.',
  legalGround: { article: '19', literal: 'b' },
  withheld: 'El anexo.',
});

async function run(w: World, s: Step, codes: Map<string, string>): Promise<void> {
  w.clock.advance(s.days * DAY);
  const cases = w.cases.all();
  if (s.op === 'file' || cases.length === 0) {
    const { record, trackingCode } = await fileAndRoute(w, petition({ kind: s.kind, channel: s.channel }));
    codes.set(record.radicado, trackingCode);
    return;
  }
  const c = cases[s.target % cases.length]!;
  const r = c.radicado;
  const answered = cases.find((o) => o.entityId === c.entityId && o.answer && o.radicado !== r);
  const actions: Record<
    Exclude<Op, 'file' | 'assign' | 'withdrawExpress' | 'sweep'>,
    Record<string, unknown>
  > = {
    grant: { type: 'respond', answer: 'Respuesta.', outcome: 'granted' },
    deny: denial('denied'),
    partly: denial('partially_granted'),
    byReference: {
      type: 'respond',
      answer: 'Nos remitimos.',
      outcome: 'granted',
      basis: 'repeated',
      reference: answered?.radicado ?? r,
    },
    requestCompletion: { type: 'request_completion', what: 'Complete la petición.' },
    recordCompletion: { type: 'record_completion' },
    extend: { type: 'extend', newDueDate: c.maxExtendedDue ?? '2026-12-31', reason },
    forward: { type: 'forward', toEntityId: c.entityId === 'MINTIC' ? 'SUPERSALUD' : 'MINTIC', reason },
    noCompetentAuthority: { type: 'no_competent_authority', reason },
    withdrawTacit: { type: 'withdraw', reason },
    continue: { type: 'continue_ex_officio', reason },
    reclassify: { type: 'reclassify', kind: s.kind, reason },
    close: { type: 'close' },
  };
  // An officer answers what is assigned to them: assign first when it is not.
  if (['grant', 'deny', 'partly', 'byReference'].includes(s.op) && c.status === 'routed') {
    await assign(w, r);
  }
  try {
    if (s.op === 'assign') await assign(w, r);
    else if (s.op === 'sweep') await sweep(w);
    else if (s.op === 'withdrawExpress') {
      const code = codes.get(r);
      if (code) await withdrawExpress(w, r, code);
    } else await act(w, r, actions[s.op]);
  } catch (e) {
    // The law refuses many of these steps in the case's state (a 4xx): the history goes on.
    if (!(e instanceof UseCaseError)) throw e;
  }
}

/** Delivers the records with redeliveries, skipping what the case's checkpoint already counted. */
function count(delivered: readonly StreamRecord[]): Cells {
  const checkpoint = new Map<string, number>();
  const counters: Cells = {};
  for (const rec of delivered) {
    if ((checkpoint.get(rec.radicado) ?? 0) >= rec.version) continue;
    checkpoint.set(rec.radicado, rec.version);
    addCells(counters, delta(rec.old, rec.new));
  }
  return Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
}

describe('counting from the stream', () => {
  it('equals a full recount after any history, redeliveries included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20, size: 'max' }),
        async (steps, redeliveries) => {
          // Prepare: a history, its stream, and the stream as delivered (a record again, later).
          const w = await world('2026-01-05T15:00:00Z');
          const stream = new CaseStream(w);
          const codes = new Map<string, string>();
          for (const s of steps) {
            await run(w, s, codes);
            stream.capture();
          }
          const delivered = [...stream.records];
          for (const [which, where] of redeliveries) {
            // Stream order per case stays: a record comes again after its first delivery, never before.
            const record = stream.records[which % stream.records.length]!;
            const first = delivered.indexOf(record);
            delivered.splice(first + 1 + (where % (delivered.length - first)), 0, record);
          }
          // Act
          const counters = count(delivered);
          // Assess: the counters are the recount, and each month's cases are in exactly one state.
          const recount = w.cases.all().reduce<Cells>((all, c) => addCells(all, contributions(c)), {});
          expect(counters).toEqual(recount);
          const r = buildReport({
            period: parsePeriod({ from: '2026-01-01', to: '2026-12-31' }),
            cells: counters,
            entityId: null,
            today: '2026-12-31',
            businessDaysOver: () => 0,
          });
          expect(
            r.answered.total +
              r.forwarded.total +
              r.noCompetentAuthority +
              r.withdrawn.tacit +
              r.withdrawn.express +
              r.pending.total,
          ).toBe(r.received.total);
          expect(r.received.total).toBe(w.cases.all().length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
