import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor.ts';
import {
  ACTION_TYPES,
  ACTIONS,
  type ActionType,
  allowedActions,
  type CaseLifecycle,
  clockInputOf,
  type Decision,
  decideForPetitioner as decideForPetitionerUnchecked,
  decide as decideUnchecked,
  type LifecycleActionInput,
  LifecycleActionSchema,
  type LifecycleSeed,
  lifecycleOf,
} from '#domain/case/lifecycle.ts';
import {
  isClosed,
  isOpen,
  isPending,
  isSuspended,
  lifecycleDates,
  STATUS_PHASE,
} from '#domain/case/status.ts';
import { addBusinessDays, computeClock } from '#domain/clock/index.ts';
import { CASE_STATUSES, type CaseStatus } from '#domain/vocabulary.ts';
import { expectCitable } from '../../support/citations.ts';

/** Every refusal in this file names only articles the rules use (test/support/citations.ts). */
function citable(d: Decision): Decision {
  if (!d.ok) {
    expectCitable(d.message.es);
    expectCitable(d.message.en);
  }
  return d;
}
const decide = (...args: Parameters<typeof decideUnchecked>) => citable(decideUnchecked(...args));
const decideForPetitioner = (...args: Parameters<typeof decideForPetitionerUnchecked>) =>
  citable(decideForPetitionerUnchecked(...args));

// Filed on Monday 2026-03-02 at 10:00 Bogota, general term (15 business days). The clock gives:
// forwardBy 2026-03-09, completionRequestBy 2026-03-16, due 2026-03-24 (23 March is a holiday),
// maxExtendedDue 2026-04-16.
const FILED = '2026-03-02T10:00:00-05:00';
const at = (date: string, time = '10:00:00') => `${date}T${time}-05:00`;

const officer: Actor = {
  subject: 'officer-1',
  entityId: 'MINTIC',
  roles: ['officer'],
  offices: ['atencion'],
};
const otherOfficer: Actor = {
  subject: 'officer-9',
  entityId: 'MINTIC',
  roles: ['officer'],
  offices: ['juridica'],
};
const supervisor: Actor = { subject: 'sup-1', entityId: 'MINTIC', roles: ['supervisor'], offices: [] };
const admin: Actor = { subject: 'adm-1', entityId: 'MINTIC', roles: ['admin'], offices: [] };
const communicator: Actor = {
  subject: 'com-1',
  entityId: 'MINTIC',
  roles: ['communicator'],
  offices: ['atencion'],
};
const foreign: Actor = { subject: 'sup-x', entityId: 'DNP', roles: ['supervisor'], offices: ['atencion'] };

function seed(overrides: Partial<LifecycleSeed> = {}): CaseLifecycle {
  return lifecycleOf({
    radicado: 'MINTIC-2026-000001',
    entityId: 'MINTIC',
    status: 'routed',
    office: 'atencion',
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

/** A case's dates are always the clock's for its events. */
function expectDatesFromClock(state: CaseLifecycle): void {
  expect(state.dates).toEqual(lifecycleDates(computeClock(clockInputOf(state), { trace: false })));
}

const reason = 'Motivo suficiente';
const assigned = () => seed({ status: 'assigned', officer: 'officer-1' });

/** One case in every status, reached through `decide` (all changes on or before 2026-03-05). */
function caseIn(status: CaseStatus): CaseLifecycle {
  const t = at('2026-03-05', '09:00:00');
  switch (status) {
    case 'received':
      return seed({ status: 'received', office: undefined });
    case 'routed':
      return seed();
    case 'assigned':
      return assigned();
    case 'awaiting_completion':
      return ok(decide(assigned(), { type: 'request_completion', what: 'Copia de la cédula' }, supervisor, t))
        .next;
    case 'awaiting_clarification':
      return ok(decide(assigned(), { type: 'request_clarification', what: 'Qué trámite' }, supervisor, t))
        .next;
    case 'answered':
      return ok(
        decide(assigned(), { type: 'respond', answer: 'Respuesta', outcome: 'granted' }, supervisor, t),
      ).next;
    case 'closed':
      return ok(decide(caseIn('answered'), { type: 'close' }, supervisor, t)).next;
    case 'forwarded':
      return ok(decide(assigned(), { type: 'forward', toEntityId: 'DNP', reason }, supervisor, t)).next;
    case 'no_competent_authority':
      return ok(decide(assigned(), { type: 'no_competent_authority', reason }, supervisor, t)).next;
    case 'withdrawn':
      // By the petitioner (art. 18): the office may still continue it (continue_ex_officio).
      return ok(decideForPetitioner(caseIn('awaiting_completion'), { type: 'withdraw_petition' }, t)).next;
    case 'insistence':
      return ok(decideForPetitioner(deniedInformation(), { type: 'insist' }, t)).next;
    case 'at_court':
      return ok(
        decide(
          caseIn('insistence'),
          { type: 'send_to_court', court: 'Tribunal Administrativo de Cundinamarca', sentOn: '2026-03-05' },
          supervisor,
          t,
        ),
      ).next;
  }
}

/** An information request denied on 2026-03-04 citing a legal reserve (Ley 1712 art. 19). */
function deniedInformation(): CaseLifecycle {
  const state = seed({
    status: 'assigned',
    officer: 'officer-1',
    kind: 'information_request',
    termClass: 'information',
  });
  const denial = {
    type: 'respond',
    answer: 'Se niega',
    outcome: 'denied',
    legalReserve: 'Defensa y seguridad nacional',
    legalGround: { article: '19', literal: 'a' },
    withheld: 'Los planos de la sede',
  } as const;
  return ok(decide(state, denial, supervisor, at('2026-03-04'))).next;
}

/** A valid instance of each action, and the instant it is taken at in the matrix. */
const SAMPLE: Record<ActionType, { action: LifecycleActionInput; at: string }> = {
  assign: { action: { type: 'assign', office: 'atencion', officer: 'officer-2' }, at: at('2026-03-06') },
  reclassify: { action: { type: 'reclassify', termClass: 'query', reason }, at: at('2026-03-06') },
  set_priority: { action: { type: 'set_priority', priority: true, reason }, at: at('2026-03-06') },
  request_completion: { action: { type: 'request_completion', what: 'Anexos' }, at: at('2026-03-06') },
  record_completion: { action: { type: 'record_completion' }, at: at('2026-03-06') },
  extend_completion: { action: { type: 'extend_completion' }, at: at('2026-03-06') },
  withdraw: { action: { type: 'withdraw', reason }, at: at('2026-04-07') },
  request_clarification: { action: { type: 'request_clarification', what: 'Objeto' }, at: at('2026-03-06') },
  record_clarification: { action: { type: 'record_clarification' }, at: at('2026-03-06') },
  extend: { action: { type: 'extend', newDueDate: '2026-04-10', reason }, at: at('2026-03-06') },
  forward: { action: { type: 'forward', toEntityId: 'DNP', reason }, at: at('2026-03-06') },
  no_competent_authority: { action: { type: 'no_competent_authority', reason }, at: at('2026-03-06') },
  respond: { action: { type: 'respond', answer: 'Se concede', outcome: 'granted' }, at: at('2026-03-06') },
  close: { action: { type: 'close' }, at: at('2026-03-06') },
  continue_ex_officio: { action: { type: 'continue_ex_officio', reason }, at: at('2026-04-07') },
  record_legend: {
    action: { type: 'record_legend', reason: 'Dato de mora en disputa' },
    at: at('2026-03-06'),
  },
  send_to_court: {
    action: { type: 'send_to_court', court: 'Tribunal Administrativo de Cundinamarca', sentOn: '2026-03-06' },
    at: at('2026-03-06'),
  },
};

/** Every legal transition: action → status before → status after. Everything else is illegal. */
const LEGAL: Record<ActionType, Partial<Record<CaseStatus, CaseStatus>>> = {
  assign: {
    received: 'assigned',
    routed: 'assigned',
    assigned: 'assigned',
    awaiting_completion: 'awaiting_completion',
    awaiting_clarification: 'awaiting_clarification',
  },
  reclassify: {
    received: 'received',
    routed: 'routed',
    assigned: 'assigned',
    awaiting_completion: 'awaiting_completion',
    awaiting_clarification: 'awaiting_clarification',
  },
  set_priority: {
    received: 'received',
    routed: 'routed',
    assigned: 'assigned',
    awaiting_completion: 'awaiting_completion',
    awaiting_clarification: 'awaiting_clarification',
  },
  request_completion: { routed: 'awaiting_completion', assigned: 'awaiting_completion' },
  record_completion: { awaiting_completion: 'assigned' },
  extend_completion: { awaiting_completion: 'awaiting_completion' },
  withdraw: { awaiting_completion: 'withdrawn', awaiting_clarification: 'withdrawn' },
  request_clarification: { routed: 'awaiting_clarification', assigned: 'awaiting_clarification' },
  record_clarification: { awaiting_clarification: 'assigned' },
  extend: { routed: 'routed', assigned: 'assigned' },
  forward: {
    received: 'forwarded',
    routed: 'forwarded',
    assigned: 'forwarded',
    awaiting_completion: 'forwarded',
    awaiting_clarification: 'forwarded',
  },
  no_competent_authority: {
    received: 'no_competent_authority',
    routed: 'no_competent_authority',
    assigned: 'no_competent_authority',
    awaiting_completion: 'no_competent_authority',
    awaiting_clarification: 'no_competent_authority',
  },
  respond: { assigned: 'answered' },
  close: { answered: 'closed', at_court: 'closed' },
  continue_ex_officio: { withdrawn: 'awaiting_completion' },
  record_legend: {
    received: 'received',
    routed: 'routed',
    assigned: 'assigned',
    awaiting_completion: 'awaiting_completion',
    awaiting_clarification: 'awaiting_clarification',
  },
  send_to_court: { insistence: 'at_court' },
};

describe('statuses', () => {
  it('classifies every status as running, suspended, answered or closed', () => {
    // Prepare / Act
    const phases = Object.fromEntries(CASE_STATUSES.map((s) => [s, STATUS_PHASE[s]]));
    // Assess
    expect(phases).toEqual({
      received: 'running',
      routed: 'running',
      assigned: 'running',
      awaiting_completion: 'suspended',
      awaiting_clarification: 'suspended',
      answered: 'answered',
      closed: 'closed',
      forwarded: 'closed',
      no_competent_authority: 'closed',
      withdrawn: 'closed',
      insistence: 'answered',
      at_court: 'answered',
    });
    expect(CASE_STATUSES.filter(isClosed)).toEqual([
      'closed',
      'forwarded',
      'no_competent_authority',
      'withdrawn',
    ]);
    expect(CASE_STATUSES.filter(isSuspended)).toEqual(['awaiting_completion', 'awaiting_clarification']);
    expect(CASE_STATUSES.filter((s) => isOpen(s) && !isPending(s))).toEqual([
      'answered',
      'insistence',
      'at_court',
    ]);
  });

  it('lists every action in the transition table, and the table agrees with the legal matrix', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual([...ACTION_TYPES].sort());
    for (const type of ACTION_TYPES)
      expect([...ACTIONS[type].from].sort()).toEqual(Object.keys(LEGAL[type]).sort());
  });
});

describe('decide: status × action matrix', () => {
  const states = new Map(CASE_STATUSES.map((s) => [s, caseIn(s)]));
  const cells = CASE_STATUSES.flatMap((status) => ACTION_TYPES.map((type) => [status, type] as const));

  it.each(cells)('%s × %s', (status, type) => {
    // Prepare: the legend is of personal-data claims (Ley 1581 art. 15 num. 2).
    const general = states.get(status)!;
    const state =
      type === 'record_legend' ? lifecycleOf({ ...general, termClass: 'data_protection_claim' }) : general;
    const { action, at: when } = SAMPLE[type];
    // Act
    const d = decide(state, action, supervisor, when);
    // Assess
    const to = LEGAL[type][status];
    if (to === undefined) {
      expect(d).toMatchObject({ ok: false, reason: 'illegal_transition', status });
      if (!d.ok) {
        expect(d.message.es).toContain(`estado ${status}`);
        expect(d.message.es).toContain(ACTIONS[type].rule.es);
        expect(d.message.en).toContain(`status ${status}`);
        expect(d.message.en).toContain(ACTIONS[type].rule.en);
      }
    } else {
      const r = ok(d);
      expect(r.next.status).toBe(to);
      expect(r.event.type).toBe(ACTIONS[type].event);
      expect(r.event.data.status).toEqual({ from: status, to });
      expect(r.next.updatedAt).toBe(when);
      expectDatesFromClock(r.next);
      expect(isClosed(to) ? r.next.closedAt : undefined).toBe(isClosed(to) ? when : undefined);
      if (r.event.clockEvent) expect(r.next.clockEvents.at(-1)).toEqual(r.event.clockEvent);
      else expect(r.next.clockEvents).toEqual(state.clockEvents);
    }
  });
});

describe('decide: who may act', () => {
  const actors = { officer, otherOfficer, supervisor, admin, communicator, foreign };
  const expected = {
    officer: true,
    otherOfficer: 'forbidden',
    supervisor: true,
    admin: true,
    communicator: 'forbidden',
    foreign: 'not_found',
  } as const;
  const cells = ACTION_TYPES.flatMap((type) =>
    Object.keys(actors).map((who) => [type, who as keyof typeof actors] as const),
  );

  it.each(cells)('%s by %s', (type, who) => {
    // Prepare: the first status the action is legal in (on the officer's office, with no officer
    // assigned for assign, since reassigning is the supervisor's)
    const status = type === 'assign' ? 'routed' : ACTIONS[type].from.find((s) => s !== 'received')!;
    const general = caseIn(status);
    const state =
      type === 'record_legend' ? lifecycleOf({ ...general, termClass: 'data_protection_claim' }) : general;
    // Act
    const d = decide(state, SAMPLE[type].action, actors[who], SAMPLE[type].at);
    // Assess
    const want = expected[who];
    if (want === true) expect(d.ok).toBe(true);
    else expect(d).toMatchObject({ ok: false, reason: want });
  });

  it('a reassignment is the supervisor’s or the admin’s, not an officer’s', () => {
    const state = assigned();
    const action: LifecycleActionInput = { type: 'assign', office: 'atencion', officer: 'officer-2' };
    expect(decide(state, action, officer, at('2026-03-03'))).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
    expect(decide(state, action, supervisor, at('2026-03-03')).ok).toBe(true);
    expect(decide(state, action, admin, at('2026-03-03')).ok).toBe(true);
  });

  it('an officer assigns within its own offices only, and cannot act on a case with no office', () => {
    const toOther: LifecycleActionInput = { type: 'assign', office: 'juridica' };
    expect(decide(seed(), toOther, officer, at('2026-03-03'))).toMatchObject({ reason: 'forbidden' });
    expect(decide(seed(), toOther, supervisor, at('2026-03-03')).ok).toBe(true);
    const self = ok(
      decide(seed(), { type: 'assign', office: 'atencion', officer: 'officer-1' }, officer, at('2026-03-03')),
    );
    expect(self.next).toMatchObject({ status: 'assigned', office: 'atencion', officer: 'officer-1' });
    const received = caseIn('received');
    expect(
      decide(received, { type: 'set_priority', priority: true, reason }, officer, at('2026-03-03')),
    ).toMatchObject({ reason: 'forbidden' });
  });

  it('an actor with several roles acts with the widest', () => {
    const both: Actor = { ...communicator, roles: ['supervisor', 'communicator'], offices: [] };
    expect(decide(assigned(), SAMPLE.respond.action, both, SAMPLE.respond.at).ok).toBe(true);
  });
});

describe('decide: assign', () => {
  it('routes to an office without an officer, unassigns, and keeps a suspended status', () => {
    // Prepare
    const received = caseIn('received');
    // Act
    const routed = ok(decide(received, { type: 'assign', office: 'atencion' }, supervisor, at('2026-03-03')));
    const unassigned = ok(
      decide(assigned(), { type: 'assign', office: 'juridica' }, supervisor, at('2026-03-03')),
    );
    const waiting = ok(
      decide(
        caseIn('awaiting_completion'),
        { type: 'assign', office: 'juridica' },
        supervisor,
        at('2026-03-06'),
      ),
    );
    // Assess
    expect(routed.next).toMatchObject({ status: 'routed', office: 'atencion' });
    expect(unassigned.next.status).toBe('routed');
    expect(unassigned.next.officer).toBeUndefined();
    expect(unassigned.event.data).toMatchObject({
      office: { from: 'atencion', to: 'juridica' },
      officer: { from: 'officer-1', to: null },
    });
    expect(waiting.next).toMatchObject({ status: 'awaiting_completion', office: 'juridica' });
    expect('officer' in waiting.next).toBe(false);
  });

  it('refuses an assignment that changes nothing', () => {
    const d = decide(
      assigned(),
      { type: 'assign', office: 'atencion', officer: 'officer-1' },
      supervisor,
      at('2026-03-03'),
    );
    expect(d).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('decide: reclassify and priority', () => {
  it('recomputes the clock from receipt with the case events', () => {
    // Prepare
    const state = caseIn('awaiting_completion');
    const completed = ok(decide(state, { type: 'record_completion' }, supervisor, at('2026-03-10'))).next;
    // Act
    const r = ok(
      decide(completed, { type: 'reclassify', termClass: 'query', reason }, supervisor, at('2026-03-11')),
    );
    // Assess
    const clock = computeClock({ ...clockInputOf(completed), termClass: 'query' }, { trace: false });
    expect(r.next.termClass).toBe('query');
    expect(r.next.dates.dueDate).toBe(clock.due);
    expect(r.next.dates.dueDate).not.toBe(completed.dates.dueDate);
    expect(r.event.data).toMatchObject({
      termClass: { from: 'general', to: 'query' },
      reason,
      dueDate: clock.due,
    });
    expectDatesFromClock(r.next);
  });

  it('maps a new kind to its term class (the entity’s mapping when given, else the default)', () => {
    const byDefault = ok(
      decide(
        seed(),
        { type: 'reclassify', kind: 'information_request', reason },
        supervisor,
        at('2026-03-03'),
      ),
    );
    expect(byDefault.next).toMatchObject({ kind: 'information_request', termClass: 'information' });
    expect(byDefault.next.dates.dueDate).toBe('2026-03-16');
    const byEntity = ok(
      decide(seed(), { type: 'reclassify', kind: 'complaint', reason }, supervisor, at('2026-03-03'), {
        termClassFor: () => 'query',
      }),
    );
    expect(byEntity.next).toMatchObject({ kind: 'complaint', termClass: 'query' });
  });

  it('refuses a reclassification that changes nothing or that a recorded act would not survive', () => {
    expect(
      decide(seed(), { type: 'reclassify', termClass: 'general', reason }, supervisor, at('2026-03-03')),
    ).toMatchObject({ reason: 'invalid' });
    // Extended to 2026-04-16 (the maximum for 15 days); under a 10-day term the maximum is earlier.
    const extended = ok(
      decide(seed(), { type: 'extend', newDueDate: '2026-04-16', reason }, supervisor, at('2026-03-10')),
    ).next;
    const d = decide(
      extended,
      { type: 'reclassify', termClass: 'information', reason },
      supervisor,
      at('2026-03-11'),
    );
    expect(d).toMatchObject({ ok: false, reason: 'invalid' });
    expect(d).toMatchObject({ field: 'termClass', code: 'conflict' });
    if (!d.ok) {
      expect(d.message.es).toMatch(/^termClass: .*extended/);
      expect(d.message.en).toContain('extended');
    }
  });

  it('sets and clears priority (art. 20), refusing a no-op', () => {
    const on = ok(
      decide(seed(), { type: 'set_priority', priority: true, reason }, officer, at('2026-03-03')),
    );
    expect(on.next.priority).toBe(true);
    const off = ok(
      decide(on.next, { type: 'set_priority', priority: false, reason }, officer, at('2026-03-04')),
    );
    expect(off.next.priority).toBe(false);
    const noop = decide(
      off.next,
      { type: 'set_priority', priority: false, reason },
      officer,
      at('2026-03-05'),
    );
    expect(noop).toMatchObject({ ok: false, reason: 'invalid' });
    expect(noop).toMatchObject({ field: 'priority', code: 'invalid_value' });
    if (!noop.ok) {
      expect(noop.message.es).toContain('art. 20');
      expect(noop.message.en).toContain('art. 20');
    }
  });
});

describe('decide: completion and clarification (arts. 17, 19)', () => {
  it.each([
    ['request_completion', 'art. 17'],
    ['request_clarification', 'art. 19'],
  ] as const)('%s: allowed on completionRequestBy (2026-03-16), too late the day after', (type, article) => {
    // Prepare
    const state = assigned();
    const action = { type, what: 'Falta el anexo' } as const;
    // Act
    const last = decide(state, action, officer, at('2026-03-16', '16:59:00'));
    const after = decide(state, action, officer, at('2026-03-17', '08:00:00'));
    // Assess
    const r = ok(last);
    expect(r.next.dates.dueDate).toBeNull();
    expect(r.event.clockEvent?.type).toBe(
      type === 'request_completion' ? 'completion_requested' : 'clarification_requested',
    );
    expect(r.event.data.petitionerRespondBy).toBe(r.next.dates.petitionerRespondBy);
    expectDatesFromClock(r.next);
    expect(after).toMatchObject({ ok: false, reason: 'too_late', status: 'assigned' });
    if (!after.ok) {
      for (const text of [after.message.es, after.message.en]) {
        expect(text).toContain(article);
        expect(text).toContain('2026-03-16');
      }
    }
  });

  it('refuses a request after the term expired even within the window (an entity’s shorter term)', () => {
    const state = seed({ clockSettings: { terms: { general: 3 } } });
    expect(state.dates.dueDate).toBe('2026-03-05');
    const d = decide(state, { type: 'request_completion', what: 'Anexo' }, officer, at('2026-03-06'));
    expect(d).toMatchObject({ ok: false, reason: 'too_late' });
  });

  it('record_completion: on the petitioner’s last day (2026-04-06) the term resumes; the day after is too late', () => {
    // Prepare: requested 2026-03-05, one month → 2026-04-05, a Sunday → 2026-04-06
    const state = caseIn('awaiting_completion');
    expect(state.dates.petitionerRespondBy).toBe('2026-04-06');
    // Act
    const last = decide(
      state,
      { type: 'record_completion', receivedAt: at('2026-04-06', '16:00:00') },
      officer,
      at('2026-04-07'),
    );
    const after = decide(state, { type: 'record_completion' }, officer, at('2026-04-07'));
    // Assess
    const r = ok(last);
    expect(r.next.status).toBe('assigned');
    expect(r.event.clockEvent).toEqual({ type: 'completed', at: at('2026-04-06', '16:00:00') });
    expect(r.next.dates.dueDate).toBe(r.event.data.dueDate);
    expectDatesFromClock(r.next);
    expect(after).toMatchObject({ ok: false, reason: 'too_late', status: 'awaiting_completion' });
    if (!after.ok) {
      expect(after.message.es).toMatch(/2026-04-06.*desistimiento tácito.*withdraw.*art\. 17/);
      expect(after.message.en).toMatch(/2026-04-06.*withdraw.*art\. 17/);
    }
  });

  it("takes a completion until midnight of the petitioner's last day, whatever the office hours", () => {
    const settings = { officeHours: { open: '08:00', close: '17:00' } };
    const requested = ok(
      decide(
        seed({ status: 'assigned', officer: 'officer-1', clockSettings: settings }),
        { type: 'request_completion', what: 'Anexo' },
        officer,
        at('2026-03-05'),
      ),
    ).next;
    // Ley 4 de 1913 art. 59; CPACA art. 5 num. 1: 18:30 and 23:59 of the last day are on time.
    for (const time of ['16:30:00', '18:30:00', '23:59:59']) {
      const r = ok(decide(requested, { type: 'record_completion' }, officer, at('2026-04-06', time)));
      expect(r.next.status).toBe('assigned');
    }
    // After hours the term restarts from the next business day (the entity receives it then).
    const evening = ok(
      decide(requested, { type: 'record_completion' }, officer, at('2026-04-06', '18:30:00')),
    );
    const day = ok(decide(requested, { type: 'record_completion' }, officer, at('2026-04-06', '16:30:00')));
    expect(`${evening.next.dates.dueDate}` > `${day.next.dates.dueDate}`).toBe(true);
    const late = decide(requested, { type: 'record_completion' }, officer, at('2026-04-07', '00:00:01'));
    expect(late).toMatchObject({ ok: false, reason: 'too_late' });
  });

  it('refuses a completion dated in the future or before the request', () => {
    const state = caseIn('awaiting_completion');
    const future = decide(
      state,
      { type: 'record_completion', receivedAt: at('2026-03-09') },
      officer,
      at('2026-03-06'),
    );
    const before = decide(
      state,
      { type: 'record_completion', receivedAt: at('2026-03-04') },
      officer,
      at('2026-03-06'),
    );
    expect(future).toMatchObject({ reason: 'invalid' });
    expect(before).toMatchObject({ reason: 'invalid' });
  });

  it('record_clarification resumes the term; a routed case returns to routed', () => {
    const waiting = ok(
      decide(seed(), { type: 'request_clarification', what: 'Objeto' }, officer, at('2026-03-05')),
    ).next;
    const r = ok(decide(waiting, { type: 'record_clarification' }, officer, at('2026-03-10')));
    expect(r.next.status).toBe('routed');
    expect(r.event.clockEvent?.type).toBe('clarified');
    expectDatesFromClock(r.next);
  });

  it('extend_completion: once, on the petitioner’s last day at the latest', () => {
    // Prepare
    const state = caseIn('awaiting_completion');
    // Act
    const last = decide(state, { type: 'extend_completion' }, officer, at('2026-04-06'));
    const after = decide(state, { type: 'extend_completion' }, officer, at('2026-04-07'));
    // Assess
    const r = ok(last);
    expect(r.next.dates).toMatchObject({ petitionerRespondBy: '2026-05-05', petitionerExtended: true });
    expect(r.event.clockEvent?.type).toBe('completion_extension_requested');
    expectDatesFromClock(r.next);
    expect(after).toMatchObject({ ok: false, reason: 'too_late' });
    const twice = decide(r.next, { type: 'extend_completion' }, officer, at('2026-04-08'));
    expect(twice).toMatchObject({ ok: false, reason: 'illegal_transition' });
    if (!twice.ok) {
      expect(twice.message.es).toMatch(/una vez.*art\. 17/);
      expect(twice.message.en).toMatch(/once.*art\. 17/);
    }
  });

  it('extend_completion is refused where the law gives no extra month (Ley 1581 claims)', () => {
    const claim = ok(
      decide(
        seed({ status: 'assigned', officer: 'officer-1', termClass: 'data_protection_claim' }),
        { type: 'request_completion', what: 'Anexo' },
        officer,
        at('2026-03-04'),
      ),
    ).next;
    const d = decide(claim, { type: 'extend_completion' }, officer, at('2026-03-05'));
    expect(d).toMatchObject({ ok: false, reason: 'illegal_transition' });
    if (!d.ok) {
      expect(d.message.es).toContain('Ley 1581');
      expect(d.message.en).toContain('Ley 1581');
    }
  });

  it('withdraw: too early on the petitioner’s last day, allowed the day after; later after an extension', () => {
    // Prepare
    const state = caseIn('awaiting_completion');
    const extended = ok(decide(state, { type: 'extend_completion' }, officer, at('2026-04-01'))).next;
    // Act
    const early = decide(state, { type: 'withdraw', reason }, officer, at('2026-04-06', '23:59:00'));
    const allowed = decide(state, { type: 'withdraw', reason }, officer, at('2026-04-07', '00:01:00'));
    const afterExtension = decide(extended, { type: 'withdraw', reason }, officer, at('2026-04-07'));
    // Assess
    expect(early).toMatchObject({ ok: false, reason: 'too_early', status: 'awaiting_completion' });
    if (!early.ok) {
      expect(early.message.es).toMatch(/2026-04-06.*desistimiento tácito.*art\. 17/);
      expect(early.message.en).toMatch(/2026-04-06.*art\. 17/);
    }
    expect(ok(allowed).next).toMatchObject({ status: 'withdrawn', closedAt: at('2026-04-07', '00:01:00') });
    expect(afterExtension).toMatchObject({ ok: false, reason: 'too_early' });
    expect(ok(decide(extended, { type: 'withdraw', reason }, officer, at('2026-05-06'))).next.status).toBe(
      'withdrawn',
    );
  });
});

describe('decide: an officer assigns within its own offices', () => {
  it('names the office assigned to when that, not the case, is what is not the officer’s', () => {
    const d = decide(seed(), { type: 'assign', office: 'espectro' }, officer, at('2026-03-03'));
    expect(d).toMatchObject({ ok: false, reason: 'forbidden', field: 'office', code: 'not_allowed' });
    if (!d.ok) expect(d.message.es).toMatch(/^office: espectro no es una de sus dependencias/);
    // Another office's case: the refusal is about the case, as before.
    const other = decide(
      seed({ office: 'espectro' }),
      { type: 'assign', office: 'atencion' },
      officer,
      at('2026-03-03'),
    );
    expect(other).toMatchObject({ ok: false, reason: 'forbidden' });
    if (!other.ok) expect(other.message.es).toMatch(/de la dependencia espectro requiere/);
  });
});

describe('allowedActions: what the officer’s screen offers', () => {
  it('offers the legend on a personal-data claim only, until recorded, and no extension past the maximum', () => {
    const claim = seed({ termClass: 'data_protection_claim', status: 'assigned', officer: 'officer-1' });
    expect(allowedActions(supervisor, claim)).toContain('record_legend');
    expect(allowedActions(supervisor, assigned())).not.toContain('record_legend');
    const recorded = ok(decide(claim, { type: 'record_legend', reason }, supervisor, at('2026-03-03'))).next;
    expect(allowedActions(supervisor, recorded)).not.toContain('record_legend');

    expect(allowedActions(supervisor, assigned())).toContain('extend');
    const max = assigned().dates.maxExtendedDue!;
    const atMax = ok(
      decide(assigned(), { type: 'extend', newDueDate: max, reason }, supervisor, at('2026-03-10')),
    ).next;
    expect(atMax.dates.dueDate).toBe(max);
    expect(allowedActions(supervisor, atMax)).not.toContain('extend');
    expect(
      decide(atMax, { type: 'extend', newDueDate: max, reason }, supervisor, at('2026-03-11')),
    ).toMatchObject({
      ok: false,
    });
  });
});

describe('decide: extension (art. 14 parágrafo)', () => {
  it('near the end of the calendar: any date up to 2100-12-31, the maximum (January 2101) unknown', () => {
    // Filed Wednesday 2100-12-01: due 2100-12-23 (8 Dec a holiday); double the term ends in 2101.
    const late = seed({ receivedAt: '2100-12-01T10:00:00-05:00' });
    expect(late.dates).toMatchObject({ dueDate: '2100-12-23', maxExtendedDue: null });
    const action = { type: 'extend', newDueDate: '2100-12-30', reason } as const;
    const extended = ok(decide(late, action, officer, at('2100-12-10')));
    expect(extended.next.dates).toMatchObject({ dueDate: '2100-12-30', extendedUntil: '2100-12-30' });
    expectDatesFromClock(extended.next);
    const beyond = decide(late, { ...action, newDueDate: '2101-01-10' }, officer, at('2100-12-10'));
    expect(beyond).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('is allowed on the due date (2026-03-24) and too late the day after', () => {
    const action = { type: 'extend', newDueDate: '2026-04-10', reason } as const;
    const last = ok(decide(seed(), action, officer, at('2026-03-24', '17:00:00')));
    expect(last.next.dates).toMatchObject({
      dueDate: '2026-04-10',
      legalDue: '2026-03-24',
      extendedUntil: '2026-04-10',
    });
    expect(last.event.clockEvent).toEqual({
      type: 'extended',
      at: at('2026-03-24', '17:00:00'),
      until: '2026-04-10',
    });
    expectDatesFromClock(last.next);
    const after = decide(seed(), action, officer, at('2026-03-25', '08:00:00'));
    expect(after).toMatchObject({ ok: false, reason: 'too_late', status: 'routed' });
    if (!after.ok) {
      expect(after.message.es).toMatch(/2026-03-24.*art\. 14, parágrafo/);
      expect(after.message.en).toMatch(/2026-03-24.*art\. 14, parágrafo/);
    }
  });

  it('accepts the maximum (2026-04-16) and refuses the next business day', () => {
    expect(seed().dates.maxExtendedDue).toBe('2026-04-16');
    const max = decide(
      seed(),
      { type: 'extend', newDueDate: '2026-04-16', reason },
      officer,
      at('2026-03-10'),
    );
    expect(ok(max).next.dates.dueDate).toBe('2026-04-16');
    const over = decide(
      seed(),
      { type: 'extend', newDueDate: '2026-04-17', reason },
      officer,
      at('2026-03-10'),
    );
    expect(over).toMatchObject({ ok: false, reason: 'invalid' });
    expect(over).toMatchObject({ field: 'newDueDate', code: 'too_late' });
    if (!over.ok) {
      expect(over.message.es).toMatch(/^newDueDate: .*2026-04-16.*el doble del término.*art\. 14/);
      expect(over.message.en).toMatch(/^newDueDate: .*2026-04-16.*double the term.*art\. 14/);
    }
  });

  it('refuses a date not after the due date, a non-business day, and a case already at the maximum', () => {
    const same = decide(
      seed(),
      { type: 'extend', newDueDate: '2026-03-24', reason },
      officer,
      at('2026-03-10'),
    );
    expect(same).toMatchObject({ reason: 'invalid' });
    const saturday = decide(
      seed(),
      { type: 'extend', newDueDate: '2026-04-11', reason },
      officer,
      at('2026-03-10'),
    );
    expect(saturday).toMatchObject({ reason: 'invalid' });
    if (!saturday.ok) {
      // The clock's own note (Spanish), quoted in the English message.
      expect(saturday.message.es).toContain('no es un día hábil');
      expect(saturday.message.en).toMatch(/the legal clock refuses it.*día hábil/);
    }
    const atMax = ok(
      decide(seed(), { type: 'extend', newDueDate: '2026-04-16', reason }, officer, at('2026-03-10')),
    ).next;
    expect(
      decide(atMax, { type: 'extend', newDueDate: '2026-04-16', reason }, officer, at('2026-03-11')),
    ).toMatchObject({
      reason: 'illegal_transition',
    });
  });

  it('may push an earlier extension further, up to the maximum', () => {
    const first = ok(
      decide(seed(), { type: 'extend', newDueDate: '2026-04-01', reason }, officer, at('2026-03-10')),
    ).next;
    const second = ok(
      decide(first, { type: 'extend', newDueDate: '2026-04-08', reason }, officer, at('2026-03-12')),
    );
    expect(second.next.dates.dueDate).toBe('2026-04-08');
    expect(
      decide(first, { type: 'extend', newDueDate: '2026-03-31', reason }, officer, at('2026-03-12')),
    ).toMatchObject({
      reason: 'invalid',
    });
  });
});

describe('decide: forward and no competent authority (art. 21)', () => {
  it.each(['forward', 'no_competent_authority'] as const)(
    '%s on forwardBy (2026-03-09) is on time, late after',
    (type) => {
      const action: LifecycleActionInput =
        type === 'forward' ? { type, toEntityId: 'DNP', reason } : { type, reason };
      const onTime = ok(decide(seed(), action, officer, at('2026-03-09', '16:00:00')));
      const late = ok(decide(seed(), action, officer, at('2026-03-10', '08:00:00')));
      expect(onTime.event.data).toMatchObject({ late: false, forwardBy: '2026-03-09', reason });
      expect(late.event.data).toMatchObject({ late: true });
      expect(late.next.status).toBe(type === 'forward' ? 'forwarded' : 'no_competent_authority');
      if (type === 'forward') expect(late.next.forwardedTo).toEqual({ entityId: 'DNP', late: true });
    },
  );

  it('refuses forwarding to the entity itself', () => {
    expect(
      decide(seed(), { type: 'forward', toEntityId: 'MINTIC', reason }, officer, at('2026-03-03')),
    ).toMatchObject({
      reason: 'invalid',
    });
  });
});

describe('decide: respond and close', () => {
  it('records whether the answer came by the due date (2026-03-24)', () => {
    const action = { type: 'respond', answer: 'Se concede lo pedido', outcome: 'granted' } as const;
    const onTime = ok(decide(assigned(), action, officer, at('2026-03-24', '17:00:00')));
    const late = ok(decide(assigned(), action, officer, at('2026-03-25')));
    expect(onTime.next).toMatchObject({ status: 'answered', answer: { outcome: 'granted', late: false } });
    expect(onTime.event.data).toMatchObject({
      answer: 'Se concede lo pedido',
      answeredOn: '2026-03-24',
      late: false,
    });
    expect(late.event.data).toMatchObject({ answeredOn: '2026-03-25', dueDate: '2026-03-24', late: true });
    expect('deemedAccepted' in late.event.data).toBe(false);
  });

  it('a denied information request must cite the legal reserve', () => {
    const info = seed({
      status: 'assigned',
      officer: 'officer-1',
      kind: 'information_request',
      termClass: 'information',
    });
    const bare = decide(
      info,
      { type: 'respond', answer: 'No', outcome: 'denied' },
      officer,
      at('2026-03-10'),
    );
    expect(bare).toMatchObject({ ok: false, reason: 'invalid' });
    expect(bare).toMatchObject({ field: 'legalReserve', code: 'required' });
    if (!bare.ok) {
      expect(bare.message.es).toMatch(/^legalReserve: .*acto motivado.*Ley 1755 de 2015, art\. 25/);
      expect(bare.message.en).toMatch(/^legalReserve: .*reasoned act.*Ley 1712 de 2014/);
    }
    // Ley 1755 art. 25; Ley 1712 arts. 18, 19, 21: the ground (article and literal) and what is withheld.
    const reasons = { type: 'respond', answer: 'No', legalReserve: 'Seguridad nacional' } as const;
    for (const outcome of ['denied', 'partially_granted'] as const) {
      expect(decide(info, { ...reasons, outcome }, officer, at('2026-03-10'))).toMatchObject({
        ok: false,
        field: 'legalGround',
        code: 'required',
      });
      expect(
        decide(
          info,
          { ...reasons, outcome, legalGround: { article: '18', literal: 'a' } },
          officer,
          at('2026-03-10'),
        ),
      ).toMatchObject({ ok: false, field: 'withheld', code: 'required' });
    }
    // A literal the article does not have is malformed input.
    expect(
      LifecycleActionSchema.safeParse({
        ...reasons,
        outcome: 'denied',
        legalGround: { article: '18', literal: 'd' },
      }).success,
    ).toBe(false);
    const denial = {
      ...reasons,
      outcome: 'denied',
      legalGround: { article: '18', literal: 'a' },
      withheld: 'Datos de salud de terceros',
    } as const;
    const cited = ok(decide(info, denial, officer, at('2026-03-10')));
    expect(cited.next.answer).toMatchObject({
      outcome: 'denied',
      legalReserve: 'Seguridad nacional',
      legalGround: { article: '18', literal: 'a' },
      withheld: 'Datos de salud de terceros',
      late: false,
    });
    expect(cited.event.data).toMatchObject({
      deemedAccepted: false,
      legalGroundText: 'Ley 1712 de 2014, art. 18 lit. a',
    });
    // Past its due date the request is deemed accepted (art. 14 num. 1): no denial, full or partial,
    // on a classification of art. 18; a reserve of art. 19 still stands.
    for (const outcome of ['denied', 'partially_granted'] as const) {
      const late = decide(info, { ...denial, outcome }, officer, at('2026-03-17'));
      expect(late).toMatchObject({ ok: false, reason: 'too_late' });
      expect(late).toMatchObject({ field: 'outcome', code: 'too_late' });
      if (!late.ok) {
        expect(late.message.es).toMatch(/se entiende aceptada.*art\. 19.*art\. 14 num\. 1/);
        expect(late.message.en).toMatch(/deemed accepted.*art\. 14 num\. 1/);
      }
    }
    const reserved = ok(
      decide(info, { ...denial, legalGround: { article: '19', literal: 'a' } }, officer, at('2026-03-17')),
    );
    expect(reserved.next.answer).toMatchObject({ outcome: 'denied', late: true });
    const lateGrant = ok(
      decide(
        info,
        { type: 'respond', answer: 'Adjunto los documentos.', outcome: 'granted' },
        officer,
        at('2026-03-17'),
      ),
    );
    expect(lateGrant.event.data).toMatchObject({ deemedAccepted: true, late: true });
    // The late grant delivers the copies the deemed acceptance owes, by copiesDue (3 days after).
    expect(lateGrant.event.data).toMatchObject({ copiesDelivered: true, copiesLate: false });
    expect(lateGrant.next.answer).toMatchObject({ deemedAccepted: true });
    const copiesDue = String(lateGrant.event.data.copiesDue);
    const tooLate = ok(
      decide(
        info,
        { type: 'respond', answer: 'Adjunto.', outcome: 'granted' },
        officer,
        `${addBusinessDays(copiesDue, 1)}T10:00:00-05:00`,
      ),
    );
    expect(tooLate.event.data).toMatchObject({ copiesDelivered: true, copiesLate: true, copiesDue });
    // Other kinds may be denied without a reserve; a grant carries none.
    expect(
      decide(assigned(), { type: 'respond', answer: 'No', outcome: 'denied' }, officer, at('2026-03-10')).ok,
    ).toBe(true);
    expect(
      decide(
        assigned(),
        { type: 'respond', answer: 'Sí', outcome: 'granted', legalReserve: 'x' },
        officer,
        at('2026-03-10'),
      ),
    ).toMatchObject({ reason: 'invalid' });
  });
});

describe('decide: input', () => {
  it.each([
    ['an unknown type', { type: 'archive' }],
    ['markup in free text', { type: 'withdraw', reason: '<script>x</script>' }],
    ['a missing reason', { type: 'set_priority', priority: true }],
    ['an empty reclassification', { type: 'reclassify', reason }],
    ['an unknown field', { type: 'close', note: 'x' }],
    ['a bad office id', { type: 'assign', office: 'Atención' }],
    ['a bad date', { type: 'extend', newDueDate: '2026-02-30', reason }],
  ])('refuses %s as invalid', (_, action) => {
    const d = decide(assigned(), action as LifecycleActionInput, supervisor, at('2026-03-03'));
    expect(d).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('validates payloads with the exported schema (what a route uses)', () => {
    expect(
      LifecycleActionSchema.safeParse({ type: 'respond', answer: ' Sí ', outcome: 'granted' }),
    ).toMatchObject({
      success: true,
      data: { answer: 'Sí' },
    });
  });

  it('refuses an instant that is not an instant, or before the last change', () => {
    expect(decide(seed(), SAMPLE.set_priority.action, supervisor, '2026-03-03')).toMatchObject({
      reason: 'invalid',
    });
    expect(decide(seed(), SAMPLE.set_priority.action, supervisor, 'yesterday')).toMatchObject({
      reason: 'invalid',
    });
    const changed = ok(decide(seed(), SAMPLE.set_priority.action, supervisor, at('2026-03-04'))).next;
    expect(decide(changed, SAMPLE.assign.action, supervisor, at('2026-03-03'))).toMatchObject({
      reason: 'invalid',
    });
  });

  it('says not found (not forbidden) for another entity, whatever the state', () => {
    const d = decide(caseIn('closed'), { type: 'close' }, foreign, at('2026-03-06'));
    expect(d).toMatchObject({ ok: false, reason: 'not_found' });
    if (!d.ok) {
      expect(d.message.es).not.toContain('closed');
      expect(d.message.en).not.toContain('closed');
    }
  });
});

describe('full story: routed → assign → request_completion → record_completion → extend → respond → close', () => {
  it('keeps every date equal to the clock’s for the same events', () => {
    // Prepare
    let state = seed();
    const steps: [LifecycleActionInput, string, Actor][] = [
      [{ type: 'assign', office: 'atencion', officer: 'officer-1' }, at('2026-03-03'), supervisor],
      [{ type: 'request_completion', what: 'Copia del contrato' }, at('2026-03-05', '09:00:00'), officer],
      [{ type: 'record_completion' }, at('2026-03-20', '11:00:00'), officer],
      [{ type: 'extend', newDueDate: '2026-04-20', reason }, at('2026-04-08', '11:00:00'), officer],
      [{ type: 'respond', answer: 'Se concede', outcome: 'granted' }, at('2026-04-17'), officer],
      [{ type: 'close' }, at('2026-04-20'), officer],
    ];
    const statuses: CaseStatus[] = [];
    const dues: (string | null)[] = [];
    // Act
    for (const [action, when, actor] of steps) {
      state = ok(decide(state, action, actor, when)).next;
      statuses.push(state.status);
      dues.push(state.dates.dueDate);
      expectDatesFromClock(state);
    }
    // Assess
    expect(statuses).toEqual([
      'assigned',
      'awaiting_completion',
      'assigned',
      'assigned',
      'answered',
      'closed',
    ]);
    const events = [
      { type: 'completion_requested' as const, at: at('2026-03-05', '09:00:00') },
      { type: 'completed' as const, at: at('2026-03-20', '11:00:00') },
      { type: 'extended' as const, at: at('2026-04-08', '11:00:00'), until: '2026-04-20' },
    ];
    expect(state.clockEvents).toEqual(events);
    const clock = computeClock({ termClass: 'general', filed: FILED, entity: {}, events }, { trace: false });
    expect(clock.refusedEvents).toEqual([]);
    expect(state.dates).toMatchObject({
      dueDate: clock.due,
      legalDue: clock.legalDue,
      maxExtendedDue: clock.maxExtendedDue,
      extendedUntil: '2026-04-20',
    });
    // Resume reading: 2 days used before the request; 13 left from 2026-03-21 → 2026-04-13.
    expect(dues).toEqual(['2026-03-24', null, '2026-04-13', '2026-04-20', '2026-04-20', '2026-04-20']);
    expect(state.answer).toMatchObject({ outcome: 'granted', late: false });
    expect(state.closedAt).toBe(at('2026-04-20'));
  });
});

describe('decide: the "reclamo en trámite" legend (Ley 1581 art. 15 num. 2)', () => {
  const claim = () =>
    lifecycleOf({
      ...caseIn('assigned'),
      termClass: 'data_protection_claim',
      kind: 'claim',
      receivedAt: at('2026-03-02'),
    });

  it('records it once, late or not by legendBy, and only on a personal-data claim', () => {
    const state = claim();
    expect(state.dates.legendBy).toBe('2026-03-04');
    const onTime = ok(
      decide(state, { type: 'record_legend', reason: 'Cobro en disputa' }, officer, at('2026-03-04')),
    );
    expect(onTime.event).toMatchObject({
      type: 'legend_recorded',
      data: { legendBy: '2026-03-04', recordedOn: '2026-03-04', late: false, reason: 'Cobro en disputa' },
    });
    expect(onTime.next.legendAt).toBe(at('2026-03-04'));
    const twice = decide(
      onTime.next,
      { type: 'record_legend', reason: 'Otra vez' },
      officer,
      at('2026-03-05'),
    );
    expect(twice).toMatchObject({ ok: false, reason: 'invalid' });
    const late = ok(decide(state, { type: 'record_legend', reason: 'Tarde' }, officer, at('2026-03-05')));
    expect(late.event.data).toMatchObject({ late: true });
    const general = decide(
      caseIn('assigned'),
      { type: 'record_legend', reason: 'x' },
      officer,
      at('2026-03-05'),
    );
    expect(general).toMatchObject({ ok: false, reason: 'invalid' });
    if (!general.ok) expect(general.message.es).toContain('Ley 1581 de 2012, art. 15 num. 2');
  });
});
