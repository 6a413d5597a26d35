/**
 * Dispositions (commentDispose.ts) and answering a consultation (consultationActions.ts) on
 * in-memory ports: one per comment or per campaign group, while the consultation is closed or
 * answered; a group in slices of 2,000 with `remaining`; each comment written on the condition of
 * its version, with the counters, so that a disposition given meanwhile is read again and retried;
 * the consultation answered only when every counted comment has one.
 */
import { describe, expect, it } from 'vitest';
import { disposeComments, GROUP_SLICE } from '#app/commentDispose.ts';
import { groupDueConsultations } from '#app/commentGrouping.ts';
import { ingestComments } from '#app/commentIngest.ts';
import { actOnConsultation } from '#app/consultationActions.ts';
import { getResults } from '#app/consultationRead.ts';
import { groupKey } from '#domain/participation/comment.ts';
import { disposeCommentsRoute } from '#http/routes/participation.ts';
import { StaleCommentError } from '#ports/participation.ts';
import { InMemoryCommentStore } from '#test/support/fakes/index.ts';
import { CAMPAIGN, closeNow, comment, deliver, message, opened, pipe } from './participationWorld.ts';
import {
  communicator,
  DAY_MS,
  NOW,
  officer,
  onceBefore,
  otherAdmin,
  refusalOf,
  staff,
  type World,
  world,
} from './world.ts';

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const CAMPAIGN_KEY = groupKey('s1', 'oppose', CAMPAIGN);
const otherCommunicator = staff(['communicator'], { subject: 'communicator-2' });

/** A closed consultation with three comments of one campaign and two others, counted and tallied. */
async function closedWithComments(w: World) {
  const c = await opened(w, { closesAt: at(DAY_MS) });
  const refs: string[] = [];
  for (const input of [{}, {}, {}, { stance: 'support' as const }, { sectionId: 's2', text: 'Otra' }]) {
    refs.push((await comment(w, c.id, input)).reference);
  }
  await deliver(w);
  await closeNow(w, c);
  await groupDueConsultations(w);
  return { c, refs, campaign: refs.slice(0, 3) };
}

const accept = (reference: string) => ({ reference, value: 'accepted' as const, reasons: 'Se incorpora.' });

describe('disposeComments', () => {
  it('gives one comment its disposition, stamped with who and when, and moves the counters', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    w.clock.advance(60_000);

    // Act
    const result = await disposeComments(w, communicator, c.id, [accept(refs[4]!)]);

    // Assess
    expect(result).toEqual({ updated: 1, items: [{ reference: refs[4], comments: 1, remaining: false }] });
    expect((await w.comments.get(c.id, [refs[4]!]))[0]).toMatchObject({
      version: 2,
      disposition: {
        value: 'accepted',
        reasons: 'Se incorpora.',
        at: w.clock.now().toISOString(),
        by: communicator.subject,
      },
    });
    expect((await w.comments.get(c.id, [refs[4]!]))[0]?.disposition).not.toHaveProperty('viaGroup');
    const results = await getResults({ ...w, disclosureK: 5 }, c.id);
    expect(results.totals.dispositions).toEqual({
      accepted: 1,
      partially_accepted: 0,
      not_accepted: 0,
      pending: 4,
    });
    expect(results.totals.acceptedShare).toBe(0.2);
  });

  it('answers a whole campaign group at once, each member marked as answered through it', async () => {
    // Prepare
    const w = await world();
    const { c, campaign } = await closedWithComments(w);

    // Act
    const result = await disposeComments(w, communicator, c.id, [
      { group: CAMPAIGN_KEY, value: 'not_accepted', reasons: 'La tarifa es legal.' },
    ]);

    // Assess
    expect(result).toEqual({ updated: 3, items: [{ group: CAMPAIGN_KEY, comments: 3, remaining: false }] });
    const members = await w.comments.get(c.id, campaign);
    expect(members.map((m) => [m.disposition?.value, m.disposition?.viaGroup])).toEqual([
      ['not_accepted', CAMPAIGN_KEY],
      ['not_accepted', CAMPAIGN_KEY],
      ['not_accepted', CAMPAIGN_KEY],
    ]);
    expect(await w.counters.totals(c.id)).toMatchObject({ 'd:s1:oppose:not_accepted': 3 });
  });

  it('changes nothing for the same disposition again; another one moves the counters from the old to the new', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    await disposeComments(w, communicator, c.id, [accept(refs[0]!)]);

    // Act
    const same = await disposeComments(w, communicator, c.id, [accept(refs[0]!)]);
    const changed = await disposeComments(w, communicator, c.id, [
      { reference: refs[0]!, value: 'partially_accepted', reasons: 'En parte.' },
    ]);

    // Assess
    expect(same.updated).toBe(0);
    expect(changed.updated).toBe(1);
    expect((await w.comments.get(c.id, [refs[0]!]))[0]?.version).toBe(3);
    const totals = await w.counters.totals(c.id);
    expect(totals['d:s1:oppose:accepted']).toBe(0);
    expect(totals['d:s1:oppose:partially_accepted']).toBe(1);
  });

  it('answers a group larger than 2,000 in slices: `remaining` until the last request', async () => {
    // Prepare: 2,001 comments of one campaign.
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    await ingestComments(
      w,
      Array.from({ length: GROUP_SLICE + 1 }, () => message(c.id)),
    );
    await pipe(w);
    await closeNow(w, c);
    const item = { group: CAMPAIGN_KEY, value: 'not_accepted' as const, reasons: 'La tarifa es legal.' };

    // Act
    const first = await disposeComments(w, communicator, c.id, [item]);
    const second = await disposeComments(w, communicator, c.id, [item]);
    const third = await disposeComments(w, communicator, c.id, [item]);

    // Assess
    expect(first).toEqual({
      updated: 2000,
      items: [{ group: CAMPAIGN_KEY, comments: 2000, remaining: true }],
    });
    expect(second).toEqual({ updated: 1, items: [{ group: CAMPAIGN_KEY, comments: 1, remaining: false }] });
    expect(third).toEqual({ updated: 0, items: [{ group: CAMPAIGN_KEY, comments: 0, remaining: false }] });
    expect((await w.counters.totals(c.id))['d:s1:oppose:not_accepted']).toBe(2001);
  });

  it('refuses while the consultation takes comments and once its report is published (409)', async () => {
    // Prepare
    const w = await world();
    const open = await opened(w);
    await comment(w, open.id);
    await deliver(w);
    const [openRef] = w.comments.all(open.id).map((x) => x.reference);
    const { c, refs } = await closedWithComments(w);
    await disposeComments(w, communicator, c.id, refs.map(accept));
    await actOnConsultation(w, communicator, c.id, 'answer');
    await actOnConsultation(w, communicator, c.id, 'publish');

    // Act
    const whileOpen = await refusalOf(disposeComments(w, communicator, open.id, [accept(openRef!)]));
    const published = await refusalOf(
      disposeComments(w, communicator, c.id, [{ ...accept(refs[0]!), value: 'not_accepted' }]),
    );

    // Assess
    expect(whileOpen.code).toBe('conflict');
    expect(published.code).toBe('conflict');
    expect(w.comments.all(open.id)[0]?.disposition).toBeUndefined();
    expect((await w.comments.get(c.id, [refs[0]!]))[0]?.disposition?.value).toBe('accepted');
  });

  it('refuses an unknown reference or group (404 naming the item), and writes none of the request', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);

    // Act
    const noComment = await refusalOf(
      disposeComments(w, communicator, c.id, [accept(refs[0]!), accept('0000-0000-0000-0000')]),
    );
    const noGroup = await refusalOf(
      disposeComments(w, communicator, c.id, [
        { group: 'f'.repeat(16), value: 'accepted', reasons: 'x' },
        accept(refs[1]!),
      ]),
    );

    // Assess
    expect(noComment).toMatchObject({ code: 'not_found', issues: [{ field: 'items.1.reference' }] });
    expect(noGroup).toMatchObject({ code: 'not_found', issues: [{ field: 'items.0.group' }] });
    expect(w.comments.all(c.id).every((x) => x.disposition === undefined)).toBe(true);
  });

  it('refuses a role without the duty (403) and another entity’s consultation (404)', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);

    // Act
    const asOfficer = await refusalOf(disposeComments(w, officer, c.id, [accept(refs[0]!)]));
    const asOtherEntity = await refusalOf(disposeComments(w, otherAdmin, c.id, [accept(refs[0]!)]));

    // Assess
    expect(asOfficer.code).toBe('forbidden');
    expect(asOtherEntity.code).toBe('not_found');
    expect(w.comments.all(c.id).every((x) => x.disposition === undefined)).toBe(true);
  });

  it('reads again and retries when another disposition of the same comment won meanwhile: the last one stands', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    onceBefore(w.comments, 'applyDispositions', () =>
      disposeComments(w, otherCommunicator, c.id, [{ ...accept(refs[0]!), value: 'not_accepted' }]),
    );

    // Act
    const result = await disposeComments(w, communicator, c.id, [accept(refs[0]!)]);

    // Assess
    expect(result.updated).toBe(1);
    expect((await w.comments.get(c.id, [refs[0]!]))[0]).toMatchObject({
      version: 3,
      disposition: { value: 'accepted', by: communicator.subject },
    });
    const totals = await w.counters.totals(c.id);
    expect([totals['d:s1:oppose:accepted'], totals['d:s1:oppose:not_accepted']]).toEqual([1, 0]);
  });

  it('goes on after a stale chunk: the chunks written stay, the retry writes the rest, the counters stay exact', async () => {
    // Prepare: transactions of two comments; the group's fourth member changes after being read.
    const w = await world();
    w.comments = new InMemoryCommentStore(w.consultations, w.counters, { chunk: 2 });
    const c = await opened(w, { closesAt: at(DAY_MS) });
    const five = Array.from({ length: 5 }, () => message(c.id));
    await ingestComments(w, five);
    await pipe(w);
    await closeNow(w, c);
    const fourth = five.map((m) => m.reference).sort()[3]!;
    let writes = 0;
    const apply = w.comments.applyDispositions.bind(w.comments);
    w.comments.applyDispositions = async (consultation, changes) => {
      writes++;
      if (writes === 1) {
        await apply(consultation, [
          {
            comment: (await w.comments.get(c.id, [fourth]))[0]!,
            disposition: { value: 'not_accepted', reasons: 'No.', at: NOW, by: otherCommunicator.subject },
          },
        ]);
      }
      return apply(consultation, changes);
    };

    // Act
    const result = await disposeComments(w, communicator, c.id, [
      { group: CAMPAIGN_KEY, value: 'accepted', reasons: 'Sí.' },
    ]);

    // Assess
    expect(writes).toBe(2);
    expect(result).toEqual({ updated: 3, items: [{ group: CAMPAIGN_KEY, comments: 3, remaining: false }] });
    expect(w.comments.all(c.id).map((x) => x.disposition?.value)).toEqual(Array(5).fill('accepted'));
    const totals = await w.counters.totals(c.id);
    expect([totals['d:s1:oppose:accepted'], totals['d:s1:oppose:not_accepted']]).toEqual([5, 0]);
  });

  it('gives up with a 409 after four stale attempts', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    let attempts = 0;
    w.comments.applyDispositions = async () => {
      attempts++;
      throw new StaleCommentError('a comment changed since it was read');
    };

    // Act
    const refused = await refusalOf(disposeComments(w, communicator, c.id, [accept(refs[0]!)]));

    // Assess
    expect(refused.code).toBe('conflict');
    expect(attempts).toBe(4);
  });

  it('refuses (409) when the report is published while the disposition is being written', async () => {
    // Prepare: every comment answered; a communicator changes one as another publishes.
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    await disposeComments(w, communicator, c.id, refs.map(accept));
    await actOnConsultation(w, communicator, c.id, 'answer');
    onceBefore(w.comments, 'applyDispositions', () =>
      actOnConsultation(w, otherCommunicator, c.id, 'publish'),
    );

    // Act
    const refused = await refusalOf(
      disposeComments(w, communicator, c.id, [{ ...accept(refs[0]!), value: 'not_accepted' }]),
    );

    // Assess
    expect(refused.code).toBe('conflict');
    expect((await w.comments.get(c.id, [refs[0]!]))[0]?.disposition?.value).toBe('accepted');
    expect((await w.consultations.get(c.id))?.status).toBe('published');
  });
});

describe('answering a consultation', () => {
  it('is refused while a counted comment has no disposition (409), and done once each has one', async () => {
    // Prepare
    const w = await world();
    const { c, refs } = await closedWithComments(w);
    await disposeComments(w, communicator, c.id, refs.slice(0, 4).map(accept));

    // Act
    const early = await refusalOf(actOnConsultation(w, communicator, c.id, 'answer'));
    await disposeComments(w, communicator, c.id, [accept(refs[4]!)]);
    const answered = await actOnConsultation(w, communicator, c.id, 'answer');
    const changedAfter = await disposeComments(w, communicator, c.id, [
      { reference: refs[4]!, value: 'not_accepted', reasons: 'Revisado.' },
    ]);

    // Assess
    expect(early).toMatchObject({ code: 'conflict', issues: [{ field: 'action' }] });
    expect(answered.status).toBe('answered');
    expect(changedAfter.updated).toBe(1);
    expect((await getResults({ ...w, disclosureK: 5 }, c.id)).totals.dispositions).toEqual({
      accepted: 4,
      partially_accepted: 0,
      not_accepted: 1,
      pending: 0,
    });
  });
});

describe('a disposition names its comment or its group', () => {
  const body = disposeCommentsRoute.body!;
  const item = { disposition: 'accepted', reasons: 'Se acoge.' };
  const issuesOf = (items: unknown[]) => {
    const parsed = body.safeParse({ items });
    return parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('is missing with neither, contradictory with both', () => {
    expect(issuesOf([{ ...item, reference: '7K2M-9Q4X-0B3D-R8TW' }])).toEqual([]);
    const neither = issuesOf([item]);
    const both = issuesOf([{ ...item, reference: '7K2M-9Q4X-0B3D-R8TW', group: 'a'.repeat(16) }]);
    expect(neither).toHaveLength(1);
    expect(both).toHaveLength(1);
    expect(neither[0]?.message).not.toBe(both[0]?.message);
    expect(both[0]?.path).toBe('items.0.reference');
  });
});
