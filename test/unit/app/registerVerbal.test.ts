/** An officer registers a verbal petition (registerVerbal.ts; Decreto 1166 de 2016). */
import { describe, expect, it } from 'vitest';
import { registerVerbal } from '#app/registerVerbal.ts';
import { VERBAL_RECORD_MAX_HOURS } from '#domain/case/filing.ts';
import {
  communicator,
  HOUR_MS,
  NOW,
  officer,
  officerOfSpectrum,
  otherSupervisor,
  petition,
  refusalOf,
  supervisor,
  world,
} from './world.ts';

const inPerson = { channel: 'in_person' as const, place: 'Sede Bogotá' };

describe('registerVerbal', () => {
  it('files for the officer’s entity with the decree’s record, the channel the record says, the officer as actor', async () => {
    // Prepare
    const w = await world();

    // Act
    const filed = await registerVerbal(w.filing, officer, { filing: petition(), record: inPerson });

    // Assess
    const stored = await w.cases.get(filed.radicado);
    expect(stored).toMatchObject({
      channel: 'in_person',
      verbal: { officer: 'officer-1', channel: 'in_person', place: 'Sede Bogotá' },
      receivedAt: NOW,
    });
    const [event] = await w.cases.events(filed.radicado);
    expect(event).toMatchObject({
      actor: { kind: 'officer', id: 'officer-1' },
      data: { channel: 'in_person', verbal: { officer: 'officer-1' } },
    });
    expect(filed.trackingCode).not.toBe('');
  });

  it('is case work: a communicator may not register one', async () => {
    const w = await world();
    const error = await refusalOf(
      registerVerbal(w.filing, communicator, { filing: petition(), record: inPerson }),
    );
    expect(error.code).toBe('forbidden');
    expect(w.cases.all()).toEqual([]);
  });

  it('is for the officer’s own entity only', async () => {
    const w = await world();
    const error = await refusalOf(
      registerVerbal(w.filing, otherSupervisor, { filing: petition(), record: inPerson }),
    );
    expect(error).toMatchObject({ code: 'forbidden', issues: [{ field: 'filing.entityId' }] });
    expect(w.cases.all()).toEqual([]);
  });

  it(`takes a record made up to ${VERBAL_RECORD_MAX_HOURS} hours later, dated when the petition was made; not one later`, async () => {
    // Prepare
    const w = await world();
    const limit = new Date(Date.parse(NOW) - VERBAL_RECORD_MAX_HOURS * HOUR_MS).toISOString();
    const tooOld = new Date(Date.parse(NOW) - VERBAL_RECORD_MAX_HOURS * HOUR_MS - 1).toISOString();

    // Act
    const onTime = await registerVerbal(w.filing, officer, {
      filing: petition(),
      record: { channel: 'phone', receivedAt: limit },
    });
    const late = await refusalOf(
      registerVerbal(w.filing, officer, {
        filing: petition(),
        record: { channel: 'phone', receivedAt: tooOld },
      }),
    );

    // Assess
    expect(onTime.receivedAt).toBe(limit);
    expect(late).toMatchObject({ code: 'invalid', issues: [{ field: 'record.receivedAt' }] });
    expect(w.cases.counter('MINTIC', 2026)).toBe(1);
  });

  it('refuses a record dated in the future', async () => {
    const w = await world();
    const future = new Date(Date.parse(NOW) + HOUR_MS).toISOString();
    const error = await refusalOf(
      registerVerbal(w.filing, officer, {
        filing: petition(),
        record: { channel: 'phone', receivedAt: future },
      }),
    );
    expect(error.code).toBe('invalid');
    expect(w.cases.all()).toEqual([]);
  });

  it('answers a retried registration with the first filing; the key is the officer’s own', async () => {
    // Prepare
    const w = await world();
    const command = {
      filing: petition(),
      record: inPerson,
      idempotency: { key: 'desk-1', request: { a: 1 } },
    };
    const first = await registerVerbal(w.filing, officer, command);

    // Act
    const retried = await registerVerbal(w.filing, officer, command);
    const colleague = await registerVerbal(w.filing, officerOfSpectrum, command);
    const conflict = await refusalOf(
      registerVerbal(w.filing, officer, { ...command, idempotency: { key: 'desk-1', request: { a: 2 } } }),
    );

    // Assess
    expect(retried.radicado).toBe(first.radicado);
    expect(retried.trackingCode).toBe(first.trackingCode);
    expect(colleague.radicado).not.toBe(first.radicado);
    expect(conflict.code).toBe('invalid');
    expect(w.cases.counter('MINTIC', 2026)).toBe(2);
  });

  it('supervisors register too (case work), and the record names them', async () => {
    const w = await world();
    const filed = await registerVerbal(w.filing, supervisor, {
      filing: petition(),
      record: { channel: 'phone' },
    });
    expect((await w.cases.get(filed.radicado))?.verbal).toEqual({
      officer: 'supervisor-1',
      channel: 'phone',
    });
  });
});
