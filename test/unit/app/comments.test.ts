/**
 * Citizens' comments from the API to the counters (commentSubmit.ts, commentIngest.ts,
 * commentCount.ts) on in-memory ports: accepted while the consultation takes them (from opensAt,
 * until closesAt exclusive) with a reference at once, idempotent on the Idempotency-Key, written
 * by the consumer with blind batch puts while open and conditional puts after, and counted from
 * the stream exactly once however often a batch comes.
 */
import { describe, expect, it } from 'vitest';
import { countStreamComments } from '#app/commentCount.ts';
import { disposeComments } from '#app/commentDispose.ts';
import { groupConsultation } from '#app/commentGrouping.ts';
import { ingestComments } from '#app/commentIngest.ts';
import { type SubmitCommentDeps, submitComment } from '#app/commentSubmit.ts';
import { UseCaseError } from '#app/errors.ts';
import { citizenPseudonymText } from '#domain/actor.ts';
import { devicePseudonymText, groupKey, REFERENCE } from '#domain/participation/comment.ts';
import { countComments } from '#domain/participation/results.ts';
import type { ConsultationStore } from '#ports/participation.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import {
  CAMPAIGN,
  closeNow,
  comment,
  consume,
  created,
  deliver,
  KEYS,
  message,
  opened,
  pipe,
  submitDeps,
} from './participationWorld.ts';
import { communicator, DAY_MS, HOUR_MS, NOW, refusalOf, world } from './world.ts';

const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

/** Counts the store's reads of consultations. */
function countingReads(store: ConsultationStore): { reads: number } {
  const counter = { reads: 0 };
  const get = store.get.bind(store);
  store.get = async (id) => {
    counter.reads++;
    return get(id);
  };
  return counter;
}

describe('submitComment', () => {
  it('accepts a comment on an open section: a reference at once, the message queued with a hash of the device only', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);

    // Act
    const accepted = await comment(
      w,
      c.id,
      {
        sectionId: 's2',
        stance: 'observation',
        text: '<b>De 6 a 22</b>',
        department: '11',
        ageBand: '29_44',
      },
      { deviceKey: 'device-of-ana' },
    );
    const bare = await comment(w, c.id, { text: '' });

    // Assess
    expect(accepted).toEqual({
      reference: expect.stringMatching(REFERENCE),
      consultationId: c.id,
      sectionId: 's2',
      acceptedAt: NOW,
      status: 'accepted',
    });
    expect(w.participation.messages).toEqual([
      {
        type: 'comment',
        reference: accepted.reference,
        consultationId: c.id,
        sectionId: 's2',
        stance: 'observation',
        text: '<b>De 6 a 22</b>',
        acceptedAt: NOW,
        author: { kind: 'device', ...KEYS.current(devicePseudonymText(c.id, 'device-of-ana')) },
        department: '11',
        ageBand: '29_44',
      },
      expect.objectContaining({ reference: bare.reference, text: '' }),
    ]);
    expect(w.participation.messages[1]).not.toHaveProperty('department');
    expect(JSON.stringify(w.participation.messages)).not.toContain('device-of-ana');
    expect(bare.reference).not.toBe(accepted.reference);
  });

  it('identifies a citizen by a hash scoped to the consultation, whatever device they use', async () => {
    // Prepare
    const w = await world();
    const one = await opened(w);
    const two = await opened(w);
    const ana = { issuer: 'https://id.gov.co', subject: 'ana' };
    const input = { sectionId: 's1', stance: 'support' as const, text: 'Sí' };

    // Act
    for (const c of [one, two]) {
      await submitComment(submitDeps(w), {
        consultationId: c.id,
        input,
        identity: { citizen: ana, deviceKey: 'any-device' },
      });
    }

    // Assess
    const [first, second] = w.participation.messages;
    expect(first?.author).toEqual({
      kind: 'citizen',
      hash: KEYS.current(citizenPseudonymText(`consultation:${one.id}`, ana)).hash,
      keyVersion: 1,
    });
    expect(second?.author).toEqual({
      kind: 'citizen',
      hash: KEYS.current(citizenPseudonymText(`consultation:${two.id}`, ana)).hash,
      keyVersion: 1,
    });
    expect(first?.author.hash).not.toBe(second?.author.hash);
  });

  it('refuses a comment with neither an identity token nor a device key (400 naming the header)', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);

    // Act
    const refused = await refusalOf(
      submitComment(submitDeps(w), {
        consultationId: c.id,
        input: { sectionId: 's1', stance: 'support', text: 'Sí' },
        identity: {},
      }),
    );

    // Assess
    expect(refused).toMatchObject({ code: 'bad_request', issues: [{ field: 'header.x-device-key' }] });
    expect(w.participation.messages).toEqual([]);
  });

  it('refuses an unknown consultation or section (404), a draft, closed or not yet opened one (409)', async () => {
    // Prepare
    const w = await world();
    const draft = await created(w);
    const early = await opened(w, { opensAt: at(5 * DAY_MS) });
    const open = await opened(w);
    const closing = await opened(w, { closesAt: at(2 * DAY_MS) });
    const closed = await opened(w, { closesAt: at(DAY_MS) });
    await closeNow(w, closed);

    // Act
    const unknown = await refusalOf(comment(w, 'MINTIC-C-00000000'));
    const noSection = await refusalOf(comment(w, open.id, { sectionId: 's3' }));
    const toDraft = await refusalOf(comment(w, draft.id));
    const beforeOpening = await refusalOf(comment(w, early.id));
    const toClosed = await refusalOf(comment(w, closed.id));
    w.clock.set(closing.closesAt);
    const atClosesAt = await refusalOf(comment(w, closing.id));
    w.clock.advance(-1);
    const justBefore = await comment(w, closing.id);

    // Assess
    expect(unknown.code).toBe('not_found');
    expect(noSection).toMatchObject({ code: 'not_found', issues: [{ field: 'sectionId' }] });
    for (const r of [toDraft, beforeOpening, toClosed, atClosesAt]) expect(r.code).toBe('conflict');
    expect(w.participation.messages.map((m) => m.reference)).toEqual([justBefore.reference]);
  });

  it('gives a retry with the same Idempotency-Key the same reference: one comment, nothing more queued, even after the close', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    const send = () => comment(w, c.id, { text: 'No al cobro' }, { deviceKey: 'ana', idempotencyKey: 'k-1' });
    const first = await send();
    await deliver(w);
    w.clock.advance(HOUR_MS);

    // Act
    const retry = await send();
    await closeNow(w, c);
    const afterClose = await send();

    // Assess
    expect(retry).toEqual(first);
    expect(afterClose).toEqual(first);
    expect(w.participation.messages).toEqual([]);
    expect(w.comments.all(c.id).map((x) => x.reference)).toEqual([first.reference]);
    expect((await refusalOf(comment(w, c.id, {}, { deviceKey: 'ana', idempotencyKey: 'k-2' }))).code).toBe(
      'conflict',
    );
  });

  it('finds a retry’s comment across a rotation of the pseudonym key; new comments take the new version', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    const send = (deps: Partial<SubmitCommentDeps> = {}, key = 'k-1') =>
      comment(w, c.id, { text: 'No al cobro' }, { deviceKey: 'ana', idempotencyKey: key, deps });
    const first = await send();
    await deliver(w);
    const rotated = { pseudonyms: testPseudonyms('participation-key-for-tests', 'v2') };

    // Act
    const retry = await send(rotated);
    const next = await send(rotated, 'k-2');

    // Assess
    expect(retry).toEqual(first);
    expect(w.participation.messages.map((m) => m.reference)).toEqual([next.reference]);
    expect(w.participation.messages[0]?.author).toEqual({
      kind: 'device',
      ...rotated.pseudonyms.current(devicePseudonymText(c.id, 'ana')),
    });
    expect(w.participation.messages[0]?.author.keyVersion).toBe(2);
  });

  it('refuses the same key with another comment once stored (422 naming the key); another author’s key is theirs', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    const first = await comment(
      w,
      c.id,
      { text: 'No al cobro' },
      { deviceKey: 'ana', idempotencyKey: 'k-1' },
    );
    await deliver(w);

    // Act
    const otherText = await refusalOf(
      comment(w, c.id, { text: 'Sí al cobro' }, { deviceKey: 'ana', idempotencyKey: 'k-1' }),
    );
    const otherStance = await refusalOf(
      comment(
        w,
        c.id,
        { text: 'No al cobro', stance: 'support' },
        { deviceKey: 'ana', idempotencyKey: 'k-1' },
      ),
    );
    const otherAuthor = await comment(
      w,
      c.id,
      { text: 'Sí al cobro' },
      { deviceKey: 'luis', idempotencyKey: 'k-1' },
    );

    // Assess
    for (const r of [otherText, otherStance]) {
      expect(r.code).toBe('invalid');
      expect(r.issues.map((i) => i.field.toLowerCase())).toEqual([expect.stringMatching(/idempotency-key$/)]);
    }
    expect(otherAuthor.reference).not.toBe(first.reference);
    expect(w.participation.messages.map((m) => m.reference)).toEqual([otherAuthor.reference]);
  });

  it('accepts a changed retry while the first is still on the queue: one reference, one comment, counted once', async () => {
    // Prepare: both on the queue; the consumer gets them in two batches.
    const w = await world();
    const c = await opened(w);
    const first = await comment(
      w,
      c.id,
      { text: 'No al cobro' },
      { deviceKey: 'ana', idempotencyKey: 'k-1' },
    );
    const second = await comment(
      w,
      c.id,
      { text: 'Sí al cobro' },
      { deviceKey: 'ana', idempotencyKey: 'k-1' },
    );

    // Act
    for (const m of w.participation.messages.splice(0)) await ingestComments(w, [m]);
    await pipe(w);

    // Assess
    expect(second.reference).toBe(first.reference);
    expect(w.comments.all(c.id).map((x) => x.text)).toEqual(['Sí al cobro']);
    expect(await w.counters.totals(c.id)).toEqual({ 'c:s1:oppose': 1 });
  });

  it('reads the consultation once per cacheMs, and still closes at closesAt by the clock', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w, { closesAt: at(3000) });
    const counter = countingReads(w.consultations);
    const cached = { deps: { cacheMs: 5000 } };

    // Act
    await comment(w, c.id, {}, cached);
    await comment(w, c.id, {}, cached);
    const readsInBurst = counter.reads;
    w.clock.advance(3000);
    const closedByClock = await refusalOf(comment(w, c.id, {}, cached));
    w.clock.advance(2000);
    await refusalOf(comment(w, c.id, {}, cached));
    const readsAfterTtl = counter.reads;
    await refusalOf(comment(w, c.id));
    await refusalOf(comment(w, c.id));

    // Assess
    expect(readsInBurst).toBe(1);
    expect(closedByClock.code).toBe('conflict');
    expect(readsAfterTtl).toBe(2);
    expect(counter.reads).toBe(4);
    expect(w.participation.messages).toHaveLength(2);
  });

  it('takes 30 comments an hour from one device on one consultation, then 429 until the hour turns (issue 16)', async () => {
    const w = await world();
    const c = await opened(w);
    const other = await opened(w);
    for (let i = 0; i < 30; i++)
      await comment(w, c.id, { text: `Comentario ${i}` }, { deviceKey: 'device-busy' });
    const limited = await refusalOf(comment(w, c.id, { text: 'uno más' }, { deviceKey: 'device-busy' }));
    expect(limited.code).toBe('too_many');
    expect(limited.problem.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.problem.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(w.participation.messages).toHaveLength(30);
    // Another device, another consultation, the next hour: taken.
    await comment(w, c.id, { text: 'otro dispositivo' }, { deviceKey: 'device-calm' });
    await comment(w, other.id, { text: 'otra consulta' }, { deviceKey: 'device-busy' });
    w.clock.advance(HOUR_MS);
    await comment(w, c.id, { text: 'la hora siguiente' }, { deviceKey: 'device-busy' });
    expect(w.participation.messages).toHaveLength(33);
  });

  it('fails when the queue refuses the message: no reference for a comment that was not queued', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    w.participation.failNext(new Error('SQS is down'));

    // Act
    const outcome = await comment(w, c.id).catch((e: unknown) => e);

    // Assess
    expect(outcome).toEqual(new Error('SQS is down'));
    expect(w.participation.messages).toEqual([]);
  });
});

describe('ingestComments', () => {
  it('writes a batch while open with its campaign group key; a redelivery rewrites it, no duplicate, no new record', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    const batch = [
      message(c.id, { text: CAMPAIGN }),
      message(c.id, { sectionId: 's2', stance: 'support', text: 'Sí', department: '05' }),
    ];

    // Act
    const first = await ingestComments(w, batch);
    const again = await ingestComments(w, batch);

    // Assess
    const refs = batch.map((m) => m.reference);
    expect(first).toEqual({ written: refs, duplicates: [], rejected: new Map() });
    expect(again).toEqual({ written: refs, duplicates: [], rejected: new Map() });
    expect(w.comments.all(c.id)).toEqual(
      expect.arrayContaining(
        batch.map((m) => ({ ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 })),
      ),
    );
    expect(w.comments.inserts()).toHaveLength(2);
    expect(await w.consultations.get(c.id)).toEqual(c);
  });

  it('writes a message the queue delivered twice in one batch once, and says it was written (and repeated)', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    const m = message(c.id);

    // Act
    const outcome = await ingestComments(w, [m, m]);

    // Assess
    expect(w.comments.all(c.id)).toHaveLength(1);
    expect(outcome).toEqual({ written: [m.reference], duplicates: [m.reference], rejected: new Map() });
  });

  it('writes conditionally from a minute before closesAt on: a stored comment is then a duplicate, left as it is', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    const m = message(c.id, { text: 'Primero' });
    await ingestComments(w, [m]);

    // Act: 61 s before the close a redelivery still rewrites; 59 s before it does not.
    w.clock.set(at(DAY_MS - 61_000));
    const blind = await ingestComments(w, [{ ...m, text: 'Reescrito' }]);
    const rewritten = w.comments.all(c.id)[0]?.text;
    w.clock.set(at(DAY_MS - 59_000));
    const conditional = await ingestComments(w, [{ ...m, text: 'Otra vez' }]);

    // Assess
    expect(blind).toMatchObject({ written: [m.reference], duplicates: [] });
    expect(rewritten).toBe('Reescrito');
    expect(conditional).toMatchObject({ written: [], duplicates: [m.reference] });
    expect(w.comments.all(c.id).map((x) => x.text)).toEqual(['Reescrito']);
    expect((await w.consultations.get(c.id))?.grouping).toBeUndefined();
  });

  it('never rewrites a disposed comment: after the close a redelivery is a duplicate and the disposition stays', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    const m = message(c.id);
    await ingestComments(w, [m]);
    await closeNow(w, c);
    await disposeComments(w, communicator, c.id, [
      { reference: m.reference, value: 'accepted', reasons: 'Se incorpora.' },
    ]);

    // Act
    const outcome = await ingestComments(w, [m]);

    // Assess
    expect(outcome).toMatchObject({ written: [], duplicates: [m.reference] });
    expect(w.comments.all(c.id)[0]).toMatchObject({ version: 2, disposition: { value: 'accepted' } });
  });

  it('makes the groups of a closed consultation pending again (a new epoch, the last figures kept), duplicates too', async () => {
    // Prepare: closed and grouped; a comment accepted before the close arrives late.
    const w = await world();
    const c = await opened(w, { closesAt: at(DAY_MS) });
    await ingestComments(w, [message(c.id), message(c.id)]);
    await closeNow(w, c);
    await groupConsultation(w, c.id);
    const done = (await w.consultations.get(c.id))?.grouping;
    const late = message(c.id, { acceptedAt: at(DAY_MS - 1000) });

    // Act
    const written = await ingestComments(w, [late]);
    const afterLate = (await w.consultations.get(c.id))?.grouping;
    const redelivered = await ingestComments(w, [late]);

    // Assess
    expect(done).toMatchObject({ state: 'done', epoch: 1, comments: 2, groups: 1 });
    expect(written.written).toEqual([late.reference]);
    expect(afterLate).toEqual({ ...done, state: 'pending', epoch: 2 });
    expect(redelivered.duplicates).toEqual([late.reference]);
    expect((await w.consultations.get(c.id))?.grouping).toMatchObject({ state: 'pending', epoch: 3 });
    expect(await w.consultations.listGroupingDue(10)).toEqual([c.id]);
  });

  it('rejects for good what can never be written (unknown consultation or section) and writes the rest', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    const good = message(c.id);
    const noSection = message(c.id, { sectionId: 's9' });
    const noConsultation = message('MINTIC-C-00000000');

    // Act
    const outcome = await ingestComments(w, [noConsultation, good, noSection]);

    // Assess
    expect(outcome.written).toEqual([good.reference]);
    expect(outcome.duplicates).toEqual([]);
    expect(outcome.rejected).toEqual(
      new Map([
        [noConsultation.reference, 'unknown consultation'],
        [noSection.reference, 'unknown section'],
      ]),
    );
    expect(w.comments.all(c.id).map((x) => x.reference)).toEqual([good.reference]);
  });

  it('writes each consultation of a batch in its own mode; only a closed one is made pending again', async () => {
    // Prepare
    const w = await world();
    const open = await opened(w);
    const closed = await opened(w, { closesAt: at(HOUR_MS) });
    await closeNow(w, closed);
    const openVersion = (await w.consultations.get(open.id))?.version;

    // Act
    const outcome = await ingestComments(w, [message(open.id), message(closed.id), message(open.id)]);

    // Assess
    expect(outcome.written).toHaveLength(3);
    expect((await w.consultations.get(open.id))?.version).toBe(openVersion);
    expect((await w.consultations.get(closed.id))?.grouping).toEqual({ state: 'pending', epoch: 2 });
  });

  it('fails the batch when a closed consultation cannot be marked pending (it kept changing): the retry does it', async () => {
    // Prepare: every save of the consultation loses a race, then the races stop.
    const w = await world();
    const c = await opened(w, { closesAt: at(HOUR_MS) });
    await closeNow(w, c);
    const save = w.consultations.save.bind(w.consultations);
    w.consultations.save = async () => false;
    const late = message(c.id, { acceptedAt: at(HOUR_MS - 1000) });

    // Act
    const failed = await ingestComments(w, [late]).catch((e: unknown) => e);
    w.consultations.save = save;
    const retried = await ingestComments(w, [late]);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(UseCaseError);
    expect(retried.duplicates).toEqual([late.reference]);
    expect((await w.consultations.get(c.id))?.grouping).toEqual({ state: 'pending', epoch: 2 });
  });
});

describe('countStreamComments', () => {
  it('counts each comment once, however often the stream delivers its batch', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    for (let i = 0; i < 5; i++) await comment(w, c.id, { department: i < 3 ? '11' : '05' });
    await comment(w, c.id, { sectionId: 's2', stance: 'support', ageBand: '60_plus' });
    await consume(w);
    const records = w.comments.inserts();

    // Act
    const first = await countStreamComments(w, records);
    const again = await countStreamComments(w, records);

    // Assess
    expect([first, again]).toEqual([6, 0]);
    expect(await w.counters.totals(c.id)).toEqual(countComments(w.comments.all(c.id)));
  });

  it('counts only the new records of a redelivery that overlaps what was counted', async () => {
    // Prepare
    const w = await world();
    const c = await opened(w);
    for (let i = 0; i < 7; i++) await comment(w, c.id);
    await consume(w);
    const records = w.comments.inserts();

    // Act
    const head = await countStreamComments(w, records.slice(0, 4));
    const overlapping = await countStreamComments(w, records.slice(2));

    // Assess
    expect([head, overlapping]).toEqual([4, 3]);
    expect(await w.counters.totals(c.id)).toEqual({ 'c:s1:oppose': 7 });
  });

  it('counts a batch spanning several consultations, each to its own counters', async () => {
    // Prepare
    const w = await world();
    const one = await opened(w);
    const two = await opened(w);
    await comment(w, one.id);
    await comment(w, two.id, { stance: 'support' });
    await comment(w, one.id, { sectionId: 's2' });
    await consume(w);

    // Act
    const counted = await countStreamComments(w, w.comments.inserts());

    // Assess
    expect(counted).toBe(3);
    expect(await w.counters.totals(one.id)).toEqual({ 'c:s1:oppose': 1, 'c:s2:oppose': 1 });
    expect(await w.counters.totals(two.id)).toEqual({ 'c:s1:support': 1 });
    expect(await countStreamComments(w, [])).toBe(0);
  });
});
