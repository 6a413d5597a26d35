/** The verdict on an audit trail: the chain and the recorded head (checkTrail is pure). */
import { describe, expect, it } from 'vitest';
import { checkTrail } from '#app/verifyAudit.ts';
import { type AuditEvent, chainEvent, GENESIS_HASH } from '#domain/case/audit.ts';

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
