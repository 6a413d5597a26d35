/**
 * The petitioner's own acts on a case (issue 13): reply to a completion or clarification request
 * (Ley 1755 arts. 17, 19), withdraw (art. 18), insist after a reserved denial (art. 26); and the
 * office's acts that follow them (continue of its own motion, send the file to the court).
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor.ts';
import {
  type CaseLifecycle,
  clockInputOf,
  type Decision,
  decide,
  decideForPetitioner,
  insistenceBy,
  type LifecycleSeed,
  lifecycleOf,
} from '#domain/case/lifecycle.ts';
import { lifecycleDates } from '#domain/case/status.ts';
import { computeClock } from '#domain/clock/index.ts';
import { INSISTENCE_DAYS } from '#domain/clock/rules.ts';

// Filed Monday 2026-03-02 10:00 Bogota, general term: due 2026-03-24 (23 March is a holiday).
const FILED = '2026-03-02T10:00:00-05:00';
const at = (date: string, time = '10:00:00') => `${date}T${time}-05:00`;
const supervisor: Actor = { subject: 'sup-1', entityId: 'MINTIC', roles: ['supervisor'], offices: [] };
const reason = 'Interés público en la respuesta';

function seed(overrides: Partial<LifecycleSeed> = {}): CaseLifecycle {
  return lifecycleOf({
    radicado: 'MINTIC-2026-000001',
    entityId: 'MINTIC',
    status: 'assigned',
    office: 'atencion',
    officer: 'officer-1',
    kind: 'petition',
    termClass: 'general',
    priority: false,
    receivedAt: FILED,
    clockSettings: {},
    ...overrides,
  });
}

function ok(d: Decision): Extract<Decision, { ok: true }> {
  if (!d.ok) throw new Error(`refused (${d.reason}): ${d.message.en}`);
  return d;
}

const awaiting = (type: 'request_completion' | 'request_clarification') =>
  ok(decide(seed(), { type, what: 'Copia del contrato' }, supervisor, at('2026-03-04'))).next;

function denied(outcome: 'denied' | 'partially_granted' | 'granted', legalReserve?: string): CaseLifecycle {
  const state = seed({ kind: 'information_request', termClass: 'information' });
  return ok(
    decide(
      state,
      {
        type: 'respond',
        answer: 'Respuesta',
        outcome,
        ...(legalReserve !== undefined
          ? { legalReserve, legalGround: { article: '19', literal: 'a' }, withheld: 'Los planos' }
          : {}),
      },
      supervisor,
      at('2026-03-04'),
    ),
  ).next;
}

describe('the petitioner replies to a pending request', () => {
  it('a completion: recorded at that instant, the term resumes as the clock says, back to the office', () => {
    // Prepare
    const state = awaiting('request_completion');
    // Act
    const d = ok(decideForPetitioner(state, { type: 'reply' }, at('2026-03-10', '18:30:00')));
    // Assess
    expect(d.event.type).toBe('replied');
    expect(d.next.status).toBe('assigned');
    expect(d.event.clockEvent).toEqual({ type: 'completed', at: at('2026-03-10', '18:30:00') });
    expect(d.next.dates).toEqual(lifecycleDates(computeClock(clockInputOf(d.next), { trace: false })));
    expect(d.next.dates.dueDate).not.toBeNull();
  });

  it('a clarification: the clock records a clarification', () => {
    const d = ok(decideForPetitioner(awaiting('request_clarification'), { type: 'reply' }, at('2026-03-10')));
    expect(d.event.clockEvent?.type).toBe('clarified');
    expect(d.next.status).toBe('assigned');
  });

  it('no pending request: illegal (409); after the period: too late, citing the article (422)', () => {
    expect(decideForPetitioner(seed(), { type: 'reply' }, at('2026-03-05'))).toMatchObject({
      ok: false,
      reason: 'illegal_transition',
      status: 'assigned',
    });
    const lapsed = decideForPetitioner(awaiting('request_completion'), { type: 'reply' }, at('2026-06-10'));
    expect(lapsed).toMatchObject({ ok: false, reason: 'too_late' });
    if (!lapsed.ok) {
      expect(lapsed.message.es).toContain('art. 17');
      expect(lapsed.message.en).toContain('art. 17');
    }
  });
});

describe('the petitioner withdraws (art. 18)', () => {
  it('from any pending status, recording where it was; the office may continue it', () => {
    for (const state of [
      seed({ status: 'routed', officer: undefined }),
      seed(),
      awaiting('request_completion'),
    ]) {
      const d = ok(
        decideForPetitioner(
          state,
          { type: 'withdraw_petition', reason: 'Ya no lo necesito' },
          at('2026-03-05'),
        ),
      );
      expect(d.next.status).toBe('withdrawn');
      expect(d.next.withdrawal).toEqual({ kind: 'express', at: at('2026-03-05'), from: state.status });
      expect(d.event.data).toMatchObject({ express: true, reason: 'Ya no lo necesito' });
      const continued = ok(
        decide(d.next, { type: 'continue_ex_officio', reason }, supervisor, at('2026-03-06')),
      );
      expect(continued.next.status).toBe(state.status);
      expect(continued.next.closedAt).toBeUndefined();
      expect(continued.next.withdrawal).toBeUndefined();
    }
  });

  it('not once answered (409); a tacit withdrawal (art. 17) is not continued', () => {
    expect(
      decideForPetitioner(denied('granted'), { type: 'withdraw_petition' }, at('2026-03-05')),
    ).toMatchObject({
      ok: false,
      reason: 'illegal_transition',
    });
    const tacit = ok(
      decide(awaiting('request_completion'), { type: 'withdraw', reason }, supervisor, at('2026-04-07')),
    );
    expect(
      decide(tacit.next, { type: 'continue_ex_officio', reason }, supervisor, at('2026-04-08')),
    ).toMatchObject({
      ok: false,
      reason: 'illegal_transition',
    });
  });
});

describe('the petitioner insists (art. 26)', () => {
  const reserve = 'Ley 1712 de 2014, art. 19 lit. a';

  it(`within ${INSISTENCE_DAYS} business days of the denial, to the end of the last day`, () => {
    // Prepare: denied on Wednesday 2026-03-04; 10 business days later is 2026-03-18.
    const state = denied('denied', reserve);
    expect(insistenceBy(state)).toBe('2026-03-18');
    // Act / Assess
    const d = ok(decideForPetitioner(state, { type: 'insist' }, at('2026-03-18', '23:59:00')));
    expect(d.next.status).toBe('insistence');
    expect(d.event).toMatchObject({
      type: 'insisted',
      data: { insistenceBy: '2026-03-18', legalReserve: reserve },
    });
    const late = decideForPetitioner(state, { type: 'insist' }, at('2026-03-19', '00:01:00'));
    expect(late).toMatchObject({ ok: false, reason: 'too_late' });
    if (!late.ok) {
      expect(late.message.es).toMatch(/10 días hábiles.*art\. 26/);
      expect(late.message.en).toContain('art. 26');
    }
  });

  it('from the day the published notice deems it notified, for a petitioner with no contact (CPACA art. 69)', () => {
    // Denied on 2026-03-04; the notice is shown through 2026-03-11 and notifies at the end of
    // 2026-03-12; 10 business days later (San José moved to Monday 2026-03-23) is 2026-03-27.
    const published = { ...denied('denied', reserve), notifiedByPublication: true };
    expect(insistenceBy(published)).toBe('2026-03-27');
    expect(decideForPetitioner(published, { type: 'insist' }, at('2026-03-27', '23:59:00')).ok).toBe(true);
    expect(decideForPetitioner(published, { type: 'insist' }, at('2026-03-28', '00:01:00'))).toMatchObject({
      ok: false,
      reason: 'too_late',
    });
    // An entity closure inside the publication moves both dates.
    const closed = {
      ...published,
      clockSettings: { ...published.clockSettings, closures: [{ date: '2026-03-10' }] },
    };
    expect(insistenceBy(closed)).toBe('2026-03-30');
  });

  it('after a partial denial citing a reserve too; never after a grant or a denial without one', () => {
    expect(
      decideForPetitioner(denied('partially_granted', reserve), { type: 'insist' }, at('2026-03-05')).ok,
    ).toBe(true);
    expect(decideForPetitioner(denied('granted'), { type: 'insist' }, at('2026-03-05'))).toMatchObject({
      reason: 'illegal_transition',
    });
    const general = ok(
      decide(seed(), { type: 'respond', answer: 'No', outcome: 'denied' }, supervisor, at('2026-03-04')),
    ).next;
    expect(decideForPetitioner(general, { type: 'insist' }, at('2026-03-05'))).toMatchObject({
      reason: 'illegal_transition',
    });
    expect(decideForPetitioner(seed(), { type: 'insist' }, at('2026-03-05'))).toMatchObject({
      reason: 'illegal_transition',
    });
  });

  it('the office records the court it sent the file to, on a day not before the insistence nor after today', () => {
    const insisted = ok(
      decideForPetitioner(denied('denied', reserve), { type: 'insist' }, at('2026-03-06')),
    ).next;
    const court = 'Tribunal Administrativo de Cundinamarca';
    expect(
      decide(insisted, { type: 'send_to_court', court, sentOn: '2026-03-12' }, supervisor, at('2026-03-10')),
    ).toMatchObject({ ok: false, reason: 'invalid' });
    expect(
      decide(insisted, { type: 'send_to_court', court, sentOn: '2026-03-05' }, supervisor, at('2026-03-10')),
    ).toMatchObject({ ok: false, reason: 'invalid' });
    const sent = ok(
      decide(insisted, { type: 'send_to_court', court, sentOn: '2026-03-09' }, supervisor, at('2026-03-10')),
    );
    expect(sent.next).toMatchObject({ status: 'at_court', court: { name: court, sentOn: '2026-03-09' } });
    expect(ok(decide(sent.next, { type: 'close' }, supervisor, at('2026-03-20'))).next.status).toBe('closed');
  });
});
