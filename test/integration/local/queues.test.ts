/**
 * fauxqs with a data dir (infra/local/sqs.ts + queueJournal.ts, issue 16): what a queue answered
 * 200 to is back after a restart unless deleted, dead-letter moves included; a message a consumer
 * was handling when the run died comes back only after CRASH_VISIBILITY_SECONDS; without a data
 * dir nothing is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '#infra/local/dynamodb.ts';
import { type LocalSqs, startLocalSqs } from '#infra/local/sqs.ts';

const started: { sqs: LocalSqs; client: SQSClient }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    s.client.destroy();
    await s.sqs.stop();
  }
});

async function run(dataDir?: string) {
  const sqs = await startLocalSqs(dataDir ? { dataDir } : {});
  const client = new SQSClient({
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    endpoint: sqs.endpoint,
  });
  started.push({ sqs, client });
  // As resources.ts makes them: a DLQ, and a queue dead-lettering after 2 receives.
  const { QueueUrl: dlq = '' } = await client.send(new CreateQueueCommand({ QueueName: 'urna-work-dlq' }));
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
  );
  const { QueueUrl: queue = '' } = await client.send(
    new CreateQueueCommand({
      QueueName: 'urna-work',
      Attributes: {
        VisibilityTimeout: '180',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.QueueArn, maxReceiveCount: 2 }),
      },
    }),
  );
  const receive = async (url: string, visibility?: number): Promise<Message[]> =>
    (
      await client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
        }),
      )
    ).Messages ?? [];
  const counts = async (url: string) => {
    const { Attributes: a = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return {
      visible: Number(a.ApproximateNumberOfMessages),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed),
    };
  };
  return { sqs, client, dlq, queue, receive, counts };
}

describe('local queues with a data dir', () => {
  it('keep what they accepted across a restart: not the deleted, the dead-lettered in the DLQ, the received hidden', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'urna-queues-'));
    const first = await run(dataDir);
    // 'poison' received twice (failing: visible again at once), moved to the DLQ on the 3rd receive.
    await first.client.send(new SendMessageCommand({ QueueUrl: first.queue, MessageBody: 'poison' }));
    const poisonId = (await first.receive(first.queue, 0))[0]?.MessageId;
    expect((await first.receive(first.queue, 0)).map((m) => m.MessageId)).toEqual([poisonId]);
    expect(await first.receive(first.queue, 0)).toEqual([]);
    // 'handled' received and deleted.
    await first.client.send(new SendMessageCommand({ QueueUrl: first.queue, MessageBody: 'handled' }));
    const handled = await first.receive(first.queue);
    expect(handled.map((m) => m.Body)).toEqual(['handled']);
    await first.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: first.queue,
        Entries: [{ Id: '0', ReceiptHandle: handled[0]?.ReceiptHandle ?? '' }],
      }),
    );
    // Accepted after that: one waiting, one being handled when the run dies.
    await first.client.send(
      new SendMessageBatchCommand({
        QueueUrl: first.queue,
        Entries: [
          { Id: '1', MessageBody: 'waiting' },
          { Id: '2', MessageBody: 'in flight' },
        ],
      }),
    );
    const inFlight = await first.receive(first.queue);
    expect(inFlight.map((m) => m.Body)).toEqual(['waiting', 'in flight']);
    await first.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: first.queue,
        Entries: [{ Id: '0', ReceiptHandle: inFlight[0]?.ReceiptHandle ?? '' }],
      }),
    );
    await first.client.send(new SendMessageCommand({ QueueUrl: first.queue, MessageBody: 'waiting 2' }));

    // Act: another run on the same data (the first one's answers are on disk: no stop needed).
    const second = await run(dataDir);

    // Assess
    expect((await second.receive(second.dlq)).map((m) => [m.Body, m.MessageId])).toEqual([
      ['poison', poisonId],
    ]);
    expect(await second.counts(second.queue)).toEqual({ visible: 1, delayed: 1 });
    expect((await second.receive(second.queue)).map((m) => m.Body)).toEqual(['waiting 2']);
    const journal = readFileSync(join(dataDir, 'queues', 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain('"handled"');
  });

  it('write nothing without a data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'urna-queues-'));
    const mem = await run();
    await mem.client.send(new SendMessageCommand({ QueueUrl: mem.queue, MessageBody: 'x' }));
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(process.cwd(), 'queues'))).toBe(false);
  });
});
