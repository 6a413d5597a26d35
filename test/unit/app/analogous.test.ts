/**
 * Ley 1755 art. 22 (analogous.ts): groups of more than ten analogous petitions suggested by their
 * normalised text; one answer given to each case in its own transaction, exactly once per group,
 * published once without personal data.
 */
import { describe, expect, it } from 'vitest';
import { answerAnalogous, suggestAnalogous } from '#app/analogous.ts';
import { analogousKey } from '#domain/case/analogous.ts';
import type { Kind } from '#domain/vocabulary.ts';
import {
  ATENCION,
  actNow,
  fileRouted,
  NOW,
  officerOfSpectrum,
  petition,
  refusalOf,
  supervisor,
  type World,
  world,
} from './world.ts';

/** `n` petitions of the same matter, written a little differently each time (`kind` of each). */
async function campaign(w: World, n: number, kind: (i: number) => Kind = () => 'petition', assigned = true) {
  const radicados: string[] = [];
  for (let i = 0; i < n; i++) {
    const { record } = await fileRouted(
      w,
      petition({
        kind: kind(i),
        subject: i % 2 ? 'Arreglo de la vía a la vereda' : 'ARREGLO DE LA VÍA A LA VEREDA!',
        description: `Solicito el arreglo de la vía, radicado ${i}.`,
      }),
    );
    if (assigned)
      await actNow(w, supervisor, record.radicado, {
        type: 'assign',
        office: ATENCION,
        officer: 'officer-1',
      });
    radicados.push(record.radicado);
  }
  return radicados;
}

describe('Ley 1755 art. 22: analogous petitions', () => {
  it('keys petitions by kind and normalised text', () => {
    const a = { kind: 'petition', subject: 'Arreglo de la vía', description: 'Por favor, 123.' } as const;
    expect(analogousKey(a)).toBe(
      analogousKey({ ...a, subject: 'ARREGLO DE LA VIA', description: 'por favor 456' }),
    );
    expect(analogousKey(a)).not.toBe(analogousKey({ ...a, kind: 'complaint' }));
  });

  it('suggests a group of eleven, not of ten, to those who may read the inbox', async () => {
    const w = await world();
    const eleven = await campaign(w, 11);
    await fileRouted(w, petition({ subject: 'Otro asunto', description: 'Distinto.' }));
    const { groups } = await suggestAnalogous(w.read, supervisor, ATENCION);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ size: 11, kind: 'petition' });
    expect([...(groups[0]?.radicados ?? [])].sort()).toEqual([...eleven].sort());
    expect((await refusalOf(suggestAnalogous(w.read, officerOfSpectrum, ATENCION))).code).toBe('forbidden');
    const w10 = await world();
    await campaign(w10, 10);
    expect((await suggestAnalogous(w10.read, supervisor, ATENCION)).groups).toEqual([]);
  });

  it('answers each case once, in its own change, and publishes the answer once without personal data', async () => {
    const w = await world();
    const radicados = await campaign(w, 11);
    const command = {
      groupId: 'grupo-0001-via',
      radicados,
      answer: 'La vía se arreglará en abril. Contacto: obras@example.com, 3001234567.',
      outcome: 'granted' as const,
    };
    const first = await answerAnalogous({ ...w.act, publications: w.publications }, supervisor, command);
    const again = await answerAnalogous({ ...w.act, publications: w.publications }, supervisor, command);

    expect(first.answered.sort()).toEqual([...radicados].sort());
    expect(first.refused).toEqual([]);
    expect(again).toMatchObject({ answered: [], refused: [], published: first.published });
    expect(again.already.sort()).toEqual([...radicados].sort());
    for (const radicado of radicados) {
      const stored = (await w.cases.get(radicado))!;
      expect(stored.answer).toMatchObject({ outcome: 'granted', group: { id: 'grupo-0001-via', size: 11 } });
      const answered = (await w.cases.events(radicado)).filter((e) => e.type === 'answered');
      expect(answered).toHaveLength(1);
    }
    const published = (await w.publications.inForce('MINTIC', NOW.slice(0, 10), { limit: 10 })).items;
    expect(published).toHaveLength(1);
    expect(published[0]?.text).toContain('Ley 1755 de 2015, art. 22');
    expect(published[0]?.text).not.toContain('obras@example.com');
    expect(published[0]?.text).not.toContain('3001234567');
  });

  it('refuses fewer than eleven, and lists the cases it cannot answer now', async () => {
    const w = await world();
    const radicados = await campaign(w, 11);
    const ten = await refusalOf(
      answerAnalogous(w.act, supervisor, {
        groupId: 'grupo-diez',
        radicados: radicados.slice(0, 10),
        answer: 'x',
        outcome: 'granted',
      }),
    );
    expect(ten).toMatchObject({ code: 'invalid', issues: [{ field: 'radicados' }] });
    expect(ten.message).toContain('art. 22');
    // A radicado that is not the actor's to act on: 404 before any case is answered.
    const unknown = await refusalOf(
      answerAnalogous(w.act, supervisor, {
        groupId: 'grupo-ajeno',
        radicados: [...radicados.slice(1), 'MINTIC-2099-999999'],
        answer: 'x',
        outcome: 'granted',
      }),
    );
    expect(unknown.code).toBe('not_found');
    expect((await w.cases.get(radicados[1]!))?.answer).toBeUndefined();
    // One of them was answered on its own meanwhile: the others still get the joint answer.
    await actNow(w, supervisor, radicados[0]!, { type: 'respond', answer: 'Aparte.', outcome: 'granted' });
    const report = await answerAnalogous(w.act, supervisor, {
      groupId: 'grupo-once',
      radicados,
      answer: 'Respuesta conjunta.',
      outcome: 'granted',
    });
    expect(report.answered).toHaveLength(10);
    expect(report.refused).toMatchObject([{ radicado: radicados[0], code: 'conflict' }]);
    expect(report.refused[0]?.detail.es).toMatch(/respond/);
    expect(report.refused[0]?.detail.en).toMatch(/respond/);
    expect(report.refused[0]?.detail.es).not.toBe(report.refused[0]?.detail.en);
    // The same group id with another answer: refused whole, nothing changed.
    const other = await refusalOf(
      answerAnalogous(w.act, supervisor, {
        groupId: 'grupo-once',
        radicados,
        answer: 'Otra respuesta.',
        outcome: 'denied',
      }),
    );
    expect(other).toMatchObject({ code: 'invalid', issues: [{ field: 'groupId', code: 'conflict' }] });
    expect((await w.cases.get(radicados[1]!))?.answer).toMatchObject({ text: 'Respuesta conjunta.' });
  });

  it('answers the routed cases of a group too, the one answering taking each', async () => {
    const w = await world();
    const radicados = await campaign(w, 11, () => 'petition', false);
    const { groups } = await suggestAnalogous(w.read, supervisor, ATENCION);
    expect(groups[0]?.size).toBe(11);
    const report = await answerAnalogous(w.act, supervisor, {
      groupId: 'grupo-enrutados',
      radicados: groups[0]!.radicados,
      answer: 'Respuesta conjunta.',
      outcome: 'granted',
    });
    expect(report.answered.sort()).toEqual([...radicados].sort());
    const stored = (await w.cases.get(radicados[0]!))!;
    expect(stored).toMatchObject({ status: 'answered', officer: supervisor.subject });
    expect((await w.cases.events(radicados[0]!)).map((e) => e.type).slice(-2)).toEqual([
      'assigned',
      'answered',
    ]);
  });

  it('lets no client claim a group in a single answer', async () => {
    const w = await world();
    const [radicado] = await campaign(w, 1);
    const forged = await refusalOf(
      actNow(w, supervisor, radicado!, {
        type: 'respond',
        answer: 'Respuesta individual.',
        outcome: 'granted',
        group: { id: 'grupo-falso-0001', size: 500 },
      }),
    );
    expect(forged).toMatchObject({ code: 'invalid', issues: [{ field: 'group', code: 'unknown_field' }] });
    expect((await w.cases.get(radicado!))?.answer).toBeUndefined();
  });

  it('takes one kind among those art. 22 names, and suggests no other', async () => {
    const w = await world();
    const mixed = await campaign(w, 11, (i) => (i < 5 ? 'complaint' : 'petition'));
    const command = { groupId: 'grupo-mixto', answer: 'Respuesta.', outcome: 'granted' as const };
    const kinds = await refusalOf(answerAnalogous(w.act, supervisor, { ...command, radicados: mixed }));
    expect(kinds).toMatchObject({ code: 'invalid', issues: [{ field: 'radicados', code: 'conflict' }] });
    expect(kinds.message).toContain('art. 22');
    for (const radicado of mixed) expect((await w.cases.get(radicado))?.answer).toBeUndefined();

    const complaints = await campaign(w, 11, () => 'complaint');
    const particular = await refusalOf(
      answerAnalogous(w.act, supervisor, { ...command, radicados: complaints }),
    );
    expect(particular).toMatchObject({
      code: 'invalid',
      issues: [{ field: 'radicados', code: 'invalid_value' }],
    });
    expect((await suggestAnalogous(w.read, supervisor, ATENCION)).groups).toEqual([]);
  });
});
