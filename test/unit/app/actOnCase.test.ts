/**
 * Officers act on cases (actOnCase.ts): who may read and act (caseOfActor), the If-Match contract,
 * the lifecycle's refusals mapped to use-case errors, the trail written with each change, forwards.
 */
import { describe, expect, it } from 'vitest';
import { actOnCase, caseOfActor, etagOf } from '#app/actOnCase.ts';
import { verifyChain } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import {
  ATENCION,
  actNow,
  admin,
  communicator,
  DAY_MS,
  file,
  fileRouted,
  HOUR_MS,
  NOW,
  officer,
  officerOfSpectrum,
  onceBefore,
  otherSupervisor,
  petition,
  refusalOf,
  staff,
  supervisor,
  world,
} from './world.ts';

const assignTo = (who: string) => ({ type: 'assign', office: ATENCION, officer: who });

describe('caseOfActor', () => {
  it('hides another entity’s case and an unknown radicado alike (404)', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const other = await refusalOf(caseOfActor(w.cases, otherSupervisor, record.radicado));
    const unknown = await refusalOf(caseOfActor(w.cases, supervisor, 'MINTIC-2026-999999'));
    expect(other.code).toBe('not_found');
    expect(unknown.code).toBe('not_found');
  });

  it('gives no case to a communicator (no case work), whatever the radicado', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    expect((await refusalOf(caseOfActor(w.cases, communicator, record.radicado))).code).toBe('forbidden');
    expect((await refusalOf(caseOfActor(w.cases, communicator, 'MINTIC-2026-999999'))).code).toBe(
      'forbidden',
    );
  });

  it('lets officers read their offices’ cases, supervisors and admins every case', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    expect((await caseOfActor(w.cases, officer, record.radicado)).radicado).toBe(record.radicado);
    expect((await caseOfActor(w.cases, supervisor, record.radicado)).radicado).toBe(record.radicado);
    expect((await caseOfActor(w.cases, admin, record.radicado)).radicado).toBe(record.radicado);
    expect((await refusalOf(caseOfActor(w.cases, officerOfSpectrum, record.radicado))).code).toBe(
      'forbidden',
    );
  });

  it('leaves a case not yet routed to supervisors and admins', async () => {
    const w = await world();
    const { record } = await file(w);
    expect((await refusalOf(caseOfActor(w.cases, officer, record.radicado))).code).toBe('forbidden');
    expect((await caseOfActor(w.cases, supervisor, record.radicado)).status).toBe('received');
  });
});

describe('actOnCase: If-Match', () => {
  it('asks for one (428), refuses a malformed one (400) and a stale one (412 with the current tag)', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);
    const command = (ifMatch: string | undefined) => ({
      radicado: record.radicado,
      ifMatch,
      action: assignTo('a'),
    });

    // Act
    const missing = await refusalOf(actOnCase(w.act, officer, command(undefined)));
    const malformed = await refusalOf(actOnCase(w.act, officer, command('v2')));
    const old = await refusalOf(actOnCase(w.act, officer, command('"v1"')));

    // Assess
    expect(missing.code).toBe('precondition_required');
    expect(malformed.code).toBe('bad_request');
    expect(old).toMatchObject({
      code: 'precondition_failed',
      problem: { type: 'stale', currentTag: '"v2"' },
    });
    expect(await w.cases.get(record.radicado)).toEqual(record);
  });

  it('checks access before the tag: another entity’s case is not found, tag or no tag', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const error = await refusalOf(
      actOnCase(w.act, otherSupervisor, {
        radicado: record.radicado,
        ifMatch: undefined,
        action: { type: 'close' },
      }),
    );
    expect(error.code).toBe('not_found');
  });

  it('lets one of two officers who read the same version win; the other learns the new tag', async () => {
    // Prepare: both read version 2.
    const w = await world();
    const { record } = await fileRouted(w);
    const etag = etagOf(record);

    // Act
    const first = await actOnCase(w.act, officer, {
      radicado: record.radicado,
      ifMatch: etag,
      action: assignTo('a'),
    });
    const second = await refusalOf(
      actOnCase(w.act, supervisor, { radicado: record.radicado, ifMatch: etag, action: assignTo('b') }),
    );

    // Assess
    expect(first.etag).toBe('"v3"');
    expect(second).toMatchObject({ code: 'precondition_failed', problem: { currentTag: '"v3"' } });
    expect(await w.cases.get(record.radicado)).toMatchObject({ officer: 'a', version: 3 });
  });

  it('refuses as stale a change that lost the race at the write itself', async () => {
    // Prepare: a supervisor's assignment lands between this officer's read and write.
    const w = await world();
    const { record } = await fileRouted(w);
    onceBefore(w.cases, 'commit', () => actNow(w, supervisor, record.radicado, assignTo('b')));

    // Act
    const error = await refusalOf(
      actOnCase(w.act, officer, {
        radicado: record.radicado,
        ifMatch: etagOf(record),
        action: assignTo('a'),
      }),
    );

    // Assess
    expect(error).toMatchObject({ code: 'precondition_failed', problem: { currentTag: '"v3"' } });
    expect(await w.cases.get(record.radicado)).toMatchObject({ officer: 'b', version: 3 });
    expect((await w.cases.events(record.radicado)).map((e) => e.type)).toEqual([
      'filed',
      'routed',
      'assigned',
    ]);
  });
});

describe('actOnCase: refusals name the field and change nothing', () => {
  it('refuses an action the schema does not know, or one missing its fields (422 naming the field)', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const unknown = await refusalOf(actNow(w, officer, record.radicado, { type: 'fly' }));
    const noOffice = await refusalOf(actNow(w, officer, record.radicado, { type: 'assign' }));
    const badDate = await refusalOf(
      actNow(w, officer, record.radicado, { type: 'extend', newDueDate: 'tomorrow', reason: 'x' }),
    );
    expect(unknown).toMatchObject({ code: 'invalid', issues: [{ field: 'type' }] });
    expect(noOffice).toMatchObject({ code: 'invalid', issues: [{ field: 'office' }] });
    expect(badDate).toMatchObject({ code: 'invalid', issues: [{ field: 'newDueDate' }] });
    expect(await w.cases.get(record.radicado)).toEqual(record);
  });

  it('refuses an office the entity does not have', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const error = await refusalOf(
      actNow(w, supervisor, record.radicado, { type: 'assign', office: 'no-such' }),
    );
    expect(error).toMatchObject({ code: 'invalid', issues: [{ field: 'office' }] });
  });

  it('forbids by role: an officer assigns within its offices only, and may not reassign', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);

    // Act
    const elsewhere = await refusalOf(
      actNow(w, officer, record.radicado, { type: 'assign', office: 'espectro' }),
    );
    await actNow(w, officer, record.radicado, assignTo('officer-1'));
    const reassign = await refusalOf(actNow(w, officer, record.radicado, assignTo('officer-9')));
    const bySupervisor = await actNow(w, supervisor, record.radicado, assignTo('officer-9'));

    // Assess
    expect(elsewhere.code).toBe('forbidden');
    expect(reassign.code).toBe('forbidden');
    expect(reassign.message).toContain('reassign');
    expect(bySupervisor.case).toMatchObject({ officer: 'officer-9', status: 'assigned' });
  });

  it('answers an action the status does not allow with a conflict naming the status (409)', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const error = await refusalOf(
      actNow(w, officer, record.radicado, { type: 'respond', answer: 'Sí.', outcome: 'granted' }),
    );
    expect(error).toMatchObject({
      code: 'conflict',
      problem: { type: 'illegal-transition', extensions: { caseStatus: 'routed' } },
    });
  });

  it('says too early and too late by the law’s dates (art. 17)', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);
    const other = await fileRouted(w);
    await actNow(w, officer, record.radicado, { type: 'request_completion', what: 'Falta la dirección.' });

    // Act: the petitioner still has a month; the other case is past its 10 days to ask.
    const early = await refusalOf(
      actNow(w, officer, record.radicado, { type: 'withdraw', reason: 'No completó.' }),
    );
    w.clock.advance(20 * DAY_MS);
    const late = await refusalOf(
      actNow(w, officer, other.record.radicado, { type: 'request_completion', what: 'Falta la dirección.' }),
    );

    // Assess
    expect(early).toMatchObject({ code: 'invalid', problem: { type: 'too-early' } });
    expect(early.message).toContain('art. 17');
    expect(late).toMatchObject({ code: 'invalid', problem: { type: 'too-late' } });
  });

  it('names the field a domain rule is about (a denied information request needs its legal reserve)', async () => {
    const w = await world();
    const { record } = await fileRouted(w, petition({ kind: 'information_request' }));
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: 'transparencia', officer: 'o' });
    const error = await refusalOf(
      actNow(w, supervisor, record.radicado, { type: 'respond', answer: 'No.', outcome: 'denied' }),
    );
    expect(error).toMatchObject({ code: 'invalid', issues: [{ field: 'legalReserve' }] });
  });

  it('refuses an action dated before the case’s last change (its own clock went back)', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    w.clock.advance(HOUR_MS);
    await actNow(w, officer, record.radicado, assignTo('officer-1'));
    w.clock.advance(-2 * HOUR_MS);
    const error = await refusalOf(
      actNow(w, officer, record.radicado, { type: 'set_priority', priority: true, reason: 'x' }),
    );
    expect(error).toMatchObject({ code: 'invalid', issues: [{ field: 'at' }] });
  });
});

describe('actOnCase: accepted actions', () => {
  it('writes the next version with a chained event naming the officer and the versions', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);

    // Act
    const result = await actNow(w, officer, record.radicado, assignTo('officer-1'));

    // Assess
    expect(result.etag).toBe('"v3"');
    expect(result.case).toMatchObject({ status: 'assigned', officer: 'officer-1', version: 3 });
    expect(result.case.allowedActions).toContain('respond');
    const events = await w.cases.events(record.radicado);
    expect(events.at(-1)).toMatchObject({
      type: 'assigned',
      at: NOW,
      actor: { kind: 'officer', id: 'officer-1' },
      data: { status: { from: 'routed', to: 'assigned' }, version: { from: 2, to: 3 } },
    });
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it('keeps the answer’s text on the case, and closes after it', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, officer, record.radicado, assignTo('officer-1'));
    const answered = await actNow(w, officer, record.radicado, {
      type: 'respond',
      answer: 'La zona wifi se instala en marzo.',
      outcome: 'granted',
    });
    const closed = await actNow(w, officer, record.radicado, { type: 'close' });
    expect(answered.case).toMatchObject({
      status: 'answered',
      answer: { outcome: 'granted', late: false, text: 'La zona wifi se instala en marzo.' },
    });
    expect(closed.case).toMatchObject({ status: 'closed', allowedActions: [] });
    expect((await w.cases.get(record.radicado))?.answer?.text).toBe('La zona wifi se instala en marzo.');
  });

  it('reclassifies a kind into the term class the entity maps it to', async () => {
    // Prepare: Medellín maps complaints to the information term.
    const w = await world();
    const { record } = await fileRouted(w, petition({ entityId: 'MEDELLIN', kind: 'claim' }));
    const medellin = staff(['supervisor'], { entityId: 'MEDELLIN' });

    // Act
    const result = await actNow(w, medellin, record.radicado, {
      type: 'reclassify',
      kind: 'complaint',
      reason: 'Es una queja.',
    });

    // Assess
    expect(record.termClass).toBe('general');
    expect(result.case).toMatchObject({ kind: 'complaint', termClass: 'information' });
    expect(result.case.dueDate! < record.dueDate!).toBe(true);
  });
});

describe('actOnCase: forward (art. 21)', () => {
  const forward = { type: 'forward', toEntityId: 'SUPERSALUD', reason: 'Compete a la Superintendencia.' };

  it('files the linked case at the competent entity and closes the original, in one change', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w, petition({ category: 'telecommunications' }));

    // Act
    const result = await actNow(w, officer, record.radicado, forward);

    // Assess
    expect(result.linked).toEqual({ entityId: 'SUPERSALUD', radicado: 'SUPERSALUD-2026-000001' });
    expect(result.etag).toBe('"v3"');
    expect(result.case).toMatchObject({
      status: 'forwarded',
      forwardedTo: { entityId: 'SUPERSALUD', radicado: 'SUPERSALUD-2026-000001', late: false },
    });
    const linked = (await w.cases.get('SUPERSALUD-2026-000001')) as CaseRecord;
    expect(linked).toMatchObject({
      entityId: 'SUPERSALUD',
      status: 'received',
      forwardedFrom: { entityId: 'MINTIC', radicado: record.radicado },
      trackingHash: record.trackingHash,
      subject: record.subject,
    });
    expect((await w.cases.events(record.radicado)).at(-1)).toMatchObject({
      type: 'forwarded',
      data: { linkedRadicado: 'SUPERSALUD-2026-000001', toEntityId: 'SUPERSALUD', late: false },
    });
  });

  it('says when the forward is late (after the forwardBy date)', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    w.clock.advance(15 * DAY_MS);
    const result = await actNow(w, officer, record.radicado, forward);
    expect(result.case.forwardedTo).toMatchObject({ late: true });
    expect((await w.cases.events(record.radicado)).at(-1)?.data).toMatchObject({ late: true });
  });

  it('refuses a forward to itself or to no entity, filing nothing', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    const self = await refusalOf(actNow(w, officer, record.radicado, { ...forward, toEntityId: 'MINTIC' }));
    const nowhere = await refusalOf(actNow(w, officer, record.radicado, { ...forward, toEntityId: 'NOPE' }));
    expect(self).toMatchObject({ code: 'invalid', issues: [{ field: 'toEntityId' }] });
    expect(nowhere).toMatchObject({ code: 'invalid', issues: [{ field: 'toEntityId' }] });
    expect(w.cases.counter('SUPERSALUD', 2026) + w.cases.counter('NOPE', 2026)).toBe(0);
  });

  it('files nothing at the competent entity when the original changed meanwhile (412)', async () => {
    // Prepare: another officer's change lands as the linked case is being filed.
    const w = await world();
    const { record } = await fileRouted(w);
    onceBefore(w.cases, 'fileCase', () => actNow(w, supervisor, record.radicado, assignTo('b')));

    // Act
    const error = await refusalOf(
      actOnCase(w.act, officer, { radicado: record.radicado, ifMatch: etagOf(record), action: forward }),
    );

    // Assess
    expect(error).toMatchObject({ code: 'precondition_failed', problem: { currentTag: '"v3"' } });
    expect(w.cases.counter('SUPERSALUD', 2026)).toBe(0);
    expect(await w.cases.get(record.radicado)).toMatchObject({ status: 'assigned', officer: 'b' });
  });
});

describe('actOnCase: unclear, disrespectful and repeated petitions (Ley 1755 art. 19)', () => {
  it('rejects a disrespectful petition as a reasoned denial, and only so', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, supervisor, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    const asGrant = await refusalOf(
      actNow(w, supervisor, record.radicado, {
        type: 'respond',
        answer: 'Se rechaza.',
        outcome: 'granted',
        basis: 'disrespectful',
      }),
    );
    expect(asGrant).toMatchObject({ code: 'invalid', issues: [{ field: 'outcome' }] });
    expect(asGrant.message).toContain('art. 19');
    const rejected = await actNow(w, supervisor, record.radicado, {
      type: 'respond',
      answer: 'La petición contiene expresiones injuriosas contra los funcionarios.',
      outcome: 'denied',
      basis: 'disrespectful',
    });
    expect(rejected.case).toMatchObject({
      status: 'answered',
      answer: { outcome: 'denied', basis: 'disrespectful' },
    });
  });

  it('answers a repeated petition by reference to one of the entity already answered', async () => {
    const w = await world();
    const { record: first } = await fileRouted(w, petition({ subject: 'Primera' }));
    const { record: again } = await fileRouted(w, petition({ subject: 'Otra vez' }));
    const { record: elsewhere } = await fileRouted(
      w,
      petition({ entityId: 'SUPERSALUD', subject: 'Otra entidad' }),
    );
    for (const r of [first, again])
      await actNow(w, supervisor, r.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });
    const byReference = (reference: string) =>
      actNow(w, supervisor, again.radicado, {
        type: 'respond',
        answer: 'Nos remitimos a la respuesta dada.',
        outcome: 'granted',
        basis: 'repeated',
        reference,
      });
    // Not answered yet, another entity's, or no reference at all: refused, naming the field.
    expect(await refusalOf(byReference(first.radicado))).toMatchObject({ issues: [{ field: 'reference' }] });
    expect(await refusalOf(byReference(elsewhere.radicado))).toMatchObject({
      issues: [{ field: 'reference' }],
    });
    const bare = await refusalOf(
      actNow(w, supervisor, again.radicado, {
        type: 'respond',
        answer: 'x',
        outcome: 'granted',
        basis: 'repeated',
      }),
    );
    expect(bare).toMatchObject({ issues: [{ field: 'reference', code: 'required' }] });
    await actNow(w, supervisor, first.radicado, { type: 'respond', answer: 'Sí.', outcome: 'granted' });
    const answered = await byReference(first.radicado);
    expect(answered.case).toMatchObject({
      status: 'answered',
      answer: { basis: 'repeated', reference: first.radicado },
    });
    const event = (await w.cases.events(again.radicado)).at(-1)!;
    expect(event.data).toMatchObject({ basis: 'repeated', reference: first.radicado });
  });
});
