/**
 * The SQS pollers behave as Lambda's event source mapping with ReportBatchItemFailures: real
 * SQSEvent batches, partial failures, whole-batch failures, redelivery, and the queue's own
 * RedrivePolicy moving a message to the DLQ after maxReceiveCount receives.
 */
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QUEUES } from '#infra/catalog.ts';
import { failedRecords } from '#infra/local/poller.ts';
import { FIXTURE_FUNCTIONS } from '#test/support/fixtures/functions.ts';
import { clearJournal, journal } from '#test/support/fixtures/journal.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;
const logged: string[] = [];
const intake = QUEUES.find((q) => q.name === 'intake')!;

beforeAll(async () => {
  system = await useLocalSystem({
    functions: FIXTURE_FUNCTIONS,
    schedulers: false,
    retryDelaySeconds: 0,
    pollerConcurrency: 1,
    log: (line) => logged.push(line),
  });
});
afterAll(() => system?.stop());
beforeEach(() => clearJournal());

/** Every record the consumer was handed, in order, with the batch it came in. */
function deliveries(): { record: SQSRecord; batch: string[]; id: string }[] {
  return journal()
    .filter((e) => e.fn === 'Consumer')
    .flatMap((e) => {
      const records = (e.event as SQSEvent).Records;
      const batch = records.map((r) => (JSON.parse(r.body) as { id: string }).id);
      return records.map((record) => ({ record, batch, id: (JSON.parse(record.body) as { id: string }).id }));
    });
}

async function send(...orders: { id: string; behaviour: string }[]): Promise<void> {
  await system.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: system.queueUrls.intake,
      Entries: orders.map((o, i) => ({ Id: String(i), MessageBody: JSON.stringify(o) })),
    }),
  );
}

async function dlqBodies(): Promise<{ id: string; receives: string | undefined }[]> {
  const out = await system.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: system.dlqUrls.intake,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return (out.Messages ?? []).map((m) => ({
    id: (JSON.parse(m.Body ?? '{}') as { id: string }).id,
    receives: m.Attributes?.ApproximateReceiveCount,
  }));
}

describe('queue consumer invocation', () => {
  it('hands the consumer a real SQSEvent', async () => {
    // Prepare
    const body = JSON.stringify({ id: 'shape', behaviour: 'ok' });
    // Act
    const sent = await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.intake,
        MessageBody: body,
        MessageAttributes: {
          channel: { DataType: 'String', StringValue: 'email' },
          blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 3]) },
        },
      }),
    );
    await system.drain();
    // Assess
    const [delivery] = deliveries();
    expect(delivery?.record).toMatchObject({
      messageId: sent.MessageId,
      body,
      md5OfBody: sent.MD5OfMessageBody,
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: expect.stringMatching(/^arn:aws:sqs:us-east-1:000000000000:urna-t[0-9a-f]+-intake$/),
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
      messageAttributes: {
        channel: { stringValue: 'email', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(Number(delivery?.record.attributes.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(Number(delivery?.record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(0);
    expect(delivery?.record.receiptHandle).toBeTruthy();
  });
});

describe('partial batch failure', () => {
  it('deletes the records that succeeded and dead-letters the one that keeps failing', async () => {
    // Act
    await send(
      { id: 'a', behaviour: 'ok' },
      { id: 'b', behaviour: 'fail' },
      { id: 'c', behaviour: 'fail-once' },
      { id: 'd', behaviour: 'ok' },
    );
    await system.drain();
    // Assess
    const seen = deliveries();
    const count = (id: string): number => seen.filter((d) => d.id === id).length;
    expect(count('a')).toBe(1);
    expect(count('d')).toBe(1);
    expect(count('c')).toBe(2);
    expect(seen.filter((d) => d.id === 'c').map((d) => d.record.attributes.ApproximateReceiveCount)).toEqual([
      '1',
      '2',
    ]);
    // Received maxReceiveCount times, then moved by the RedrivePolicy on the next receive.
    expect(count('b')).toBe(intake.maxReceiveCount);
    const dead = await dlqBodies();
    expect(dead.map((m) => m.id)).toEqual(['b']);
    expect(Number(dead[0]?.receives)).toBeGreaterThan(intake.maxReceiveCount);
    expect(logged.some((l) => l.startsWith('Consumer: 1 of'))).toBe(true);
  });
});

describe('a consumer that throws', () => {
  it('fails the whole batch: nothing deleted, every record delivered again', async () => {
    // Act
    await send({ id: 'boom', behaviour: 'throw-once' }, { id: 'sibling', behaviour: 'ok' });
    await system.drain();
    // Assess
    const seen = deliveries();
    const first = seen.find((d) => d.id === 'boom');
    expect(first?.batch).toEqual(['boom', 'sibling']);
    expect(
      seen.filter((d) => d.id === 'sibling').map((d) => d.record.attributes.ApproximateReceiveCount),
    ).toEqual(['1', '2']);
    expect(await dlqBodies()).toEqual([]);
    expect(logged.some((l) => l.includes('it threw Error: order boom blew up'))).toBe(true);
  });
});

describe('drain()', () => {
  it('waits for messages in flight and handlers still running', async () => {
    // Prepare
    await send({ id: 's1', behaviour: 'slow' }, { id: 's2', behaviour: 'slow' });
    const started = Date.now();
    // Act
    await system.drain();
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(
      deliveries()
        .map((d) => d.id)
        .sort(),
    ).toEqual(['s1', 's2']);
  });

  it('gives up after its timeout, saying what is left', async () => {
    await send({ id: 'slow-again', behaviour: 'slow' });
    await expect(system.drain({ timeoutMs: 50 })).rejects.toThrow(/still busy after 50 ms/);
    await system.drain();
  });
});

describe('reading a batch response by Lambda’s rules', () => {
  const ids = ['m1', 'm2'];
  it('counts no response, null, {} or an empty list as complete success', () => {
    for (const result of [undefined, null, {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(failedRecords(result, ids)).toEqual(new Set());
    }
  });
  it('fails only the records named', () => {
    expect(failedRecords({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids)).toEqual(new Set(['m2']));
  });
  it('fails the whole batch on an empty, unknown or missing itemIdentifier, or a malformed list', () => {
    for (const result of [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] },
      { batchItemFailures: [{ id: 'm1' }] },
      { batchItemFailures: 'm1' },
      'ok',
      [],
    ]) {
      expect(failedRecords(result, ids)).toBe('all');
    }
  });
});
