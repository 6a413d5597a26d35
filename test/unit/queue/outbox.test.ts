/**
 * The outbox's routes (shared/queue/outbox.ts): which stream records the Relay sends where, and
 * that a queue refusing fails the batch (the pipe retries it) after the other queue got its own.
 */
import { describe, expect, it } from 'vitest';
import type { MessageQueue } from '#ports/index.ts';
import type { Json } from '#shared/queue/eventPattern.ts';
import { type OutboxQueue, relay, sortRecords } from '#shared/queue/outbox.ts';

/** A stream record as a pipe delivers it (string attributes only). */
function record(eventName: string, image: Record<string, string>): Json {
  return {
    eventName,
    dynamodb: {
      Keys: { pk: { S: image.pk ?? '' }, sk: { S: image.sk ?? '' } },
      NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])),
    },
  };
}
const R = 'MINTIC-2026-000042';
const kase = { pk: `CASE#${R}`, sk: 'CASE', radicado: R };
const event = (type: string, seq = 2) => ({
  pk: `AUDIT#CASE#${R}`,
  sk: `EVENT#${String(seq).padStart(6, '0')}`,
  radicado: R,
  type,
});

class FakeQueue implements MessageQueue<Record<string, string>> {
  sent: Record<string, string>[] = [];
  constructor(private readonly refuse = false) {}
  async send(messages: readonly Record<string, string>[]): Promise<void> {
    if (this.refuse) throw new Error('QueueDoesNotExist');
    this.sent.push(...messages);
  }
}

describe('the outbox routes', () => {
  it('send a case INSERT to routing, a notified event or an alert to notifications, in stream order', () => {
    const sorted = sortRecords([
      record('INSERT', kase),
      record('INSERT', event('filed', 1)),
      record('INSERT', { pk: `CASE#${R}`, sk: 'ALERT#yellow#2026-12-10', radicado: R, type: 'alert' }),
      record('INSERT', event('replied', 3)),
    ]);
    expect(sorted.messages.get('routing')).toEqual([{ radicado: R }]);
    expect(sorted.messages.get('notifications')).toEqual([
      { radicado: R, sk: 'EVENT#000001' },
      { radicado: R, sk: 'ALERT#yellow#2026-12-10' },
      { radicado: R, sk: 'EVENT#000003' },
    ]);
    expect(sorted).toMatchObject({ ignored: 0, incomplete: 0 });
  });

  it('send nothing for what the pipe would not pass: updates, internal events, marks, counters', () => {
    const sorted = sortRecords([
      record('MODIFY', kase),
      record('INSERT', event('routed')),
      record('INSERT', event('assigned')),
      record('MODIFY', event('answered')),
      record('INSERT', { pk: `CASE#${R}`, sk: 'NOTICE#EVENT#000001', radicado: R }),
      record('INSERT', { pk: 'COUNTER#MINTIC#2026', sk: 'COUNTER' }),
    ]);
    expect(sorted.messages.size).toBe(0);
    expect(sorted.ignored).toBe(6);
  });

  it('count, and do not send, a record a route takes that lacks a field of its message', () => {
    const { radicado: _r, ...noRadicado } = kase;
    const sorted = sortRecords([record('INSERT', noRadicado)]);
    expect(sorted.messages.size).toBe(0);
    expect(sorted.incomplete).toBe(1);
  });
});

describe('relay', () => {
  it('sends each queue its messages', async () => {
    const queues: Record<OutboxQueue, FakeQueue> = {
      routing: new FakeQueue(),
      notifications: new FakeQueue(),
    };
    await relay(queues, [record('INSERT', kase), record('INSERT', event('filed', 1))]);
    expect(queues.routing.sent).toEqual([{ radicado: R }]);
    expect(queues.notifications.sent).toEqual([{ radicado: R, sk: 'EVENT#000001' }]);
  });

  it('fails the batch when a queue refuses, after the other queue got its messages', async () => {
    const queues: Record<OutboxQueue, FakeQueue> = {
      routing: new FakeQueue(),
      notifications: new FakeQueue(true),
    };
    await expect(
      relay(queues, [record('INSERT', kase), record('INSERT', event('filed', 1))]),
    ).rejects.toThrow('QueueDoesNotExist');
    expect(queues.routing.sent).toEqual([{ radicado: R }]);
  });

  it('calls no queue for a batch with nothing to send', async () => {
    const queues: Record<OutboxQueue, FakeQueue> = {
      routing: new FakeQueue(true),
      notifications: new FakeQueue(true),
    };
    await expect(relay(queues, [record('MODIFY', kase)])).resolves.toMatchObject({ ignored: 1 });
  });
});
