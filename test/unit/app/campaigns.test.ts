/**
 * Campaign groups and what communicators read to answer comments (commentGrouping.ts,
 * commentList.ts) on in-memory ports: groups tallied by the schedule once the period closes,
 * pending again when a comment accepted in time arrives late, never saved from a tally a late
 * comment overtook (the epoch); comments listed with their group's size, groups with their
 * earliest comment, a page at a time.
 */
import { describe, expect, it } from 'vitest';
import { disposeComments } from '#app/commentDispose.ts';
import { groupConsultation, groupDueConsultations, regroupIfClosed } from '#app/commentGrouping.ts';
import { ingestComments } from '#app/commentIngest.ts';
import { listCommentsForOfficer, listGroupsForOfficer } from '#app/commentList.ts';
import { submitComment } from '#app/commentSubmit.ts';
import { actOnConsultation } from '#app/consultationActions.ts';
import { groupKey } from '#domain/participation/comment.ts';
import type { Consultation } from '#domain/participation/consultation.ts';
import {
  CAMPAIGN,
  closeNow,
  comment,
  created,
  deliver,
  message,
  opened,
  submitDeps,
} from './participationWorld.ts';
import {
  communicator,
  DAY_MS,
  NOW,
  officer,
  onceBefore,
  otherAdmin,
  refusalOf,
  type World,
  world,
} from './world.ts';

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const CAMPAIGN_KEY = groupKey('s1', 'oppose', CAMPAIGN);

/**
 * An open consultation closing in a day with five comments a minute apart: three of one campaign
 * (case, accents, punctuation and numbers aside), the same words supporting, one on s2.
 */
async function withCampaign(w: World) {
  const c = await opened(w, { closesAt: at(DAY_MS) });
  const texts = [
    { text: CAMPAIGN },
    { text: 'no al cobro de las zonas WIFI rurales' },
    { text: 'No al cobro de las zonas wifi rurales 2' },
    { text: CAMPAIGN, stance: 'support' as const },
    { text: 'Prefiero de 6 a 22 horas', sectionId: 's2', stance: 'observation' as const },
  ];
  const refs: string[] = [];
  for (const t of texts) {
    refs.push((await comment(w, c.id, t)).reference);
    w.clock.advance(60_000);
  }
  await deliver(w);
  return { c, refs };
}

/** Closed by the schedule and its groups tallied. */
async function grouped(w: World) {
  const made = await withCampaign(w);
  await closeNow(w, made.c);
  await groupDueConsultations(w);
  return made;
}

const late = (c: Pick<Consultation, 'id' | 'closesAt'>) =>
  message(c.id, { acceptedAt: new Date(Date.parse(c.closesAt) - 1000).toISOString() });

describe('groupConsultation and the schedule', () => {
  it('tallies at the close the groups of two or more, with their earliest comment, and saves how many', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await withCampaign(w);
    await closeNow(w, c);
    const tallyAt = w.clock.now().toISOString();

    // Act
    const ids = await groupDueConsultations(w);
    const again = await groupDueConsultations(w);

    // Assess
    expect(ids).toEqual([c.id]);
    expect(again).toEqual([]);
    expect((await w.groups.list(c.id, { limit: 10, minSize: 2 })).items).toEqual([
      { key: CAMPAIGN_KEY, sectionId: 's1', stance: 'oppose', size: 3, exemplar: refs[0] },
    ]);
    expect((await w.consultations.get(c.id))?.grouping).toEqual({
      state: 'done',
      epoch: 1,
      comments: 5,
      groups: 1,
      at: tallyAt,
    });
    expect(await w.consultations.listGroupingDue(10)).toEqual([]);
  });

  it('leaves alone a consultation whose grouping is not pending: open, done, or unknown', async () => {
    // Prepare
    const w = await world();
    const open = await opened(w);
    const { c: done } = await grouped(w);
    const before = await w.consultations.get(done.id);

    // Act
    const outcomes = [
      await groupConsultation(w, open.id),
      await groupConsultation(w, done.id),
      await groupConsultation(w, 'MINTIC-C-00000000'),
    ];

    // Assess
    expect(outcomes).toEqual([undefined, undefined, undefined]);
    expect(await w.consultations.get(done.id)).toEqual(before);
    expect((await w.consultations.get(open.id))?.grouping).toBeUndefined();
  });

  it('tallies the pending groupings oldest close first, as many as the limit', async () => {
    // Prepare
    const w = await world();
    const first = await opened(w, { closesAt: at(DAY_MS) });
    const second = await opened(w, { closesAt: at(2 * DAY_MS) });
    await closeNow(w, first);
    await closeNow(w, second);

    // Act
    const one = await groupDueConsultations(w, 1);
    const rest = await groupDueConsultations(w);

    // Assess
    expect(one).toEqual([first.id]);
    expect(rest).toEqual([second.id]);
    expect((await w.consultations.get(first.id))?.grouping).toMatchObject({
      state: 'done',
      comments: 0,
      groups: 0,
    });
  });

  it('tallies again after a comment arrives late, the last figures shown meanwhile', async () => {
    // Prepare
    const w = await world();
    const { c } = await grouped(w);
    await ingestComments(w, [late(c)]);
    const pending = (await w.consultations.get(c.id))?.grouping;
    const shownMeanwhile = (await w.groups.list(c.id, { limit: 10, minSize: 2 })).items.map((g) => g.size);

    // Act
    const ids = await groupDueConsultations(w);

    // Assess
    expect(pending).toMatchObject({ state: 'pending', epoch: 2, comments: 5, groups: 1 });
    expect(shownMeanwhile).toEqual([3]);
    expect(ids).toEqual([c.id]);
    expect((await w.groups.list(c.id, { limit: 10, minSize: 2 })).items.map((g) => g.size)).toEqual([4]);
    expect((await w.consultations.get(c.id))?.grouping).toMatchObject({
      state: 'done',
      epoch: 2,
      comments: 6,
    });
  });

  it('never saves a tally that a late comment overtook; the next run counts it', async () => {
    // Prepare: the late comment is written after the tally read the comments, before it saves.
    const w = await world();
    const { c } = await withCampaign(w);
    await closeNow(w, c);
    onceBefore(w.groups, 'put', () => ingestComments(w, [late(c)]));

    // Act
    const overtaken = await groupConsultation(w, c.id);
    const afterOvertaken = (await w.consultations.get(c.id))?.grouping;
    const next = await groupDueConsultations(w);

    // Assess
    expect(overtaken).toBeUndefined();
    expect(afterOvertaken).toEqual({ state: 'pending', epoch: 2 });
    expect(next).toEqual([c.id]);
    expect((await w.consultations.get(c.id))?.grouping).toMatchObject({
      state: 'done',
      epoch: 2,
      comments: 6,
    });
    expect((await w.groups.get(c.id, [CAMPAIGN_KEY])).get(CAMPAIGN_KEY)?.size).toBe(4);
  });

  it('keeps the newer sizes when an overtaken tally stores its groups after the newer one finished', async () => {
    // Prepare: while tally A is about to store its groups, a late comment arrives and tally B
    // (the next tick) runs to the end.
    const w = await world();
    const { c } = await withCampaign(w);
    await closeNow(w, c);
    let newer: number | undefined;
    onceBefore(w.groups, 'put', async () => {
      await ingestComments(w, [late(c)]);
      newer = await groupConsultation(w, c.id);
    });

    // Act
    const overtaken = await groupConsultation(w, c.id);

    // Assess
    expect(newer).toBe(1);
    expect(overtaken).toBeUndefined();
    expect((await w.consultations.get(c.id))?.grouping).toMatchObject({
      state: 'done',
      epoch: 2,
      comments: 6,
    });
    expect((await w.groups.get(c.id, [CAMPAIGN_KEY])).get(CAMPAIGN_KEY)?.size).toBe(4);
  });

  it('saves its tally over another change of the same epoch, keeping that change', async () => {
    // Prepare: the consultation is saved again (same epoch) while the tally runs.
    const w = await world();
    const { c } = await withCampaign(w);
    await closeNow(w, c);
    onceBefore(w.groups, 'put', async () => {
      const now = (await w.consultations.get(c.id))!;
      expect(
        await w.consultations.save({
          ...now,
          title: 'Zonas wifi rurales (revisada)',
          version: now.version + 1,
        }),
      ).toBe(true);
    });

    // Act
    const groups = await groupConsultation(w, c.id);

    // Assess
    expect(groups).toBe(1);
    expect(await w.consultations.get(c.id)).toMatchObject({
      title: 'Zonas wifi rurales (revisada)',
      grouping: { state: 'done', epoch: 1, comments: 5 },
    });
  });

  it('lets the communicator answer only once the comments are tallied, and again after a late one is', async () => {
    // Prepare: every comment disposed before the tally.
    const w = await world();
    const { c, refs } = await withCampaign(w);
    await closeNow(w, c);
    const dispose = (references: string[]) =>
      disposeComments(
        w,
        communicator,
        c.id,
        references.map((reference) => ({
          reference,
          value: 'not_accepted' as const,
          reasons: 'No procede.',
        })),
      );
    await dispose(refs);

    // Act
    const beforeTally = await refusalOf(actOnConsultation(w, communicator, c.id, 'answer'));
    await groupDueConsultations(w);
    const lateMessage = late(c);
    await ingestComments(w, [lateMessage]);
    const afterLate = await refusalOf(actOnConsultation(w, communicator, c.id, 'answer'));
    await groupDueConsultations(w);
    const undisposed = await refusalOf(actOnConsultation(w, communicator, c.id, 'answer'));
    await dispose([lateMessage.reference]);
    const answered = await actOnConsultation(w, communicator, c.id, 'answer');

    // Assess
    expect(beforeTally).toMatchObject({ code: 'conflict', issues: [{ field: 'action' }] });
    expect(afterLate.code).toBe('conflict');
    expect(undisposed.issues[0]?.message.en).toContain('1 comment(s) still have no disposition');
    expect(answered).toMatchObject({
      status: 'answered',
      grouping: { state: 'done', epoch: 2, comments: 6 },
    });
  });

  it('gives up saving after five lost races, leaving the grouping pending for the next tick', async () => {
    // Prepare
    const w = await world();
    const { c } = await withCampaign(w);
    await closeNow(w, c);
    let saves = 0;
    w.consultations.save = async () => {
      saves++;
      return false;
    };

    // Act
    const outcome = await groupConsultation(w, c.id);

    // Assess
    expect(outcome).toBeUndefined();
    expect(saves).toBe(5);
    expect((await w.consultations.get(c.id))?.grouping).toEqual({ state: 'pending', epoch: 1 });
  });
});

describe('regroupIfClosed', () => {
  it('leaves an open, a draft or an unknown consultation alone', async () => {
    // Prepare
    const w = await world();
    const open = await opened(w);
    const draft = await created(w);

    // Act
    const outcomes = [
      await regroupIfClosed(w, open.id),
      await regroupIfClosed(w, draft.id),
      await regroupIfClosed(w, 'MINTIC-C-00000000'),
    ];

    // Assess
    expect(outcomes).toEqual([false, false, false]);
    expect(await w.consultations.get(open.id)).toEqual(open);
    expect(await w.consultations.get(draft.id)).toEqual(draft);
  });
});

describe('listCommentsForOfficer', () => {
  it('lists the comments with their group size: unknown while open, the group’s or 1 once tallied', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await withCampaign(w);
    const ana = { issuer: 'https://id.gov.co', subject: 'ana' };
    const identified = await submitComment(submitDeps(w), {
      consultationId: c.id,
      input: { sectionId: 's2', stance: 'support', text: 'Sí' },
      identity: { citizen: ana },
    });
    await deliver(w);

    // Act
    const whileOpen = await listCommentsForOfficer(w, communicator, c.id, { limit: 50 });
    await closeNow(w, c);
    await groupDueConsultations(w);
    const tallied = await listCommentsForOfficer(w, communicator, c.id, { limit: 50 });

    // Assess
    expect(whileOpen.items).toHaveLength(6);
    expect(whileOpen.items.every((x) => x.groupSize === null)).toBe(true);
    const size = (items: typeof tallied.items, ref: string) =>
      items.find((x) => x.reference === ref)?.groupSize;
    expect(refs.map((r) => size(tallied.items, r))).toEqual([3, 3, 3, 1, 1]);
    expect(tallied.items.find((x) => x.reference === refs[0])).toEqual({
      reference: refs[0],
      sectionId: 's1',
      stance: 'oppose',
      text: CAMPAIGN,
      acceptedAt: NOW,
      identified: false,
      group: CAMPAIGN_KEY,
      groupSize: 3,
      disposition: null,
    });
    expect(tallied.items.find((x) => x.reference === identified.reference)?.identified).toBe(true);
    expect(tallied.cursor).toBeUndefined();
  });

  it('lists one group’s members a page at a time, with cursors of that listing only', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await grouped(w);

    // Act
    const first = await listCommentsForOfficer(w, communicator, c.id, { group: CAMPAIGN_KEY, limit: 2 });
    const second = await listCommentsForOfficer(w, communicator, c.id, {
      group: CAMPAIGN_KEY,
      limit: 2,
      cursor: first.cursor,
    });

    // Assess
    expect([...first.items, ...second.items].map((x) => x.reference).sort()).toEqual(refs.slice(0, 3).sort());
    expect(second.cursor).toBeUndefined();
    expect(
      (await refusalOf(listCommentsForOfficer(w, communicator, c.id, { limit: 2, cursor: first.cursor })))
        .code,
    ).toBe('bad_request');
  });

  it('shows each comment’s disposition, and whether it was given to its group', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await grouped(w);
    w.clock.advance(60_000);
    await disposeComments(w, communicator, c.id, [
      { group: CAMPAIGN_KEY, value: 'partially_accepted', reasons: 'Se revisará la tarifa.' },
      { reference: refs[4]!, value: 'accepted', reasons: 'Se amplía el horario.' },
    ]);

    // Act
    const listed = await listCommentsForOfficer(w, communicator, c.id, { limit: 50 });

    // Assess
    const of = (ref: string) => listed.items.find((x) => x.reference === ref)?.disposition;
    expect(of(refs[0]!)).toEqual({
      value: 'partially_accepted',
      reasons: 'Se revisará la tarifa.',
      at: w.clock.now().toISOString(),
      viaGroup: CAMPAIGN_KEY,
    });
    expect(of(refs[4]!)).toMatchObject({ value: 'accepted', viaGroup: null });
    expect(of(refs[3]!)).toBeNull();
  });
});

describe('listGroupsForOfficer', () => {
  it('says the groups come after the close while comments are taken, then lists them with their exemplar', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await withCampaign(w);

    // Act
    const whileOpen = await listGroupsForOfficer(w, communicator, c.id, { minSize: 2, limit: 10 });
    await closeNow(w, c);
    const pending = await listGroupsForOfficer(w, communicator, c.id, { minSize: 2, limit: 10 });
    await groupDueConsultations(w);
    const done = await listGroupsForOfficer(w, communicator, c.id, { minSize: 2, limit: 10 });
    const bigger = await listGroupsForOfficer(w, communicator, c.id, { minSize: 4, limit: 10 });

    // Assess
    expect(whileOpen).toEqual({
      grouping: { state: 'after_close', computedAt: null, comments: null, groups: null },
      items: [],
    });
    expect(pending.grouping).toEqual({ state: 'pending', computedAt: null, comments: null, groups: null });
    expect(done).toEqual({
      grouping: { state: 'done', computedAt: w.clock.now().toISOString(), comments: 5, groups: 1 },
      items: [
        {
          group: CAMPAIGN_KEY,
          sectionId: 's1',
          stance: 'oppose',
          size: 3,
          exemplar: { reference: refs[0], text: CAMPAIGN },
        },
      ],
    });
    expect(bigger.items).toEqual([]);
  });

  it('pages the groups with cursors of that consultation only', async () => {
    // Prepare: three campaigns of two.
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    const other = await opened(w);
    for (const text of ['Uno', 'Dos', 'Tres']) {
      await comment(w, c.id, { text });
      await comment(w, c.id, { text });
    }
    await deliver(w);
    await closeNow(w, c);
    await groupDueConsultations(w);

    // Act
    const first = await listGroupsForOfficer(w, communicator, c.id, { minSize: 2, limit: 2 });
    const second = await listGroupsForOfficer(w, communicator, c.id, {
      minSize: 2,
      limit: 2,
      cursor: first.cursor,
    });

    // Assess
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.cursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((g) => g.exemplar.text))).toEqual(
      new Set(['Uno', 'Dos', 'Tres']),
    );
    expect(
      (
        await refusalOf(
          listGroupsForOfficer(w, communicator, other.id, { minSize: 2, limit: 2, cursor: first.cursor }),
        )
      ).code,
    ).toBe('bad_request');
  });

  it('refuses a role without the duty (403) and another entity’s consultation (404), both listings', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);

    // Act
    const refusals = [
      await refusalOf(listCommentsForOfficer(w, officer, c.id, { limit: 10 })),
      await refusalOf(listGroupsForOfficer(w, officer, c.id, { minSize: 2, limit: 10 })),
      await refusalOf(listCommentsForOfficer(w, otherAdmin, c.id, { limit: 10 })),
      await refusalOf(listGroupsForOfficer(w, otherAdmin, c.id, { minSize: 2, limit: 10 })),
    ];

    // Assess
    expect(refusals.map((r) => r.code)).toEqual(['forbidden', 'forbidden', 'not_found', 'not_found']);
  });
});
