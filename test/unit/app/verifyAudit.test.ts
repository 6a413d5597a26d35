/** The verdict on an audit trail: the chain and the recorded head (checkTrail is pure). */
import { describe, expect, it } from 'vitest';
import { checkTrail, verifyAudit, verifyEntityAudit } from '#app/verifyAudit.ts';
import { type AuditEvent, chainEvent, GENESIS_HASH } from '#domain/case/audit.ts';
import {
  ATENCION,
  actNow,
  admin,
  fileRouted,
  officer,
  otherSupervisor,
  refusalOf,
  supervisor,
  world,
} from './world.ts';

const RADICADO = 'MINTIC-2026-000007';

function trail(n: number, subject = RADICADO): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push(
      chainEvent(events.at(-1), {
        radicado: subject,
        type: i === 0 ? 'filed' : 'noted',
        at: `2026-03-0${i + 1}T10:00:00.000Z`,
        actor: { kind: 'system' },
        data: { i },
      }),
    );
  }
  return events;
}

const headOf = (events: AuditEvent[]) => ({ seq: events.at(-1)!.seq, hash: events.at(-1)!.hash });

describe('checkTrail', () => {
  it('holds for an untouched trail and reports its head', () => {
    const events = trail(4);
    expect(checkTrail(RADICADO, events, headOf(events))).toEqual({
      ok: true,
      events: 4,
      head: events[3]!.hash,
    });
  });

  it('catches edited content, a removed event, a relinked event', () => {
    const events = trail(4);
    const head = headOf(events);
    const edited = events.map((e) => (e.seq === 2 ? { ...e, data: { i: 99 } } : e));
    expect(checkTrail(RADICADO, edited, head)).toEqual({
      ok: false,
      events: 4,
      brokenAt: 2,
      reason: 'content does not match its hash',
    });
    const removed = events.filter((e) => e.seq !== 3);
    expect(checkTrail(RADICADO, removed, head)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'event 3 is missing',
    });
    const relinked = events.map((e) => (e.seq === 3 ? { ...e, prevHash: events[0]!.hash } : e));
    expect(checkTrail(RADICADO, relinked, head)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'does not link to the previous event',
    });
  });

  it('catches a deleted tail and an event appended behind the record’s back, through the head', () => {
    const events = trail(4);
    const head = headOf(events);
    expect(checkTrail(RADICADO, events.slice(0, 3), head)).toEqual({
      ok: false,
      events: 3,
      brokenAt: 4,
      reason: 'event 4 is missing (the recorded head is event 4)',
    });
    expect(checkTrail(RADICADO, events, headOf(events.slice(0, 3)))).toMatchObject({
      ok: false,
      brokenAt: 4,
    });
    expect(checkTrail(RADICADO, events, { seq: 4, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'does not match the recorded head hash',
    });
  });

  it('catches another subject’s trail copied in whole, hashes and all', () => {
    const other = trail(2, 'MINTIC-2026-000008');
    expect(checkTrail(RADICADO, other, headOf(other))).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: 'belongs to another trail',
    });
  });
});

describe('verifyAudit', () => {
  it('verifies a case’s trail for the entity’s supervisors and admins', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);
    await actNow(w, officer, record.radicado, { type: 'assign', office: ATENCION, officer: 'officer-1' });

    // Act
    const bySupervisor = await verifyAudit(w, record.radicado, supervisor);
    const byAdmin = await verifyAudit(w, record.radicado, admin);

    // Assess
    const head = (await w.cases.get(record.radicado))!.lastEventHash;
    expect(bySupervisor).toEqual({ ok: true, events: 3, head });
    expect(byAdmin).toEqual(bySupervisor);
  });

  it('is supervision: officers are refused; another entity’s case is not found, like an unknown one', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    expect((await refusalOf(verifyAudit(w, record.radicado, officer))).code).toBe('forbidden');
    expect((await refusalOf(verifyAudit(w, record.radicado, otherSupervisor))).code).toBe('not_found');
    expect((await refusalOf(verifyAudit(w, 'MINTIC-2026-999999', supervisor))).code).toBe('not_found');
    expect((await refusalOf(verifyAudit(w, 'MINTIC-2026-999999'))).code).toBe('not_found');
  });

  it('lets an operator (no officer: the CLI) verify any entity’s case', async () => {
    const w = await world();
    const { record } = await fileRouted(w);
    expect(await verifyAudit(w, record.radicado)).toMatchObject({ ok: true, events: 2 });
  });

  it('catches an edited event and a deleted tail as stored', async () => {
    // Prepare
    const w = await world();
    const { record } = await fileRouted(w);
    const events = await w.cases.events(record.radicado);
    const stored = (await w.cases.get(record.radicado))!;

    // Act
    w.cases.insert(stored, [events[0]!, { ...events[1]!, data: { office: 'espectro' } }]);
    const edited = await verifyAudit(w, record.radicado, supervisor);
    w.cases.insert(stored, [events[0]!]);
    const truncated = await verifyAudit(w, record.radicado, supervisor);

    // Assess
    expect(edited).toMatchObject({ ok: false, brokenAt: 2, reason: 'content does not match its hash' });
    expect(truncated).toMatchObject({ ok: false, brokenAt: 2 });
  });
});

describe('verifyEntityAudit', () => {
  it('holds for an entity never changed (no trail), and refuses an unknown entity', async () => {
    const w = await world();
    expect(await verifyEntityAudit({ settings: w.entities }, 'MINTIC')).toEqual({
      ok: true,
      events: 0,
      head: GENESIS_HASH,
    });
    expect((await refusalOf(verifyEntityAudit({ settings: w.entities }, 'NOPE'))).code).toBe('not_found');
  });

  it('catches a trail whose events were removed behind the entity’s recorded head', async () => {
    // Prepare: one audited change, then its event removed from the store.
    const w = await world();
    const change = chainEvent(undefined, {
      radicado: 'MINTIC',
      type: 'entity_settings_changed',
      at: '2026-03-03T15:00:00.000Z',
      actor: { kind: 'officer', id: 'admin-1' },
      data: {},
    });
    const current = (await w.entities.get('MINTIC'))!;
    await w.entities.saveSettings({
      entity: current,
      expectedVersion: 1,
      event: change,
      at: change.at,
      by: 'a',
    });
    w.entities.putTrail('MINTIC', []);

    // Act
    const report = await verifyEntityAudit({ settings: w.entities }, 'MINTIC');

    // Assess
    expect(report).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
