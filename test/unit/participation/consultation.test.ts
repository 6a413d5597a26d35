import { describe, expect, it } from 'vitest';
import {
  applyAction,
  type Consultation,
  ConsultationInputSchema,
  commentWindow,
  earliestClose,
  newConsultation,
  periodDays,
  periodIssue,
} from '#domain/participation/consultation.ts';

const input = (over: Record<string, unknown> = {}) =>
  ConsultationInputSchema.parse({
    entityId: 'MINTIC',
    type: 'draft_regulation',
    title: 'Proyecto de resolución de espectro',
    summary: 'Reglas para el uso del espectro.',
    sections: [
      { title: 'Artículo 1', body: 'Objeto.' },
      { title: 'Artículo 2', body: 'Ámbito.' },
    ],
    opensAt: '2026-03-02T08:00:00-05:00',
    closesAt: '2026-03-17T23:59:00-05:00',
    ...over,
  });

describe('comment period of a draft regulation (15 calendar days, publication day not counted)', () => {
  it('takes a period through the 15th day after publication, to 23:59 Bogotá', () => {
    expect(earliestClose('2026-03-02T08:00:00-05:00')).toBe('2026-03-17T23:59:00-05:00');
    // 23:30 Bogotá on 1 March is already 2 March in UTC: the Bogotá date counts.
    expect(earliestClose('2026-03-02T04:30:00Z')).toBe('2026-03-16T23:59:00-05:00');
    expect(periodIssue(input(), '2026-03-02T08:00:00-05:00')).toBeUndefined();
    expect(periodDays('2026-03-02T08:00:00-05:00', '2026-03-17T23:59:00-05:00')).toBe(15);
    // A question open for a quarter of an hour on its publication day: no full day, not -1.
    expect(periodDays('2026-03-02T08:00:00-05:00', '2026-03-02T08:15:00-05:00')).toBe(0);
  });

  it('refuses one day less, naming closesAt and the decree, unless a reason is given', () => {
    const short = input({ closesAt: '2026-03-16T23:59:00-05:00' });
    const issue = periodIssue(short, '2026-03-02T08:00:00-05:00');
    expect(issue).toMatchObject({ field: 'closesAt', code: 'too_early' });
    for (const text of [issue?.message.es, issue?.message.en]) {
      expect(text).toContain('Decreto 1081 de 2015, art. 2.1.2.1.14');
      expect(text).toContain('2026-03-17T23:59:00-05:00');
    }
    expect(issue?.message.es).toMatch(/^closesAt: .*al menos 15 días calendario/);
    expect(periodDays('2026-03-02T08:00:00-05:00', '2026-03-16T23:59:00-05:00')).toBe(14);
    // Closing at noon of the 15th day is not the whole day either.
    expect(
      periodIssue(input({ closesAt: '2026-03-17T12:00:00-05:00' }), '2026-03-02T08:00:00-05:00'),
    ).toBeDefined();
    expect(
      periodIssue(
        { ...short, shortPeriodReason: 'Urgencia por emergencia sanitaria' },
        '2026-03-02T08:00:00-05:00',
      ),
    ).toBeUndefined();
    expect(periodIssue({ ...short, type: 'question' }, '2026-03-02T08:00:00-05:00')).toBeUndefined();
  });

  it('refuses closesAt before opensAt and more than the section limits', () => {
    const bad = ConsultationInputSchema.safeParse({ ...input(), closesAt: '2026-03-01T00:00:00-05:00' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['closesAt']);
    const none = ConsultationInputSchema.safeParse({ ...input(), sections: [] });
    expect(none.error?.issues[0]?.path).toEqual(['sections']);
    const markup = ConsultationInputSchema.safeParse({ ...input(), title: '<b>x</b>' });
    expect(markup.error?.issues[0]?.path).toEqual(['title']);
  });
});

describe('consultation workflow', () => {
  const at = (s: string) => new Date(s);
  const draft = (): Consultation =>
    newConsultation(input(), 'MINTIC-C-7K2M9Q4X', 'sub-1', at('2026-02-20T10:00:00Z'));

  it('numbers sections s1, s2 … and starts in draft at version 1', () => {
    const c = draft();
    expect(c.sections.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(c).toMatchObject({ status: 'draft', version: 1 });
  });

  it('opens, closes at closesAt, is answered once every comment is disposed, then published', () => {
    const opened = applyAction(draft(), 'open', at('2026-02-25T10:00:00Z'), { disposed: 0 });
    if (!opened.ok) throw new Error(opened.issue.message.en);
    expect(opened.next).toMatchObject({ status: 'open', version: 2 });
    const early = applyAction(opened.next, 'close', at('2026-03-17T12:00:00-05:00'), { disposed: 0 });
    expect(early).toMatchObject({ ok: false, code: 'conflict' });
    const closed = applyAction(opened.next, 'close', at('2026-03-17T23:59:00-05:00'), { disposed: 0 });
    if (!closed.ok) throw new Error(closed.issue.message.en);
    expect(closed.next.status).toBe('closed');
    // Closing asks for the campaign groups (the Publish schedule tallies them).
    expect(closed.next.grouping).toEqual({ state: 'pending', epoch: 1 });
    // Not before the comments stored are tallied: the stream's counters lag behind the writes.
    expect(applyAction(closed.next, 'answer', at('2026-03-20T10:00:00Z'), { disposed: 0 })).toMatchObject({
      ok: false,
      code: 'conflict',
      issue: {
        field: 'action',
        code: 'conflict',
        message: { en: expect.stringContaining('still being counted') },
      },
    });
    const tallied = {
      ...closed.next,
      grouping: { state: 'done' as const, epoch: 1, comments: 5, groups: 1 },
    };
    expect(applyAction(tallied, 'answer', at('2026-03-20T10:00:00Z'), { disposed: 2 })).toMatchObject({
      ok: false,
      code: 'conflict',
      issue: {
        field: 'action',
        code: 'conflict',
        message: {
          es: 'action: 3 comentarios aún no tienen respuesta (disposición): respóndalos antes',
          en: 'action: 3 comment(s) still have no disposition',
        },
      },
    });
    // A late comment makes the tally pending again: no answer until it is counted.
    const late = { ...tallied, grouping: { ...tallied.grouping, state: 'pending' as const, epoch: 2 } };
    expect(applyAction(late, 'answer', at('2026-03-20T10:00:00Z'), { disposed: 5 })).toMatchObject({
      ok: false,
    });
    const answered = applyAction(tallied, 'answer', at('2026-03-20T10:00:00Z'), { disposed: 5 });
    if (!answered.ok) throw new Error(answered.issue.message.en);
    // Publishing checks again: a late comment written since the answer needs its disposition.
    const lateAfterAnswer = { ...answered.next, grouping: { ...tallied.grouping, comments: 6 } };
    expect(
      applyAction(lateAfterAnswer, 'publish', at('2026-03-21T10:00:00Z'), { disposed: 5 }),
    ).toMatchObject({
      ok: false,
      code: 'conflict',
      issue: { message: { en: 'action: 1 comment(s) still have no disposition' } },
    });
    const published = applyAction(answered.next, 'publish', at('2026-03-21T10:00:00Z'), { disposed: 5 });
    expect(published).toMatchObject({ ok: true, next: { status: 'published', version: 5 } });
  });

  it('checks the period again when a draft is opened late (publication is the later of opensAt and now)', () => {
    const late = applyAction(draft(), 'open', at('2026-03-05T10:00:00Z'), { disposed: 0 });
    expect(late).toMatchObject({
      ok: false,
      code: 'invalid',
      issue: { field: 'closesAt', code: 'too_early' },
    });
  });

  it('refuses an action from the wrong status with a conflict', () => {
    expect(applyAction(draft(), 'publish', at('2026-02-25T10:00:00Z'), { disposed: 0 })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
  });

  it('takes comments only while open and between opensAt and closesAt', () => {
    const c = { ...draft(), status: 'open' as const };
    expect(commentWindow(draft(), at('2026-03-05T10:00:00Z')).open).toBe(false);
    expect(commentWindow(c, at('2026-03-02T12:59:59Z')).open).toBe(false);
    expect(commentWindow(c, at('2026-03-02T13:00:00Z')).open).toBe(true);
    expect(commentWindow(c, at('2026-03-18T04:58:59Z')).open).toBe(true);
    expect(commentWindow(c, at('2026-03-18T04:59:00Z')).open).toBe(false);
    expect(commentWindow({ ...c, status: 'closed' }, at('2026-03-05T10:00:00Z')).open).toBe(false);
  });
});
