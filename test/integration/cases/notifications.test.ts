/**
 * Citizen notifications (issue 5), on DynamoDB Local + fauxqs: the audit event written by an
 * action IS the outbox (the Outbox pipe and the Relay put it on the notifications queue), the Notify
 * consumer sends each notice once through the local outbox notifier, and `GET /local/outbox`
 * reads what was sent.
 */
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoNoticeStore } from '#adapters/dynamodb/noticeStore.ts';
import type { OutboxEntry } from '#adapters/notifier/outbox.ts';
import { alertKey } from '#domain/case/watch.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { actAt } from './act.ts';
import { petition, petitioner } from './helpers.ts';

let system: LocalSystem;
let store: DynamoCaseStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  store = new DynamoCaseStore(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

const outbox = async () => (await call(system.baseUrl, 'GET', '/local/outbox')).json as OutboxEntry[];
const noticesOf = async (radicado: string) => (await outbox()).filter((n) => n.radicado === radicado);

async function fileWeb(body: Record<string, unknown>): Promise<string> {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body });
  expect(filed.status).toBe(201);
  return String(filed.body.radicado);
}

async function markOf(radicado: string, sk: string) {
  const out = await system.ddb.send(
    new GetCommand({ TableName: system.tableName, Key: { pk: `CASE#${radicado}`, sk: `NOTICE#${sk}` } }),
  );
  return out.Item;
}

describe('notices to the petitioner', () => {
  it('sends the filing notice once, with a receipt the registry verifies', async () => {
    const radicado = await fileWeb(petition({ category: 'spectrum' }));
    await system.drain();
    const notices = await noticesOf(radicado);
    expect(notices.map((n) => n.kind)).toEqual(['filed']);
    const [filed] = notices;
    expect(filed?.to).toEqual([petitioner.email]);
    expect(filed?.id).toBe(`${radicado}/EVENT#000001`);
    expect(filed?.subject).toBe(`Su PQRSD fue radicada — radicado ${radicado}`);
    const receipt = filed?.text.split('\n').find((line) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(line));
    expect(receipt).toBeDefined();
    const verified = await call(system.baseUrl, 'GET', `/v1/receipts/verify?receipt=${receipt}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true, registered: true, receipt: { radicado } });
    expect(await markOf(radicado, 'EVENT#000001')).toMatchObject({ state: 'sent', kind: 'filed' });

    // A redelivered message (the same event twice more) sends nothing again.
    for (let i = 0; i < 2; i++) {
      await system.sqs.send(
        new SendMessageCommand({
          QueueUrl: system.queueUrls.notifications,
          MessageBody: JSON.stringify({ radicado, sk: 'EVENT#000001' }),
        }),
      );
    }
    await system.drain();
    expect((await noticesOf(radicado)).map((n) => n.kind)).toEqual(['filed']);
  });

  it('gives a channel filing its tracking code in the filing notice (nobody else was shown it), and the code works', async () => {
    const message = {
      ...petition({ category: 'spectrum' }),
      channel: 'email',
      externalId: 'mail-tracking-1',
    };
    await system.sqs.send(
      new SendMessageCommand({ QueueUrl: system.queueUrls.intake, MessageBody: JSON.stringify(message) }),
    );
    await system.drain();
    const filed = (await outbox()).find(
      (n) => n.kind === 'filed' && n.text.includes('código de seguimiento es '),
    );
    expect(filed).toBeDefined();
    const code = /código de seguimiento es ([0-9A-Z-]+)/.exec(filed?.text ?? '')?.[1];
    expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    const followed = await call(system.baseUrl, 'GET', `/v1/cases/${filed?.radicado}`, {
      headers: { 'x-tracking-code': String(code) },
    });
    expect(followed.status).toBe(200);
    // Stored sealed, never in clear; a web filing (shown the code in its answer) keeps no copy.
    const stored = await store.get(String(filed?.radicado));
    expect(stored?.trackingSealed).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(String(code));
    const web = await fileWeb(petition({ category: 'spectrum' }));
    expect((await store.get(web))?.trackingSealed).toBeUndefined();
  });

  it('tells of an extension and of the answer, each once, and nothing of internal events', async () => {
    const radicado = await fileWeb(petition({ category: 'spectrum', subject: 'Licencia de radio' }));
    await system.drain();
    const now = () => new Date().toISOString();
    await actAt(store, radicado, { type: 'assign', office: 'espectro', officer: 'officer-sub-2' }, now());
    const assigned = await store.get(radicado);
    const newDueDate = String(assigned?.maxExtendedDue);
    await actAt(store, radicado, { type: 'extend', newDueDate, reason: 'Se consulta a la ANE.' }, now());
    await actAt(
      store,
      radicado,
      { type: 'respond', answer: 'Su licencia fue renovada hasta 2030.', outcome: 'granted' },
      now(),
    );
    await system.drain();
    const notices = await noticesOf(radicado);
    // One each; a standard queue does not keep their order (each notice stands on its own).
    expect(notices.map((n) => n.kind).sort()).toEqual(['answered', 'extended', 'filed']);
    const extended = notices.find((n) => n.kind === 'extended');
    expect(extended?.text).toContain('Motivos: Se consulta a la ANE.');
    expect(extended?.text).toContain(`de ${newDueDate.slice(0, 4)}`);
    const answered = notices.find((n) => n.kind === 'answered');
    expect(answered?.text).toContain('Su licencia fue renovada hasta 2030.');
    expect(answered?.text).toContain('(sentido: favorable)');
    // The assignment (event 3) is internal: no message, no mark.
    expect(await markOf(radicado, 'EVENT#000003')).toBeUndefined();
  });

  it('sends a notice whose email the provider refuses for good by SMS, without retrying it to the DLQ', async () => {
    const radicado = await fileWeb(
      petition({ category: 'spectrum', petitioner: { ...petitioner, email: 'nadie@example.invalid' } }),
    );
    await system.drain();
    const notices = await noticesOf(radicado);
    expect(notices.map((n) => [n.channel, n.kind])).toEqual([['sms', 'filed']]);
    expect(notices[0]?.to).toEqual(['+573001234567']);
    expect(await markOf(radicado, 'EVENT#000001')).toMatchObject({
      state: 'sent',
      channel: 'sms',
      failures: [{ channel: 'email' }],
    });
  });

  it('records a notice no channel takes as undeliverable', async () => {
    const radicado = await fileWeb(
      petition({
        category: 'spectrum',
        petitioner: { ...petitioner, email: 'nadie@example.invalid', phone: undefined },
      }),
    );
    await system.drain();
    expect(await noticesOf(radicado)).toEqual([]);
    // A filing notice is not published (its receipt was on the filing's answer): recorded undeliverable.
    expect(await markOf(radicado, 'EVENT#000001')).toMatchObject({
      state: 'skipped',
      reason: 'undeliverable',
    });
  });

  it('records a skipped notice for an anonymous report and sends nothing', async () => {
    const radicado = await fileWeb({
      entityId: 'MINTIC',
      kind: 'report',
      category: 'corruption',
      subject: 'Cobro indebido',
      description: 'Un funcionario pidió dinero por agilizar un trámite.',
      anonymous: true,
    });
    await system.drain();
    expect(await noticesOf(radicado)).toEqual([]);
    expect(await markOf(radicado, 'EVENT#000001')).toMatchObject({ state: 'skipped', reason: 'anonymous' });
  });
});

describe('exactly once, at least once', () => {
  it('takes over the claim of an attempt that died mid-send and sends the notice once', async () => {
    const radicado = await fileWeb(petition({ category: 'spectrum', subject: 'Reclamo de espectro' }));
    await system.drain();
    const sk = alertKey('red', '2030-01-15');
    // An attempt claimed this notice long ago and never completed (the process died).
    await system.ddb.send(
      new PutCommand({
        TableName: system.tableName,
        Item: {
          pk: `CASE#${radicado}`,
          sk: `NOTICE#${sk}`,
          radicado,
          state: 'sending',
          kind: 'alert_red',
          at: '2020-01-01T00:00:00.000Z',
          token: 'dead-attempt',
        },
      }),
    );
    const notices = new DynamoNoticeStore(system.ddb, system.tableName);
    const alert = {
      radicado,
      entityId: 'MINTIC',
      alert: 'red' as const,
      date: '2030-01-15',
      audience: { kind: 'office' as const, entityId: 'MINTIC', office: 'espectro' },
      kind: 'petition' as const,
      office: 'espectro',
      semaforo: 'red' as const,
      businessDaysUsed: 12,
      businessDaysLeft: 3,
      businessDaysOverdue: 0,
      totalTermDays: 15,
      at: new Date().toISOString(),
    };
    expect(await notices.putAlert(alert, sk)).toBe(true);
    expect(await notices.putAlert(alert, sk)).toBe(false);
    await system.drain();
    const sent = (await noticesOf(radicado)).filter((n) => n.kind === 'alert_red');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual(['office:MINTIC/espectro']);
    expect(await markOf(radicado, sk)).toMatchObject({ state: 'sent', kind: 'alert_red' });
  });
});

describe('GET /local/outbox', () => {
  it('lists the notices oldest first, each once, and refuses other methods', async () => {
    const all = await outbox();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    const times = all.map((n) => n.sentAt);
    expect(times).toEqual([...times].sort());
    expect((await call(system.baseUrl, 'POST', '/local/outbox')).status).toBe(405);
  });
});

describe('delivery reports (SES and SMS events on the deliveries queue)', () => {
  /** An SES event as the EventBridge rule puts it on the queue, for the notice's message. */
  async function report(radicado: string, eventType: 'Delivery' | 'Bounce', at: string) {
    const mark = await markOf(radicado, 'EVENT#000001');
    const detail = {
      eventType,
      mail: {
        messageId: String(mark?.messageId),
        destination: [petitioner.email],
        tags: { 'ses:configuration-set': ['urna-notices'], radicado: [radicado], event: ['1'] },
      },
      ...(eventType === 'Delivery'
        ? { delivery: { timestamp: at } }
        : { bounce: { bounceType: 'Permanent', timestamp: at } }),
    };
    await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.deliveries,
        MessageBody: JSON.stringify({ source: 'aws.ses', 'detail-type': `Email ${eventType}`, detail }),
      }),
    );
    await system.drain();
  }

  it('records the day a notice reached the petitioner, shown on their case', async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'spectrum' }),
    });
    const radicado = String(filed.body.radicado);
    await system.drain();
    // The local outbox delivers as it writes.
    const local = await markOf(radicado, 'EVENT#000001');
    const deliveredAt = String(local?.deliveredAt);
    expect(Date.parse(deliveredAt)).toBeLessThanOrEqual(Date.parse(String(local?.at)));
    // A provider's later report of the same message changes nothing: the delivery stands.
    await report(radicado, 'Delivery', '2030-01-01T00:00:00.000Z');
    expect((await markOf(radicado, 'EVENT#000001'))?.deliveredAt).toBe(deliveredAt);
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': String(filed.body.trackingCode) },
    });
    expect(view.body.notices).toEqual([
      expect.objectContaining({ kind: 'filed', channel: 'email', deliveredAt }),
    ]);
  });

  it('sends a bounced notice again by SMS, once, however often the bounce is reported', async () => {
    const radicado = await fileWeb(petition({ category: 'spectrum' }));
    await system.drain();
    const bounceAt = new Date().toISOString();
    await report(radicado, 'Bounce', bounceAt);
    await report(radicado, 'Bounce', bounceAt);
    const notices = await noticesOf(radicado);
    expect(notices.map((n) => [n.channel, n.kind])).toEqual([
      ['email', 'filed'],
      ['sms', 'filed'],
    ]);
    expect(await markOf(radicado, 'EVENT#000001')).toMatchObject({
      state: 'sent',
      channel: 'sms',
      failures: [{ channel: 'email', at: bounceAt }],
    });
  });

  it("lets go of reports about others' mail, and nothing reaches the dead-letter queue", async () => {
    await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.deliveries,
        MessageBody: JSON.stringify({
          source: 'aws.ses',
          detail: { eventType: 'Delivery', mail: { messageId: 'x', tags: {} }, delivery: {} },
        }),
      }),
    );
    await system.drain();
    const { Attributes = {} } = await system.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: system.dlqUrls.deliveries,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes.ApproximateNumberOfMessages).toBe('0');
  });
});
