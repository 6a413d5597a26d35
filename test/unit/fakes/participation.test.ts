/**
 * The in-memory participation stores keep their ports' contracts (shared/ports/participation.ts)
 * where the use cases lean on them hardest: counting each comment once per shard checkpoint,
 * blind against conditional writes of comments, dispositions in all-or-nothing chunks, and
 * cursors of one listing only.
 */
import { describe, expect, it } from 'vitest';
import {
  type CommentMessage,
  groupKey,
  newReference,
  type StoredComment,
} from '#domain/participation/comment.ts';
import { type Consultation, newConsultation } from '#domain/participation/consultation.ts';
import { sequenceKey } from '#domain/participation/counting.ts';
import { InvalidCursorError } from '#ports/index.ts';
import { StaleCommentError } from '#ports/participation.ts';
import {
  InMemoryCommentStore,
  InMemoryConsultationCounters,
  InMemoryConsultationStore,
} from '#test/support/fakes/index.ts';

const C1 = 'MINTIC-C-AAAAAAAA';
const C2 = 'MINTIC-C-BBBBBBBB';
const NOW = '2026-03-03T15:00:00.000Z';

/** A reference in comment partition `p` (its first character's place in Crockford base32, mod 16). */
const inPartition = (p: number) => `${'0123456789ABCDEFGHJKMNPQRSTVWXYZ'[p]}${newReference().slice(1)}`;

function stored(consultationId: string, overrides: Partial<CommentMessage> = {}): StoredComment {
  const m: CommentMessage = {
    type: 'comment',
    reference: newReference(),
    consultationId,
    sectionId: 's1',
    stance: 'oppose',
    text: 'No al cobro',
    acceptedAt: NOW,
    author: { kind: 'device', hash: 'c'.repeat(64) },
    ...overrides,
  };
  return { ...m, groupKey: groupKey(m.sectionId, m.stance, m.text), version: 1 };
}

function consultation(id: string, status: Consultation['status'], closesAt = '2026-03-13T15:00:00.000Z') {
  const input = {
    entityId: 'MINTIC',
    type: 'question' as const,
    title: 'Zonas wifi',
    summary: 'Resumen',
    sections: [{ title: 'Pregunta', body: '¿Debe cobrarse?' }],
    opensAt: NOW,
    closesAt,
  };
  return { ...newConsultation(input, id, 'communicator-1', new Date(NOW)), status };
}

function stores(options: { chunk?: number } = {}) {
  const consultations = new InMemoryConsultationStore();
  const counters = new InMemoryConsultationCounters();
  const comments = new InMemoryCommentStore(consultations, counters, options);
  return { consultations, counters, comments };
}

const disposition = { value: 'accepted' as const, reasons: 'Se incorpora.', at: NOW, by: 'communicator-1' };

describe('InMemoryConsultationCounters.count', () => {
  it('counts a record once per shard checkpoint: a batch seen twice once, each partition on its own', async () => {
    // Prepare: partition 3 and 5; sequence numbers that compare wrongly as strings ("9" > "10").
    const { counters } = stores();
    const record = (p: number, sequence: string) => ({
      sequence,
      comment: { consultationId: C1, reference: inPartition(p), sectionId: 's1', stance: 'oppose' as const },
    });
    const inFive = record(5, '10');
    const inThree = record(3, '9');
    const later = [record(5, '11'), record(3, '12')];

    // Act
    const first = await counters.count(C1, [inFive]);
    const again = await counters.count(C1, [inFive]);
    const otherShard = await counters.count(C1, [inThree]);
    const overlapping = await counters.count(C1, [inThree, inFive, ...later]);

    // Assess
    expect([first, again, otherShard, overlapping]).toEqual([1, 0, 1, 2]);
    expect(await counters.totals(C1)).toEqual({ 'c:s1:oppose': 4 });
    expect(counters.checkpoint(C1, 5)).toBe(sequenceKey('11'));
    expect(counters.checkpoint(C1, 3)).toBe(sequenceKey('12'));
    await expect(counters.count(C2, [record(1, '13')])).rejects.toThrow(C1);
  });
});

describe('InMemoryCommentStore.ingest', () => {
  it('rewrites blindly with overwrite (disposition and all, no INSERT), else leaves a stored comment as a duplicate', async () => {
    // Prepare
    const { consultations, comments } = stores();
    await consultations.create(consultation(C1, 'closed'));
    const a = stored(C1);
    const b = stored(C1);

    // Act
    const batch = await comments.ingest([a, { ...a, text: 'otro' }], { overwrite: true });
    const redelivered = await comments.ingest([a], { overwrite: true });
    await comments.applyDispositions(await consultations.get(C1).then((c) => c!), [
      { comment: a, disposition },
    ]);
    const disposed = (await comments.get(C1, [a.reference]))[0];
    const conditional = await comments.ingest([{ ...a, text: 'cambiado' }, b], { overwrite: false });
    const keptAfterConditional = (await comments.get(C1, [a.reference]))[0];
    await comments.ingest([a], { overwrite: true });

    // Assess
    expect(batch.duplicates).toEqual([a.reference]);
    expect(redelivered.duplicates).toEqual([]);
    expect(disposed).toMatchObject({ text: a.text, version: 2, disposition: { value: 'accepted' } });
    expect(conditional.duplicates).toEqual([a.reference]);
    expect(keptAfterConditional).toEqual(disposed);
    expect((await comments.get(C1, [a.reference]))[0]).toEqual(a);
    expect(comments.inserts().map((r) => [r.sequence, r.comment.reference])).toEqual([
      ['1', a.reference],
      ['2', b.reference],
    ]);
  });
});

describe('InMemoryCommentStore.applyDispositions', () => {
  it('writes chunk by chunk, each on its comments’ versions and the consultation’s status: a stale chunk writes nothing', async () => {
    // Prepare: chunks of two; the fourth comment is changed by someone else after being read.
    const { consultations, counters, comments } = stores({ chunk: 2 });
    await consultations.create(consultation(C1, 'closed'));
    await consultations.create(consultation(C2, 'open'));
    const five = Array.from({ length: 5 }, () => stored(C1));
    await comments.ingest(five, { overwrite: false });
    const read = await comments.get(
      C1,
      five.map((c) => c.reference),
    );
    await comments.applyDispositions((await consultations.get(C1))!, [
      { comment: read[3]!, disposition: { ...disposition, value: 'not_accepted' } },
    ]);
    const openOne = stored(C2);
    await comments.ingest([openOne], { overwrite: true });

    // Act
    const stale = await comments
      .applyDispositions(
        (await consultations.get(C1))!,
        read.map((comment) => ({ comment, disposition })),
      )
      .catch((e: unknown) => e);
    const notClosed = await comments
      .applyDispositions((await consultations.get(C2))!, [{ comment: openOne, disposition }])
      .catch((e: unknown) => e);

    // Assess
    expect(stale).toBeInstanceOf(StaleCommentError);
    expect(notClosed).toBeInstanceOf(StaleCommentError);
    const after = await comments.get(
      C1,
      read.map((c) => c.reference),
    );
    expect(after.map((c) => c.disposition?.value ?? null)).toEqual([
      'accepted',
      'accepted',
      null,
      'not_accepted',
      null,
    ]);
    expect(await counters.totals(C1)).toEqual({ 'd:s1:oppose:accepted': 2, 'd:s1:oppose:not_accepted': 1 });
    expect((await comments.get(C2, [openOne.reference]))[0]?.disposition).toBeUndefined();
  });
});

describe('listings', () => {
  it('give cursors of their own listing only, and pages of comments within the text budget', async () => {
    // Prepare: eleven comments of 50,000 characters (a page carries at most 500,000).
    const { comments } = stores();
    const long = Array.from({ length: 11 }, () => stored(C1, { text: 'x'.repeat(50_000) }));
    await comments.ingest([...long, stored(C2)], { overwrite: true });
    const key = long[0]!.groupKey;

    // Act
    const first = await comments.list(C1, { limit: 100 });
    const second = await comments.list(C1, { limit: 100, cursor: first.cursor! });
    const members = await comments.listGroupMembers(C1, key, { limit: 4 });

    // Assess
    expect(first.items).toHaveLength(10);
    expect(second.items).toHaveLength(1);
    expect(second.cursor).toBeUndefined();
    expect(new Set([...first.items, ...second.items].map((c) => c.reference)).size).toBe(11);
    await expect(comments.list(C2, { limit: 1, cursor: first.cursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(
      comments.listGroupMembers(C1, 'f'.repeat(16), { limit: 4, cursor: members.cursor! }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(
      comments.listGroupMembers(C1, key, { limit: 4, cursor: first.cursor! }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('list for the schedule the open consultations closing strictly before an instant, and the pending groupings, oldest first', async () => {
    // Prepare
    const { consultations } = stores();
    const at = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();
    await consultations.create(consultation('MINTIC-C-00000002', 'open', at(2)));
    await consultations.create(consultation('MINTIC-C-00000001', 'open', at(1)));
    await consultations.create(consultation('MINTIC-C-00000003', 'draft', at(1)));
    await consultations.create({
      ...consultation('MINTIC-C-00000004', 'closed', at(1)),
      closedAt: at(1),
      grouping: { state: 'pending', epoch: 1 },
    });
    await consultations.create({
      ...consultation('MINTIC-C-00000005', 'published', at(0)),
      closedAt: at(0),
      grouping: { state: 'pending', epoch: 3 },
    });
    await consultations.create({
      ...consultation('MINTIC-C-00000006', 'closed', at(0)),
      grouping: { state: 'done', epoch: 1 },
    });

    // Act
    const closing = await consultations.listOpenClosingBefore(at(2), 10);
    const through = await consultations.listOpenClosingBefore(at(3), 1);
    const due = await consultations.listGroupingDue(10);

    // Assess
    expect(closing).toEqual(['MINTIC-C-00000001']);
    expect(through).toEqual(['MINTIC-C-00000001']);
    expect(due).toEqual(['MINTIC-C-00000005', 'MINTIC-C-00000004']);
  });
});
