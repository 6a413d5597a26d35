/**
 * The local queues' journal (infra/local/queueJournal.ts): what a run accepted and did not delete
 * is what the next run gets back, in order, across dead-letter moves, purges, a torn last line
 * and compactions.
 */
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE, openQueueJournal, type SqsMessage } from '#infra/local/queueJournal.ts';

const message = (id: string, body = `body of ${id}`): SqsMessage => ({
  messageId: id,
  body,
  md5OfBody: 'md5',
  messageAttributes: {},
  md5OfMessageAttributes: '',
  sentTimestamp: 1_700_000_000_000,
  approximateReceiveCount: 0,
});
const ids = (live: { message: SqsMessage }[]) => live.map((l) => l.message.messageId);
const fresh = () => mkdtempSync(join(tmpdir(), 'urna-journal-'));

describe('the queue journal', () => {
  it('gives the next run the messages not deleted, in order, the received ones with their receive time', async () => {
    const dir = fresh();
    const first = await openQueueJournal(dir);
    for (const id of ['a', 'b', 'c', 'd']) first.added('urna-participation', message(id));
    first.added('urna-routing', message('r1'));
    first.received('urna-participation', 'b');
    first.received('urna-participation', 'c');
    first.removed('urna-participation', 'c');
    await first.durable();
    // No close: a crash leaves the file as it is once durable() resolved.

    const second = await openQueueJournal(dir);
    const live = second.live('urna-participation');
    expect(ids(live)).toEqual(['a', 'b', 'd']);
    expect(live[0]).toEqual({ message: message('a') });
    expect(live[1]?.receivedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(ids(second.live('urna-routing'))).toEqual(['r1']);
    expect(second.live('urna-unknown')).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });

  it('moves a dead-lettered message (an add to the DLQ takes it from its queue), and forgets a purged queue', async () => {
    const dir = fresh();
    const first = await openQueueJournal(dir);
    first.added('q', message('m1'));
    first.added('q', message('m2'));
    first.received('q', 'm1');
    first.added('q-dlq', { ...message('m1'), approximateReceiveCount: 6 });
    first.added('other', message('o1'));
    first.purged('other');
    first.added('other', message('o2'));
    await first.close();

    const second = await openQueueJournal(dir);
    expect(ids(second.live('q'))).toEqual(['m2']);
    expect(second.live('q-dlq')).toEqual([{ message: { ...message('m1'), approximateReceiveCount: 6 } }]);
    expect(ids(second.live('other'))).toEqual(['o2']);
    await second.close();
  });

  it('skips a line torn by a crash, and compacts at start to the live messages only', async () => {
    const dir = fresh();
    const first = await openQueueJournal(dir);
    for (let i = 0; i < 50; i++) first.added('q', message(`m${i}`));
    for (let i = 0; i < 49; i++) first.removed('q', `m${i}`);
    await first.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"q":"q","add":{"messageId":"torn","bo');
    const before = statSync(join(dir, JOURNAL_FILE)).size;

    const second = await openQueueJournal(dir);
    expect(ids(second.live('q'))).toEqual(['m49']);
    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(before / 10);
    await second.close();
  });

  it('compacts while running once past its size, and what follows still replays', async () => {
    const dir = fresh();
    const journal = await openQueueJournal(dir, { compactBytes: 4096 });
    const big = 'x'.repeat(500);
    for (let i = 0; i < 40; i++) {
      journal.added('q', message(`m${i}`, big));
      await journal.durable();
      if (i < 39) journal.removed('q', `m${i}`);
    }
    journal.added('q', message('last'));
    await journal.durable();
    // 40 messages of 500 bytes went through; the file holds about the live two.
    expect(statSync(join(dir, JOURNAL_FILE)).size).toBeLessThan(4096);
    await journal.close();
    const again = await openQueueJournal(dir);
    expect(ids(again.live('q'))).toEqual(['m39', 'last']);
    await again.close();
  });

  it('has every line journalled before durable() on disk when it resolves', async () => {
    const dir = fresh();
    const journal = await openQueueJournal(dir);
    const waits = Array.from({ length: 20 }, (_, i) => {
      journal.added('q', message(`m${i}`));
      return journal.durable();
    });
    await Promise.all(waits);
    const text = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
    for (let i = 0; i < 20; i++) expect(text).toContain(`"messageId":"m${i}"`);
    await journal.close();
    await expect(journal.durable()).rejects.toThrow(/closed/);
  });
});
