/**
 * The petitioner's side of a case over the local API (issue 13): following it with the tracking
 * code or an identified citizen's token (answer, pending request, timeline), replying to a
 * request, withdrawing, insisting after a reserved denial, rating the answer once, and the
 * citizen's own list of cases. Wrong code, another case's code, unknown radicado: the same 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseStore } from '#adapters/dynamodb/caseStore.ts';
import { DynamoCitizenStore } from '#adapters/dynamodb/citizenStore.ts';
import { DynamoRateLimiter } from '#adapters/dynamodb/rateLimiter.ts';
import { replyToCase } from '#app/replyToCase.ts';
import { verifyChain } from '#domain/case/audit.ts';
import { lifecycleSeedOf } from '#domain/case/case.ts';
import { clockInputOf, lifecycleOf } from '#domain/case/lifecycle.ts';
import { computeClock } from '#domain/clock/index.ts';
import { seed } from '#infra/local/seed.ts';
import type { Pseudonym } from '#ports/pseudonyms.ts';
import { call } from '#test/support/client.ts';
import { testPseudonyms } from '#test/support/fakes/index.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: LocalSystem;
let store: DynamoCaseStore;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false });
  store = new DynamoCaseStore(system.ddb, system.tableName);
  await seed();
});
afterAll(() => system?.stop());

const supervisorToken = () => system.issuer.issue({ entity: 'MINTIC', roles: ['supervisor'] });

async function file(overrides: Record<string, unknown> = {}) {
  const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition(overrides) });
  expect(filed.status).toBe(201);
  await system.drain();
  return { radicado: String(filed.body.radicado), code: String(filed.body.trackingCode) };
}

/** An officer's action over the API, on the case's current ETag. */
async function officer(radicado: string, action: Record<string, unknown>, status = 200) {
  const bearer = { authorization: `Bearer ${await supervisorToken()}` };
  const seen = await call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers: bearer });
  const done = await call(system.baseUrl, 'POST', `/v1/cases/${radicado}/actions`, {
    body: action,
    headers: { ...bearer, 'if-match': seen.headers.get('etag') ?? '' },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(status);
  return done;
}

const follow = (radicado: string, headers: Record<string, string>) =>
  call(system.baseUrl, 'GET', `/v1/cases/${radicado}`, { headers });
const post = (path: string, headers: Record<string, string>, body?: unknown) =>
  call(system.baseUrl, 'POST', path, { headers, ...(body !== undefined ? { body } : {}) });

describe('following a case', () => {
  it('shows the request awaiting the petitioner, then the reply, the answer and the steps, without personal data', async () => {
    // Prepare
    const { radicado, code } = await file();
    const byCode = { 'x-tracking-code': code };
    await officer(radicado, { type: 'assign', office: 'atencion-ciudadano', officer: 'off-1' });
    await officer(radicado, { type: 'request_completion', what: 'Indique la dirección del predio.' });
    // Act / Assess: the pending request
    const waiting = await follow(radicado, byCode);
    expect(waiting.status).toBe(200);
    expect(waiting.body.pendingRequest).toEqual({
      type: 'completion',
      text: 'Indique la dirección del predio.',
      respondBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      documents: [],
    });
    expect(waiting.text).not.toMatch(/Ana|52123456|ana\.perez|Zona wifi/);
    // The reply: recorded, the term runs again with the clock's date for the stored events.
    const reply = await post(`/v1/cases/${radicado}/replies`, byCode, {
      text: 'Calle 10 # 5-20, vereda El Carmen.',
    });
    expect(reply.status).toBe(201);
    const stored = (await store.get(radicado))!;
    const clock = computeClock(clockInputOf(lifecycleOf(lifecycleSeedOf(stored))), { trace: false });
    expect(reply.body).toMatchObject({ respondedTo: 'completion', status: 'assigned', dueDate: clock.due });
    expect(stored.dueDate).toBe(clock.due);
    // The answer, and the steps so far.
    await officer(radicado, {
      type: 'respond',
      answer: 'La zona wifi se instala en enero.',
      outcome: 'granted',
    });
    const answered = await follow(radicado, byCode);
    expect(answered.body.answer).toMatchObject({
      text: 'La zona wifi se instala en enero.',
      outcome: 'granted',
    });
    expect(answered.body.pendingRequest).toBeNull();
    expect((answered.body.timeline as { type: string }[]).map((t) => t.type)).toEqual([
      'filed',
      'routed',
      'completion_requested',
      'replied',
      'answered',
    ]);
    expect(answered.text).not.toContain('off-1');
    // The trail holds, the reply recorded as the citizen's.
    const events = await store.events(radicado);
    expect(verifyChain(events).ok).toBe(true);
    expect(events.find((e) => e.type === 'replied')).toMatchObject({
      actor: { kind: 'citizen' },
      data: { text: 'Calle 10 # 5-20, vereda El Carmen.' },
    });
  });

  it('answers the same 404 for a wrong code, another case’s code and an unknown radicado', async () => {
    const one = await file();
    const two = await file();
    const replies = await Promise.all([
      follow(one.radicado, { 'x-tracking-code': 'WRONG-CODE' }),
      follow(one.radicado, { 'x-tracking-code': two.code }),
      follow('MINTIC-2026-999999', { 'x-tracking-code': one.code }),
      follow(one.radicado, {}),
      post(`/v1/cases/${one.radicado}/replies`, { 'x-tracking-code': two.code }, { text: 'x' }),
    ]);
    for (const r of replies) {
      expect(r.status).toBe(404);
      expect(r.body.detail).toBe('No hay un caso con ese radicado y ese código de seguimiento');
    }
  });
});

describe('replying', () => {
  it('refuses a reply with no pending request (409), and honours the Idempotency-Key', async () => {
    const { radicado, code } = await file();
    const headers = { 'x-tracking-code': code, 'idempotency-key': 'reply-0000-0000-0001' };
    expect((await post(`/v1/cases/${radicado}/replies`, headers, { text: 'Nada' })).status).toBe(409);
    await officer(radicado, { type: 'assign', office: 'atencion-ciudadano', officer: 'off-1' });
    await officer(radicado, { type: 'request_clarification', what: '¿Qué vereda?' });
    const first = await post(`/v1/cases/${radicado}/replies`, headers, { text: 'El Carmen' });
    const again = await post(`/v1/cases/${radicado}/replies`, headers, { text: 'El Carmen' });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(first.body.respondedTo).toBe('clarification');
    const other = await post(`/v1/cases/${radicado}/replies`, headers, { text: 'Otra vereda' });
    expect(other.status).toBe(422);
    expect((await store.events(radicado)).filter((e) => e.type === 'replied')).toHaveLength(1);
  });

  it('after the petitioner’s period: 422 citing the article, nothing written', async () => {
    // Prepare: completion requested today; the reply comes two months later (the use case on a
    // clock moved ahead, through the real store).
    const { radicado, code } = await file();
    await officer(radicado, { type: 'assign', office: 'atencion-ciudadano', officer: 'off-1' });
    await officer(radicado, { type: 'request_completion', what: 'Anexo' });
    const before = (await store.get(radicado))!;
    // Act
    const late = replyToCase(
      {
        cases: store,
        citizens: new DynamoCitizenStore(system.ddb, system.tableName),
        clock: { now: () => new Date(Date.now() + 62 * 86_400_000) },
        pseudonyms: testPseudonyms(),
        limits: new DynamoRateLimiter(system.ddb, system.tableName),
        trackingAttempts: { limit: 10, windowSeconds: 900 },
      },
      radicado,
      { trackingCode: code },
      { text: 'Tarde' },
    );
    // Assess
    await expect(late).rejects.toMatchObject({ code: 'invalid', problem: { type: 'too-late' } });
    await expect(late).rejects.toThrow(/art\. 17/);
    expect((await store.get(radicado))!.version).toBe(before.version);
  });
});

describe('withdrawing, insisting, rating', () => {
  it('withdraws at the petitioner’s word; the office may continue it of its own motion', async () => {
    const { radicado, code } = await file();
    const withdrawn = await post(
      `/v1/cases/${radicado}/withdrawal`,
      { 'x-tracking-code': code },
      { reason: 'Ya se resolvió.' },
    );
    expect(withdrawn.status).toBe(201);
    expect((await follow(radicado, { 'x-tracking-code': code })).body.status).toBe('withdrawn');
    expect((await post(`/v1/cases/${radicado}/withdrawal`, { 'x-tracking-code': code }, {})).status).toBe(
      409,
    );
    const continued = await officer(radicado, {
      type: 'continue_ex_officio',
      reason: 'Interés general de la vereda.',
    });
    expect((continued.body.case as { status: string }).status).toBe('routed');
  });

  it('insists on a reserved denial; the office records the court; rated once, never before the answer', async () => {
    const { radicado, code } = await file({
      kind: 'information_request',
      subject: 'Contratos',
      description: 'Copia de contratos.',
    });
    const byCode = { 'x-tracking-code': code };
    expect((await post(`/v1/cases/${radicado}/satisfaction`, byCode, { rating: 5 })).status).toBe(409);
    expect((await post(`/v1/cases/${radicado}/insistence`, byCode)).status).toBe(409);
    await officer(radicado, { type: 'assign', office: 'atencion-ciudadano', officer: 'off-1' });
    // A partial denial without its legal ground is refused, citing the articles (Ley 1755 art. 25).
    const unreasoned = await officer(
      radicado,
      {
        type: 'respond',
        answer: 'Se entrega una parte.',
        outcome: 'partially_granted',
        legalReserve: 'Defensa nacional',
      },
      422,
    );
    expect(unreasoned.body).toMatchObject({ errors: [{ field: 'legalGround', code: 'required' }] });
    expect(String(unreasoned.body.detail)).toContain('Ley 1755 de 2015, art. 25');
    await officer(radicado, {
      type: 'respond',
      answer: 'Se niega por reserva.',
      outcome: 'denied',
      legalReserve: 'Defensa y seguridad nacional',
      legalGround: { article: '19', literal: 'a' },
      withheld: 'Los contratos de inteligencia',
    });
    const view = await follow(radicado, byCode);
    expect(view.body.answer).toMatchObject({
      legalGround: { article: '19', literal: 'a' },
      withheld: 'Los contratos de inteligencia',
    });
    expect(view.body.insistenceBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const insisted = await post(`/v1/cases/${radicado}/insistence`, byCode);
    expect(insisted).toMatchObject({
      status: 201,
      body: { status: 'insistence', insistenceBy: view.body.insistenceBy },
    });
    const court = await officer(radicado, {
      type: 'send_to_court',
      court: 'Tribunal Administrativo de Cundinamarca',
      sentOn: new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10),
    });
    expect((court.body.case as { status: string }).status).toBe('at_court');
    const rating = { rating: 2, gender: 'female', ageBand: '29_44' };
    const keyed = { ...byCode, 'idempotency-key': crypto.randomUUID() };
    // The PQRSD report counts a rating in the Bogota month it is given, once.
    const month = new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 7);
    const satisfaction = async () =>
      (await call(system.baseUrl, 'GET', `/v1/public/entities/MINTIC/pqrsd-report?period=${month}`)).body
        .satisfaction as { count: number; distribution: Record<string, number> };
    const before = await satisfaction();
    const rated = await post(`/v1/cases/${radicado}/satisfaction`, keyed, rating);
    expect(rated.status).toBe(201);
    // A retry with the same key and rating answers alike; the key with another rating is a 422.
    expect(await post(`/v1/cases/${radicado}/satisfaction`, keyed, rating)).toMatchObject({
      status: 201,
      body: rated.body,
    });
    expect((await post(`/v1/cases/${radicado}/satisfaction`, keyed, { rating: 3 })).status).toBe(422);
    expect((await post(`/v1/cases/${radicado}/satisfaction`, byCode, { rating: 5 })).status).toBe(409);
    expect((await post(`/v1/cases/${radicado}/satisfaction`, byCode, { rating: 6 })).status).toBe(422);
    const after = await satisfaction();
    expect(after.count).toBe(before.count + 1);
    expect(after.distribution['2']).toBe((before.distribution['2'] ?? 0) + 1);
    // The rating names no case: nothing in the trail, and no rating item carries the radicado.
    expect((await store.events(radicado)).some((e) => JSON.stringify(e).includes('"rating"'))).toBe(false);
  });
});

describe('an identified citizen', () => {
  it('keeps their list across a rotation of the pseudonym key: both versions read, each case once', async () => {
    // Prepare: one case linked under version 1, then another and the first again under version 2.
    const citizens = new DynamoCitizenStore(system.ddb, system.tableName);
    const [v1, v2] = testPseudonyms('list-v1', 'list-v2').every(`citizen-${Date.now()}`).reverse() as [
      Pseudonym,
      Pseudonym,
    ];
    const link = (radicado: string, receivedAt: string) => ({
      radicado,
      entityId: 'MINTIC',
      receivedAt,
      linkedAt: receivedAt,
    });
    const older = link('MINTIC-2026-900001', '2026-03-01T10:00:00.000Z');
    const newer = link('MINTIC-2026-900002', '2026-03-02T10:00:00.000Z');
    await citizens.link(v1, older);
    await citizens.link(v2, newer);
    await citizens.link(v2, older);

    // Act
    const first = await citizens.list([v2.hash, v1.hash], { limit: 1 });
    const second = await citizens.list([v2.hash, v1.hash], {
      limit: 1,
      ...(first.cursor ? { cursor: first.cursor } : {}),
    });
    const all = await citizens.list([v2.hash, v1.hash], { limit: 10 });

    // Assess
    expect(first.items.map((l) => l.radicado)).toEqual([newer.radicado]);
    expect(second.items.map((l) => l.radicado)).toEqual([older.radicado]);
    expect(all.items.map((l) => l.radicado)).toEqual([newer.radicado, older.radicado]);
    expect(await citizens.isLinked([v2.hash, v1.hash], newer)).toBe(true);
    expect(await citizens.isLinked([v1.hash], newer)).toBe(false);
    expect(await citizens.isLinked([v2.hash, v1.hash], link('MINTIC-2026-900003', older.receivedAt))).toBe(
      false,
    );
  });

  it('links a case with its code, lists it, follows and acts on it with the token alone', async () => {
    const { radicado, code } = await file();
    const bearer = {
      authorization: `Bearer ${await system.issuer.issueCitizen({ subject: `ciudadana-${radicado}` })}`,
    };
    expect((await call(system.baseUrl, 'GET', '/v1/me/cases', { headers: bearer })).body).toEqual({
      items: [],
    });
    expect((await follow(radicado, bearer)).status).toBe(404);
    const wrong = await post('/v1/me/cases', bearer, { radicado, trackingCode: 'WRONG' });
    expect(wrong.status).toBe(404);
    const linked = await post('/v1/me/cases', bearer, { radicado, trackingCode: code });
    expect(linked.status).toBe(200);
    // Linking again changes nothing, and says when it was linked first.
    expect(await post('/v1/me/cases', bearer, { radicado, trackingCode: code })).toMatchObject({
      status: 200,
      body: { linkedAt: linked.body.linkedAt },
    });
    const mine = await call(system.baseUrl, 'GET', '/v1/me/cases', { headers: bearer });
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        radicado,
        entityId: 'MINTIC',
        status: 'routed',
        linkedAt: linked.body.linkedAt,
      }),
    ]);
    expect((await follow(radicado, bearer)).body.radicado).toBe(radicado);
    expect((await post(`/v1/cases/${radicado}/withdrawal`, bearer, {})).status).toBe(201);
    // Another citizen's token reaches nothing.
    const other = { authorization: `Bearer ${await system.issuer.issueCitizen({ subject: 'otro' })}` };
    expect((await follow(radicado, other)).status).toBe(404);
    expect((await call(system.baseUrl, 'GET', '/v1/me/cases', { headers: {} })).status).toBe(401);
  });

  it('finds a case filed with the token in the list at once; an anonymous filing is never listed', async () => {
    const bearer = {
      authorization: `Bearer ${await system.issuer.issueCitizen({ subject: `ciudadano-${Date.now()}` })}`,
    };
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition(), headers: bearer });
    expect(filed.status).toBe(201);
    const radicado = String(filed.body.radicado);
    const anonymous = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ kind: 'report', anonymous: true, petitioner: undefined }),
      headers: bearer,
    });
    expect(anonymous.status, JSON.stringify(anonymous.body)).toBe(201);
    const mine = await call(system.baseUrl, 'GET', '/v1/me/cases', { headers: bearer });
    expect(mine.body.items).toEqual([
      expect.objectContaining({ radicado, entityId: 'MINTIC', linkedAt: filed.body.receivedAt }),
    ]);
    expect((await follow(radicado, bearer)).body.radicado).toBe(radicado);
    expect((await follow(String(anonymous.body.radicado), bearer)).status).toBe(404);
    // Forwarded to the competent entity (art. 21): the new case is theirs too, with the same token.
    await system.drain();
    const forwarded = await officer(radicado, {
      type: 'forward',
      toEntityId: 'SUPERSALUD',
      reason: 'Es de su competencia',
    });
    const moved = String((forwarded.body.linked as { radicado: string }).radicado);
    expect((await call(system.baseUrl, 'GET', '/v1/me/cases', { headers: bearer })).body.items).toEqual([
      expect.objectContaining({ radicado, status: 'forwarded', forwardedTo: moved }),
    ]);
    expect((await follow(moved, bearer)).body).toMatchObject({ radicado: moved, entityId: 'SUPERSALUD' });
    // A token that does not verify is refused before anything is filed.
    const forged = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition(),
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(forged.status).toBe(401);
  });
});
