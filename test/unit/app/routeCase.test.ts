/** Routing a received case to an office inbox (routeCase.ts), and the routing outbox (relayUnrouted). */
import { describe, expect, it } from 'vitest';
import { relayUnrouted, routeCase } from '#app/routeCase.ts';
import { verifyChain } from '#domain/case/audit.ts';
import {
  ATENCION,
  actNow,
  anonymousReport,
  file,
  fileRouted,
  NOW,
  onceBefore,
  petition,
  supervisor,
  world,
} from './world.ts';

describe('routeCase', () => {
  it('routes by the entity’s first matching rule, keywords accent and case blind, else to the default office', async () => {
    // Prepare
    const w = await world();
    const filings = {
      spectrum: petition({ category: 'spectrum' }),
      information: petition({ kind: 'information_request' }),
      corruption: anonymousReport({ category: 'corruption' }),
      keyword: petition({ subject: 'Una ANTENA en mi barrio', description: 'Está muy cerca.' }),
      other: petition({ category: 'transparency', subject: 'Otra cosa' }),
    };
    const filed = {} as Record<keyof typeof filings, string>;
    for (const [name, f] of Object.entries(filings)) {
      filed[name as keyof typeof filings] = (await file(w, f)).record.radicado;
    }

    // Act
    for (const radicado of Object.values(filed)) expect(await routeCase(w, radicado)).toBe('routed');

    // Assess
    const officeOf = async (r: string) => (await w.cases.get(r))?.office;
    expect(await officeOf(filed.spectrum)).toBe('espectro');
    expect(await officeOf(filed.information)).toBe('transparencia');
    expect(await officeOf(filed.corruption)).toBe('control-interno');
    expect(await officeOf(filed.keyword)).toBe('espectro');
    expect(await officeOf(filed.other)).toBe(ATENCION);
  });

  it('moves the case to routed with a chained event by the router, once', async () => {
    // Prepare
    const w = await world();
    const { record } = await file(w, petition({ category: 'spectrum' }));

    // Act
    const first = await routeCase(w, record.radicado);
    const again = await routeCase(w, record.radicado);

    // Assess
    expect([first, again]).toEqual(['routed', 'already_routed']);
    expect(await w.cases.get(record.radicado)).toMatchObject({
      status: 'routed',
      office: 'espectro',
      routedAt: NOW,
      version: 2,
    });
    const events = await w.cases.events(record.radicado);
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed']);
    expect(events[1]).toMatchObject({
      actor: { kind: 'system', id: 'router' },
      data: { office: 'espectro', rule: 2 },
    });
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it('leaves a case that moved on as it is, and says so of an unknown one', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'o' });
    expect(await routeCase(w, record.radicado)).toBe('already_routed');
    expect(await routeCase(w, 'MINTIC-2026-999999')).toBe('unknown_case');
    expect((await w.cases.get(record.radicado))?.status).toBe('assigned');
  });

  it('answers already routed when another delivery routed it between the read and the write', async () => {
    // Prepare: a redelivery of the same message routes the case first.
    const w = await world();
    const { record } = await file(w);
    onceBefore(w.cases, 'commit', () => routeCase(w, record.radicado));

    // Act
    const outcome = await routeCase(w, record.radicado);

    // Assess
    expect(outcome).toBe('already_routed');
    expect((await w.cases.events(record.radicado)).map((e) => e.type)).toEqual(['filed', 'routed']);
  });

  it('suggests a forward for a category outside the competence, naming the entities that cover it (art. 21)', async () => {
    // Prepare: health insurance is SUPERSALUD's and MEDELLIN's, not MINTIC's.
    const w = await world();
    const { record } = await file(w, petition({ category: 'health_insurance' }));

    // Act
    await routeCase(w, record.radicado);

    // Assess
    const routed = await w.cases.get(record.radicado);
    expect(routed).toMatchObject({
      office: ATENCION,
      forwardSuggested: { category: 'health_insurance', suggestedEntities: ['MEDELLIN', 'SUPERSALUD'] },
    });
    expect((await w.cases.events(record.radicado)).at(-1)?.data).toMatchObject({
      rule: 'default',
      forwardSuggested: { category: 'health_insurance' },
      forwardBy: record.forwardBy,
    });
  });
});

describe('relayUnrouted', () => {
  it('sends again the cases filed before the grace period and still unrouted, and no others', async () => {
    // Prepare: one case filed two minutes ago and never routed, one routed, one just filed.
    const w = await world();
    w.clock.advance(-120_000);
    const stuck = await file(w);
    const routed = await fileRouted(w);
    w.clock.set(NOW);
    await file(w);

    // Act
    const relayed = await relayUnrouted(w, 60);

    // Assess
    expect(relayed).toBe(1);
    expect(w.routing.messages).toEqual([{ radicado: stuck.record.radicado }]);
    expect(w.routing.messages).not.toContainEqual({ radicado: routed.record.radicado });
  });

  it('sends nothing when nothing is stuck', async () => {
    const w = await world();
    await fileRouted(w);
    w.routing.failNext(new Error('the queue must not be called'));
    expect(await relayUnrouted(w, 60)).toBe(0);
  });

  it('fails when the queue refuses, so that the schedule runs it again', async () => {
    const w = await world();
    w.clock.advance(-120_000);
    await file(w);
    w.clock.set(NOW);
    w.routing.failNext(new Error('SQS refused'));
    await expect(relayUnrouted(w, 60)).rejects.toThrow('SQS refused');
  });
});
