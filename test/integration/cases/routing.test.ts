import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;

beforeAll(async () => {
  process.env.OUTBOX_GRACE_SECONDS = '0';
  system = await useLocalSystem({ schedulers: false });
  await seed();
});
afterAll(() => system?.stop());

/** A supervisor of the entity (every office) reads an inbox. */
const inbox = async (office: string, query = '', entity = 'MINTIC') =>
  call(system.baseUrl, 'GET', `/v1/inbox?office=${office}${query}`, {
    headers: { authorization: `Bearer ${await system.issuer.issue({ entity, roles: ['supervisor'] })}` },
  });

describe('routing to entity inboxes', () => {
  it('routes by category, keyword and default, and lists each inbox by due date', async () => {
    const a = (
      await call(system.baseUrl, 'POST', '/v1/cases', { body: petition({ category: 'digital_government' }) })
    ).body;
    const b = (
      await call(system.baseUrl, 'POST', '/v1/cases', {
        body: petition({
          subject: 'Sin internet en la escuela',
          description: 'La escuela no tiene servicio.',
        }),
      })
    ).body;
    const c = (
      await call(system.baseUrl, 'POST', '/v1/cases', {
        body: petition({
          kind: 'query',
          subject: 'Consulta sobre licencias',
          description: 'Pregunta general.',
        }),
      })
    ).body;
    await system.drain();
    const digital = await inbox('gobierno-digital');
    expect(digital.status).toBe(200);
    expect((digital.body.items as { radicado: string }[]).map((i) => i.radicado)).toContain(a.radicado);
    expect((await inbox('conectividad')).text).toContain(String(b.radicado));
    const general = (await inbox('atencion-ciudadano')).body.items as {
      radicado: string;
      dueDate: string;
      semaforo: string;
    }[];
    expect(general.map((i) => i.radicado)).toContain(c.radicado);
    const dues = general.map((i) => i.dueDate);
    expect(dues).toEqual([...dues].sort());
    // The audit trail has the filing and the routing, chained.
    const store = new DynamoCaseStore(system.ddb, system.tableName);
    const events = await store.events(String(a.radicado));
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed']);
    expect(verifyChain(events)).toEqual({ ok: true });
  });

  it('puts priority cases first, then by due date, with cursor pagination', async () => {
    for (let i = 0; i < 5; i++)
      await call(system.baseUrl, 'POST', '/v1/cases', {
        body: petition({ category: 'spectrum', subject: `Espectro ${i}` }),
      });
    const journalist = (
      await call(system.baseUrl, 'POST', '/v1/cases', {
        body: petition({ category: 'spectrum', petitioner: { ...petition().petitioner, journalist: true } }),
      })
    ).body;
    await system.drain();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await inbox('espectro', `&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...(page.body.items as { radicado: string }[]).map((i) => i.radicado));
      cursor = page.body.cursor as string | undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(seen[0]).toBe(journalist.radicado);
    expect(new Set(seen).size).toBe(6);
    expect(seen).toHaveLength(6);
  });

  it('marks a category outside the competence as forward suggested, with its forwardBy date', async () => {
    const filed = (
      await call(system.baseUrl, 'POST', '/v1/cases', { body: petition({ category: 'health_insurance' }) })
    ).body;
    await system.drain();
    const items = (await inbox('atencion-ciudadano', '&limit=100')).body.items as Record<string, unknown>[];
    const item = items.find((i) => i.radicado === filed.radicado);
    expect(item?.forwardSuggested).toEqual({
      category: 'health_insurance',
      suggestedEntities: ['SUPERSALUD'],
    });
    expect(String(item?.forwardBy)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('receives a kind the entity does not list and a petition lacking data: 201, flagged in the inbox', async () => {
    // Ley 1755 art. 15 par. 2: no petition is refused at the door; art. 21 and art. 17 say what follows.
    const query = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ entityId: 'MEDELLIN', kind: 'query', subject: 'Consulta sobre licencias' }),
    });
    const nameless = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ entityId: 'MEDELLIN', kind: 'petition', petitioner: { name: 'Ana' } }),
    });
    expect([query.status, nameless.status]).toEqual([201, 201]);
    expect(query.body).toMatchObject({ termClass: 'query', dueDate: expect.any(String) });
    await system.drain();
    const items = (await inbox('servicio-ciudadania', '&limit=100', 'MEDELLIN')).body.items as Record<
      string,
      unknown
    >[];
    const flagged = items.find((i) => i.radicado === query.body.radicado);
    expect(flagged?.forwardSuggested).toEqual({
      kind: 'query',
      suggestedEntities: expect.arrayContaining(['MINTIC']),
    });
    expect(flagged?.completionSuggested).toBeNull();
    expect(String(flagged?.forwardBy)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const incomplete = items.find((i) => i.radicado === nameless.body.radicado);
    expect(incomplete).toMatchObject({
      forwardSuggested: null,
      completionSuggested: { missing: ['petitioner.idType', 'petitioner.idNumber', 'petitioner.contact'] },
      completionRequestBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('refuses a bad cursor, an unknown office, and callers without identity', async () => {
    expect((await inbox('conectividad', '&cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await inbox('no-such-office')).status).toBe(404);
    expect((await call(system.baseUrl, 'GET', '/v1/inbox?office=conectividad')).status).toBe(401);
    // Another entity's office is not found for this caller.
    expect((await inbox('movilidad')).status).toBe(404);
    // An officer reads its own offices only.
    const officer = await system.issuer.issue({
      entity: 'MINTIC',
      roles: ['officer'],
      offices: ['espectro'],
    });
    const as = (office: string) =>
      call(system.baseUrl, 'GET', `/v1/inbox?office=${office}`, {
        headers: { authorization: `Bearer ${officer}` },
      });
    expect((await as('espectro')).status).toBe(200);
    expect((await as('conectividad')).status).toBe(403);
  });
});

describe('intake from other channels', () => {
  const url = () => system.queueUrls.intake;

  it('files a channel message once per (channel, externalId), even when redelivered', async () => {
    const message = {
      ...petition({ category: 'connectivity_programs' }),
      channel: 'email',
      externalId: 'mail-0001',
    };
    await system.sqs.send(new SendMessageCommand({ QueueUrl: url(), MessageBody: JSON.stringify(message) }));
    await system.sqs.send(new SendMessageCommand({ QueueUrl: url(), MessageBody: JSON.stringify(message) }));
    await system.drain();
    const items = (await inbox('conectividad', '&limit=100')).body.items as { channel: string }[];
    expect(items.filter((i) => i.channel === 'email')).toHaveLength(1);
  });

  it('records an invalid message as rejected with its reason and moves it to the DLQ at once', async () => {
    const bad = {
      ...petition({ petitioner: { name: 'X', idType: 'CC', idNumber: '1' } }),
      channel: 'call_centre',
      externalId: 'cc-77',
    };
    await system.sqs.send(new SendMessageCommand({ QueueUrl: url(), MessageBody: JSON.stringify(bad) }));
    await system.sqs.send(new SendMessageCommand({ QueueUrl: url(), MessageBody: 'not json' }));
    await system.drain();
    const rejection = await system.ddb.send(
      new GetCommand({
        TableName: system.tableName,
        Key: { pk: 'INTAKE#call_centre#cc-77', sk: 'REJECTED' },
      }),
    );
    expect(rejection.Item?.reason).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'petitioner.idNumber' })]),
    );
    const dlq = await system.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: system.dlqUrls.intake,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    const bodies = (dlq.Messages ?? []).map((m) => m.Body);
    expect(bodies).toContain(JSON.stringify(bad));
    expect(bodies).toContain('not json');
    expect(dlq.Messages?.[0]?.MessageAttributes?.rejected?.StringValue).toBe('validation');
  });
});
