/** Reads (readCases.ts): the public view, the officer view, the history, an office inbox, the entities. */
import { describe, expect, it } from 'vitest';
import { petitionersCase } from '#app/petitioner.ts';
import { caseHistory, getOfficerCase, getPublicCase, listInbox, listPublicEntities } from '#app/readCases.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { InMemoryCitizens } from '#test/support/fakes/index.ts';
import {
  ATENCION,
  actNow,
  communicator,
  emailChannel,
  file,
  fileRouted,
  MINTIC,
  officer,
  officerOfSpectrum,
  otherSupervisor,
  petition,
  petitioner,
  receivedFor,
  refusalOf,
  supervisor,
  suspendedSince,
  world,
} from './world.ts';

/** The petitioner's view, for whoever holds the code (petitionersCase decides who that is). */
async function track(
  w: Awaited<ReturnType<typeof world>>,
  radicado: string,
  trackingCode: string | undefined,
) {
  const deps = {
    ...w.petitioners,
    cases: w.read.cases,
    citizens: new InMemoryCitizens(),
    clock: w.read.clock,
  };
  return getPublicCase(w.read, await petitionersCase(deps, radicado, { trackingCode }));
}

describe('getPublicCase', () => {
  it('shows the case to whoever holds its tracking code, with its clock, and no personal data', async () => {
    // Prepare
    const w = await world();
    const { record, trackingCode } = await fileRouted(w);

    // Act
    const view = await track(w, record.radicado, trackingCode);

    // Assess
    expect(view).toMatchObject({
      radicado: record.radicado,
      status: 'routed',
      office: ATENCION,
      dueDate: record.dueDate,
      semaforo: 'green',
      businessDaysUsed: 0,
    });
    expect(view.explanation).toBeDefined();
    const text = JSON.stringify(view);
    for (const personal of [
      petitioner.name,
      petitioner.idNumber,
      petitioner.email,
      record.subject,
      record.description,
    ]) {
      expect(text).not.toContain(personal);
    }
  });

  it('reads the code as people type it: lower case, without dashes', async () => {
    const w = await world();
    const { record, trackingCode } = await file(w);
    const typed = trackingCode.toLowerCase().replaceAll('-', '');
    expect((await track(w, record.radicado, typed)).radicado).toBe(record.radicado);
  });

  it('answers a wrong code, no code and an unknown radicado alike, so neither can be probed', async () => {
    const w = await world();
    const { record, trackingCode } = await file(w);
    const errors = [
      await refusalOf(track(w, record.radicado, 'AAAAA-BBBBB-CCCCC-DDDDD')),
      await refusalOf(track(w, record.radicado, undefined)),
      await refusalOf(track(w, 'MINTIC-2026-999999', trackingCode)),
    ];
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['not_found', errors[0]!.message],
      ['not_found', errors[0]!.message],
      ['not_found', errors[0]!.message],
    ]);
  });

  it('colours the semáforo with the entity’s thresholds of today', async () => {
    // Prepare: a case at yellow under MINTIC's thresholds.
    const w = await world();
    const receivedAt = receivedFor(MINTIC, 'petition', 'yellow');
    const { record, trackingCode } = await file(w, petition(), {
      actor: emailChannel,
      receivedAt: new Date(receivedAt),
    });
    const yellow = await track(w, record.radicado, trackingCode);

    // Act: the entity now calls red anything past 10 % of its term.
    await w.entities.put({ ...MINTIC, semaforo: { yellow: 0.05, red: 0.1, redDaysLeft: 2 } });
    const red = await track(w, record.radicado, trackingCode);

    // Assess
    expect(yellow.semaforo).toBe('yellow');
    expect(red.semaforo).toBe('red');
    expect(red.dueDate).toBe(yellow.dueDate);
  });
});

describe('getOfficerCase and caseHistory', () => {
  it('shows officers the whole case, and what this actor may do now', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const forOfficer = await getOfficerCase(w.read, officer, record);
    const forOther = await getOfficerCase(w.read, officerOfSpectrum, record);
    expect(forOfficer).toMatchObject({
      radicado: record.radicado,
      petitioner: { idNumber: petitioner.idNumber },
      subject: record.subject,
      version: 2,
      officer: null,
    });
    expect(forOfficer.allowedActions).toEqual(
      expect.arrayContaining(['assign', 'request_completion', 'forward']),
    );
    expect(forOfficer.allowedActions).not.toContain('respond');
    expect(forOther.allowedActions).toEqual([]);
  });

  it('lists the trail in order, hashes included', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, officer, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    const history = await caseHistory(w.read, record);
    expect(history.radicado).toBe(record.radicado);
    expect(history.items.map((e) => [e.seq, e.type])).toEqual([
      [1, 'filed'],
      [2, 'routed'],
      [3, 'assigned'],
    ]);
    expect(verifyChain(history.items.map((e) => ({ ...e, radicado: record.radicado })))).toEqual({
      ok: true,
    });
  });
});

describe('listInbox', () => {
  it('is for case work on one’s own offices: communicators and other offices’ officers are refused', async () => {
    const w = await world();
    expect((await refusalOf(listInbox(w.read, communicator, ATENCION, { limit: 10 }))).code).toBe(
      'forbidden',
    );
    expect((await refusalOf(listInbox(w.read, officerOfSpectrum, ATENCION, { limit: 10 }))).code).toBe(
      'forbidden',
    );
    expect((await listInbox(w.read, supervisor, 'espectro', { limit: 10 })).items).toEqual([]);
  });

  it('does not know an office of another entity, nor one that does not exist (404 on office)', async () => {
    const w = await world();
    const foreign = await refusalOf(listInbox(w.read, otherSupervisor, ATENCION, { limit: 10 }));
    const none = await refusalOf(listInbox(w.read, supervisor, 'no-such', { limit: 10 }));
    expect(foreign).toMatchObject({ code: 'not_found', issues: [{ field: 'office' }] });
    expect(none).toMatchObject({ code: 'not_found', issues: [{ field: 'office' }] });
  });

  it('lists priority cases first, then by due date, in pages, without the petition’s text or petitioner', async () => {
    // Prepare: an ordinary case due later, one due earlier, and a journalist's (priority) one.
    const w = await world();
    const later = await fileRouted(w);
    const earlier = await fileRouted(w, petition(), {
      actor: emailChannel,
      receivedAt: new Date(receivedFor(MINTIC, 'petition', 'yellow')),
    });
    const priority = await fileRouted(w, petition({ petitioner: { ...petitioner, journalist: true } }));

    // Act
    const first = await listInbox(w.read, officer, ATENCION, { limit: 2 });
    const second = await listInbox(w.read, officer, ATENCION, { limit: 2, cursor: first.cursor! });

    // Assess
    expect([...first.items, ...second.items].map((i) => i.radicado)).toEqual([
      priority.record.radicado,
      earlier.record.radicado,
      later.record.radicado,
    ]);
    expect(second.cursor).toBeUndefined();
    expect(first.items[0]).toMatchObject({ priority: true, semaforo: 'green', office: ATENCION });
    expect(first.items[1]?.semaforo).toBe('yellow');
    for (const item of [...first.items, ...second.items]) {
      expect(item).not.toHaveProperty('petitioner');
      expect(item).not.toHaveProperty('description');
    }
  });

  it('filters by today’s semáforo, by priority and by status', async () => {
    // Prepare
    const w = await world();
    const green = await fileRouted(w);
    const yellow = await fileRouted(w, petition(), {
      actor: emailChannel,
      receivedAt: new Date(receivedFor(MINTIC, 'petition', 'yellow')),
    });
    const priority = await fileRouted(w, petition({ petitioner: { ...petitioner, journalist: true } }));
    await actNow(w, officer, green.record.radicado, {
      type: 'assign',
      office: ATENCION,
      officer: 'officer-1',
    });
    const list = async (query: Parameters<typeof listInbox>[3]) =>
      (await listInbox(w.read, officer, ATENCION, query)).items.map((i) => i.radicado);

    // Act & Assess
    expect(await list({ limit: 10, semaforo: ['yellow'] })).toEqual([yellow.record.radicado]);
    expect(await list({ limit: 10, priority: true })).toEqual([priority.record.radicado]);
    expect(await list({ limit: 10, statuses: ['assigned'] })).toEqual([green.record.radicado]);
  });

  it('names the withdrawal candidates: suspended cases whose petitioner let the period lapse (art. 17)', async () => {
    // Prepare: one case suspended two months ago, one suspended today.
    const w = await world();
    const lapsed = await suspendedSince(w, 60);
    const fresh = await fileRouted(w);
    await actNow(w, officer, fresh.record.radicado, { type: 'request_completion', what: 'Falta un dato.' });

    // Act
    const candidates = await listInbox(w.read, officer, ATENCION, { limit: 10, withdrawalCandidates: true });
    const all = await listInbox(w.read, officer, ATENCION, { limit: 10 });

    // Assess
    expect(candidates.items.map((i) => i.radicado)).toEqual([lapsed.radicado]);
    expect(candidates.items[0]).toMatchObject({ withdrawalCandidate: true, status: 'awaiting_completion' });
    expect(all.items.find((i) => i.radicado === fresh.record.radicado)?.withdrawalCandidate).toBe(false);
  });
});

describe('listPublicEntities', () => {
  it('lists every entity with what a portal offers, and no internal settings', async () => {
    const w = await world();
    const { items } = await listPublicEntities(w.read);
    expect(items.map((e) => e.id)).toEqual(['MEDELLIN', 'MINTIC', 'SUPERSALUD']);
    expect(items.find((e) => e.id === 'MINTIC')).toEqual({
      id: 'MINTIC',
      name: MINTIC.name,
      kinds: MINTIC.kinds,
      categories: MINTIC.categories,
      offices: MINTIC.offices,
    });
  });
});
