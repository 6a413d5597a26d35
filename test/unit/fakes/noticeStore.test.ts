/** The in-memory NoticeStore's claims keep the port's contract (shared/ports/notifications.ts). */
import { describe, expect, it } from 'vitest';
import { InMemoryCaseStore, InMemoryNoticeStore } from '#test/support/fakes/index.ts';

const R = 'MINTIC-2026-000001';
const SK = 'EVENT#000001';
const claim = (token: string, at: string, staleBefore = '2026-03-03T14:59:00.000Z') => ({
  token,
  kind: 'filed',
  at,
  staleBefore,
});

describe('InMemoryNoticeStore claims', () => {
  it('claims once; a fresh claim is busy, a stale one is taken over, a completed one is done', async () => {
    // Prepare
    const store = new InMemoryNoticeStore(new InMemoryCaseStore());

    // Act
    const first = await store.claim(R, SK, claim('a', '2026-03-03T15:00:00.000Z'));
    const racing = await store.claim(R, SK, claim('b', '2026-03-03T15:00:01.000Z'));
    const takeover = await store.claim(
      R,
      SK,
      claim('c', '2026-03-03T15:10:00.000Z', '2026-03-03T15:09:00.000Z'),
    );
    await store.complete(R, SK, { state: 'sent', kind: 'filed', at: '2026-03-03T15:10:01.000Z', token: 'c' });
    const after = await store.claim(
      R,
      SK,
      claim('d', '2026-03-03T16:00:00.000Z', '2026-03-03T15:59:00.000Z'),
    );

    // Assess
    expect([first, racing, takeover, after]).toEqual(['claimed', 'busy', 'claimed', 'done']);
    expect(await store.mark(R, SK)).toEqual({ state: 'sent', kind: 'filed', at: '2026-03-03T15:10:01.000Z' });
  });

  it('releases only its own claim, to pending, and records a skip only over nothing, pending or its own claim', async () => {
    // Prepare
    const store = new InMemoryNoticeStore(new InMemoryCaseStore());
    await store.claim(R, SK, claim('a', '2026-03-03T15:00:00.000Z'));

    // Act
    await store.release(R, SK, 'someone-else', { kind: 'filed', at: '2026-03-03T15:00:05.000Z' });
    const kept = await store.mark(R, SK);
    await store.complete(R, SK, { state: 'skipped', kind: 'filed', at: 'x', reason: 'no_email' });
    const notSkipped = await store.mark(R, SK);
    await store.release(R, SK, 'a', { kind: 'filed', at: '2026-03-03T15:00:06.000Z' });
    const released = await store.mark(R, SK);
    const outbox = await store.unnotified('2026-03-03T16:00:00.000Z', 10);
    await store.complete(R, SK, { state: 'skipped', kind: 'filed', at: 'y', reason: 'no_email' });

    // Assess
    expect(kept).toMatchObject({ state: 'sending', token: 'a' });
    expect(notSkipped).toMatchObject({ state: 'sending', token: 'a' });
    expect(released).toEqual({ state: 'pending', kind: 'filed', at: '2026-03-03T15:00:06.000Z' });
    expect(outbox).toEqual([{ radicado: R, sk: SK }]);
    expect(await store.mark(R, SK)).toMatchObject({ state: 'skipped', reason: 'no_email' });
    expect(await store.unnotified('2026-03-03T16:00:00.000Z', 10)).toEqual([]);
  });
});
