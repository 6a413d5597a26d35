/**
 * The petitioner's use cases (issue 13) against the in-memory ports: who the petitioner is (the
 * tracking code, or a linked identity), replying, withdrawing, insisting, rating once, the
 * citizen's list. The lifecycle's own rules are tested in test/unit/domain/petitioner.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { insistOnCase } from '#app/insistOnCase.ts';
import { linkMyCase, listMyCases } from '#app/myCases.ts';
import { citizenCases, petitionersCase } from '#app/petitioner.ts';
import { rateCase } from '#app/rateCase.ts';
import { replyToCase } from '#app/replyToCase.ts';
import { withdrawPetition } from '#app/withdrawPetition.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import {
  ATENCION,
  actNow,
  anonymousReport,
  DAY_MS,
  fileRouted,
  petition,
  refusalOf,
  supervisor,
  type World,
  world,
} from './world.ts';

const ana = { issuer: 'https://id.example', subject: 'ana' };

async function awaitingCompletion(w: World) {
  const filed = await fileRouted(w);
  await actNow(w, supervisor, filed.record.radicado, {
    type: 'assign',
    office: ATENCION,
    officer: 'officer-1',
  });
  await actNow(w, supervisor, filed.record.radicado, { type: 'request_completion', what: 'La dirección' });
  return filed;
}

describe('who the petitioner is', () => {
  it('the holder of the code, or a citizen the case is linked to; anything else the same 404', async () => {
    // Prepare
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    const other = await fileRouted(w);
    // Act / Assess
    expect((await petitionersCase(w.petitioners, record.radicado, { trackingCode })).radicado).toBe(
      record.radicado,
    );
    const refusals = await Promise.all([
      refusalOf(petitionersCase(w.petitioners, record.radicado, { trackingCode: other.trackingCode })),
      refusalOf(petitionersCase(w.petitioners, record.radicado, { citizen: ana })),
      refusalOf(petitionersCase(w.petitioners, record.radicado, {})),
      refusalOf(petitionersCase(w.petitioners, 'MINTIC-2026-999999', { trackingCode })),
    ]);
    expect(new Set(refusals.map((e) => `${e.code} ${e.message}`)).size).toBe(1);
    expect(refusals[0]?.code).toBe('not_found');
    await linkMyCase(w.petitioners, ana, { radicado: record.radicado, trackingCode });
    expect((await petitionersCase(w.petitioners, record.radicado, { citizen: ana })).radicado).toBe(
      record.radicado,
    );
    expect(
      (
        await refusalOf(
          petitionersCase(w.petitioners, record.radicado, { citizen: { ...ana, subject: 'otro' } }),
        )
      ).code,
    ).toBe('not_found');
  });
});

describe('wrong tracking codes are limited (issue 16)', () => {
  it('after 10 wrong codes on a radicado every code is 429 until the window ends; the right one then opens it', async () => {
    // Prepare
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    const other = await fileRouted(w);
    const wrong = () => petitionersCase(w.petitioners, record.radicado, { trackingCode: other.trackingCode });

    // Act: ten wrong guesses (from ten clients), then the right code.
    for (let i = 0; i < 10; i++) {
      const refused = await refusalOf(
        petitionersCase(w.petitioners, record.radicado, {
          trackingCode: other.trackingCode,
          client: `10.0.0.${i}`,
        }),
      );
      expect(refused.code).toBe('not_found');
    }
    const limited = await refusalOf(petitionersCase(w.petitioners, record.radicado, { trackingCode }));
    const otherCase = await petitionersCase(w.petitioners, other.record.radicado, {
      trackingCode: other.trackingCode,
    });
    w.clock.advance(15 * 60_000);
    const later = await petitionersCase(w.petitioners, record.radicado, { trackingCode });

    // Assess
    expect(limited.code).toBe('too_many');
    expect(limited.problem.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.problem.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(limited.detail.es).toMatch(/Demasiados códigos de seguimiento equivocados/);
    expect(otherCase.radicado).toBe(other.record.radicado);
    expect(later.radicado).toBe(record.radicado);
    expect((await refusalOf(wrong())).code).toBe('not_found');
  });

  it('limits one client guessing across radicados (unknown ones too), not the others', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    const guess = (radicado: string) =>
      refusalOf(
        petitionersCase(w.petitioners, radicado, { trackingCode: 'ABCD-EFGH-JKMN', client: '203.0.113.7' }),
      );
    for (let i = 1; i <= 10; i++)
      expect((await guess(`MINTIC-2026-9${String(i).padStart(5, '0')}`)).code).toBe('not_found');
    expect((await guess(record.radicado)).code).toBe('too_many');
    expect(
      (
        await refusalOf(
          petitionersCase(w.petitioners, record.radicado, { trackingCode, client: '203.0.113.7' }),
        )
      ).code,
    ).toBe('too_many');
    const another = await petitionersCase(w.petitioners, record.radicado, {
      trackingCode,
      client: '198.51.100.1',
    });
    expect(another.radicado).toBe(record.radicado);
  });
});

describe('replyToCase', () => {
  it('records the reply as the citizen’s, the term running again, the trail chained', async () => {
    const w = await world();
    const { record, trackingCode } = await awaitingCompletion(w);
    w.clock.advance(DAY_MS);
    const reply = await replyToCase(w.petitioners, record.radicado, { trackingCode }, { text: 'Calle 10' });
    expect(reply).toMatchObject({ respondedTo: 'completion', status: 'assigned' });
    const after = await w.cases.get(record.radicado);
    expect(after?.status).toBe('assigned');
    expect(after?.dueDate).toBe(reply.dueDate);
    const events = await w.cases.events(record.radicado);
    expect(events.at(-1)).toMatchObject({
      type: 'replied',
      actor: { kind: 'citizen' },
      data: { text: 'Calle 10' },
    });
    expect(verifyChain(events).ok).toBe(true);
  });

  it('refuses without a pending request (conflict) and after the period (too late), writing nothing', async () => {
    const w = await world();
    const idle = await fileRouted(w);
    const none = await refusalOf(
      replyToCase(w.petitioners, idle.record.radicado, { trackingCode: idle.trackingCode }, { text: 'x' }),
    );
    expect(none).toMatchObject({ code: 'conflict', problem: { type: 'illegal-transition' } });
    const { record, trackingCode } = await awaitingCompletion(w);
    const version = (await w.cases.get(record.radicado))?.version;
    w.clock.advance(70 * DAY_MS);
    const late = await refusalOf(
      replyToCase(w.petitioners, record.radicado, { trackingCode }, { text: 'x' }),
    );
    expect(late).toMatchObject({ code: 'invalid', problem: { type: 'too-late' } });
    expect(late.message).toContain('art. 17');
    expect((await w.cases.get(record.radicado))?.version).toBe(version);
  });

  it('reads the case once for a reply (again only when an officer changed it meanwhile)', async () => {
    const w = await world();
    const { record, trackingCode } = await awaitingCompletion(w);
    let reads = 0;
    const cases = Object.create(w.cases, {
      get: {
        value: (r: string) => {
          reads++;
          return w.cases.get(r);
        },
      },
    }) as typeof w.cases;
    await replyToCase({ ...w.petitioners, cases }, record.radicado, { trackingCode }, { text: 'Calle 10' });
    expect(reads).toBe(1);
  });

  it('answers a retry with the same key alike, refuses the key with another text', async () => {
    const w = await world();
    const { record, trackingCode } = await awaitingCompletion(w);
    const send = (text: string) =>
      replyToCase(
        w.petitioners,
        record.radicado,
        { trackingCode },
        { text, idempotencyKey: 'k-000000000000001' },
      );
    const first = await send('Calle 10');
    expect(await send('Calle 10')).toEqual(first);
    expect((await refusalOf(send('Calle 11'))).code).toBe('invalid');
    expect((await w.cases.events(record.radicado)).filter((e) => e.type === 'replied')).toHaveLength(1);
  });
});

describe('withdrawPetition and insistOnCase', () => {
  it('withdraws a pending case once; refuses once answered', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    const done = await withdrawPetition(
      w.petitioners,
      record.radicado,
      { trackingCode },
      { reason: 'Ya no' },
    );
    expect(done.status).toBe('withdrawn');
    expect((await w.cases.get(record.radicado))?.withdrawal).toMatchObject({
      kind: 'express',
      from: 'routed',
    });
    expect(
      (await refusalOf(withdrawPetition(w.petitioners, record.radicado, { trackingCode }, {}))).code,
    ).toBe('conflict');
  });

  it('insists within 10 business days of a reserved denial, not after', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(
      w,
      petition({ kind: 'information_request', subject: 'Contratos', description: 'Copias' }),
    );
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    await actNow(w, supervisor, record.radicado, {
      type: 'respond',
      answer: 'Se niega',
      outcome: 'denied',
      legalReserve: 'Defensa y seguridad nacional',
      legalGround: { article: '19', literal: 'a' },
      withheld: 'Los planos de la sede',
    });
    w.clock.advance(20 * DAY_MS);
    const late = await refusalOf(insistOnCase(w.petitioners, record.radicado, { trackingCode }, {}));
    expect(late).toMatchObject({ code: 'invalid', problem: { type: 'too-late' } });
    w.clock.advance(-18 * DAY_MS);
    const insisted = await insistOnCase(w.petitioners, record.radicado, { trackingCode }, {});
    expect(insisted.status).toBe('insistence');
    expect((await w.cases.get(record.radicado))?.status).toBe('insistence');
  });
});

describe('rateCase', () => {
  it('once per answered case; the rating names no case', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    const rate = () =>
      rateCase({ ...w.petitioners, ratings: w.citizens }, record.radicado, { trackingCode }, { rating: 4 });
    expect((await refusalOf(rate())).code).toBe('conflict');
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    await actNow(w, supervisor, record.radicado, { type: 'respond', answer: 'Sí', outcome: 'granted' });
    expect(await rate()).toEqual({ radicado: record.radicado, rated: true });
    expect(await refusalOf(rate())).toMatchObject({ code: 'conflict', problem: { type: 'already-rated' } });
    expect(w.citizens.ratings).toEqual([
      { rating: 4, entityId: 'MINTIC', kind: 'petition', month: '2026-03' },
    ]);
    expect(JSON.stringify(w.citizens.ratings)).not.toContain(record.radicado);
  });

  it('answers a retry with the same key alike, refuses the key with another rating', async () => {
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    await actNow(w, supervisor, record.radicado, { type: 'respond', answer: 'Sí', outcome: 'granted' });
    const rate = (rating: number, key?: string) =>
      rateCase({ ...w.petitioners, ratings: w.citizens }, record.radicado, { trackingCode }, { rating }, key);
    expect(await rate(5, 'k-1')).toEqual({ radicado: record.radicado, rated: true });
    expect(await rate(5, 'k-1')).toEqual({ radicado: record.radicado, rated: true });
    expect(await refusalOf(rate(3, 'k-1'))).toMatchObject({
      code: 'invalid',
      issues: [{ field: 'header.idempotency-key', code: 'conflict' }],
    });
    expect((await refusalOf(rate(5, 'k-2'))).code).toBe('conflict');
    expect((await refusalOf(rate(5))).code).toBe('conflict');
    expect(w.citizens.ratings).toHaveLength(1);
  });
});

describe('my cases', () => {
  it('lists a case filed with the citizen’s identity at once, read as theirs; never an anonymous filing', async () => {
    const w = await world();
    const follower = citizenCases(w.petitioners.pseudonyms, ana)[0]!;
    const mine = await fileRouted(w, petition(), { follower });
    w.clock.advance(60_000);
    const anonymous = await fileRouted(w, anonymousReport(), { follower });

    const listed = await listMyCases(w.petitioners, ana, { limit: 5 });
    expect(listed.items).toEqual([
      expect.objectContaining({
        radicado: mine.record.radicado,
        entityId: 'MINTIC',
        linkedAt: mine.record.receivedAt,
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(anonymous.record.radicado);
    expect((await petitionersCase(w.petitioners, mine.record.radicado, { citizen: ana })).radicado).toBe(
      mine.record.radicado,
    );
    expect(
      (await refusalOf(petitionersCase(w.petitioners, anonymous.record.radicado, { citizen: ana }))).code,
    ).toBe('not_found');
    // The anonymous author can still follow it with the code, and link it themselves.
    await linkMyCase(w.petitioners, ana, {
      radicado: anonymous.record.radicado,
      trackingCode: anonymous.trackingCode,
    });
    expect((await listMyCases(w.petitioners, ana, { limit: 5 })).items).toHaveLength(2);
  });

  it('follows a case forwarded to the competent entity with the same token (Ley 1755 art. 21)', async () => {
    const w = await world();
    const mine = await fileRouted(w, petition(), {
      follower: citizenCases(w.petitioners.pseudonyms, ana)[0]!,
    });
    const forwarded = await actNow(w, supervisor, mine.record.radicado, {
      type: 'forward',
      toEntityId: 'SUPERSALUD',
      reason: 'Es de su competencia',
    });
    const linked = forwarded.linked!.radicado;
    expect((await listMyCases(w.petitioners, ana, { limit: 5 })).items).toEqual([
      expect.objectContaining({ radicado: mine.record.radicado, status: 'forwarded', forwardedTo: linked }),
    ]);
    expect((await petitionersCase(w.petitioners, linked, { citizen: ana })).radicado).toBe(linked);
    const stranger = { ...ana, subject: 'otro' };
    expect((await refusalOf(petitionersCase(w.petitioners, linked, { citizen: stranger }))).code).toBe(
      'not_found',
    );
  });

  it('keeps the citizen’s cases across a rotation of the pseudonym key, each listed once', async () => {
    // Prepare
    const w = await world();
    const before = await fileRouted(w, petition(), {
      follower: citizenCases(w.petitioners.pseudonyms, ana)[0]!,
    });
    w.clock.advance(60_000);
    const later = await fileRouted(w);
    const rotated = { ...w.petitioners, pseudonyms: testPseudonyms('pseudonyms-for-tests', 'v2') };

    // Act
    await linkMyCase(rotated, ana, { radicado: later.record.radicado, trackingCode: later.trackingCode });
    await linkMyCase(rotated, ana, { radicado: before.record.radicado, trackingCode: before.trackingCode });
    const listed = await listMyCases(rotated, ana, { limit: 5 });

    // Assess
    expect(citizenCases(rotated.pseudonyms, ana).map((p) => p.keyVersion)).toEqual([2, 1]);
    expect(listed.items.map((c) => c.radicado)).toEqual([later.record.radicado, before.record.radicado]);
    expect((await petitionersCase(rotated, before.record.radicado, { citizen: ana })).radicado).toBe(
      before.record.radicado,
    );
    // The earlier version alone knows only what was linked under it.
    expect((await listMyCases(w.petitioners, ana, { limit: 5 })).items).toHaveLength(1);
  });

  it('lists the linked cases newest first, page by page, with their status now', async () => {
    const w = await world();
    const filed = [];
    for (let i = 0; i < 3; i++) {
      filed.push(await fileRouted(w));
      w.clock.advance(60_000);
    }
    const links = [];
    for (const f of filed) {
      links.push(
        await linkMyCase(w.petitioners, ana, { radicado: f.record.radicado, trackingCode: f.trackingCode }),
      );
    }
    // Linking again changes nothing, and says when it was linked first.
    w.clock.advance(60_000);
    const again = await linkMyCase(w.petitioners, ana, {
      radicado: filed[0]!.record.radicado,
      trackingCode: filed[0]!.trackingCode,
    });
    expect(again.linkedAt).toBe(links[0]!.linkedAt);
    const first = await listMyCases(w.petitioners, ana, { limit: 2 });
    expect(first.items.map((c) => c.radicado)).toEqual([
      filed[2]!.record.radicado,
      filed[1]!.record.radicado,
    ]);
    const second = await listMyCases(w.petitioners, ana, { limit: 2, cursor: first.cursor });
    expect(second.items.map((c) => c.radicado)).toEqual([filed[0]!.record.radicado]);
    expect(second.cursor).toBeUndefined();
    expect(second.items[0]?.status).toBe('routed');
    expect((await listMyCases(w.petitioners, { ...ana, subject: 'otro' }, { limit: 5 })).items).toEqual([]);
    expect((await refusalOf(listMyCases(w.petitioners, ana, { limit: 2, cursor: 'garbage' }))).code).toBe(
      'bad_request',
    );
    // Only a keyed hash stands for the citizen.
    expect(citizenCases(w.petitioners.pseudonyms, ana)[0]).toEqual({
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      keyVersion: 1,
    });
  });
});
