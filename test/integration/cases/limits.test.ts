/**
 * The application's own abuse limits on DynamoDB Local (issue 16): wrong tracking codes per
 * radicado and per client (10 in 15 minutes), comments per device key per consultation (30 an
 * hour); past them 429 with Retry-After and a problem document, and nothing else changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSULTATION_ID, seed } from '#infra/local/seed.ts';
import { call } from '#test/support/client.ts';
import { type LocalSystem, useLocalSystem } from '#test/support/localEnv.ts';
import { petition } from './helpers.ts';

let system: LocalSystem;

beforeAll(async () => {
  system = await useLocalSystem({ schedulers: false, pipes: false, pollers: false });
  await seed();
});
afterAll(() => system?.stop());

describe('abuse limits', () => {
  it('answers 429 with Retry-After after 10 wrong tracking codes, even to the right one', async () => {
    const filed = await call(system.baseUrl, 'POST', '/v1/cases', {
      body: petition({ category: 'spectrum' }),
    });
    expect(filed.status, filed.text).toBe(201);
    const path = `/v1/cases/${String(filed.body.radicado)}`;
    for (let i = 0; i < 10; i++) {
      const wrong = await call(system.baseUrl, 'GET', path, {
        headers: { 'x-tracking-code': 'ABCD-EFGH-JKMN' },
      });
      expect(wrong.status).toBe(404);
    }
    const right = await call(system.baseUrl, 'GET', path, {
      headers: { 'x-tracking-code': String(filed.body.trackingCode) },
    });
    expect(right.status, right.text).toBe(429);
    const wait = Number(right.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(900);
    expect(right.headers.get('content-type')).toContain('application/problem+json');
    expect(right.body).toMatchObject({ status: 429, type: 'urn:urna:problem:too-many-attempts' });
  });

  it('answers 429 to the 31st comment of one device in an hour, and takes another device', async () => {
    const path = `/v1/public/consultations/${DEMO_CONSULTATION_ID}/comments`;
    const device = `device-${randomUUID()}`;
    const send = (key: string, i: number) =>
      call(system.baseUrl, 'POST', path, {
        body: { sectionId: 's1', stance: 'observation', text: `Observación ${i}` },
        headers: { 'x-device-key': key },
      });
    for (let i = 0; i < 30; i++) expect((await send(device, i)).status).toBe(202);
    const limited = await send(device, 30);
    expect(limited.status, limited.text).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, type: 'urn:urna:problem:too-many-comments' });
    expect((await send(`device-${randomUUID()}`, 31)).status).toBe(202);
  });
});
