/**
 * The notice backstop (docs/adr/0011-notice-outbox.md): the Outbox pipe's delivery of a
 * filing's notice is dead-lettered (the notifications queue is gone meanwhile), and the next sweep
 * relays the notice from the notice outbox, sent once. On DynamoDB Local + fauxqs.
 */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '#adapters/notifier/outbox.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: LocalSystem;

beforeAll(async () => {
  process.env.OUTBOX_GRACE_SECONDS = '0';
  system = await useLocalSystem({ schedulers: false, pipeRetryDelayMs: 5, log: () => {} });
  await seed();
});
afterAll(() => system?.stop());

const outbox = async () => (await call(system.baseUrl, 'GET', '/local/outbox')).json as OutboxEntry[];
const waiting = async (url: string) =>
  Number(
    (
      await system.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
      )
    ).Attributes?.ApproximateNumberOfMessages ?? 0,
  );
const mark = async (radicado: string) =>
  (
    await system.ddb.send(
      new GetCommand({
        TableName: system.tableName,
        Key: { pk: `CASE#${radicado}`, sk: 'NOTICE#EVENT#000001' },
      }),
    )
  ).Item;

describe('notice outbox', () => {
  it('sends, on the next sweep, a notice whose pipe delivery was dead-lettered', async () => {
    // Prepare: the notifications queue is gone, so the pipe's delivery fails and is dead-lettered.
    const queueUrl = system.queueUrls.notifications;
    const pipeDlq = system.pipeDlqUrls.Outbox!;
    const { Attributes } = await system.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    await system.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'spectrum' }),
    });
    expect(filed.status, filed.text).toBe(201);
    const radicado = String(filed.body.radicado);
    await expect.poll(() => waiting(pipeDlq), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await mark(radicado)).toMatchObject({
      state: 'pending',
      gsi2pk: expect.stringMatching(/^OUTBOX#NOTICE#/),
    });
    const keep = ['VisibilityTimeout', 'RedrivePolicy'] as const;
    await system.sqs.send(
      new CreateQueueCommand({
        QueueName: queueUrl.split('/').at(-1),
        Attributes: Object.fromEntries(keep.map((k) => [k, Attributes?.[k] ?? ''])) as Partial<
          Record<QueueAttributeName, string>
        >,
      }),
    );
    await system.drain();
    expect((await outbox()).filter((n) => n.radicado === radicado)).toEqual([]);

    // Act
    await system.fire('Sweep');
    await system.drain();

    // Assess: told once; the mark is off the outbox, so a second sweep sends nothing more.
    const told = (await outbox()).filter((n) => n.radicado === radicado);
    expect(told.map((n) => n.kind)).toEqual(['filed']);
    const done = await mark(radicado);
    expect(done).toMatchObject({ state: 'sent' });
    expect(done?.gsi2pk).toBeUndefined();
    await system.fire('Sweep');
    await system.drain();
    expect((await outbox()).filter((n) => n.radicado === radicado)).toHaveLength(1);
  });
});
