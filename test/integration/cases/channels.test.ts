/**
 * Issue 13 on DynamoDB Local + fauxqs: a phone-only call-centre filing gets its notices by SMS (the
 * outbox, channel `sms`); an anonymous report's answer is published on the entity's notices list.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoEntityStore } from '#adapters/dynamodb/entityStore.ts';
import { DynamoPublicationStore } from '#adapters/dynamodb/publicationStore.ts';
import type { OutboxEntry } from '#adapters/notifier/outbox.ts';
import { publicationPeriod, smsSize } from '#domain/channels.ts';
import { bogotaDay } from '#domain/clock/dates.ts';
import { addBusinessDays, nextBusinessDay } from '#domain/clock/index.ts';
import type { PublicNotice } from '#domain/publication.ts';
import { PublicNoticesPageSchema } from '#http/routes/notices.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';

let system: LocalSystem;
let cases: DynamoCaseStore;
let publications: DynamoPublicationStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  await seed();
  cases = new DynamoCaseStore(system.ddb, system.tableName);
  publications = new DynamoPublicationStore(system.ddb, system.tableName);
});
afterAll(() => system?.stop());

const outbox = async () => (await call(system.baseUrl, 'GET', '/local/outbox')).json as OutboxEntry[];

async function supervisor(): Promise<string> {
  return system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'], offices: [], subject: 'sup-1' });
}

/** An officer's action with the case's current ETag (If-Match). */
async function act(radicado: string, bearer: string, body: unknown): Promise<Reply> {
  const headers = { authorization: `Bearer ${bearer}` };
  const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers });
  const etag = view.headers.get('etag') ?? '';
  return call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
    body,
    headers: { ...headers, 'if-match': etag },
  });
}

/** Assigns the case in its office, then answers it. */
async function answer(radicado: string, text: string): Promise<void> {
  const bearer = await supervisor();
  const stored = await cases.get(radicado);
  const assigned = await act(radicado, bearer, {
    type: 'assign',
    office: stored?.office,
    officer: 'officer-1',
  });
  expect(assigned.status).toBe(200);
  const answered = await act(radicado, bearer, { type: 'respond', answer: text, outcome: 'granted' });
  expect(answered.status).toBe(200);
}

async function markOf(radicado: string, type: string) {
  const event = (await cases.events(radicado)).find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} event`);
  const sk = `NOTICE#EVENT#${String(event.seq).padStart(6, '0')}`;
  const out = await system.ddb.send(
    new GetCommand({
      TableName: system.tableName,
      Key: { pk: `CASE#${radicado}`, sk },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

describe('a call-centre filing with only a phone', () => {
  it('gets the radicado and a working tracking code by SMS, and the answer notice by SMS too', async () => {
    const message = {
      channel: 'call_centre',
      externalId: 'cc-phone-only-1',
      entityId: 'MINTIC',
      kind: 'petition',
      subject: 'Zona wifi sin servicio',
      description: 'La zona wifi de la vereda La Palma no funciona desde hace un mes.',
      petitioner: { name: 'Luis Gómez Ruiz', idType: 'CC', idNumber: '79111222', phone: '300 555 0101' },
    };
    await system.sqs.send(
      new SendMessageCommand({ QueueUrl: system.queueUrls.intake, MessageBody: JSON.stringify(message) }),
    );
    await system.drain();

    const filed = (await outbox()).find((n) => n.kind === 'filed' && n.to.includes('+573005550101'));
    expect(filed).toMatchObject({ channel: 'sms', to: ['+573005550101'] });
    const radicado = String(filed?.radicado);
    const text = String(filed?.text);
    const code = /Codigo ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})\./.exec(text)?.[1];
    expect(code).toBeDefined();
    expect(text).toContain(`Radicado ${radicado}.`);
    expect(text).toMatch(/Respuesta hasta \d{2}\/\d{2}\/\d{4}\./);
    expect(text.endsWith(` ${system.baseUrl}/v1/cases/${radicado}`)).toBe(true);
    expect(smsSize(text)).toMatchObject({ encoding: 'gsm7', parts: 1 });
    expect(text.length).toBeLessThanOrEqual(160);

    const followed = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': String(code) },
    });
    expect(followed.status).toBe(200);
    expect(followed.body).toMatchObject({ radicado, status: 'routed', answer: null });
    expect(await markOf(radicado, 'filed')).toMatchObject({ state: 'sent', channel: 'sms' });

    await answer(radicado, 'Señor Luis Gómez: la zona wifi se reparó el 3 de marzo.');
    await system.drain();
    const later = (await outbox()).filter((n) => n.radicado === radicado && n.kind === 'answered');
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ channel: 'sms', to: ['+573005550101'] });
    expect(later[0]?.text).toContain(`${radicado}: respuesta a su PQRSD (favorable).`);
    expect(later[0]?.text).not.toContain('se reparó');
    // The answer is read where the SMS points, with the code.
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': String(code) },
    });
    expect(view.body.answer).toMatchObject({
      outcome: 'granted',
      text: expect.stringContaining('se reparó'),
    });
  });
});

describe('an anonymous report', () => {
  let radicado: string;
  let trackingCode: string;
  const ANSWER = 'Se abrió investigación disciplinaria contra el funcionario Pedro Páez.';
  const DESCRIPTION = 'El funcionario de la ventanilla 3 pidió dinero por agilizar un trámite.';

  beforeAll(async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: {
        entityId: 'MINTIC',
        kind: 'report',
        subject: 'Cobro indebido en ventanilla',
        description: DESCRIPTION,
        anonymous: true,
      },
    });
    expect(filed.status).toBe(201);
    radicado = String(filed.body.radicado);
    trackingCode = String(filed.body.trackingCode);
    await system.drain();
    await answer(radicado, ANSWER);
    await system.drain();
  });

  it('has its answer notice on the public notices list, with the radicado and no personal data', async () => {
    const list = await call(system.baseUrl, 'GET', '/v1/public/entities/MINTIC/notices');
    expect(list.status).toBe(200);
    const page = PublicNoticesPageSchema.parse(list.body);
    const notice = page.items.find((n) => n.radicado === radicado);
    expect(notice).toMatchObject({
      id: expect.stringMatching(new RegExp(`^${radicado}/EVENT#\\d{6}$`)),
      entityId: 'MINTIC',
      kind: 'answered',
      caseKind: 'report',
      title: `Respuesta — radicado ${radicado}`,
    });
    expect(notice?.text).toContain(radicado);
    expect(notice?.text).toContain('La respuesta está disponible en el seguimiento del caso');
    for (const secret of [ANSWER, 'Pedro Páez', DESCRIPTION, 'Cobro indebido', trackingCode]) {
      expect(list.text).not.toContain(secret);
    }
    // Published once, recorded on the case; nothing was sent to anyone.
    expect(await markOf(radicado, 'answered')).toMatchObject({ state: 'sent', channel: 'publication' });
    expect(await markOf(radicado, 'filed')).toMatchObject({ state: 'skipped', reason: 'anonymous' });
    expect((await outbox()).filter((n) => n.radicado === radicado)).toEqual([]);
    // Public and cacheable.
    expect(list.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = list.headers.get('etag') ?? '';
    const again = await call(system.baseUrl, 'GET', '/v1/public/entities/MINTIC/notices', {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('shows the answer in the tracking view to the holder of the tracking code', async () => {
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, {
      headers: { 'x-tracking-code': trackingCode },
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'answered', answer: { outcome: 'granted', text: ANSWER } });
  });

  it('is shown for five business days on the entity calendar, and is gone the day after', async () => {
    const [notice] = (
      await publications.inForce('MINTIC', bogotaDay(new Date()), { limit: 100 })
    ).items.filter((n) => n.radicado === radicado);
    if (!notice) throw new Error('the notice is not in force today');
    const entity = await new DynamoEntityStore(system.ddb, system.tableName).get('MINTIC');
    const calendar = entity?.closures ? { closures: entity.closures } : {};
    expect(notice.publishedOn).toBe(bogotaDay(new Date(notice.publishedAt)));
    expect({ until: notice.until, notifiedOn: notice.notifiedOn }).toEqual(
      publicationPeriod(notice.publishedOn, calendar),
    );
    expect(notice.until).toBe(addBusinessDays(notice.publishedOn, 5, calendar));
    // The list at the boundaries of the period (the store takes the day; the route reads today).
    const shown = async (day: string) =>
      (await publications.inForce('MINTIC', day, { limit: 100 })).items.some((n) => n.id === notice.id);
    expect(await shown(notice.publishedOn)).toBe(true);
    expect(await shown(notice.until)).toBe(true);
    expect(await shown(nextBusinessDay(notice.until, calendar))).toBe(false);
    const dayAfter = new Date(`${notice.until}T12:00:00Z`);
    dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
    expect(await shown(dayAfter.toISOString().slice(0, 10))).toBe(false);
    const dayBefore = new Date(`${notice.publishedOn}T12:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    expect(await shown(dayBefore.toISOString().slice(0, 10))).toBe(false);
  });
});

describe('the public notices store', () => {
  const notice = (radicado: string, publishedOn: string, until: string): PublicNotice => ({
    id: `${radicado}/EVENT#000004`,
    radicado,
    entityId: 'SUPERSALUD',
    entityName: 'Superintendencia Nacional de Salud',
    kind: 'answered',
    caseKind: 'report',
    title: `Respuesta — radicado ${radicado}`,
    text: `Aviso de ${radicado}.`,
    publishedAt: `${publishedOn}T15:00:00.000Z`,
    publishedOn,
    until,
    notifiedOn: nextBusinessDay(until),
  });

  it('publishes once per source, lists newest first page by page, and refuses foreign cursors', async () => {
    const first = notice('SUPERSALUD-2026-000101', '2026-03-02', '2026-03-09');
    const second = notice('SUPERSALUD-2026-000102', '2026-03-03', '2026-03-10');
    const third = notice('SUPERSALUD-2026-000103', '2026-03-04', '2026-03-11');
    for (const n of [first, second, third]) expect(await publications.publish(n)).toEqual(n);
    // A retry of the same source, later: the first publication stands, dates included.
    expect(await publications.publish({ ...first, publishedOn: '2026-03-05', until: '2026-03-12' })).toEqual(
      first,
    );

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await publications.inForce('SUPERSALUD', '2026-03-09', {
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((n) => n.radicado));
      cursor = page.cursor;
    } while (cursor);
    expect(ids).toEqual([third.radicado, second.radicado, first.radicado]);
    expect((await publications.inForce('SUPERSALUD', '2026-03-10', { limit: 10 })).items.length).toBe(2);
    expect((await publications.inForce('SUPERSALUD', '2026-03-03', { limit: 10 })).items.length).toBe(2);

    const page = await publications.inForce('SUPERSALUD', '2026-03-09', { limit: 1 });
    await expect(
      publications.inForce('MINTIC', '2026-03-09', { limit: 1, cursor: String(page.cursor) }),
    ).rejects.toThrow('cursor');
    const http = await call(
      system.baseUrl,
      'GET',
      `/v1/public/entities/MINTIC/notices?cursor=${encodeURIComponent(String(page.cursor))}`,
    );
    expect(http.status).toBe(400);
  });
});
