/**
 * The in-memory CaseStore keeps the port's contract (shared/ports/index.ts) where it is easy to
 * get wrong: radicados, idempotency, optimistic concurrency, the inbox order and its cursors.
 */
import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent } from '#domain/case/audit.ts';
import type { CaseRecord } from '#domain/case/case.ts';
import { dayStart } from '#domain/case/nextAlert.ts';
import { formatRadicado } from '#domain/case/radicado.ts';
import { addBusinessDays } from '#domain/clock/index.ts';
import {
  type CaseChange,
  type FileCaseInput,
  InvalidCursorError,
  RadicadoBusyError,
  StaleCaseError,
} from '#ports/index.ts';
import { InMemoryCaseStore } from '#test/support/fakes/index.ts';

const NOW = Date.parse('2026-03-03T15:00:00Z');

function record(radicado: string, overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    radicado,
    entityId: radicado.split('-')[0]!,
    kind: 'petition',
    termClass: 'general',
    ruleSet: 'ordinary',
    channel: 'web',
    subject: 's',
    description: 'd',
    anonymous: false,
    priority: false,
    receivedAt: '2026-03-03T15:00:00.000Z',
    clockSettings: {},
    status: 'received',
    trackingHash: 'h',
    contentSha256: 'c',
    receivedOn: '2026-03-03',
    dueDate: '2026-03-24',
    maxExtendedDue: '2026-04-15',
    forwardBy: '2026-03-10',
    completionRequestBy: '2026-03-17',
    version: 1,
    lastEventSeq: 1,
    lastEventHash: 'x',
    ...overrides,
  };
}

function filing(
  entityId: string,
  extra: Partial<FileCaseInput<{ radicado: string }>> = {},
): FileCaseInput<{ radicado: string }> {
  const year = extra.year ?? 2026;
  return {
    entityId,
    year,
    now: NOW,
    deadline: NOW + 1000,
    build: async (seq) => {
      const radicado = formatRadicado(entityId, year, seq);
      const event = chainEvent(undefined, {
        radicado,
        type: 'filed',
        at: '2026-03-03T15:00:00.000Z',
        actor: { kind: 'citizen' },
        data: {},
      });
      return {
        record: record(radicado, { lastEventSeq: event.seq, lastEventHash: event.hash }),
        event,
        respond: async () => ({ radicado }),
      };
    },
    ...extra,
  };
}

const claim = (requestHash: string, expiresAt?: number) => ({
  scope: 'http',
  key: 'k1',
  requestHash,
  ...(expiresAt !== undefined ? { expiresAt } : {}),
});

/** The next change of a stored case: version + 1, one more event. */
function changeOf(before: CaseRecord, events: AuditEvent[], patch: Partial<CaseRecord> = {}): CaseChange {
  const event = chainEvent(events.at(-1), {
    radicado: before.radicado,
    type: 'assigned',
    at: '2026-03-04T15:00:00.000Z',
    actor: { kind: 'officer', id: 'o' },
    data: {},
  });
  return {
    before,
    after: {
      ...before,
      ...patch,
      version: before.version + 1,
      lastEventSeq: event.seq,
      lastEventHash: event.hash,
    },
    event,
  };
}

describe('InMemoryCaseStore.fileCase', () => {
  it('numbers each (entity, year) from 1, consecutively, and the counters apart', async () => {
    // Prepare
    const store = new InMemoryCaseStore();

    // Act
    const outcomes = [
      await store.fileCase(filing('MINTIC')),
      await store.fileCase(filing('MINTIC')),
      await store.fileCase(filing('SUPERSALUD')),
      await store.fileCase(filing('MINTIC', { year: 2027 })),
    ];

    // Assess
    expect(outcomes.map((o) => (o.kind === 'created' ? o.record.radicado : o.kind))).toEqual([
      'MINTIC-2026-000001',
      'MINTIC-2026-000002',
      'SUPERSALUD-2026-000001',
      'MINTIC-2027-000001',
    ]);
    expect(store.counter('MINTIC', 2026)).toBe(2);
    expect(store.counter('MINTIC', 2027)).toBe(1);
  });

  it('replays a key with the same request, refuses it with another, takes an expired one over', async () => {
    // Prepare
    const store = new InMemoryCaseStore();
    const expiresAt = NOW / 1000 + 60;
    const first = await store.fileCase(filing('MINTIC', { idempotency: claim('a', expiresAt) }));

    // Act
    const replay = await store.fileCase(filing('MINTIC', { idempotency: claim('a', expiresAt) }));
    const conflict = await store.fileCase(filing('MINTIC', { idempotency: claim('b', expiresAt) }));
    const later = NOW + 61_000;
    const after = await store.fileCase(
      filing('MINTIC', { idempotency: claim('b', later / 1000 + 60), now: later, deadline: later + 1000 }),
    );

    // Assess
    expect(first).toMatchObject({ kind: 'created', response: { radicado: 'MINTIC-2026-000001' } });
    expect(replay).toEqual({ kind: 'replayed', response: { radicado: 'MINTIC-2026-000001' } });
    expect(conflict).toEqual({ kind: 'key_conflict' });
    expect(after).toMatchObject({ kind: 'created', response: { radicado: 'MINTIC-2026-000002' } });
    expect(store.counter('MINTIC', 2026)).toBe(2);
  });

  it('starts no attempt at or after the deadline', async () => {
    const store = new InMemoryCaseStore();
    await expect(store.fileCase(filing('MINTIC', { deadline: NOW }))).rejects.toBeInstanceOf(
      RadicadoBusyError,
    );
    expect(store.counter('MINTIC', 2026)).toBe(0);
  });

  it('files nothing when the case changed alongside has moved', async () => {
    // Prepare: a stored case, and a change based on an older version of it.
    const store = new InMemoryCaseStore();
    const created = await store.fileCase(filing('SUPERSALUD'));
    if (created.kind !== 'created') throw new Error('not created');
    const original = created.record;
    const events = await store.events(original.radicado);
    await store.commit(changeOf(original, events, { status: 'routed' }));

    // Act
    const filed = store.fileCase(filing('MINTIC', { alongside: () => changeOf(original, events) }));

    // Assess
    await expect(filed).rejects.toBeInstanceOf(StaleCaseError);
    expect(store.counter('MINTIC', 2026)).toBe(0);
    expect(await store.get('MINTIC-2026-000001')).toBeUndefined();
  });
});

describe('InMemoryCaseStore.commit', () => {
  it('writes a change based on the stored version, refuses one based on an older version', async () => {
    // Prepare
    const store = new InMemoryCaseStore();
    await store.fileCase(filing('MINTIC'));
    const before = (await store.get('MINTIC-2026-000001'))!;
    const events = await store.events(before.radicado);
    const a = changeOf(before, events, { officer: 'a' });
    const b = changeOf(before, events, { officer: 'b' });

    // Act
    await store.commit(a);
    const second = store.commit(b);

    // Assess
    await expect(second).rejects.toBeInstanceOf(StaleCaseError);
    expect(await store.get(before.radicado)).toMatchObject({ officer: 'a', version: 2 });
    expect((await store.events(before.radicado)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('keeps no alias of what it was given or gave', async () => {
    const store = new InMemoryCaseStore();
    await store.fileCase(filing('MINTIC'));
    const read = (await store.get('MINTIC-2026-000001'))!;
    read.subject = 'changed by the caller';
    expect((await store.get('MINTIC-2026-000001'))?.subject).toBe('s');
  });
});

describe('InMemoryCaseStore listings', () => {
  function inOffice(seq: number, overrides: Partial<CaseRecord>): CaseRecord {
    return record(formatRadicado('MINTIC', 2026, seq), { status: 'routed', office: 'o1', ...overrides });
  }

  it('lists an inbox priority first, then by due date (none last), in pages', async () => {
    // Prepare
    const store = new InMemoryCaseStore();
    store.insert(inOffice(1, { dueDate: '2026-03-20' }));
    store.insert(inOffice(2, { dueDate: '2026-03-25', priority: true }));
    store.insert(inOffice(3, { dueDate: null, status: 'awaiting_completion' }));
    store.insert(inOffice(4, { dueDate: '2026-03-18' }));
    store.insert(inOffice(5, { dueDate: '2026-03-10', status: 'closed' }));
    store.insert(inOffice(6, { dueDate: '2026-03-10', office: 'o2' }));

    // Act
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listInbox('MINTIC', 'o1', { limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((c) => c.radicado.slice(-1)));
      cursor = page.cursor;
    } while (cursor);

    // Assess
    expect(pages).toEqual([
      ['2', '4'],
      ['1', '3'],
    ]);
  });

  it('refuses a cursor it did not give, or gave for another listing', async () => {
    const store = new InMemoryCaseStore();
    store.insert(inOffice(1, {}));
    store.insert(inOffice(2, {}));
    const { cursor } = await store.listInbox('MINTIC', 'o1', { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(store.listInbox('MINTIC', 'o2', { limit: 1, cursor: cursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    await expect(store.listInbox('MINTIC', 'o1', { limit: 1, cursor: 'junk' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('places pending cases by their first alert instant, moves them on the version read', async () => {
    // Prepare: filed 2026-03-03 (general term, yellow on its 8th business day); one filed a month
    // earlier (red when last written: due then); one suspended; one answered.
    const store = new InMemoryCaseStore();
    store.insert(inOffice(1, {}));
    store.insert(
      inOffice(2, {
        status: 'awaiting_completion',
        clockEvents: [{ type: 'completion_requested', at: '2026-03-04T10:00:00-05:00' }],
      }),
    );
    store.insert(
      inOffice(3, { receivedAt: '2026-02-02T15:00:00.000Z', updatedAt: '2026-03-03T15:00:00.000Z' }),
    );
    store.insert(inOffice(4, { status: 'answered' }));
    const yellow = dayStart(addBusinessDays('2026-03-03', 8));

    // Act
    const due = await store.listWatched('MINTIC', yellow, { limit: 10 });
    const moved = await store.moveWatch({ case: inOffice(1, {}), at: yellow }, '2026-04-01T05:00:00.000Z');
    const refused = await store.moveWatch(
      { case: inOffice(3, { version: 7 }), at: '2026-03-03T15:00:00.000Z' },
      null,
    );
    // Another run's move of the same read, after the first: its place is gone.
    const stale = await store.moveWatch({ case: inOffice(1, {}), at: yellow }, null);
    const all = await store.listWatched('MINTIC', '9999-12-31', { limit: 10 });

    // Assess
    expect(due.items.map((w) => [w.case.radicado.slice(-1), w.at])).toEqual([
      ['3', '2026-03-03T15:00:00.000Z'],
      ['1', yellow],
    ]);
    expect([moved, refused, stale]).toEqual([true, false, false]);
    expect(all.items.map((w) => w.case.radicado.slice(-1))).toEqual(['3', '1', '2']);
    expect(store.watchedAt(formatRadicado('MINTIC', 2026, 4))).toBeUndefined();
  });
});
