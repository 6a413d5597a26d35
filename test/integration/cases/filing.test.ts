import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeClock } from '#domain/clock/index.ts';
import { seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { useLocalSystem } from '#test/support/localEnv.ts';
import { bogotaYear, counter, petition, petitioner } from './helpers.ts';

let system: Awaited<ReturnType<typeof useLocalSystem>>;

beforeAll(async () => {
  system = await useLocalSystem({ pollers: false, schedulers: false });
  await seed();
});
afterAll(() => system?.stop());

describe('POST /v1/cases', () => {
  it('files a petition: radicado, tracking code, legal due date, signed receipt', async () => {
    // Prepare
    const before = await counter(system.ddb, system.tableName, 'MINTIC', bogotaYear());
    // Act
    const res = await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() });
    // Assess
    expect(res.status).toBe(201);
    const b = res.body;
    expect(b.radicado).toBe(`MINTIC-${bogotaYear()}-${String(before + 1).padStart(6, '0')}`);
    expect(res.headers.get('location')).toBe(`/v1/cases/${b.radicado}`);
    expect(b).toMatchObject({
      entityId: 'MINTIC',
      kind: 'petition',
      termClass: 'general',
      status: 'received',
    });
    const clock = computeClock({ termClass: 'general', filed: String(b.receivedAt) });
    expect(b.dueDate).toBe(clock.due);
    expect(b.ruleSet).toBe(clock.ruleSet);
    expect(String(b.trackingCode)).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);

    const jwks = await call(system.baseUrl, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const { payload, protectedHeader } = await jwtVerify(
      String(b.receipt),
      createLocalJWKSet(jwks.body as never),
    );
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({
      radicado: b.radicado,
      entityId: 'MINTIC',
      receivedAt: b.receivedAt,
      dueDate: b.dueDate,
    });
    expect(String(payload.contentSha256)).toMatch(/^[0-9a-f]{64}$/);

    const verified = await call(system.baseUrl, 'GET', `/v1/receipts/verify?receipt=${b.receipt}`);
    expect(verified.body).toMatchObject({ valid: true, registered: true });
    const forged = String(b.receipt).replace(
      /\.[^.]+\./,
      `.${Buffer.from(JSON.stringify({ ...payload, dueDate: '2099-01-01' })).toString('base64url')}.`,
    );
    expect((await call(system.baseUrl, 'GET', `/v1/receipts/verify?receipt=${forged}`)).body).toMatchObject({
      valid: false,
    });
  });

  it('shows the public view only with the right tracking code, without personal data', async () => {
    const filed = (await call(system.baseUrl, 'POST', '/v1/cases', { body: petition() })).body;
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${filed.radicado}`, {
      headers: { 'x-tracking-code': String(filed.trackingCode) },
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      radicado: filed.radicado,
      status: 'received',
      dueDate: filed.dueDate,
      semaforo: 'green',
    });
    expect(Array.isArray(view.body.explanation)).toBe(true);
    for (const secret of [
      petitioner.name,
      petitioner.idNumber,
      petitioner.email,
      petitioner.phone,
      petition().subject,
      petition().description,
    ]) {
      expect(view.text).not.toContain(secret);
    }
    const wrong = await call(system.baseUrl, 'GET', `/v1/cases/${filed.radicado}`, {
      headers: { 'x-tracking-code': 'AAAAA-BBBBB-CCCCC-DDDDD' },
    });
    const unknown = await call(system.baseUrl, 'GET', '/v1/cases/MINTIC-2020-999999', {
      headers: { 'x-tracking-code': String(filed.trackingCode) },
    });
    const none = await call(system.baseUrl, 'GET', `/v1/cases/${filed.radicado}`);
    for (const r of [wrong, unknown, none]) {
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect({ ...r.body, instance: undefined, correlationId: undefined }).toEqual({
        ...wrong.body,
        instance: undefined,
        correlationId: undefined,
      });
    }
  });

  it('files an anonymous report, marks priority petitions', async () => {
    const { petitioner: _p, ...rest } = petition();
    const anon = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: { ...rest, kind: 'report', anonymous: true, category: 'corruption' },
    });
    expect(anon.status).toBe(201);
    const priority = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ petitioner: { ...petitioner, journalist: true } }),
    });
    expect(priority.status).toBe(201);
  });

  it('an Idempotency-Key files once under 50 concurrent requests and answers them all alike', async () => {
    const year = bogotaYear();
    const before = await counter(system.ddb, system.tableName, 'MEDELLIN', year);
    const body = petition({ entityId: 'MEDELLIN', category: 'urban_mobility' });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(system.baseUrl, 'POST', '/v1/cases', {
          body,
          headers: { 'idempotency-key': 'retry-me-0001-7c9e6679' },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(await counter(system.ddb, system.tableName, 'MEDELLIN', year)).toBe(before + 1);
    // The replayed tracking code works.
    const first = replies[0]!.body;
    const view = await call(system.baseUrl, 'GET', `/v1/cases/${first.radicado}`, {
      headers: { 'x-tracking-code': String(first.trackingCode) },
    });
    expect(view.status).toBe(200);
    // The same key with another body is refused and files nothing.
    const other = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: { ...body, subject: 'Otro asunto' },
      headers: { 'idempotency-key': 'retry-me-0001-7c9e6679' },
    });
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'header.idempotency-key' })]);
    expect(await counter(system.ddb, system.tableName, 'MEDELLIN', year)).toBe(before + 1);
  });

  it('gives 200 concurrent filings consecutive radicados, none skipped, none repeated', async () => {
    const year = bogotaYear();
    const before = await counter(system.ddb, system.tableName, 'SUPERSALUD', year);
    // As the contract says: each request carries its own key, and a 503 (the entity's counter too
    // contended to answer within the filing budget) is retried after Retry-After with the same key.
    const fileOnce = async (i: number) => {
      const key = `concurrent-${i}-${randomUUID()}`;
      for (;;) {
        const reply = await call(system.baseUrl, 'POST', '/v1/cases', {
          body: petition({ entityId: 'SUPERSALUD', subject: `Autorización de servicio ${i}` }),
          headers: { 'idempotency-key': key },
        });
        if (reply.status !== 503) return reply;
        expect(reply.headers.get('retry-after')).toBe('1');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => fileOnce(i)));
    expect(replies.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    const seqs = replies.map((r) => Number(String(r.body.radicado).split('-')[2])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => before + i + 1));
    expect(await counter(system.ddb, system.tableName, 'SUPERSALUD', year)).toBe(before + 200);
  });
});

describe('bad input: a clear 4xx naming the field, and nothing stored', () => {
  const cases: [
    string,
    { body?: unknown; raw?: string; headers?: Record<string, string> },
    number,
    string | null,
  ][] = [
    ['malformed JSON', { raw: '{"entityId": "MINTIC",' }, 400, 'body'],
    [
      'wrong content type',
      { raw: 'entityId=MINTIC', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      null,
    ],
    ['a 1 MB body', { body: petition({ description: 'a'.repeat(1024 * 1024) }) }, 413, null],
    ['unknown entity', { body: petition({ entityId: 'NOSUCH' }) }, 422, 'entityId'],
    ['unknown kind', { body: petition({ kind: 'wish' }) }, 422, 'kind'],
    ['petitioner and anonymous both', { body: petition({ anonymous: true }) }, 422, 'anonymous'],
    [
      'invalid email',
      { body: petition({ petitioner: { ...petitioner, email: 'ana@' } }) },
      422,
      'petitioner.email',
    ],
    ['10,000-character subject', { body: petition({ subject: 's'.repeat(10_000) }) }, 422, 'subject'],
    [
      '__proto__ key',
      { raw: JSON.stringify(petition()).replace('{', '{"__proto__":{"admin":true},') },
      400,
      '__proto__',
    ],
    ['HTML in text', { body: petition({ description: '<img src=x onerror=alert(1)>' }) }, 422, 'description'],
    ['empty body', { raw: '' }, 400, 'body'],
    ['unknown field', { body: petition({ isAdmin: true }) }, 422, 'isAdmin'],
    [
      'bad idempotency key',
      { body: petition(), headers: { 'idempotency-key': 'spaces are not ok' } },
      400,
      'header.idempotency-key',
    ],
  ];

  it.each(cases)('%s', async (_name, request, status, field) => {
    const before = await counter(system.ddb, system.tableName, 'MINTIC', bogotaYear());
    const res = await call(system.baseUrl, 'POST', '/v1/cases', request);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({
      status,
      type: expect.stringMatching(/^urn:urna:problem:/),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.body.correlationId).toEqual(expect.any(String));
    if (field) expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await counter(system.ddb, system.tableName, 'MINTIC', bogotaYear())).toBe(before);
  });
});

describe('public entities', () => {
  it('lists the seeded entities with kinds and categories, cacheable, without internal settings', async () => {
    const res = await call(system.baseUrl, 'GET', '/v1/public/entities');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const items = res.body.items as { id: string; routing?: unknown; kinds: string[] }[];
    expect(items.map((e) => e.id).sort()).toEqual(['MEDELLIN', 'MINTIC', 'SUPERSALUD']);
    expect(items.every((e) => e.routing === undefined && e.kinds.length > 0)).toBe(true);
  });
});
