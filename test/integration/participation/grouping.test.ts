/**
 * Campaign groups are tallied after the close (grouping.ts): nothing while comments are taken,
 * computed by the Publish schedule, made pending again by a comment that arrives late (accepted
 * in time, delayed on the queue), and never saved from a tally that a late comment overtook.
 * DynamoDB Local and fauxqs.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { groupConsultation, groupDueConsultations } from '#app/commentGrouping.ts';
import { ingestComments } from '#app/commentIngest.ts';
import { type CommentMessage, groupKey, newReference } from '#domain/participation/comment.ts';
import type { CommentStore } from '#ports/participation.ts';
import { useParticipationSystem } from './setup.ts';

const suite = useParticipationSystem();
const { api } = suite;
const clock = { now: () => new Date() };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CAMPAIGN = '¡No al cobro de las zonas wifi rurales!';

/** An open consultation of two questions closing in `ms`. */
async function openConsultation(ms: number): Promise<{ id: string; closesAt: string }> {
  const closesAt = new Date(Date.now() + ms).toISOString();
  const created = await api('POST', '/v1/consultations', {
    headers: suite.communicator,
    body: {
      entityId: 'MINTIC',
      type: 'question',
      title: 'Zonas wifi rurales',
      summary: 'Su opinión sobre el cobro del servicio.',
      sections: [
        { title: 'Pregunta 1', body: '¿Debe cobrarse?' },
        { title: 'Pregunta 2', body: '¿Qué horario prefiere?' },
      ],
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt,
    },
  });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  expect(
    (
      await api('POST', `/v1/consultations/${id}/actions`, {
        headers: suite.communicator,
        body: { action: 'open' },
      })
    ).status,
  ).toBe(200);
  return { id, closesAt };
}

const comment = (id: string, text: string, sectionId = 's1', stance = 'oppose') =>
  api('POST', `/v1/public/consultations/${id}/comments`, {
    headers: { 'x-device-key': `device-${newReference()}` },
    body: { sectionId, stance, text },
  });

/** A comment the API accepted before the close, still on the queue. */
function lateMessage(id: string, closesAt: string, text = CAMPAIGN): CommentMessage {
  return {
    type: 'comment',
    reference: newReference(),
    consultationId: id,
    sectionId: 's1',
    stance: 'oppose',
    text,
    acceptedAt: new Date(Date.parse(closesAt) - 1000).toISOString(),
    author: { kind: 'device', hash: 'c'.repeat(64) },
  };
}

/**
 * Once its comments are stored and its period is over, closes the consultation without the
 * schedule (whose tally the test runs by hand).
 */
async function closeByHand(id: string, closesAt: string): Promise<void> {
  await suite.system.drain();
  await sleep(Math.max(0, Date.parse(closesAt) - Date.now() + 50));
  const closing = await suite.stores.consultations.get(id);
  expect(closing?.status).toBe('open');
  expect(
    await suite.stores.consultations.save({
      ...closing!,
      status: 'closed',
      closedAt: new Date().toISOString(),
      grouping: { state: 'pending', epoch: 1 },
      version: closing!.version + 1,
    }),
  ).toBe(true);
}

/** The real comment store, whose tally runs `meanwhile` after reading everything, before it returns. */
function tallyThen(meanwhile: () => Promise<void>): CommentStore {
  return Object.create(suite.stores.comments, {
    tally: {
      value: async (...args: Parameters<CommentStore['tally']>) => {
        await suite.stores.comments.tally(...args);
        await meanwhile();
      },
    },
  });
}

const groups = (id: string) =>
  api('GET', `/v1/consultations/${id}/groups?minSize=2`, { headers: suite.communicator });
const comments = (id: string) =>
  api('GET', `/v1/consultations/${id}/comments?limit=50`, { headers: suite.communicator });
const sizes = (body: Record<string, unknown>) =>
  (body.items as { stance: string; size: number }[]).map((g) => g.size).sort((a, b) => a - b);

describe('campaign groups after the close', () => {
  it('are unknown while open, computed by the schedule, and recomputed after a late comment', async () => {
    const { id, closesAt } = await openConsultation(4000);
    for (const text of [
      CAMPAIGN,
      'no al cobro de las zonas WIFI rurales',
      'No al cobro de las zonas wifi rurales 2',
    ]) {
      expect((await comment(id, text)).status).toBe(202);
    }
    expect((await comment(id, 'Prefiero de 6 a 22 horas', 's2', 'observation')).status).toBe(202);
    await suite.system.drain();

    // While open: written and counted, not grouped.
    const open = await groups(id);
    expect(open.status).toBe(200);
    expect(open.body).toEqual({
      grouping: { state: 'after_close', computedAt: null, comments: null, groups: null },
      items: [],
    });
    const listed = await comments(id);
    expect((listed.body.items as unknown[]).length).toBe(4);
    expect((listed.body.items as { groupSize: number | null }[]).every((c) => c.groupSize === null)).toBe(
      true,
    );

    // The schedule closes it and tallies its groups in the same tick.
    await sleep(Math.max(0, Date.parse(closesAt) - Date.now() + 50));
    const tick = (await suite.system.fire('Publish')) as { closed: string[]; grouped: string[] };
    expect(tick.closed).toContain(id);
    expect(tick.grouped).toContain(id);
    const done = await groups(id);
    expect(done.body.grouping).toMatchObject({ state: 'done', comments: 4, groups: 1 });
    expect(sizes(done.body)).toEqual([3]);
    const [campaign] = done.body.items as {
      group: string;
      sectionId: string;
      stance: string;
      exemplar: { text: string };
    }[];
    expect(campaign).toMatchObject({
      group: groupKey('s1', 'oppose', CAMPAIGN),
      sectionId: 's1',
      stance: 'oppose',
      exemplar: { text: CAMPAIGN },
    });
    const after = (await comments(id)).body.items as { text: string; groupSize: number }[];
    expect(after.map((c) => c.groupSize).sort()).toEqual([1, 3, 3, 3]);
    // A second tick has nothing to do.
    expect(((await suite.system.fire('Publish')) as { grouped: string[] }).grouped).not.toContain(id);

    // A comment accepted before the close arrives late: pending again, the last sizes still shown.
    await suite.system.sqs.send(
      new SendMessageCommand({
        QueueUrl: suite.system.queueUrls.participation,
        MessageBody: JSON.stringify(lateMessage(id, closesAt)),
      }),
    );
    await suite.system.drain();
    const stale = await groups(id);
    expect(stale.body.grouping).toMatchObject({ state: 'pending', comments: 4 });
    expect(sizes(stale.body)).toEqual([3]);
    expect(((await suite.system.fire('Publish')) as { grouped: string[] }).grouped).toContain(id);
    const regrouped = await groups(id);
    expect(regrouped.body.grouping).toMatchObject({ state: 'done', comments: 5, groups: 1 });
    expect(sizes(regrouped.body)).toEqual([4]);
  });

  it('never saves a tally that a late comment overtook; the next run counts it', async () => {
    const { id, closesAt } = await openConsultation(3000);
    for (let i = 0; i < 2; i++) expect((await comment(id, CAMPAIGN)).status).toBe(202);
    await closeByHand(id, closesAt);
    const { stores } = suite;

    // The real store, with a late comment written (by the consumer's use case) while the tally
    // reads: after the tally has read everything, before it saves.
    const racing = tallyThen(async () => {
      const outcome = await ingestComments({ ...stores, clock }, [lateMessage(id, closesAt)]);
      expect(outcome.written).toHaveLength(1);
    });
    expect(await groupConsultation({ ...stores, comments: racing, clock }, id)).toBeUndefined();
    const after = await stores.consultations.get(id);
    expect(after?.grouping).toEqual({ state: 'pending', epoch: 2 });

    // The next run (the schedule's) counts all three.
    expect(await groupDueConsultations({ ...stores, clock })).toContain(id);
    const [group] = (await stores.groups.list(id, { limit: 10, minSize: 2 })).items;
    expect(group?.size).toBe(3);
    expect((await stores.consultations.get(id))?.grouping).toMatchObject({
      state: 'done',
      epoch: 2,
      comments: 3,
      groups: 1,
    });
  });

  it('keeps the newer sizes when an overtaken tally stores its groups after the newer one finished', async () => {
    const { id, closesAt } = await openConsultation(3000);
    for (let i = 0; i < 2; i++) expect((await comment(id, CAMPAIGN)).status).toBe(202);
    await closeByHand(id, closesAt);
    const { stores } = suite;

    // Tally A has read two comments; a late one arrives and tally B (the next tick) stores and
    // saves three before A writes its groups.
    const racing = tallyThen(async () => {
      await ingestComments({ ...stores, clock }, [lateMessage(id, closesAt)]);
      expect(await groupConsultation({ ...stores, clock }, id)).toBe(1);
    });
    expect(await groupConsultation({ ...stores, comments: racing, clock }, id)).toBeUndefined();

    const [group] = (await stores.groups.list(id, { limit: 10, minSize: 2 })).items;
    expect(group?.size).toBe(3);
    expect((await stores.consultations.get(id))?.grouping).toMatchObject({
      state: 'done',
      epoch: 2,
      comments: 3,
    });
  });

  it('leaves a comment written while open alone (no read of the consultation after the write)', async () => {
    const { id } = await openConsultation(3_600_000);
    const before = await suite.stores.consultations.get(id);
    const message = {
      ...lateMessage(id, new Date(Date.now() + 60_000).toISOString()),
      acceptedAt: new Date().toISOString(),
    };
    const outcome = await ingestComments({ ...suite.stores, clock }, [message]);
    expect(outcome.written).toEqual([message.reference]);
    const after = await suite.stores.consultations.get(id);
    expect(after?.version).toBe(before?.version);
    expect(after?.grouping).toBeUndefined();
  });
});
