/**
 * Consultations (consultationCreate.ts, consultationActions.ts, consultationRead.ts) on in-memory
 * ports: a communicator creates one of their entity in draft under the comment-period rule of
 * Decreto 1081/2015 art. 2.1.2.1.14 (≥ 15 calendar days, publication day not counted, unless a
 * reason is given), opens it (the rule checked again), the schedule closes it, the communicator
 * answers and publishes it; the public reads it and its results from the counters, breakdowns
 * with cells under k people hidden.
 */
import { describe, expect, it } from 'vitest';
import { groupDueConsultations } from '#app/commentGrouping.ts';
import { actOnConsultation, closeDueConsultations } from '#app/consultationActions.ts';
import { createConsultation } from '#app/consultationCreate.ts';
import {
  getOfficerConsultation,
  getPublicConsultation,
  getResults,
  listPublicConsultations,
} from '#app/consultationRead.ts';
import { consultationAt } from '#domain/participation/consultation.ts';
import { CONSULTATION_ID } from '#domain/participation/ids.ts';
import { comment, consultationInput, consume, created, deliver, opened } from './participationWorld.ts';
import {
  admin,
  communicator,
  DAY_MS,
  HOUR_MS,
  NOW,
  officer,
  onceBefore,
  otherAdmin,
  refusalOf,
  staff,
  supervisor,
  type World,
  world,
} from './world.ts';

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

/** A draft regulation published (opensAt) on 10 March 2026, Bogotá, closing as given. */
const regulation = (closesAt: string, extra: Record<string, unknown> = {}) => ({
  type: 'draft_regulation' as const,
  opensAt: '2026-03-10T08:00:00-05:00',
  closesAt,
  ...extra,
});

describe('createConsultation', () => {
  it('creates a draft of the communicator’s entity, its sections numbered s1, s2…', async () => {
    // Prepare
    const w = await world();

    // Act
    const c = await created(w);
    const byAdmin = await createConsultation(w, admin, consultationInput({ title: 'Otra' }));

    // Assess
    expect(c).toMatchObject({
      entityId: 'MINTIC',
      status: 'draft',
      createdAt: NOW,
      createdBy: communicator.subject,
      version: 1,
      sections: [
        { id: 's1', title: 'Pregunta 1' },
        { id: 's2', title: 'Pregunta 2' },
      ],
    });
    expect(c.id).toMatch(CONSULTATION_ID);
    expect(c.id.startsWith('MINTIC-C-')).toBe(true);
    expect(c.grouping).toBeUndefined();
    expect(await w.consultations.get(c.id)).toEqual(c);
    expect(byAdmin.createdBy).toBe(admin.subject);
  });

  it('refuses a role without the participation duty, another entity, an unknown entity; stores nothing', async () => {
    // Prepare
    const w = await world();
    const ofNowhere = staff(['communicator'], { entityId: 'NOPE' });

    // Act
    const asOfficer = await refusalOf(createConsultation(w, officer, consultationInput()));
    const asSupervisor = await refusalOf(createConsultation(w, supervisor, consultationInput()));
    const elsewhere = await refusalOf(
      createConsultation(w, communicator, consultationInput({ entityId: 'SUPERSALUD' })),
    );
    const unknown = await refusalOf(
      createConsultation(w, ofNowhere, consultationInput({ entityId: 'NOPE' })),
    );

    // Assess
    expect(asOfficer.code).toBe('forbidden');
    expect(asSupervisor.code).toBe('forbidden');
    expect(elsewhere).toMatchObject({ code: 'forbidden', issues: [{ field: 'entityId' }] });
    expect(unknown).toMatchObject({ code: 'invalid', issues: [{ field: 'entityId' }] });
    expect(w.consultations.all()).toEqual([]);
  });

  it('holds a draft regulation to 15 calendar days after its publication day, through 23:59 in Bogotá', async () => {
    // Prepare: published on 10 March; the 15th day after is 25 March.
    const w = await world();

    // Act
    const short = await refusalOf(
      createConsultation(w, communicator, consultationInput(regulation('2026-03-25T23:58:59-05:00'))),
    );
    const dayBefore = await refusalOf(
      createConsultation(w, communicator, consultationInput(regulation('2026-03-24T23:59:00-05:00'))),
    );
    const enough = await createConsultation(
      w,
      communicator,
      consultationInput(regulation('2026-03-25T23:59:00-05:00')),
    );

    // Assess
    for (const refused of [short, dayBefore]) {
      expect(refused).toMatchObject({ code: 'invalid', issues: [{ field: 'closesAt' }] });
    }
    expect(enough.status).toBe('draft');
    expect(w.consultations.all().map((c) => c.id)).toEqual([enough.id]);
  });

  it('counts the 15 days from now when opensAt has passed (publication cannot be earlier than today)', async () => {
    // Prepare: opensAt five days ago would allow closing on 13 March; published today (3 March), 18 March.
    const w = await world();
    const past = { type: 'draft_regulation' as const, opensAt: at(-5 * DAY_MS) };

    // Act
    const fromOpensAt = await refusalOf(
      createConsultation(
        w,
        communicator,
        consultationInput({ ...past, closesAt: '2026-03-17T23:59:00-05:00' }),
      ),
    );
    const fromToday = await createConsultation(
      w,
      communicator,
      consultationInput({ ...past, closesAt: '2026-03-18T23:59:00-05:00' }),
    );

    // Assess
    expect(fromOpensAt).toMatchObject({ code: 'invalid', issues: [{ field: 'closesAt' }] });
    expect(fromToday.closesAt).toBe('2026-03-18T23:59:00-05:00');
  });

  it('takes a shorter period with a stated reason, shown publicly; a question is not held to 15 days', async () => {
    // Prepare
    const w = await world();
    const reason = 'Urgencia manifiesta por la emergencia invernal.';

    // Act
    const urgent = await createConsultation(
      w,
      communicator,
      consultationInput(regulation('2026-03-13T23:59:00-05:00', { shortPeriodReason: reason })),
    );
    const question = await created(w, { closesAt: at(2 * DAY_MS) });
    await actOnConsultation(w, communicator, urgent.id, 'open');
    const shown = await getPublicConsultation(w, urgent.id);

    // Assess
    expect(question.status).toBe('draft');
    expect(shown).toMatchObject({ shortPeriodReason: reason, periodDays: 3, status: 'open' });
  });

  it('refuses a period that has already ended: a draft cannot be edited, so it could never open', async () => {
    const w = await world();
    const ended = await refusalOf(created(w, { opensAt: at(-3 * DAY_MS), closesAt: at(-DAY_MS) }));
    expect(ended).toMatchObject({ code: 'invalid', issues: [{ field: 'closesAt', code: 'too_late' }] });
  });
});

describe('actOnConsultation and the closing schedule', () => {
  it('walks draft → open → closed (by the schedule) → answered → published, each step stamped and versioned', async () => {
    // Prepare
    const w = await world();
    const c = await created(w);

    // Act
    const open = await actOnConsultation(w, communicator, c.id, 'open');
    w.clock.set(at(10 * DAY_MS + 1000));
    const closedIds = await closeDueConsultations(w);
    const closed = await w.consultations.get(c.id);
    const tallied = await groupDueConsultations(w);
    w.clock.advance(HOUR_MS);
    const answered = await actOnConsultation(w, communicator, c.id, 'answer');
    w.clock.advance(HOUR_MS);
    const published = await actOnConsultation(w, admin, c.id, 'publish');

    // Assess
    expect(open).toMatchObject({ status: 'open', openedAt: NOW, version: 2 });
    expect(closedIds).toEqual([c.id]);
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: at(10 * DAY_MS + 1000),
      grouping: { state: 'pending', epoch: 1 },
      version: 3,
    });
    expect(tallied).toEqual([c.id]);
    expect(answered).toMatchObject({
      status: 'answered',
      answeredAt: at(10 * DAY_MS + 1000 + HOUR_MS),
      grouping: { state: 'done', epoch: 1, comments: 0 },
      version: 5,
    });
    expect(published).toMatchObject({
      status: 'published',
      publishedAt: at(10 * DAY_MS + 1000 + 2 * HOUR_MS),
      version: 6,
    });
    expect(await w.consultations.get(c.id)).toEqual(published);
  });

  it('is closed the moment closesAt passes, in every read and action, before the schedule runs', async () => {
    // Prepare: open, then just past closesAt, the schedule not run yet.
    const w = await world();
    const c = await created(w);
    await actOnConsultation(w, communicator, c.id, 'open');
    const stored = (await w.consultations.get(c.id))!;
    w.clock.set(new Date(Date.parse(stored.closesAt) + 1000).toISOString());

    // Act: the public and the communicator read it; the communicator answers at once, then after
    // the schedule's run (close recorded, comments tallied).
    const seen = await getPublicConsultation(w, c.id);
    const listed = await listPublicConsultations(w, { limit: 10 });
    const officer = await getOfficerConsultation(w, communicator, c.id);
    const early = await refusalOf(actOnConsultation(w, communicator, c.id, 'answer'));
    await closeDueConsultations(w);
    await groupDueConsultations(w);
    const answered = await actOnConsultation(w, communicator, c.id, 'answer');

    // Assess: closed everywhere from closesAt; answering first is a 409 that says to wait.
    expect(seen).toMatchObject({ status: 'closed' });
    expect(listed.items.find((i) => i.id === c.id)).toMatchObject({ status: 'closed' });
    expect(officer).toMatchObject({ status: 'closed', closedAt: stored.closesAt });
    expect(early).toMatchObject({ code: 'conflict', problem: { retryAfterSeconds: 60 } });
    expect(early.detail.es).toContain('reintente en unos minutos');
    expect(answered).toMatchObject({ status: 'answered' });
  });

  it('is open until the instant closesAt, closed from it (consultationAt)', async () => {
    const w = await world();
    const c = await actOnConsultation(w, communicator, (await created(w)).id, 'open');
    const closesAt = Date.parse(c.closesAt);
    expect(consultationAt(c, new Date(closesAt - 1))).toBe(c);
    expect(consultationAt(c, new Date(closesAt))).toMatchObject({
      status: 'closed',
      closedAt: c.closesAt,
      grouping: { state: 'pending' },
      version: c.version,
    });
    const draft = await created(w);
    expect(consultationAt(draft, new Date(closesAt + 1))).toBe(draft);
  });

  it('refuses an action out of order (409 naming the action) and leaves the consultation as it was', async () => {
    // Prepare
    const w = await world();
    const draft = await created(w);
    const open = await opened(w);

    // Act
    const refusals = [
      await refusalOf(actOnConsultation(w, communicator, draft.id, 'answer')),
      await refusalOf(actOnConsultation(w, communicator, draft.id, 'publish')),
      await refusalOf(actOnConsultation(w, communicator, open.id, 'open')),
      await refusalOf(actOnConsultation(w, communicator, open.id, 'answer')),
      await refusalOf(actOnConsultation(w, communicator, open.id, 'publish')),
    ];

    // Assess
    for (const r of refusals) expect(r).toMatchObject({ code: 'conflict', issues: [{ field: 'action' }] });
    expect(await w.consultations.get(draft.id)).toEqual(draft);
    expect(await w.consultations.get(open.id)).toEqual(open);
  });

  it('refuses a role without the duty (403) and another entity’s consultation (404)', async () => {
    // Prepare
    const w = await world();
    const c = await created(w);

    // Act
    const asOfficer = await refusalOf(actOnConsultation(w, officer, c.id, 'open'));
    const asOtherEntity = await refusalOf(actOnConsultation(w, otherAdmin, c.id, 'open'));
    const unknown = await refusalOf(actOnConsultation(w, communicator, 'MINTIC-C-00000000', 'open'));

    // Assess
    expect(asOfficer.code).toBe('forbidden');
    expect(asOtherEntity.code).toBe('not_found');
    expect(unknown.code).toBe('not_found');
    expect((await w.consultations.get(c.id))?.status).toBe('draft');
  });

  it('checks the period again when opened: opening after opensAt shortens it; a passed closesAt cannot open', async () => {
    // Prepare: a draft regulation closing on the last day allowed if published today (3 March).
    const w = await world();
    const exact = await createConsultation(
      w,
      communicator,
      consultationInput({ type: 'draft_regulation', opensAt: NOW, closesAt: '2026-03-18T23:59:00-05:00' }),
    );
    const soon = await created(w, { closesAt: at(HOUR_MS) });
    w.clock.set('2026-03-04T14:00:00.000Z');

    // Act
    const late = await refusalOf(actOnConsultation(w, communicator, exact.id, 'open'));
    const passed = await refusalOf(actOnConsultation(w, communicator, soon.id, 'open'));

    // Assess
    expect(late).toMatchObject({ code: 'invalid', issues: [{ field: 'closesAt' }] });
    expect(passed).toMatchObject({ code: 'invalid', issues: [{ field: 'closesAt' }] });
    expect((await w.consultations.get(exact.id))?.status).toBe('draft');
    expect((await w.consultations.get(soon.id))?.status).toBe('draft');
  });

  it('refuses (409) when the consultation changed between its read and its save, and overwrites nothing', async () => {
    // Prepare: another communicator opens it meanwhile.
    const w = await world();
    const c = await created(w);
    const other = staff(['communicator'], { subject: 'communicator-2' });
    onceBefore(w.consultations, 'save', () => actOnConsultation(w, other, c.id, 'open'));

    // Act
    const refused = await refusalOf(actOnConsultation(w, communicator, c.id, 'open'));

    // Assess
    expect(refused).toMatchObject({ code: 'conflict', issues: [] });
    expect(await w.consultations.get(c.id)).toMatchObject({ status: 'open', version: 2 });
  });

  it('closes only open consultations whose closesAt has passed, soonest first, as many as the limit', async () => {
    // Prepare
    const w = await world();
    const first = await opened(w, { closesAt: at(DAY_MS) });
    const second = await opened(w, { closesAt: at(2 * DAY_MS) });
    const later = await opened(w, { closesAt: at(10 * DAY_MS) });
    const draft = await created(w, { closesAt: at(DAY_MS) });
    w.clock.set(at(2 * DAY_MS + 1));

    // Act
    const one = await closeDueConsultations(w, 1);
    const rest = await closeDueConsultations(w);
    const none = await closeDueConsultations(w);

    // Assess
    expect(one).toEqual([first.id]);
    expect(rest).toEqual([second.id]);
    expect(none).toEqual([]);
    expect((await w.consultations.get(later.id))?.status).toBe('open');
    expect((await w.consultations.get(draft.id))?.status).toBe('draft');
  });

  it('closes a consultation once when two schedule runs race; the loser skips it without failing', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    w.clock.set(at(DAY_MS + 1));
    let racer: string[] = [];
    onceBefore(w.consultations, 'save', async () => {
      racer = await closeDueConsultations(w);
    });

    // Act
    const loser = await closeDueConsultations(w);

    // Assess
    expect(racer).toEqual([c.id]);
    expect(loser).toEqual([]);
    expect(await w.consultations.get(c.id)).toMatchObject({
      status: 'closed',
      version: 3,
      grouping: { state: 'pending', epoch: 1 },
    });
  });
});

describe('reading consultations', () => {
  it('shows the communicator their entity’s consultation with its workflow dates; no one else', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);

    // Act
    const view = await getOfficerConsultation(w, communicator, c.id);
    const otherEntity = await refusalOf(getOfficerConsultation(w, otherAdmin, c.id));
    const asOfficer = await refusalOf(getOfficerConsultation(w, officer, c.id));

    // Assess
    expect(view).toMatchObject({
      id: c.id,
      status: 'open',
      createdAt: NOW,
      openedAt: NOW,
      closedAt: null,
      version: 2,
      // Opened today at 10:00, closing on the 13th at 10:00: that day is not a full day of comments.
      periodDays: 9,
    });
    expect(otherEntity.code).toBe('not_found');
    expect(asOfficer.code).toBe('forbidden');
  });

  it('shows the public a consultation once opened, never a draft nor who created it', async () => {
    // Prepare
    const w = await world();
    const draft = await created(w);
    const open = await opened(w);

    // Act
    const shown = await getPublicConsultation(w, open.id);
    const hidden = await refusalOf(getPublicConsultation(w, draft.id));
    const unknown = await refusalOf(getPublicConsultation(w, 'MINTIC-C-00000000'));

    // Assess
    expect(shown).toMatchObject({ id: open.id, status: 'open', documentUrl: null, publishedAt: null });
    expect(shown.sections).toHaveLength(2);
    expect(JSON.stringify(shown)).not.toContain(communicator.subject);
    expect(Object.keys(shown)).not.toContain('version');
    expect(hidden.code).toBe('not_found');
    expect(unknown.code).toBe('not_found');
  });

  it('lists the public consultations newest first in pages, with their number of sections, drafts left out', async () => {
    // Prepare
    const w = await world();
    const older = await opened(w, { opensAt: at(-2 * HOUR_MS) });
    const newer = await opened(w, { opensAt: at(-HOUR_MS / 2) });
    await created(w);

    // Act
    const first = await listPublicConsultations(w, { limit: 1 });
    const second = await listPublicConsultations(w, { limit: 1, cursor: first.cursor });

    // Assess
    expect([...first.items, ...second.items].map((c) => [c.id, c.sections])).toEqual([
      [newer.id, 2],
      [older.id, 2],
    ]);
    expect(second.cursor).toBeUndefined();
    expect((await refusalOf(listPublicConsultations(w, { limit: 1, cursor: 'not-a-cursor' }))).code).toBe(
      'bad_request',
    );
  });
});

describe('getResults', () => {
  /** Ten comments: seven from Bogotá (11), three from Antioquia (05); all 18–28 but one. */
  async function withTenComments(w: World) {
    const c = await opened(w);
    for (let i = 0; i < 7; i++) await comment(w, c.id, { department: '11', ageBand: '18_28' });
    for (let i = 0; i < 2; i++)
      await comment(w, c.id, { department: '05', ageBand: '18_28', stance: 'support' });
    await comment(w, c.id, { sectionId: 's2', stance: 'observation', text: 'De 6 a 22', department: '05' });
    await deliver(w);
    return c;
  }

  it('counts per section and stance from the counters, every comment pending until answered', async () => {
    // Prepare
    const w = await world();
    const c = await withTenComments(w);

    // Act
    const results = await getResults({ ...w, disclosureK: 5 }, c.id);

    // Assess
    expect(results.totals).toMatchObject({
      comments: 10,
      stances: { support: 2, oppose: 7, observation: 1 },
      dispositions: { accepted: 0, partially_accepted: 0, not_accepted: 0, pending: 10 },
      acceptedShare: 0,
    });
    expect(results.sections.map((s) => [s.id, s.comments, s.stances])).toEqual([
      ['s1', 9, { support: 2, oppose: 7, observation: 0 }],
      ['s2', 1, { support: 0, oppose: 0, observation: 1 }],
    ]);
  });

  it('shows only what the stream has counted: comments not yet counted are not in the results', async () => {
    // Prepare: written by the consumer, not yet passed by the pipe.
    const w = await world();
    const c = await opened(w);
    await comment(w, c.id);
    await comment(w, c.id);
    await consume(w);

    // Act
    const results = await getResults({ ...w, disclosureK: 5 }, c.id);

    // Assess
    expect(w.comments.all(c.id)).toHaveLength(2);
    expect(results.totals.comments).toBe(0);
  });

  it('hides breakdown cells under k people, and a second cell when one alone would be hidden', async () => {
    // Prepare
    const w = await world();
    const c = await withTenComments(w);
    const cell = (cells: { value: string; count: number | null }[], value: string) =>
      cells.find((x) => x.value === value);

    // Act
    const k5 = await getResults({ ...w, disclosureK: 5 }, c.id);
    const k3 = await getResults({ ...w, disclosureK: 3 }, c.id);

    // Assess: Antioquia's 3 under 5 hidden, so Bogotá's 7 too (the total would give it away).
    expect(k5.breakdowns.k).toBe(5);
    expect(cell(k5.breakdowns.department, '05')).toEqual({
      value: '05',
      name: 'Antioquia',
      count: null,
      suppressed: true,
    });
    expect(cell(k5.breakdowns.department, '11')).toEqual({
      value: '11',
      name: 'Bogotá, D.C.',
      count: null,
      suppressed: true,
    });
    expect(cell(k5.breakdowns.department, 'not_given')).toEqual({
      value: 'not_given',
      count: 0,
      suppressed: false,
    });
    expect(cell(k3.breakdowns.department, '05')).toEqual({
      value: '05',
      name: 'Antioquia',
      count: 3,
      suppressed: false,
    });
    expect(cell(k3.breakdowns.department, '11')).toEqual({
      value: '11',
      name: 'Bogotá, D.C.',
      count: 7,
      suppressed: false,
    });
    // One commenter gave no age band: hidden, and so the 18–28 cell, whatever k.
    expect(cell(k3.breakdowns.ageBand, '18_28')).toMatchObject({ count: null, suppressed: true });
  });

  it('is not found for a draft or an unknown consultation', async () => {
    // Prepare
    const w = await world();
    const draft = await created(w);

    // Act
    const refusals = [
      await refusalOf(getResults({ ...w, disclosureK: 5 }, draft.id)),
      await refusalOf(getResults({ ...w, disclosureK: 5 }, 'MINTIC-C-00000000')),
    ];

    // Assess
    expect(refusals.map((r) => r.code)).toEqual(['not_found', 'not_found']);
  });
});
