/**
 * Officers act on cases over the local API (DynamoDB Local + fauxqs): the lifecycle's rules, the
 * ETag / If-Match contract, the audit trail written with each change, forwarding with a linked case,
 * verbal petitions, the inbox filters.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { lifecycleSeedOf } from '#domain/case/case.ts';
import { clockInputOf, lifecycleOf } from '#domain/case/lifecycle.ts';
import { computeClock } from '#domain/clock/index.ts';
import { seed } from '#infra/local/seed.ts';
import { call, type Reply } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { actAt } from './act.ts';
import { petition } from './helpers.ts';

let system: LocalSystem;
let store: DynamoCaseStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  store = new DynamoCaseStore(system.ddb, system.tableName);
  await seed();
});
afterAll(() => system?.stop());

const OFFICE = 'atencion-ciudadano';

async function token(entity = 'MINTIC', roles: string[] = ['officer'], offices = [OFFICE], subject?: string) {
  return system.issuer.issue({
    entity,
    roles: roles as ('officer' | 'supervisor' | 'admin' | 'communicator')[],
    offices,
    ...(subject ? { subject } : {}),
  });
}

/** Files a general petition (routed to the default office) and waits for the routing. */
async function fileRouted(overrides: Record<string, unknown> = {}) {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
    body: petition({
      kind: 'query',
      subject: 'Consulta general',
      description: 'Una pregunta.',
      ...overrides,
    }),
  });
  expect(filed.status).toBe(201);
  await system.drain();
  return { radicado: String(filed.body.radicado), trackingCode: String(filed.body.trackingCode) };
}

const view = (radicado: string, bearer: string) =>
  call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: { authorization: `Bearer ${bearer}` } });

const act = (radicado: string, bearer: string, body: unknown, etag?: string) =>
  call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
    body,
    headers: { authorization: `Bearer ${bearer}`, ...(etag ? { 'if-match': etag } : {}) },
  });

/** Reads the case's ETag, then acts with it. */
async function actNow(radicado: string, bearer: string, body: unknown): Promise<Reply> {
  const etag = (await view(radicado, bearer)).headers.get('etag') ?? undefined;
  return act(radicado, bearer, body, etag);
}

/** The stored case's dates as the clock module gives them for its stored events. */
async function expectedClock(radicado: string) {
  const record = await store.get(radicado);
  if (!record) throw new Error('no case');
  return computeClock(clockInputOf(lifecycleOf(lifecycleSeedOf(record))), { trace: false });
}

describe('the officer view and ETag', () => {
  it('shows the whole case to its entity with an ETag, and nothing to others', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const own = await view(radicado, officer);
    expect(own.status).toBe(200);
    expect(own.headers.get('etag')).toBe('"v2"');
    expect(own.body).toMatchObject({
      radicado,
      status: 'routed',
      office: OFFICE,
      petitioner: expect.objectContaining({ idNumber: '52123456' }),
      version: 2,
    });
    expect(own.body.allowedActions).toEqual(
      expect.arrayContaining(['assign', 'request_completion', 'forward']),
    );
    expect(own.body.allowedActions).not.toContain('respond');
    // Another entity: not found, as if the radicado did not exist; so is acting on it.
    const other = await token('SUPERSALUD', ['supervisor'], []);
    expect((await view(radicado, other)).status).toBe(404);
    const refused = await act(radicado, other, { type: 'close' }, '"v2"');
    expect(refused.status).toBe(404);
    // A bad token is a 401, not the public view.
    expect((await view(radicado, 'not-a-token')).status).toBe(401);
  });

  it('asks for If-Match (428), refuses a stale one (412), and lets only one of two racing officers win', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const missing = await act(radicado, officer, { type: 'assign', office: OFFICE, officer: 'someone' });
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const stale = await act(
      radicado,
      officer,
      { type: 'assign', office: OFFICE, officer: 'someone' },
      '"v1"',
    );
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('urn:urna:problem:stale');

    const etag = (await view(radicado, officer)).headers.get('etag') ?? '';
    const [a, b] = await Promise.all([
      act(radicado, officer, { type: 'assign', office: OFFICE, officer: 'officer-a' }, etag),
      act(radicado, officer, { type: 'assign', office: OFFICE, officer: 'officer-b' }, etag),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? 'officer-a' : 'officer-b';
    const stored = await store.get(radicado);
    expect(stored?.officer).toBe(winner);
    expect(stored?.version).toBe(3);
    const events = await store.events(radicado);
    expect(events.map((e) => e.type)).toEqual(['filed', 'routed', 'assigned']);
    expect(verifyChain(events)).toEqual({ ok: true });
  });
});

describe('the lifecycle over the API', () => {
  it('assign → request completion (suspended) → completion → extend → respond → close, dates from the clock', async () => {
    const { radicado } = await fileRouted();
    const officer = await token(undefined, undefined, undefined, 'officer-1');

    const assigned = await actNow(radicado, officer, {
      type: 'assign',
      office: OFFICE,
      officer: 'officer-1',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.headers.get('etag')).toBe('"v3"');
    expect(assigned.body.case).toMatchObject({ status: 'assigned', officer: 'officer-1' });

    const requested = await actNow(radicado, officer, {
      type: 'request_completion',
      what: 'Adjunte la dirección exacta de la vereda.',
    });
    expect(requested.status).toBe(200);
    const suspended = requested.body.case as Record<string, unknown>;
    expect(suspended.status).toBe('awaiting_completion');
    expect(suspended.dueDate).toBeNull();
    expect(suspended.petitionerRespondBy).toBe((await expectedClock(radicado)).suspended?.respondBy);

    // Not allowed while suspended: answering (409 naming the state).
    const early = await actNow(radicado, officer, { type: 'respond', answer: 'x', outcome: 'granted' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      type: 'urn:urna:problem:illegal-transition',
      caseStatus: 'awaiting_completion',
    });

    const completed = await actNow(radicado, officer, { type: 'record_completion' });
    expect(completed.status).toBe(200);
    const running = completed.body.case as Record<string, unknown>;
    expect(running.status).toBe('assigned');
    const clock = await expectedClock(radicado);
    expect(running.dueDate).toBe(clock.due);
    expect(running.maxExtendedDue).toBe(clock.maxExtendedDue);

    // Extending beyond the maximum is refused citing the rule; within it, accepted.
    const tooFar = await actNow(radicado, officer, {
      type: 'extend',
      newDueDate: '2999-01-04',
      reason: 'Se requiere concepto técnico.',
    });
    expect(tooFar.status).toBe(422);
    expect(tooFar.text).toContain('art. 14');
    const extended = await actNow(radicado, officer, {
      type: 'extend',
      newDueDate: clock.maxExtendedDue,
      reason: 'Se requiere concepto técnico.',
    });
    expect(extended.status).toBe(200);
    expect((extended.body.case as Record<string, unknown>).dueDate).toBe(clock.maxExtendedDue);
    expect((await expectedClock(radicado)).due).toBe(clock.maxExtendedDue);

    const closeTooSoon = await actNow(radicado, officer, { type: 'close' });
    expect(closeTooSoon.status).toBe(409);
    expect(closeTooSoon.body.caseStatus).toBe('assigned');

    const answered = await actNow(radicado, officer, {
      type: 'respond',
      answer: 'La zona wifi se instalará en marzo.',
      outcome: 'granted',
    });
    expect(answered.status).toBe(200);
    expect(answered.body.case).toMatchObject({
      status: 'answered',
      answer: { outcome: 'granted', late: false, text: 'La zona wifi se instalará en marzo.' },
    });
    const closed = await actNow(radicado, officer, { type: 'close' });
    expect(closed.status).toBe(200);
    expect((closed.body.case as Record<string, unknown>).status).toBe('closed');
    expect((closed.body.case as Record<string, unknown>).allowedActions).toEqual([]);

    // Closed cases leave the inbox and the sweeper's watch.
    const stored = await store.get(radicado);
    expect(stored?.version).toBe(8);
    const inbox = await call(system.baseUrl, 'GET', `/v1/inbox?office=${OFFICE}&limit=100`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect((inbox.body.items as { radicado: string }[]).map((i) => i.radicado)).not.toContain(radicado);

    const history = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}/history`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(history.status).toBe(200);
    const items = history.body.items as {
      type: string;
      actor: { id?: string };
      data: Record<string, unknown>;
    }[];
    expect(items.map((e) => e.type)).toEqual([
      'filed',
      'routed',
      'assigned',
      'completion_requested',
      'completed',
      'extended',
      'answered',
      'closed',
    ]);
    expect(items[2]?.actor.id).toBe('officer-1');
    expect(items[7]?.data.status).toEqual({ from: 'answered', to: 'closed' });
    expect(verifyChain(await store.events(radicado))).toEqual({ ok: true });
    expect(stored?.lastEventSeq).toBe(8);
  });

  it('refuses bad actions with a 4xx naming the field, and changes nothing', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const before = await store.get(radicado);
    for (const body of [
      { type: 'fly' },
      { type: 'assign' },
      { type: 'assign', office: 'no-such-office' },
      { type: 'extend', newDueDate: 'tomorrow', reason: 'x' },
      { type: 'respond', answer: '<b>hola</b>', outcome: 'granted' },
    ]) {
      const r = await actNow(radicado, officer, body);
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.status, JSON.stringify(body)).toBeLessThan(500);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(
      (await actNow(radicado, officer, { type: 'assign', office: 'no-such-office' })).body.errors,
    ).toEqual([expect.objectContaining({ field: 'office' })]);
    // An officer of another office may not act on it.
    const elsewhere = await token('MINTIC', ['officer'], ['espectro']);
    expect((await actNow(radicado, elsewhere, { type: 'assign', office: OFFICE, officer: 'x' })).status).toBe(
      403,
    );
    expect(await store.get(radicado)).toEqual(before);
  });
});

describe('the other actions over the API, each on DynamoDB Local', () => {
  it('reclassify recomputes the clock from receipt; set_priority moves the case ahead in the inbox', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const before = await store.get(radicado);
    const r = await actNow(radicado, officer, {
      type: 'reclassify',
      kind: 'information_request',
      reason: 'Pide copia de documentos: es una solicitud de información.',
    });
    expect(r.status).toBe(200);
    const after = await store.get(radicado);
    expect(after).toMatchObject({ kind: 'information_request', termClass: 'information' });
    const fresh = computeClock(
      { termClass: 'information', filed: before!.receivedAt, entity: before!.clockSettings },
      { trace: false },
    );
    expect(after?.dueDate).toBe(fresh.due);
    expect(after?.dueDate).not.toBe(before?.dueDate);
    const p = await actNow(radicado, officer, {
      type: 'set_priority',
      priority: true,
      reason: 'Periodista.',
    });
    expect((p.body.case as Record<string, unknown>).priority).toBe(true);
    const first = await call(system.baseUrl, 'GET', `/v1/inbox?office=${OFFICE}&limit=1`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect((first.body.items as { priority: boolean }[])[0]?.priority).toBe(true);
  });

  it('clarification (art. 19): request suspends for 10 business days, no extension, record resumes', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const asked = await actNow(radicado, officer, {
      type: 'request_clarification',
      what: '¿A qué vereda se refiere?',
    });
    expect((asked.body.case as Record<string, unknown>).status).toBe('awaiting_clarification');
    const first = (asked.body.case as Record<string, unknown>).petitionerRespondBy;
    expect(first).toBe((await expectedClock(radicado)).suspended?.respondBy);
    // Art. 19's 10 days have no extension (art. 17's extra month is for completion only).
    const more = await actNow(radicado, officer, { type: 'extend_completion' });
    expect(more.status, more.text).toBe(409);
    expect(more.body.detail).toContain('Ley 1755 de 2015, art. 17');
    const clarified = await actNow(radicado, officer, { type: 'record_clarification' });
    expect((clarified.body.case as Record<string, unknown>).status).toBe('routed');
    expect((clarified.body.case as Record<string, unknown>).dueDate).toBe(
      (await expectedClock(radicado)).due,
    );
  });

  it('completion (art. 17): the petitioner may get one more month, once', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const asked = await actNow(radicado, officer, {
      type: 'request_completion',
      what: 'Falta la dirección.',
    });
    const first = (asked.body.case as Record<string, unknown>).petitionerRespondBy;
    const more = await actNow(radicado, officer, { type: 'extend_completion' });
    expect(more.status).toBe(200);
    const extended = (more.body.case as Record<string, unknown>).petitionerRespondBy;
    expect(extended).toBe((await expectedClock(radicado)).suspended?.respondBy);
    expect(String(extended) > String(first)).toBe(true);
    const again = await actNow(radicado, officer, { type: 'extend_completion' });
    expect(again.status, again.text).toBe(409);
    expect(again.body.detail).toMatch(
      /ya se prorrogó una vez, hasta el \d{4}-\d{2}-\d{2} \(Ley 1755 de 2015, art\. 17\)$/,
    );
  });

  it('withdraw (desistimiento tácito) only after the petitioner let the period lapse', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    await actNow(radicado, officer, { type: 'request_completion', what: 'Falta la dirección.' });
    // The petitioner still has time: refused, citing the article.
    const early = await actNow(radicado, officer, { type: 'withdraw', reason: 'No completó.' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('art. 17');
    // A case whose completion was asked two months ago: withdrawn.
    const old = new Date(Date.now() - 62 * 86_400_000).toISOString();
    await call(system.baseUrl, 'GET', '/v1/public/entities');
    const lapsedFiled = await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.intake,
        MessageBody: JSON.stringify({
          ...petition({ kind: 'query', subject: 'Antigua', description: 'Pregunta antigua.' }),
          channel: 'email',
          externalId: 'withdraw-1',
          receivedAt: old,
        }),
      }),
    );
    expect(lapsedFiled.MessageId).toBeDefined();
    await system.drain();
    const lapsed = (await store.listInbox('MINTIC', OFFICE, { limit: 100 })).items.find(
      (c) => c.externalId === 'withdraw-1',
    );
    expect(lapsed).toBeDefined();
    await actAt(
      store,
      String(lapsed?.radicado),
      { type: 'request_completion', what: 'Falta la dirección.' },
      new Date(Date.parse(old) + 86_400_000).toISOString(),
    );
    const withdrawn = await actNow(String(lapsed?.radicado), officer, {
      type: 'withdraw',
      reason: 'No completó en el plazo.',
    });
    expect(withdrawn.status).toBe(200);
    expect((withdrawn.body.case as Record<string, unknown>).status).toBe('withdrawn');
  });

  it('no_competent_authority closes the case within the art. 21 period', async () => {
    const { radicado } = await fileRouted();
    const officer = await token();
    const r = await actNow(radicado, officer, {
      type: 'no_competent_authority',
      reason: 'Ninguna autoridad pública es competente para lo pedido.',
    });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ status: 'no_competent_authority', allowedActions: [] });
    expect((await store.events(radicado)).at(-1)?.data).toMatchObject({ late: false });
  });
});

describe('forwarding (art. 21) and verbal petitions (Decreto 1166)', () => {
  it('files a linked case at the competent entity with a fresh term, and closes the original as forwarded', async () => {
    const { radicado, trackingCode } = await fileRouted({ category: 'health_insurance' });
    const officer = await token();
    const forwarded = await actNow(radicado, officer, {
      type: 'forward',
      toEntityId: 'SUPERSALUD',
      reason: 'La queja es sobre una EPS: compete a la Superintendencia de Salud.',
    });
    expect(forwarded.status).toBe(200);
    const linked = forwarded.body.linked as { entityId: string; radicado: string };
    expect(linked.entityId).toBe('SUPERSALUD');
    expect(linked.radicado).toMatch(/^SUPERSALUD-\d{4}-\d{6}$/);
    expect(forwarded.body.case).toMatchObject({
      status: 'forwarded',
      forwardedTo: { ...linked, late: false },
    });

    await system.drain();
    const received = await store.get(linked.radicado);
    expect(received).toMatchObject({
      entityId: 'SUPERSALUD',
      forwardedFrom: { entityId: 'MINTIC', radicado },
      status: 'routed',
    });
    // Its own term, from its own receipt.
    const fresh = computeClock(
      { termClass: received!.termClass, filed: received!.receivedAt, entity: received!.clockSettings },
      { trace: false },
    );
    expect(received?.dueDate).toBe(fresh.due);
    // The petitioner follows both with the code they hold.
    for (const r of [radicado, linked.radicado]) {
      const pub = await call(system.baseUrl, 'GET', `/v1/cases/${r}`, {
        headers: { 'x-tracking-code': trackingCode },
      });
      expect(pub.status).toBe(200);
    }
    // SUPERSALUD sees it; MINTIC does not.
    expect((await view(linked.radicado, await token('SUPERSALUD', ['supervisor'], []))).status).toBe(200);
    expect((await view(linked.radicado, officer)).status).toBe(404);
    // Forwarding to oneself or to no entity is refused.
    const other = await fileRouted();
    expect(
      (await actNow(other.radicado, officer, { type: 'forward', toEntityId: 'MINTIC', reason: 'x' })).status,
    ).toBe(422);
    expect(
      (await actNow(other.radicado, officer, { type: 'forward', toEntityId: 'NOPE', reason: 'x' })).status,
    ).toBe(422);
  });

  it('registers a verbal petition with its record, for the officer own entity only', async () => {
    const officer = await token(undefined, undefined, undefined, 'officer-desk');
    const filing = petition({
      kind: 'petition',
      subject: 'Petición verbal',
      description: 'Dicha en ventanilla.',
    });
    const r = await call(system.baseUrl, 'POST', '/v1/cases/verbal', {
      body: { filing, record: { channel: 'in_person', place: 'Sede Bogotá' } },
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(r.status).toBe(201);
    expect(String(r.body.trackingCode)).not.toBe('');
    const stored = await store.get(String(r.body.radicado));
    expect(stored).toMatchObject({
      channel: 'in_person',
      verbal: { officer: 'officer-desk', channel: 'in_person', place: 'Sede Bogotá' },
    });
    const events = await store.events(String(r.body.radicado));
    expect(events[0]?.actor).toEqual({ kind: 'officer', id: 'officer-desk' });
    const elsewhere = await call(system.baseUrl, 'POST', '/v1/cases/verbal', {
      body: { filing: { ...filing, entityId: 'MEDELLIN' }, record: { channel: 'phone' } },
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(elsewhere.status).toBe(403);
    // A record made days later is refused; a retried registration files once.
    const stale = await call(system.baseUrl, 'POST', '/v1/cases/verbal', {
      body: { filing, record: { channel: 'phone', receivedAt: '1980-01-01T10:00:00-05:00' } },
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(stale.status).toBe(422);
    expect(stale.body.errors).toEqual([expect.objectContaining({ field: 'record.receivedAt' })]);
    const once = async () =>
      call(system.baseUrl, 'POST', '/v1/cases/verbal', {
        body: { filing, record: { channel: 'phone' } },
        headers: { authorization: `Bearer ${officer}`, 'idempotency-key': 'verbal-retry-000000001' },
      });
    const [first, retried] = [await once(), await once()];
    expect(first.status).toBe(201);
    expect(retried.body.radicado).toBe(first.body.radicado);
    const anonymousCaller = await call(system.baseUrl, 'POST', '/v1/cases/verbal', {
      body: { filing, record: { channel: 'phone' } },
    });
    expect(anonymousCaller.status).toBe(401);
  });
});

describe('inbox filters', () => {
  it('filters by priority and status', async () => {
    const office = 'transparencia';
    const supervisor = await token('MINTIC', ['supervisor'], []);
    const a = await fileRouted({ kind: 'information_request' });
    const b = await fileRouted({
      kind: 'information_request',
      petitioner: { ...petition().petitioner, journalist: true },
    });
    const list = async (q: string) =>
      (
        (
          await call(system.baseUrl, 'GET', `/v1/inbox?office=${office}&limit=100${q}`, {
            headers: { authorization: `Bearer ${supervisor}` },
          })
        ).body.items as { radicado: string; status: string }[]
      ).map((i) => i.radicado);
    expect(await list('&priority=true')).toEqual([b.radicado]);
    expect(await list('&priority=false')).toContain(a.radicado);
    expect(await list('&priority=false')).not.toContain(b.radicado);
    await actNow(a.radicado, supervisor, { type: 'assign', office, officer: 'someone' });
    expect(await list('&status=assigned')).toEqual([a.radicado]);
    expect(await list('&status=routed,assigned')).toEqual(expect.arrayContaining([a.radicado, b.radicado]));
    // Art. 17: a case whose petitioner let the completion period lapse is a withdrawal candidate.
    const receivedAt = new Date(Date.now() - 60 * 86_400_000).toISOString();
    await system.sqs.send(
      new SendMessageCommand({
        QueueUrl: system.queueUrls.intake,
        MessageBody: JSON.stringify({
          ...petition({ kind: 'information_request' }),
          channel: 'email',
          externalId: 'lapsed-1',
          receivedAt,
        }),
      }),
    );
    await system.drain();
    const lapsed = (await list('&status=routed')).find((r) => r !== a.radicado && r !== b.radicado);
    expect(lapsed).toBeDefined();
    await actAt(
      store,
      String(lapsed),
      { type: 'request_completion', what: 'Falta la dirección.' },
      new Date(Date.parse(receivedAt) + 86_400_000).toISOString(),
    );
    expect(await list('&withdrawalCandidates=true')).toEqual([lapsed]);
    const bad = await call(system.baseUrl, 'GET', `/v1/inbox?office=${office}&status=sleeping`, {
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(bad.status).toBe(400);
  });
});

describe('Ley 1755 art. 22 over the API: analogous petitions answered once', () => {
  it('suggests the group, answers each case once (a retry answers none), and publishes it once', async () => {
    const officer = await token();
    const subject = `Alumbrado público del barrio ${crypto.randomUUID().slice(0, 8)}`;
    const radicados: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { radicado } = await fileRouted({
        kind: 'petition',
        subject: i % 2 ? subject.toUpperCase() : subject,
        description: `Pido arreglar las luminarias. Petición ${i}.`,
      });
      const assigned = await actNow(radicado, officer, {
        type: 'assign',
        office: OFFICE,
        officer: 'officer-sub',
      });
      expect(assigned.status, assigned.text).toBe(200);
      radicados.push(radicado);
    }
    const groups = await call(system.baseUrl, 'GET', `/v1/inbox/analogous?office=${OFFICE}`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(groups.status, groups.text).toBe(200);
    const group = (groups.body.groups as { radicados: string[]; size: number }[]).find((g) =>
      g.radicados.includes(radicados[0]!),
    );
    expect(group?.size).toBe(11);
    expect([...(group?.radicados ?? [])].sort()).toEqual([...radicados].sort());

    const body = {
      groupId: crypto.randomUUID(),
      radicados,
      answer: 'Se cambiarán en mayo.',
      outcome: 'granted',
    };
    const answer = () =>
      call(system.baseUrl, 'POST', '/v1/inbox/analogous/answers', {
        body,
        headers: { authorization: `Bearer ${officer}` },
      });
    const first = await answer();
    expect(first.status, first.text).toBe(200);
    expect((first.body.answered as string[]).sort()).toEqual([...radicados].sort());
    const again = await answer();
    expect(again.body).toMatchObject({ answered: [], refused: [], published: first.body.published });
    for (const radicado of radicados) {
      const events = await store.events(radicado);
      expect(events.filter((e) => e.type === 'answered')).toHaveLength(1);
      expect(verifyChain(events)).toEqual({ ok: true });
    }
    // Fewer than eleven: 422 citing the article; without a token: 401.
    const ten = await call(system.baseUrl, 'POST', '/v1/inbox/analogous/answers', {
      body: { ...body, groupId: crypto.randomUUID(), radicados: radicados.slice(0, 10) },
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(ten.status).toBe(422);
    expect(ten.text).toContain('art. 22');
    expect((await call(system.baseUrl, 'GET', `/v1/inbox/analogous?office=${OFFICE}`)).status).toBe(401);
  });
});
